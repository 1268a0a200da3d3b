package dev.storagegateway.registry;

/**
 * Text from a peer the gateway does not control (an Envoy's node id, a foreign registry entry),
 * made fit for one log line: control characters become spaces, so no forged line begins, and a
 * long text is cut.
 */
public final class LoggedText {
  private LoggedText() {
  }

  public static String of(String text, int maxChars) {
    String line = text.replaceAll("\\p{Cntrl}", " ");
    return line.length() > maxChars ? line.substring(0, maxChars) + "..." : line;
  }
}
