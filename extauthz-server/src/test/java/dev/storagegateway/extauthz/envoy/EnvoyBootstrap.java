package dev.storagegateway.extauthz.envoy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.TypeRegistry;
import com.google.protobuf.util.JsonFormat;
import io.envoyproxy.envoy.config.bootstrap.v3.Bootstrap;
import io.envoyproxy.envoy.extensions.access_loggers.stream.v3.StdoutAccessLog;
import io.envoyproxy.envoy.extensions.filters.http.buffer.v3.Buffer;
import io.envoyproxy.envoy.extensions.filters.http.buffer.v3.BufferPerRoute;
import io.envoyproxy.envoy.extensions.filters.http.ext_authz.v3.ExtAuthz;
import io.envoyproxy.envoy.extensions.filters.http.ext_authz.v3.ExtAuthzPerRoute;
import io.envoyproxy.envoy.extensions.filters.http.router.v3.Router;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.formatter.req_without_query.v3.ReqWithoutQuery;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Envoy bootstrap files under {@code envoy/} (and the compose quickstart's): found from the
 * module's working directory, their placeholders replaced, and read as Envoy reads them, into its
 * {@link Bootstrap} proto with every typed config resolved and unknown fields refused.
 */
final class EnvoyBootstrap {
  static final String GRPC_FILE = "ext-authz-static.yaml";
  static final String HTTP_FILE = "ext-authz-http-static.yaml";
  static final String INGRESS_FILE = "ingress.yaml";
  static final String SIDECAR_FILE = "sidecar.yaml";
  /** The compose quickstart's bootstrap: {@link #INGRESS_FILE} with its placeholders filled in. */
  static final String COMPOSE_FILE = "deploy/compose/envoy.yaml";

  /** The placeholders' form: {@code GATEWAY_HOST}, {@code STORAGE_PORT}, ... */
  static final Pattern PLACEHOLDER = Pattern.compile("\\b(?:GATEWAY|STORAGE)_[A-Z_]*[A-Z]\\b");

  /** Every {@code @type} the files use; a missing one fails the parse. */
  static final TypeRegistry TYPES = TypeRegistry.newBuilder()
      .add(HttpConnectionManager.getDescriptor())
      .add(Router.getDescriptor())
      .add(Buffer.getDescriptor())
      .add(BufferPerRoute.getDescriptor())
      .add(ExtAuthz.getDescriptor())
      .add(ExtAuthzPerRoute.getDescriptor())
      .add(HttpProtocolOptions.getDescriptor())
      .add(UpstreamTlsContext.getDescriptor())
      .add(StdoutAccessLog.getDescriptor())
      .add(ReqWithoutQuery.getDescriptor())
      .build();

  private static final YAMLMapper YAML = new YAMLMapper();

  private EnvoyBootstrap() {
  }

  /** {@code envoy/<name>} in the repository, wherever Maven runs the tests from. */
  static Path file(String name) {
    return repositoryFile("envoy/" + name);
  }

  /** A file of the repository by its path from the root, e.g. {@code deploy/compose/envoy.yaml}. */
  static Path repositoryFile(String relative) {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve(relative);
      if (Files.isRegularFile(candidate) && Files.isDirectory(dir.resolve("envoy"))) {
        return candidate;
      }
    }
    throw new IllegalStateException(relative + " not found above "
        + Path.of("").toAbsolutePath());
  }

  /** The {@code envoy/} folder of the repository. */
  static Path directory() {
    return file(GRPC_FILE).getParent();
  }

  static String raw(String name) {
    return read(file(name));
  }

  static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The file with every placeholder replaced; a placeholder left over or unknown fails. */
  static String render(String name, Map<String, String> values) {
    String text = raw(name);
    Set<String> used = placeholders(toJson(text));
    if (!used.equals(new TreeSet<>(values.keySet()))) {
      throw new IllegalArgumentException("envoy/" + name + " uses placeholders " + used
          + " but was given " + new TreeSet<>(values.keySet()));
    }
    for (Map.Entry<String, String> value : values.entrySet()) {
      text = text.replaceAll("\\b" + value.getKey() + "\\b",
          Matcher.quoteReplacement(value.getValue()));
    }
    return text;
  }

  /** YAML to JSON, as Envoy itself converts a YAML bootstrap before parsing it. */
  static String toJson(String yaml) {
    try {
      JsonNode tree = YAML.readTree(yaml);
      return tree.toString();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Strict: an unknown field or an unregistered {@code @type} is an error. */
  static Bootstrap parse(String yaml) throws InvalidProtocolBufferException {
    Bootstrap.Builder bootstrap = Bootstrap.newBuilder();
    JsonFormat.parser().usingTypeRegistry(TYPES).merge(toJson(yaml), bootstrap);
    return bootstrap.build();
  }

  static Set<String> placeholders(String text) {
    Set<String> found = new TreeSet<>();
    Matcher matcher = PLACEHOLDER.matcher(text);
    while (matcher.find()) {
      found.add(matcher.group());
    }
    return found;
  }

  /** Placeholders named in the file's leading comment block. */
  static Set<String> documentedPlaceholders(String name) {
    StringBuilder header = new StringBuilder();
    for (String line : raw(name).split("\n")) {
      if (!line.startsWith("#")) {
        break;
      }
      header.append(line).append('\n');
    }
    return placeholders(header.toString());
  }
}
