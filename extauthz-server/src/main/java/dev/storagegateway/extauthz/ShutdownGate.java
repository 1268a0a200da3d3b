package dev.storagegateway.extauthz;

import ch.qos.logback.classic.LoggerContext;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.LoggerFactory;

/**
 * Holds the JVM's shutdown (SIGTERM from Kubernetes, Ctrl-C) until the server has closed. The JVM
 * halts as soon as its shutdown hooks return, so a hook that only wakes the main thread cut short
 * the draining of in-flight Checks, and lost the access lines still in the ring buffer.
 *
 * <p>Open it before the resources it outlives, in the same try-with-resources: they close first,
 * then this writes out the buffered log lines and lets the JVM halt.
 */
public final class ShutdownGate implements AutoCloseable {
  /** Kubernetes' default grace period; after it the kubelet kills the process anyway. */
  static final Duration MAX_CLOSE = Duration.ofSeconds(30);

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
    if (LoggerFactory.getILoggerFactory() instanceof LoggerContext logging) {
      // Stops the access log's ring buffer, which writes out what it holds first.
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
