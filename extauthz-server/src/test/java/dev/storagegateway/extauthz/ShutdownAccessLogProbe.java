package dev.storagegateway.extauthz;

import dev.storagegateway.extauthz.observe.AccessLog;
import dev.storagegateway.lifecycle.ShutdownGate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A data plane's life in miniature, run in its own JVM by {@link ShutdownAccessLogTest}: an
 * access line, then waiting for SIGTERM, then closing for a while and logging meanwhile, as a data
 * plane draining its last Checks does.
 */
public final class ShutdownAccessLogProbe {
  static final String BEFORE = "line-before-the-signal";
  static final String WHILE_CLOSING = "line-written-while-closing";

  private ShutdownAccessLogProbe() {
  }

  public static void main(String[] args) throws InterruptedException {
    Logger access = LoggerFactory.getLogger(AccessLog.LOGGER_NAME);
    try (ShutdownGate shutdown = ShutdownGate.install()) {
      access.info(BEFORE);
      System.out.println("ready");
      System.out.flush();
      shutdown.awaitRequest();
      Thread.sleep(500);
      access.info(WHILE_CLOSING);
    }
  }
}
