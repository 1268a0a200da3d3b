package dev.storagegateway.httpserver;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmHeapPressureMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmInfoMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;

/**
 * The JVM's and the process's own meters, which a scrape of any JVM service is expected to carry
 * ({@code jvm_*}, {@code process_*}, {@code system_*}): heap and collections (a data plane's
 * pause holds every Check in flight, and Envoy fails one it has waited too long for), threads,
 * CPU, open files, uptime. Micrometer's binders, under the names its dashboards and rules use.
 */
final class JvmMetrics implements AutoCloseable {
  private final JvmGcMetrics collections;
  private final JvmHeapPressureMetrics heapPressure;

  private JvmMetrics(JvmGcMetrics collections, JvmHeapPressureMetrics heapPressure) {
    this.collections = collections;
    this.heapPressure = heapPressure;
  }

  /** Binds them to {@code registry} until {@link #close()}. */
  static JvmMetrics bindTo(MeterRegistry registry) {
    new ClassLoaderMetrics().bindTo(registry);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new JvmInfoMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    new FileDescriptorMetrics().bindTo(registry);
    JvmGcMetrics collections = new JvmGcMetrics();
    collections.bindTo(registry);
    JvmHeapPressureMetrics heapPressure = new JvmHeapPressureMetrics();
    heapPressure.bindTo(registry);
    return new JvmMetrics(collections, heapPressure);
  }

  /** Stops listening to the collector's notifications; the gauges go with the registry. */
  @Override
  public void close() {
    collections.close();
    heapPressure.close();
  }
}
