package dev.storagegateway.extauthz;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.storagegateway.lifecycle.ServerCommandLine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Option values from a YAML file whose keys are the long option names without their leading
 * {@code --} ({@code grpc-port: 9001}). Precedence: command line, then the option's environment variable,
 * then this file, then the built-in default.
 */
final class ConfigFileDefaults implements IDefaultValueProvider {
  private final Map<String, String> values;
  private final Map<String, String> environment;

  private ConfigFileDefaults(Map<String, String> values, Map<String, String> environment) {
    this.values = values;
    this.environment = environment;
  }

  /** @throws IllegalArgumentException naming the file and the problem */
  static ConfigFileDefaults load(Path file, Map<String, String> environment) {
    JsonNode root;
    try {
      // A key given twice would otherwise be read as its last value, without a word.
      root = new ObjectMapper(new YAMLFactory())
          .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
          .readTree(Files.readString(file));
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("config file " + file + " does not exist");
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read config file " + file + ": " + e.getMessage());
    }
    if (root == null || root.isMissingNode() || root.isNull()) {
      return new ConfigFileDefaults(Map.of(), environment);
    }
    if (!root.isObject()) {
      throw new IllegalArgumentException("config file " + file
          + " must be a mapping of option names to values");
    }
    Map<String, String> values = new java.util.TreeMap<>();
    Iterator<Map.Entry<String, JsonNode>> fields = root.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      values.put(field.getKey(), text(file, field.getKey(), field.getValue()));
    }
    return new ConfigFileDefaults(values, environment);
  }

  /** The keys that match no option of {@code options}, to refuse typos. */
  List<String> unknownKeys(List<OptionSpec> options) {
    List<String> unknown = new ArrayList<>(values.keySet());
    for (OptionSpec option : options) {
      unknown.remove(key(option));
    }
    return unknown;
  }

  @Override
  public String defaultValue(ArgSpec arg) {
    if (!(arg instanceof OptionSpec option)) {
      return null;
    }
    if (ServerCommandLine.environmentVariableOf(option).map(environment::get).isPresent()) {
      return null;
    }
    return values.get(key(option));
  }

  private static String key(OptionSpec option) {
    return option.longestName().replaceFirst("^-+", "");
  }

  private static String text(Path file, String key, JsonNode value) {
    if (value.isArray()) {
      List<String> items = new ArrayList<>();
      value.forEach(item -> items.add(text(file, key, item)));
      return String.join(",", items);
    }
    if (value.isContainerNode()) {
      throw new IllegalArgumentException("config file " + file + ": '" + key
          + "' must be a value or a list of values");
    }
    return value.asText();
  }
}
