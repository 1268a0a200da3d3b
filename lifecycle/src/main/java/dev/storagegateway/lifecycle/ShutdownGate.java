package dev.storagegateway.lifecycle;

import ch.qos.logback.classic.LoggerContext;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
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
 */
public final class ShutdownGate implements AutoCloseable {
  /** Kubernetes' default grace period; after it the kubelet kills the process anyway. */
  static final Duration MAX_CLOSE = Duration.ofSeconds(30);
  static final String COMPLETE = "shutdown complete: every server and store closed";

  private final CountDownLatch requested = new CountDownLatch(1);
  private final CountDownLatch closed = new CountDownLatch(1);

  private ShutdownGate() {
  }

  public static ShutdownGate install() {
    ShutdownGate gate = new ShutdownGate();
    Runtime.getRuntime().addShutdownHook(new Thread(gate::holdUntilClosed, "shutdown"));
    return gate;
  }

  /** Blocks until the JVM is asked to stop. */
  public void awaitRequest() throws InterruptedException {
    requested.await();
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
      closed.await(MAX_CLOSE.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
