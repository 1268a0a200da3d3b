package dev.storagegateway.extauthz.observe;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.IntStream;
import net.logstash.logback.appender.LoggingEventAsyncDisruptorAppender;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The access log's console appender, with {@code System.err} replaced by a stream that records
 * every write the appender's thread gives it, as the process's descriptor would receive them
 * (threads other tests left behind may write to standard error too; they are not recorded).
 */
class BatchedConsoleAppenderTest {
  private static final String RING = "ACCESS_UNDER_TEST";

  private final LoggerContext context = new LoggerContext();
  private final Thread testThread = Thread.currentThread();
  private final RecordedWrites writes = new RecordedWrites(
      thread -> thread == testThread || thread.getName().contains(RING));
  private PrintStream originalErr;

  @BeforeEach
  void replaceStandardError() {
    context.setMDCAdapter(new LogbackMDCAdapter());
    originalErr = System.err;
    System.setErr(new PrintStream(writes, true, StandardCharsets.UTF_8));
  }

  @AfterEach
  void restoreStandardError() {
    System.setErr(originalErr);
    context.stop();
  }

  @Test
  void writesWholeLinesInWritesNoLargerThanAPipeDeliversWhole() {
    BatchedConsoleAppender<ILoggingEvent> appender = batchedStandardError();
    List<String> lines = IntStream.range(0, 100)
        .mapToObj(i -> String.format("request_id=\"%04d\" %s", i, "x".repeat(90))).toList();
    lines.forEach(line -> appender.doAppend(event(line)));

    // 100 lines of 108 bytes: only the 37 that filled each earlier buffer have been written.
    assertThat(writes.chunks()).hasSize(2);
    assertThat(writes.text()).isEqualTo(joined(lines.subList(0, 74)));

    appender.stop();
    assertThat(writes.text()).isEqualTo(joined(lines));
    assertThat(writes.chunks()).allSatisfy(chunk -> {
      assertThat(chunk.length()).isLessThanOrEqualTo(BatchedConsoleAppender.PIPE_BUF);
      assertThat(chunk).endsWith("\n");
    });
    assertThat(writes.closed).as("System.err closed").isFalse();
  }

  @Test
  void theRingBufferFlushesEveryBatchSoNoLineWaitsForTheNext() throws InterruptedException {
    LoggingEventAsyncDisruptorAppender ring = new LoggingEventAsyncDisruptorAppender();
    ring.setName(RING);
    ring.setContext(context);
    ring.setWaitStrategyType("sleeping{10,1000000}");
    ring.addAppender(batchedStandardError());
    ring.start();
    Logger access = context.getLogger(AccessLog.LOGGER_NAME);
    access.setAdditive(false);
    access.setLevel(Level.INFO);
    access.addAppender(ring);

    access.info("first");
    access.info("second");
    awaitText("first\nsecond\n");
    access.info("third");
    awaitText("first\nsecond\nthird\n");
  }

  @Test
  void doesNotStartWithATargetOtherThanTheConsole() {
    BatchedConsoleAppender<ILoggingEvent> appender = new BatchedConsoleAppender<>();
    appender.setContext(context);
    appender.setTarget("/var/log/access.log");
    appender.start();
    assertThat(appender.isStarted()).isFalse();
    assertThat(context.getStatusManager().getCopyOfStatusList())
        .anySatisfy(status -> assertThat(status.getMessage())
            .contains("target must be System.out or System.err"));
  }

  private BatchedConsoleAppender<ILoggingEvent> batchedStandardError() {
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(context);
    encoder.setPattern("%msg%n");
    encoder.start();
    BatchedConsoleAppender<ILoggingEvent> appender = new BatchedConsoleAppender<>();
    appender.setContext(context);
    appender.setTarget("System.err");
    appender.setEncoder(encoder);
    appender.start();
    return appender;
  }

  private LoggingEvent event(String message) {
    return new LoggingEvent(BatchedConsoleAppenderTest.class.getName(),
        context.getLogger(AccessLog.LOGGER_NAME), Level.INFO, message, null, null);
  }

  private void awaitText(String expected) throws InterruptedException {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(5));
    while (!writes.text().equals(expected) && Instant.now().isBefore(deadline)) {
      Thread.sleep(5);
    }
    assertThat(writes.text()).isEqualTo(expected);
  }

  private static String joined(List<String> lines) {
    return String.join("\n", lines) + "\n";
  }

  /** Each write from the threads under test as one chunk. */
  private static final class RecordedWrites extends OutputStream {
    private final Predicate<Thread> recorded;
    private final List<String> chunks = new ArrayList<>();
    private volatile boolean closed;

    RecordedWrites(Predicate<Thread> recorded) {
      this.recorded = recorded;
    }

    @Override
    public synchronized void write(int b) {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public synchronized void write(byte[] bytes, int offset, int length) {
      if (!recorded.test(Thread.currentThread())) {
        return;
      }
      ByteArrayOutputStream chunk = new ByteArrayOutputStream();
      chunk.write(bytes, offset, length);
      chunks.add(chunk.toString(StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
      closed = true;
    }

    synchronized List<String> chunks() {
      return List.copyOf(chunks);
    }

    synchronized String text() {
      return String.join("", chunks);
    }
  }
}
