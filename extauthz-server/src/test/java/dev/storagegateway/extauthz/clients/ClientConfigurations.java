package dev.storagegateway.extauthz.clients;

import dev.storagegateway.testpeers.CommandLine;
import dev.storagegateway.testpeers.Peers;
import dev.storagegateway.testpeers.RepositoryFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The client configurations the repository ships in {@code deploy/clients} (and the README shows
 * verbatim), made concrete for one test gateway: its endpoint instead of
 * {@code https://gateway.example.org}, and the helper where the repository keeps it instead of
 * {@code /usr/local/bin}. Nothing else is changed, and each replaced string must be in the file,
 * so the shipped files cannot drift from what the tests run.
 */
final class ClientConfigurations {
  static final String FOLDER = "deploy/clients";
  /** The files the README shows; the helper script is linked rather than shown. */
  static final String AWS_CONFIG = "aws-config";
  static final String RCLONE_CONF = "rclone.conf";
  static final String S3CFG = "s3cfg";
  static final String WEB_IDENTITY_ENV = "web-identity.env";
  static final String HELPER = "gen3-gateway-credentials";

  private static final String EXAMPLE_ENDPOINT = "https://gateway.example.org";
  private static final String EXAMPLE_HOST = "gateway.example.org";
  private static final String INSTALLED_HELPER = "/usr/local/bin/" + HELPER;

  private final URI endpoint;

  private ClientConfigurations(URI endpoint) {
    this.endpoint = endpoint;
  }

  static ClientConfigurations forGateway(URI endpoint) {
    return new ClientConfigurations(endpoint);
  }

  URI endpoint() {
    return endpoint;
  }

  /** The credential_process helper, as the repository ships it; it needs curl. */
  static Path helper() {
    Peers.require(!CommandLine.onPath("curl").isEmpty(), "curl (apt-get install curl)");
    return RepositoryFiles.find(FOLDER + "/" + HELPER);
  }

  /** {@code ~/.aws/config} with the {@code gen3} profile (aws cli v2, rclone). */
  String awsConfig() {
    return concrete(AWS_CONFIG, Map.of(INSTALLED_HELPER, helper().toString(),
        EXAMPLE_ENDPOINT, endpoint.toString()));
  }

  /** {@code ~/.config/rclone/rclone.conf} with the {@code gen3} remote. */
  String rcloneConf() {
    return concrete(RCLONE_CONF, Map.of(EXAMPLE_ENDPOINT, endpoint.toString()));
  }

  /** s3cmd's configuration, without keys. */
  String s3cfg() {
    Map<String, String> replacements = new LinkedHashMap<>();
    replacements.put(EXAMPLE_HOST, endpoint.getAuthority());
    if (endpoint.getScheme().equals("http")) {
      replacements.put("use_https = True", "use_https = False");
    }
    return concrete(S3CFG, replacements);
  }

  /** The variables {@code web-identity.env} exports, {@code $HOME} being {@code home}. */
  Map<String, String> webIdentityEnvironment(Path home) {
    Map<String, String> variables = new LinkedHashMap<>();
    concrete(WEB_IDENTITY_ENV, Map.of(EXAMPLE_ENDPOINT, endpoint.toString())).lines()
        .filter(line -> !line.isBlank() && !line.startsWith("#"))
        .forEach(line -> {
          if (!line.matches("export [A-Z_]+=\\S+")) {
            throw new IllegalStateException(WEB_IDENTITY_ENV + ": only 'export NAME=value' lines"
                + " are understood here, not: " + line);
          }
          String assignment = line.substring("export ".length());
          int equals = assignment.indexOf('=');
          variables.put(assignment.substring(0, equals),
              assignment.substring(equals + 1).replace("$HOME", home.toString()));
        });
    return variables;
  }

  static String shipped(String name) {
    try {
      return Files.readString(RepositoryFiles.find(FOLDER + "/" + name));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String concrete(String name, Map<String, String> replacements) {
    String text = shipped(name);
    for (Map.Entry<String, String> replacement : replacements.entrySet()) {
      if (!text.contains(replacement.getKey())) {
        throw new IllegalStateException(FOLDER + "/" + name + " no longer contains '"
            + replacement.getKey() + "', which the test replaces; update ClientConfigurations");
      }
      text = text.replace(replacement.getKey(), replacement.getValue());
    }
    return text;
  }
}
