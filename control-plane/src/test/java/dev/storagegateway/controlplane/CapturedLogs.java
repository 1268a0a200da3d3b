package dev.storagegateway.controlplane;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * The log events of some loggers while open. A test listening to one class's logger sees that
 * class's events only, whatever else logs meanwhile; one listening to the root sees everything a
 * reader of the diagnostics would, access lines included.
 */
public final class CapturedLogs implements AutoCloseable {
  private final ListAppender<ILoggingEvent> captured = new ListAppender<>();
  private final List<Logger> loggers;

  private CapturedLogs(List<String> names) {
    loggers = names.stream().map(name -> (Logger) LoggerFactory.getLogger(name)).toList();
    captured.start();
    loggers.forEach(logger -> logger.addAppender(captured));
  }

  /** What reaches the root logger: every event but the audit ones, whose logger keeps them. */
  public static CapturedLogs root() {
    return new CapturedLogs(List.of(org.slf4j.Logger.ROOT_LOGGER_NAME));
  }

  /** The root logger's events and the audit events, for canary tests that search every line. */
  public static CapturedLogs rootAndAudit() {
    return new CapturedLogs(List.of(org.slf4j.Logger.ROOT_LOGGER_NAME, "audit"));
  }

  /** The events of one class's logger. */
  public static CapturedLogs of(Class<?> source) {
    return new CapturedLogs(List.of(source.getName()));
  }

  /**
   * The events so far, in order. Copied under the appender's lock: a background thread (the
   * snapshot publisher, Hazelcast) that picked the appender before it was detached may still be
   * adding to it.
   */
  public List<ILoggingEvent> events() {
    synchronized (captured) { // AppenderBase.doAppend holds the same lock
      return List.copyOf(captured.list);
    }
  }

  /**
   * Each event as a reader sees it: the message, the key-value pairs a structured encoder would
   * write, then the exception and its causes if any.
   */
  public List<String> everything() {
    return events().stream().map(event -> event.getFormattedMessage() + " "
        + (event.getKeyValuePairs() == null ? "" : event.getKeyValuePairs() + " ")
        + (event.getThrowableProxy() == null ? ""
            : ThrowableProxyUtil.asString(event.getThrowableProxy())))
        .toList();
  }

  @Override
  public void close() {
    loggers.forEach(logger -> logger.detachAppender(captured));
  }
}
