package dev.storagegateway.testlogging;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Standard output and error replaced, while open, by streams that keep every byte written to
 * them: what the shipped logging configuration really writes, whichever encoder it chose, as a
 * log collector would read it from the container.
 */
public final class ConsoleCapture implements AutoCloseable {
  private final PrintStream originalOut = System.out;
  private final PrintStream originalErr = System.err;
  private final ByteArrayOutputStream written = new ByteArrayOutputStream();

  private ConsoleCapture() {
    PrintStream capture = new PrintStream(written, true, StandardCharsets.UTF_8);
    System.setOut(capture);
    System.setErr(capture);
  }

  public static ConsoleCapture start() {
    return new ConsoleCapture();
  }

  /** Both streams' bytes, interleaved as they were written. */
  public String text() {
    return written.toString(StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    System.setOut(originalOut);
    System.setErr(originalErr);
  }
}
