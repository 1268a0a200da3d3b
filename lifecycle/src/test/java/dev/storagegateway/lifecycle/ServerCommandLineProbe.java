package dev.storagegateway.lifecycle;

/**
 * {@link ServerCommandLineTest}'s server run in its own JVM, so that the test can give it an
 * environment.
 */
public final class ServerCommandLineProbe {
  private ServerCommandLineProbe() {
  }

  public static void main(String[] args) {
    System.exit(ServerCommandLine.of(new ServerCommandLineTest.Server()).execute(args));
  }
}
