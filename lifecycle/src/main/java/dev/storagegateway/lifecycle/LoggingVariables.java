package dev.storagegateway.lifecycle;

import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;

/**
 * The two variables every server's logback.xml reads: {@value #LEVEL}, the diagnostics' level,
 * and {@value #FORMAT}, {@code text} or {@code json} lines. logback takes any value without a
 * word: an unknown level, or an empty one, as DEBUG; an unknown or empty format as no diagnostics
 * at all. So each server checks them before it starts and refuses a value logback would misread.
 */
public final class LoggingVariables {
  public static final String LEVEL = "GATEWAY_LOG_LEVEL";
  public static final String FORMAT = "GATEWAY_LOG_FORMAT";

  /** logback's levels; it reads them in any case, around spaces. */
  private static final List<String> LEVELS =
      List.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR", "OFF");
  /** The suffixes of the storage-gateway-*-{format}.xml files the logback.xml files include. */
  private static final List<String> FORMATS = List.of("text", "json");

  private LoggingVariables() {
  }

  /** Checks the values logback read in this process: a system property, else the environment. */
  public static void checkThisProcess() {
    check(name -> System.getProperty(name, System.getenv(name)));
  }

  /**
   * @param values the value of a variable by name, null where it is not set
   * @throws IllegalArgumentException naming the variable, its value and the values it takes
   */
  public static void check(UnaryOperator<String> values) {
    String level = values.apply(LEVEL);
    if (level != null && !LEVELS.contains(level.trim().toUpperCase(Locale.ROOT))) {
      throw new IllegalArgumentException(LEVEL + " is '" + level + "'; it takes one of "
          + String.join(", ", LEVELS) + " (INFO when unset)");
    }
    String format = values.apply(FORMAT);
    if (format != null && !FORMATS.contains(format)) {
      throw new IllegalArgumentException(FORMAT + " is '" + format + "'; it takes text (one"
          + " line an event, the default) or json (one JSON object a line), in lower case");
    }
  }
}
