package dev.storagegateway.lifecycle;

import java.io.PrintWriter;
import java.lang.reflect.Field;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.RunLast;
import picocli.CommandLine.TypeConversionException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The command line every server and tool of the gateway is run from: picocli's, with
 * <ul>
 *   <li>each option's help naming the environment variable it reads (the form the Helm chart
 *       and a container's spec use) and, where its description does not, the value it takes
 *       when not given;</li>
 *   <li>{@code --version} from the jar's manifest;</li>
 *   <li>the logging variables checked before any command runs (a usage error, exit 2), since
 *       logback has read them already and would misread them without a word;</li>
 *   <li>usage errors in two lines, naming the environment variable a refused value came from;
 *       and durations that say how ISO-8601 writes them.</li>
 * </ul>
 */
public final class ServerCommandLine {
  /** {@code ${env:NAME}} or {@code ${env:NAME:-fallback}}, picocli's form of a default. */
  private static final Pattern ENVIRONMENT_DEFAULT =
      Pattern.compile("^\\$\\{env:([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?}$");

  private ServerCommandLine() {
  }

  public static CommandLine of(Object command) {
    CommandLine line = new CommandLine(command);
    describe(line);
    // Read by logback, not by an option: named here so that --help is where to find them.
    line.getCommandSpec().usageMessage().footer("", "Also read from the environment:",
        "  " + LoggingVariables.LEVEL + "   TRACE, DEBUG, INFO (default), WARN, ERROR or OFF",
        "  " + LoggingVariables.FORMAT + "  text (default) or json lines");
    line.registerConverter(Duration.class, ServerCommandLine::duration);
    line.setExecutionStrategy(ServerCommandLine::execute);
    line.setParameterExceptionHandler(ServerCommandLine::refuse);
    return line;
  }

  /**
   * A usage mistake in a line or two: what is wrong, where the value came from when it was not
   * typed, and where the options are. picocli's own handler follows the message with the whole
   * usage, some 250 lines for a server, under which the one line that matters scrolls away.
   */
  private static int refuse(ParameterException mistake, String[] args) {
    CommandLine line = mistake.getCommandLine();
    PrintWriter err = line.getErr();
    err.println(mistake.getMessage() + origin(mistake));
    UnmatchedArgumentException.printSuggestions(mistake, err);
    err.println("'" + line.getCommandSpec().qualifiedName() + " --help' lists the options.");
    err.flush();
    return line.getCommandSpec().exitCodeOnInvalidInput();
  }

  /** Where a refused value came from, when it was the environment's rather than typed. */
  private static String origin(ParameterException mistake) {
    if (!(mistake.getArgSpec() instanceof OptionSpec option) || mistake.getValue() == null) {
      return "";
    }
    return environmentVariableOf(option)
        .filter(variable -> mistake.getValue().equals(System.getenv(variable)))
        .map(variable -> " (the value of the environment variable " + variable + ")")
        .orElse("");
  }

  private static Duration duration(String value) {
    try {
      return Duration.parse(value);
    } catch (DateTimeParseException e) {
      throw new TypeConversionException("'" + value + "' is not an ISO-8601 duration: write"
          + " PT30S for 30 seconds, PT5M for 5 minutes, PT24H for a day");
    }
  }

  private static int execute(ParseResult parsed) {
    Integer helpExit = CommandLine.executeHelpRequest(parsed);
    if (helpExit != null) {
      return helpExit;
    }
    try {
      LoggingVariables.checkThisProcess();
    } catch (IllegalArgumentException e) {
      throw new ParameterException(lastCommand(parsed).commandSpec().commandLine(),
          e.getMessage());
    }
    return new RunLast().execute(parsed);
  }

  private static ParseResult lastCommand(ParseResult parsed) {
    return parsed.hasSubcommand() ? lastCommand(parsed.subcommand()) : parsed;
  }

  private static void describe(CommandLine line) {
    CommandSpec spec = line.getCommandSpec();
    spec.versionProvider(ServerCommandLine::version);
    for (OptionSpec option : new ArrayList<>(spec.options())) {
      List<String> added = addedDescription(option);
      if (!added.isEmpty()) {
        List<String> description = new ArrayList<>(List.of(option.description()));
        description.addAll(added);
        spec.remove(option);
        spec.addOption(OptionSpec.builder(option)
            .description(description.toArray(String[]::new)).build());
      }
    }
    line.getSubcommands().values().forEach(ServerCommandLine::describe);
  }

  /**
   * The value named is the annotation's, never the variable's: help is the same wherever it is
   * read, and shows nothing of the environment it runs in.
   */
  private static List<String> addedDescription(OptionSpec option) {
    Matcher environment = ENVIRONMENT_DEFAULT.matcher(annotatedDefault(option));
    boolean fromEnvironment = environment.matches();
    String fallback = fromEnvironment ? environment.group(2) : option.defaultValue();
    boolean saysItsDefault = String.join(" ", option.description())
        .toLowerCase(Locale.ROOT).contains("default");
    List<String> added = new ArrayList<>();
    if (!saysItsDefault && fallback != null && !fallback.isEmpty()) {
      added.add("Default: " + fallback + ".");
    }
    if (fromEnvironment) {
      added.add("Environment: " + environment.group(1) + ".");
    }
    return added;
  }

  /**
   * The environment variable an option's annotation reads its default from
   * ({@code ${env:NAME}} or {@code ${env:NAME:-fallback}}), if it does.
   */
  public static Optional<String> environmentVariableOf(OptionSpec option) {
    Matcher environment = ENVIRONMENT_DEFAULT.matcher(annotatedDefault(option));
    return environment.matches() ? Optional.of(environment.group(1)) : Optional.empty();
  }

  /**
   * The default as the annotation writes it: picocli hands out the interpolated value, or a
   * default value provider's (a --config file's) instead.
   */
  private static String annotatedDefault(OptionSpec option) {
    if (option.userObject() instanceof Field field) {
      Option annotation = field.getAnnotation(Option.class);
      return annotation == null ? "" : annotation.defaultValue();
    }
    return "";
  }

  private static String[] version() {
    String version = ServerCommandLine.class.getPackage().getImplementationVersion();
    return new String[] {"storage-gateway " + (version != null ? version
        : "(version unknown: not run from a built jar)")};
  }
}
