package dev.storagegateway.lifecycle;

/**
 * A server in miniature, run in its own JVM by {@link ShutdownGateTest}: it waits for SIGTERM,
 * then takes half a second to close, as a server draining its last calls does. Given an
 * argument, it stops itself for that reason instead, as a server that lost what it serves from.
 */
public final class ShutdownGateProbe {
  static final String READY = "ready";
  static final String CLOSED = "slow resource closed";

  private ShutdownGateProbe() {
  }

  public static void main(String[] args) throws Exception {
    ShutdownGate shutdown = ShutdownGate.install();
    try (shutdown;
        AutoCloseable slow = () -> {
          Thread.sleep(500);
          System.out.println(CLOSED);
        }) {
      System.out.println(READY);
      System.out.flush();
      if (args.length > 0) {
        new Thread(() -> shutdown.stop(args[0])).start();
      }
      shutdown.awaitRequest();
    }
    System.exit(shutdown.exitCode());
  }
}
