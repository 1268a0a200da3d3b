package dev.storagegateway.extauthz;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import java.net.URL;
import org.slf4j.LoggerFactory;

/**
 * The data plane's shipped logback.xml read again with {@code GATEWAY_LOG_LEVEL} set, as an
 * operator who turns on debugging gets it; closing reads it again as shipped. S3Proxy, the
 * storage the tests sign for, runs in the same JVM and logs the headers it receives below INFO:
 * its loggers are kept at INFO, since its lines are not the gateway's.
 */
public final class ShippedLogging implements AutoCloseable {
  private static final String LEVEL = "GATEWAY_LOG_LEVEL";
  private static final String TEST_STORAGE = "org.gaul";

  private ShippedLogging() {
  }

  /** @param level the root level, e.g. {@code TRACE} */
  public static ShippedLogging at(String level) {
    configure(level);
    return new ShippedLogging();
  }

  @Override
  public void close() {
    configure(null);
  }

  private static void configure(String level) {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    URL shipped = ShippedLogging.class.getResource("/logback.xml");
    context.reset();
    if (level != null) {
      context.putProperty(LEVEL, level);
    }
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(context);
    try {
      configurator.doConfigure(shipped);
    } catch (JoranException e) {
      throw new IllegalStateException("the shipped logback.xml does not load", e);
    }
    context.getLogger(TEST_STORAGE).setLevel(Level.INFO);
  }
}
