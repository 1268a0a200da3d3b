package dev.storagegateway.testlogging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.LoggerFactory;

/** The log events of some loggers while open, for tests of what the servers log. */
public final class CapturedLogs implements AutoCloseable {
  private final ListAppender<ILoggingEvent> captured = new ListAppender<>();
  private final List<Logger> loggers;

  private CapturedLogs(List<String> names) {
    loggers = names.stream().map(name -> (Logger) LoggerFactory.getLogger(name)).toList();
    captured.start();
    loggers.forEach(logger -> logger.addAppender(captured));
  }

  /**
   * What reaches the root logger, for tests of the diagnostics: the lines of the loggers the
   * shipped configuration keeps from it (the data plane's {@code access}, the control plane's
   * {@code audit}) are not there.
   */
  public static CapturedLogs root() {
    return new CapturedLogs(List.of(org.slf4j.Logger.ROOT_LOGGER_NAME));
  }

  /**
   * The root logger's events and those of the named loggers the shipped configuration keeps from
   * it, for canary tests that search every line a reader of the logs would see, and for tests of
   * those loggers' lines.
   */
  public static CapturedLogs rootAnd(String... names) {
    return new CapturedLogs(
        Stream.concat(Stream.of(org.slf4j.Logger.ROOT_LOGGER_NAME), Stream.of(names)).toList());
  }

  /** The events of one class's logger: that class's only, whatever else logs meanwhile. */
  public static CapturedLogs of(Class<?> source) {
    return new CapturedLogs(List.of(source.getName()));
  }

  /**
   * The events so far, in order. Copied under the appender's lock: a background thread (the
   * snapshot publisher, Hazelcast) that picked the appender before it was detached may still be
   * adding to it. An event that reaches two of the loggers listened to (one that does not keep its
   * lines from the root) is kept once.
   */
  public List<ILoggingEvent> events() {
    synchronized (captured) { // AppenderBase.doAppend holds the same lock
      return captured.list.stream().distinct().toList();
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

  /** How many events were logged below INFO: whether debugging was on at all. */
  public long belowInfo() {
    return events().stream().filter(event -> !event.getLevel().isGreaterOrEqual(Level.INFO))
        .count();
  }

  /** The messages of one logger's events, in order: the access log's lines, say. */
  public List<String> linesOf(String loggerName) {
    return events().stream().filter(event -> event.getLoggerName().equals(loggerName))
        .map(ILoggingEvent::getFormattedMessage).toList();
  }

  @Override
  public void close() {
    loggers.forEach(logger -> logger.detachAppender(captured));
  }
}
