package dev.storagegateway.extauthz.observe;

import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.joran.spi.ConsoleTarget;
import java.io.BufferedOutputStream;

/**
 * Standard output or error, written a batch of lines at a time. It sits behind the access log's
 * ring buffer (ADR 0011), whose writer flushes it at the end of every batch it takes from the
 * buffer. logback's {@code ConsoleAppender} cannot batch: {@code System.out} and
 * {@code System.err} flush on every write, so each access line cost a system call.
 *
 * <p>Lines stay whole. The buffer holds only whole lines (each event is one write into it, and a
 * line that does not fit first sends the lines before it), and it is no larger than
 * {@value #PIPE_BUF} bytes, the most that one write delivers to a pipe without another writer's
 * bytes in between; other appenders write to the same descriptor. A single line longer than that
 * goes out alone, in one write, as it would from {@code ConsoleAppender}.
 *
 * <p>Configured like {@code ConsoleAppender}: {@code <target>System.err</target>} (default
 * {@code System.out}) and an encoder; the target is looked up on every write, as there.
 * {@code immediateFlush} is always off: flushing is the ring buffer's job. An unknown target is
 * reported and the appender does not start.
 */
public final class BatchedConsoleAppender<E> extends OutputStreamAppender<E> {
  /** Linux's PIPE_BUF; POSIX requires at least 512. */
  static final int PIPE_BUF = 4096;

  private ConsoleTarget target = ConsoleTarget.SystemOut;

  public void setTarget(String name) {
    target = ConsoleTarget.findByName(name.trim());
    if (target == null) {
      addError("target must be System.out or System.err, not '" + name + "'");
    }
  }

  @Override
  public void start() {
    if (target == null) {
      return;
    }
    // The batch's end flushes; the target's own stream is never closed, so neither is the
    // process's descriptor.
    setImmediateFlush(false);
    setOutputStream(new BufferedOutputStream(target.getStream(), PIPE_BUF));
    super.start();
  }
}
