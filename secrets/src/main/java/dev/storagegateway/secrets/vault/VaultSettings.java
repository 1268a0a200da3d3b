package dev.storagegateway.secrets.vault;

import dev.storagegateway.registry.address.IpAddresses;
import dev.storagegateway.secrets.AllowedReferences;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * How this process reaches Vault: the server, the Enterprise namespace if any, how it logs in and
 * how long one request may take. {@link #toString()} never prints a token or a secret id.
 *
 * @param address the server, like {@code https://vault.internal:8200}
 * @param namespace the Vault Enterprise namespace, or null for none
 * @param auth how the process gets its Vault token
 * @param requestTimeout the longest one HTTP request (connect and answer) may take
 * @param allowedPaths the path prefixes a reference must start with ({@code secret/data/gen3/} is
 *     a folder and {@code aws/creds/gen3-} a family of roles); unrestricted for any path outside
 *     Vault's own mounts
 */
public record VaultSettings(URI address, String namespace, Auth auth, Duration requestTimeout,
    AllowedReferences allowedPaths) {
  static final String ALLOW_PLAIN_HTTP = "GATEWAY_VAULT_ALLOW_PLAIN_HTTP";
  static final String ALLOWED_PATHS = "GATEWAY_VAULT_ALLOWED_PATHS";
  private static final Pattern PATH_PREFIX = Pattern.compile("[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]*)*");

  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(5);
  public static final Path DEFAULT_JWT_FILE =
      Path.of("/var/run/secrets/kubernetes.io/serviceaccount/token");

  public VaultSettings {
    if (address == null || address.getHost() == null
        || !("http".equals(address.getScheme()) || "https".equals(address.getScheme()))) {
      throw new IllegalArgumentException("the Vault address must be an http(s) URL like "
          + "https://vault.internal:8200, not '" + address + "'");
    }
    if (namespace != null && namespace.isBlank()) {
      throw new IllegalArgumentException("a Vault namespace must not be blank; leave it unset");
    }
    if (auth == null) {
      throw new IllegalArgumentException("Vault settings need an auth method");
    }
    if (requestTimeout == null || requestTimeout.isNegative() || requestTimeout.isZero()) {
      throw new IllegalArgumentException("the Vault request timeout must be positive");
    }
    if (allowedPaths == null) {
      throw new IllegalArgumentException("Vault settings need their allowed paths");
    }
  }

  /**
   * Reads {@code GATEWAY_VAULT_ADDR} (required), {@code GATEWAY_VAULT_NAMESPACE} and
   * {@code GATEWAY_VAULT_AUTH} ({@code token}, the default, {@code kubernetes} or
   * {@code approle}) with what that method needs: {@code GATEWAY_VAULT_TOKEN}; or
   * {@code GATEWAY_VAULT_ROLE} and {@code GATEWAY_VAULT_JWT_FILE} (default
   * {@link #DEFAULT_JWT_FILE}); or {@code GATEWAY_VAULT_ROLE_ID} and
   * {@code GATEWAY_VAULT_SECRET_ID}; and {@code GATEWAY_VAULT_ALLOWED_PATHS}, comma-separated
   * prefixes. The request timeout is {@link #DEFAULT_REQUEST_TIMEOUT}.
   *
   * @throws IllegalArgumentException naming the variable that is missing or wrong, never its value
   *     when that value is a credential
   */
  public static VaultSettings fromEnvironment(Map<String, String> env) {
    String address = required(env, "GATEWAY_VAULT_ADDR");
    URI uri;
    try {
      uri = URI.create(address);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("GATEWAY_VAULT_ADDR is not a URL: '" + address + "'");
    }
    // The token, logins and every secret read travel this connection.
    if ("http".equals(uri.getScheme()) && uri.getHost() != null
        && !IpAddresses.isThisMachine(uri.getHost())
        && !"true".equals(optional(env, ALLOW_PLAIN_HTTP))) {
      throw new IllegalArgumentException("GATEWAY_VAULT_ADDR is plain http to another machine,"
          + " which would carry the Vault token and every secret in the clear: use https, or set "
          + ALLOW_PLAIN_HTTP + "=true for a development Vault on a network you trust");
    }
    String method = optional(env, "GATEWAY_VAULT_AUTH");
    Auth auth = switch (method == null ? "token" : method) {
      case "token" -> new Token(required(env, "GATEWAY_VAULT_TOKEN"));
      case "kubernetes" -> {
        String jwtFile = optional(env, "GATEWAY_VAULT_JWT_FILE");
        yield new Kubernetes(required(env, "GATEWAY_VAULT_ROLE"),
            jwtFile == null ? DEFAULT_JWT_FILE : Path.of(jwtFile));
      }
      case "approle" -> new AppRole(required(env, "GATEWAY_VAULT_ROLE_ID"),
          required(env, "GATEWAY_VAULT_SECRET_ID"));
      default -> throw new IllegalArgumentException("GATEWAY_VAULT_AUTH must be token, kubernetes "
          + "or approle, not '" + method + "'");
    };
    return new VaultSettings(uri, optional(env, "GATEWAY_VAULT_NAMESPACE"), auth,
        DEFAULT_REQUEST_TIMEOUT, allowedPaths(env));
  }

  /** The prefixes in {@code GATEWAY_VAULT_ALLOWED_PATHS}, comma-separated; unset for any. */
  public static AllowedReferences allowedPaths(Map<String, String> env) {
    return AllowedReferences.fromEnvironment(env, ALLOWED_PATHS, PATH_PREFIX,
        "secret/data/gen3/ (letters, digits, _.- and '/', no leading '/')");
  }

  private static String optional(Map<String, String> env, String name) {
    String value = env.get(name);
    return value == null || value.isBlank() ? null : value.trim();
  }

  private static String required(Map<String, String> env, String name) {
    String value = optional(env, name);
    if (value == null) {
      throw new IllegalArgumentException(name + " must be set to use the Vault secrets backend");
    }
    return value;
  }

  /** How the process obtains its Vault token. */
  public sealed interface Auth permits Token, Kubernetes, AppRole {
  }

  /** A token handed to the process as is; it cannot be renewed by logging in again. */
  public record Token(String token) implements Auth {
    public Token {
      requireText(token, "a Vault token");
    }

    @Override
    public String toString() {
      return "Token[token=<hidden>]";
    }
  }

  /**
   * Vault's Kubernetes auth method at {@code auth/kubernetes}: the pod's service-account JWT,
   * read from {@code jwtFile} at every login because the kubelet rotates projected tokens.
   */
  public record Kubernetes(String role, Path jwtFile) implements Auth {
    public Kubernetes {
      requireText(role, "a Kubernetes auth role");
      if (jwtFile == null) {
        throw new IllegalArgumentException("Kubernetes auth needs the service-account token file");
      }
    }
  }

  /** Vault's AppRole auth method at {@code auth/approle}. */
  public record AppRole(String roleId, String secretId) implements Auth {
    public AppRole {
      requireText(roleId, "an AppRole role_id");
      requireText(secretId, "an AppRole secret_id");
    }

    @Override
    public String toString() {
      return "AppRole[roleId=" + roleId + ", secretId=<hidden>]";
    }
  }

  private static void requireText(String value, String what) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("Vault settings need " + what);
    }
  }
}
