package dev.storagegateway.extauthz;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * Every log event while open, the access log's included: the shipped configuration keeps access
 * lines from the root logger, so both are listened to, and an event that reaches both is kept
 * once. For canary tests: what a reader of the logs would see.
 */
public final class CapturedLogs implements AutoCloseable {
  private static final String ACCESS = "access";
  private final ListAppender<ILoggingEvent> captured = new ListAppender<>();

  private CapturedLogs() {
    captured.start();
    root().addAppender(captured);
    access().addAppender(captured);
  }

  public static CapturedLogs start() {
    return new CapturedLogs();
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

  /** How many events were logged below INFO: whether debugging was on at all. */
  public long belowInfo() {
    return events().stream().filter(event -> !event.getLevel().isGreaterOrEqual(Level.INFO))
        .count();
  }

  /** The access log's lines, in order. */
  public List<String> accessLines() {
    return events().stream().filter(event -> event.getLoggerName().equals(ACCESS))
        .map(ILoggingEvent::getFormattedMessage).toList();
  }

  private List<ILoggingEvent> events() {
    synchronized (captured) { // AppenderBase.doAppend holds the same lock
      return captured.list.stream().distinct().toList();
    }
  }

  @Override
  public void close() {
    root().detachAppender(captured);
    access().detachAppender(captured);
  }

  private static Logger root() {
    return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
  }

  private static Logger access() {
    return (Logger) LoggerFactory.getLogger(ACCESS);
  }
}
