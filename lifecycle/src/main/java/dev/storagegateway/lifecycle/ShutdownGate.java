package dev.storagegateway.lifecycle;

import ch.qos.logback.classic.LoggerContext;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.LoggerFactory;

/**
 * Holds the JVM's shutdown (SIGTERM from Kubernetes, Ctrl-C) until the server has closed. The JVM
 * halts as soon as its shutdown hooks return, so a hook that only wakes the main thread cuts
 * short whatever closing does: draining in-flight calls, closing streams and the database in
 * order, writing out the log lines an asynchronous appender still holds.
 *
 * <p>Open it before the resources it outlives, in the same try-with-resources: they close first,
 * then this logs that the shutdown is complete, stops logback (which writes out what it holds)
 * and lets the JVM halt.
 *
 * <p>A server that can no longer serve (its registry member was stopped under it) calls
 * {@link #stop}: it closes the same way and exits with {@link #exitCode} 1, so that its
 * supervisor (Kubernetes, systemd) starts it again.
 */
public final class ShutdownGate implements AutoCloseable {
  /**
   * Kubernetes' default grace period, after which the kubelet kills the process anyway; closing
   * is given this long after any drain.
   */
  static final Duration MAX_CLOSE = Duration.ofSeconds(30);
  static final String COMPLETE = "shutdown complete: every server and store closed";

  private final CountDownLatch requested = new CountDownLatch(1);
  private final CountDownLatch closed = new CountDownLatch(1);
  private final AtomicReference<String> stoppedBecause = new AtomicReference<>();
  private final Duration hold;

  private ShutdownGate(Duration hold) {
    this.hold = hold;
  }

  public static ShutdownGate install() {
    return install(Duration.ZERO);
  }

  /**
   * @param drain how long the server goes on answering after the request, before it closes: the
   *     JVM is held that much longer
   */
  public static ShutdownGate install(Duration drain) {
    ShutdownGate gate = new ShutdownGate(MAX_CLOSE.plus(drain));
    Runtime.getRuntime().addShutdownHook(new Thread(gate::holdUntilClosed, "shutdown"));
    return gate;
  }

  /** Blocks until the JVM is asked to stop, or {@link #stop} is called. */
  public void awaitRequest() throws InterruptedException {
    requested.await();
  }

  /**
   * Wakes {@link #awaitRequest} as SIGTERM does, for a failure that leaves the server unable to
   * serve; the first reason is logged and decides {@link #exitCode}.
   */
  public void stop(String reason) {
    if (stoppedBecause.compareAndSet(null, reason)) {
      LoggerFactory.getLogger(ShutdownGate.class).error("stopping: {}", reason);
    }
    requested.countDown();
  }

  /** What the process exits with: 0 when asked to stop, 1 when it stopped for a failure. */
  public int exitCode() {
    return stoppedBecause.get() == null ? 0 : 1;
  }

  @Override
  public void close() {
    if (requested.getCount() == 0) {
      LoggerFactory.getLogger(ShutdownGate.class).info(COMPLETE);
    }
    if (LoggerFactory.getILoggerFactory() instanceof LoggerContext logging) {
      logging.stop();
    }
    closed.countDown();
  }

  private void holdUntilClosed() {
    requested.countDown();
    try {
      closed.await(hold.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
