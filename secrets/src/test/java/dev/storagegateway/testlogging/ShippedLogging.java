package dev.storagegateway.testlogging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import dev.storagegateway.lifecycle.LoggingVariables;
import java.net.URL;
import org.slf4j.LoggerFactory;

/**
 * The server's shipped logback.xml (the first on the class path: the test's own module's) read
 * again with {@code GATEWAY_LOG_LEVEL} and {@code GATEWAY_LOG_FORMAT} set, as an operator who
 * turns on debugging or JSON lines gets it; closing reads it again as shipped, which first writes
 * out the lines its appenders hold.
 * S3Proxy, the storage the tests sign for, runs in the same JVM and logs the headers it receives
 * below INFO: its loggers are kept at INFO, since its lines are not the gateway's.
 */
public final class ShippedLogging implements AutoCloseable {
  private static final String TEST_STORAGE = "org.gaul";

  private ShippedLogging() {
  }

  /**
   * @param level the root level, e.g. {@code TRACE}
   * @param format {@code text} or {@code json}
   */
  public static ShippedLogging at(String level, String format) {
    configure(level, format);
    return new ShippedLogging();
  }

  @Override
  public void close() {
    configure(null, null);
  }

  private static void configure(String level, String format) {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    URL shipped = ShippedLogging.class.getResource("/logback.xml");
    context.reset();
    if (level != null) {
      context.putProperty(LoggingVariables.LEVEL, level);
    }
    if (format != null) {
      context.putProperty(LoggingVariables.FORMAT, format);
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
