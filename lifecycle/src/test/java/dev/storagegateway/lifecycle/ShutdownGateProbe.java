package dev.storagegateway.lifecycle;

/**
 * A server in miniature, run in its own JVM by {@link ShutdownGateTest}: it waits for SIGTERM,
 * then takes half a second to close, as a server draining its last calls does.
 */
public final class ShutdownGateProbe {
  static final String READY = "ready";
  static final String CLOSED = "slow resource closed";

  private ShutdownGateProbe() {
  }

  public static void main(String[] args) throws InterruptedException {
    try (ShutdownGate shutdown = ShutdownGate.install();
        AutoCloseable slow = () -> {
          Thread.sleep(500);
          System.out.println(CLOSED);
        }) {
      System.out.println(READY);
      System.out.flush();
      shutdown.awaitRequest();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
