package dev.storagegateway.controlplane.xds;

import com.google.common.net.InetAddresses;
import com.google.common.util.concurrent.ThreadFactoryBuilder;
import dev.storagegateway.controlplane.validation.HostResolver;
import dev.storagegateway.registry.address.ReachableAddresses;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The addresses Envoy may connect to for each storage host (a name, or an address as it is):
 * resolved here, again every {@code refresh}, and only those the endpoint policy admits.
 * Registration checks a name once; checking every resolution means a name re-pointed into the
 * internal network later (DNS rebinding) gets no address there, and its buckets get Envoy's 503
 * rather than a connection to the metadata service or a neighbour.
 *
 * <p>Lookups run on a small pool of their own, never on the snapshot build thread: a name asked
 * for the first time has no addresses until its lookup ends, which then asks for a rebuild, as
 * does every lookup that changes a name's addresses. A name that stops resolving keeps its last
 * addresses, which were admitted; a name with none is looked up again every 5 s (the JDK's own
 * cache may answer those lookups for up to 30 s). As Envoy's {@code V4_PREFERRED}, a name with
 * IPv4 addresses is judged and connected to by those alone.
 *
 * <p>A lookup blocks for as long as the system resolver takes, and a project owner controls the
 * DNS of the names they register: one that answers slowly, or not at all, holds a thread for the
 * resolver's whole timeout. So a name whose last lookup took longer than {@code slowLookup} is
 * looked up on a small pool of its own from then on, and slow names delay each other's
 * refreshes, never the other names'. Its first lookup, before it is known to be slow, takes a
 * thread of the main pool once.
 */
final class StorageAddresses implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(StorageAddresses.class);
  /** Enough for the first lookups of many slow names not to stop the others for long. */
  private static final int LOOKUP_THREADS = 16;
  private static final int SLOW_LOOKUP_THREADS = 4;
  /**
   * The most addresses one name gets in Envoy (the first in address order): an owner's zone that
   * answers thousands of public addresses would otherwise inflate every Envoy's endpoints. S3
   * answers up to 8.
   */
  static final int MAX_ADDRESSES = 16;
  /** A lookup that takes longer than this moves its name to the slow names' pool. */
  static final Duration SLOW_LOOKUP = Duration.ofSeconds(2);
  /**
   * How soon a name with no address is looked up again: its buckets answer 503 meanwhile (a
   * control plane started while DNS failed, a name re-pointed back out of the network).
   */
  private static final Duration RETRY_WITHOUT_ADDRESS = Duration.ofSeconds(5);

  /**
   * What is known of one name: the addresses pushed, what the last lookup refused, whether it
   * failed, and whether it took longer than the slow-lookup limit.
   */
  private record Known(List<InetAddress> admitted, List<InetAddress> refused, boolean failing,
      boolean slow) {
    static final Known PENDING = new Known(List.of(), List.of(), false, false);
  }

  private final HostResolver resolver;
  private final Predicate<InetAddress> admits;
  private final Map<String, Known> known = new ConcurrentHashMap<>();
  private final Map<String, CompletableFuture<Void>> lookups = new ConcurrentHashMap<>();
  private final ScheduledExecutorService pool = Executors.newScheduledThreadPool(LOOKUP_THREADS,
      new ThreadFactoryBuilder().setNameFormat("xds-storage-dns-%d").setDaemon(true).build());
  private final ExecutorService slowPool = Executors.newFixedThreadPool(SLOW_LOOKUP_THREADS,
      new ThreadFactoryBuilder().setNameFormat("xds-storage-dns-slow-%d").setDaemon(true).build());
  private final Duration slowLookup;
  private final Counter admitted;
  private final Counter partlyRefused;
  private final Counter refused;
  private final Counter failed;
  private volatile Runnable onChange = () -> {};

  /**
   * @param admits whether Envoy may connect to an address (the endpoint policy's rule)
   * @param refresh how often every name in use is looked up again
   */
  StorageAddresses(HostResolver resolver, Predicate<InetAddress> admits, Duration refresh,
      MeterRegistry meters) {
    this(resolver, admits, refresh, SLOW_LOOKUP, meters);
  }

  StorageAddresses(HostResolver resolver, Predicate<InetAddress> admits, Duration refresh,
      Duration slowLookup, MeterRegistry meters) {
    this.resolver = resolver;
    this.admits = admits;
    this.slowLookup = slowLookup;
    this.admitted = lookupCounter(meters, "admitted");
    this.partlyRefused = lookupCounter(meters, "partly_refused");
    this.refused = lookupCounter(meters, "refused");
    this.failed = lookupCounter(meters, "failed");
    Gauge.builder("gateway_xds_storage_hosts_without_address", known,
            names -> names.values().stream().filter(k -> k.admitted().isEmpty()).count())
        .description("Storage host names Envoy has no address for: not resolved yet, or"
            + " resolving only to addresses the endpoint policy refuses; their buckets get 503")
        .register(meters);
    pool.scheduleWithFixedDelay(() -> known.keySet().forEach(this::lookUp),
        refresh.toNanos(), refresh.toNanos(), TimeUnit.NANOSECONDS);
    long retry = Math.min(refresh.toNanos(), RETRY_WITHOUT_ADDRESS.toNanos());
    pool.scheduleWithFixedDelay(() -> known.forEach((host, now) -> {
      if (now.admitted().isEmpty()) {
        lookUp(host);
      }
    }), retry, retry, TimeUnit.NANOSECONDS);
  }

  private static Counter lookupCounter(MeterRegistry meters, String outcome) {
    return Counter.builder("gateway_xds_storage_dns_lookups_total")
        .description("Lookups of storage host names for Envoy, by what the endpoint policy made"
            + " of the answer (failed: the name did not resolve and keeps its last addresses)")
        .tag("outcome", outcome).register(meters);
  }

  /** Called after every lookup that changes what Envoy should be sent. */
  void onChange(Runnable listener) {
    this.onChange = listener;
  }

  /**
   * The admitted addresses of {@code host}, in a stable order; none while its first lookup runs,
   * which this call starts.
   */
  List<InetAddress> of(String host) {
    Known current = known.get(host);
    if (current != null) {
      return current.admitted();
    }
    if (known.putIfAbsent(host, Known.PENDING) == null) {
      lookUp(host);
    }
    return List.of();
  }

  /** Forgets every name but these, so that names no bucket uses are no longer looked up. */
  void retainOnly(Set<String> hosts) {
    known.keySet().retainAll(hosts);
  }

  /**
   * Waits until the lookups running now end, or {@code limit} passes: the first snapshot should
   * carry addresses, or an Envoy connecting first would route to none.
   */
  void awaitLookups(Duration limit) {
    try {
      CompletableFuture.allOf(lookups.values().toArray(CompletableFuture[]::new))
          .get(limit.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException stillRunning) {
      LOG.warn("Storage host names still resolving after {}; their buckets get addresses when"
          + " the lookups end", limit);
    }
  }

  /** Starts a lookup of {@code host} unless one is running. */
  private void lookUp(String host) {
    CompletableFuture<Void> lookup = new CompletableFuture<>();
    if (lookups.putIfAbsent(host, lookup) != null) {
      return;
    }
    Known current = known.get(host);
    ExecutorService lane = current != null && current.slow() ? slowPool : pool;
    try {
      lane.execute(() -> {
        try {
          resolve(host);
        } finally {
          lookups.remove(host, lookup);
          lookup.complete(null);
        }
      });
    } catch (RejectedExecutionException closed) {
      lookups.remove(host, lookup);
    }
  }

  private void resolve(String host) {
    List<InetAddress> all;
    long started = System.nanoTime();
    try {
      // An address is judged as it is, by the parser the clusters are built with; it stays
      // refused once the policy no longer admits it, as a name re-pointed inside would be.
      all = InetAddresses.isInetAddress(host) ? List.of(InetAddresses.forString(host))
          : resolver.resolve(host);
    } catch (Exception unresolvable) {
      failed.increment();
      boolean slow = tookLong(host, started);
      Known before = replace(host,
          last -> new Known(last.admitted(), last.refused(), true, slow));
      if (before != null && !before.failing()) {
        LOG.warn("storage host '{}' did not resolve ({}); {}", host,
            unresolvable.getClass().getSimpleName(), before.admitted().isEmpty()
                ? "Envoy has no address for it, so its buckets answer 503, until it does"
                : "Envoy keeps its last addresses for it (" + describe(before.admitted()) + ")");
      }
      return;
    }
    // Preferred before judged: an IPv6 address a DNS64 resolver made up for an internal IPv4
    // address must not be what is left once that IPv4 address is refused.
    List<InetAddress> preferred = sorted(ReachableAddresses.preferred(all));
    List<InetAddress> allowed = preferred.stream().filter(admits).limit(MAX_ADDRESSES).toList();
    List<InetAddress> denied = preferred.stream().filter(admits.negate()).toList();
    (denied.isEmpty() ? admitted : allowed.isEmpty() ? refused : partlyRefused).increment();
    Known next = new Known(allowed, denied, false, tookLong(host, started));
    Known before = replace(host, last -> next);
    if (before == null || before.equals(next)) {
      return;
    }
    logChange(host, before, next);
    if (!before.admitted().equals(allowed)) {
      onChange.run();
    }
  }

  /** Whether the lookup begun at {@code started} was slow; says so when that changes. */
  private boolean tookLong(String host, long started) {
    Duration took = Duration.ofNanos(System.nanoTime() - started);
    boolean slow = took.compareTo(slowLookup) > 0;
    Known last = known.get(host);
    if (last != null && slow != last.slow()) {
      if (slow) {
        LOG.warn("storage host '{}' took {} ms to resolve; it is looked up on the slow names'"
            + " pool ({} threads) until it answers within {} ms", host, took.toMillis(),
            SLOW_LOOKUP_THREADS, slowLookup.toMillis());
      } else {
        LOG.info("storage host '{}' resolves quickly again", host);
      }
    }
    return slow;
  }

  /** Updates a name still in use; returns what it replaced, or null for a forgotten name. */
  private Known replace(String host, UnaryOperator<Known> update) {
    Known[] before = new Known[1];
    known.computeIfPresent(host, (name, last) -> {
      before[0] = last;
      return update.apply(last);
    });
    return before[0];
  }

  private static List<InetAddress> sorted(List<InetAddress> addresses) {
    List<InetAddress> sorted = new ArrayList<>(addresses);
    sorted.sort(Comparator.comparing(InetAddresses::toAddrString));
    return List.copyOf(sorted);
  }

  private static void logChange(String host, Known before, Known after) {
    if (!after.refused().isEmpty() && !after.refused().equals(before.refused())) {
      if (after.admitted().isEmpty()) {
        LOG.error("storage host '{}' resolves only to addresses the endpoint policy refuses ({});"
            + " Envoy gets no address for it, so its buckets answer 503, until it resolves to a"
            + " public address or an operator allows the range (--allow-endpoint-cidr)",
            host, describe(after.refused()));
      } else {
        LOG.warn("storage host '{}' resolves partly to addresses the endpoint policy refuses ({});"
            + " Envoy gets only the others ({})", host, describe(after.refused()),
            describe(after.admitted()));
      }
    } else if (after.refused().isEmpty() && !before.refused().isEmpty()) {
      LOG.info("storage host '{}' resolves only to admitted addresses again ({})", host,
          describe(after.admitted()));
    } else if (before.failing()) {
      LOG.info("storage host '{}' resolves again ({})", host, describe(after.admitted()));
    }
  }

  private static String describe(List<InetAddress> addresses) {
    if (addresses.isEmpty()) {
      return "none";
    }
    String shown = addresses.stream().limit(MAX_ADDRESSES).map(InetAddresses::toAddrString)
        .collect(Collectors.joining(", "));
    return addresses.size() > MAX_ADDRESSES
        ? shown + " and " + (addresses.size() - MAX_ADDRESSES) + " more" : shown;
  }

  @Override
  public void close() {
    // A lookup still waiting on DNS must not ask a closed publisher for a build.
    onChange = () -> {};
    pool.shutdownNow();
    slowPool.shutdownNow();
  }
}
