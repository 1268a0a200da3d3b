package dev.storagegateway.extauthz.clients;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import dev.storagegateway.extauthz.observe.AccessLog;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.LoggerFactory;

/**
 * The data plane's access log ({@code observe.AccessLog}) as the test reads it: which S3
 * operations the gateway allowed for whom, in order. It is how the test knows a client really
 * uploaded in parts, whatever the client prints.
 */
final class GatewayAccessLog extends AppenderBase<ILoggingEvent> implements AutoCloseable {
  private static final Pattern LINE =
      Pattern.compile("user=\"([^\"]*)\" .*operation=(\\S+) .*decision=(\\S+)");

  private final Queue<String> lines = new ConcurrentLinkedQueue<>();

  private GatewayAccessLog() {
  }

  static GatewayAccessLog attach() {
    GatewayAccessLog log = new GatewayAccessLog();
    log.start();
    logger().addAppender(log);
    return log;
  }

  /** How many lines have been written so far: a mark for {@link #allowedSince}. */
  int size() {
    return lines.size();
  }

  /** The operations allowed for {@code user} after {@code mark}, in order. */
  List<String> allowedSince(int mark, String user) {
    return decidedSince(mark, user, "allow");
  }

  /** The operations the gateway answered itself for {@code user} after {@code mark}. */
  List<String> answeredSince(int mark, String user) {
    return decidedSince(mark, user, "answer");
  }

  private List<String> decidedSince(int mark, String user, String decision) {
    return lines.stream().skip(mark)
        .map(LINE::matcher)
        .filter(Matcher::find)
        .filter(line -> line.group(1).equals(user) && line.group(3).equals(decision))
        .map(line -> line.group(2))
        .toList();
  }

  @Override
  protected void append(ILoggingEvent event) {
    lines.add(event.getFormattedMessage());
  }

  @Override
  public void close() {
    logger().detachAppender(this);
    stop();
  }

  private static Logger logger() {
    return (Logger) LoggerFactory.getLogger(AccessLog.LOGGER_NAME);
  }
}
