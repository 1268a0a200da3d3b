package dev.storagegateway.secrets;

import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The secrets backends a bucket's {@code secret_ref} can point into, each with the shape of a
 * reference it understands. Checking the shape here turns a typo into a 400 at registration
 * instead of a credential failure on the data plane.
 */
public enum SecretsBackend {
  AWS_SECRETS_MANAGER("aws-secrets-manager",
      "a secret name (1 to 512 letters, digits and /_+=.@-) or a secret ARN like "
          + "arn:aws:secretsmanager:us-east-1:123456789012:secret:gen3/bucket-a"),
  GCP_SECRET_MANAGER("gcp-secret-manager",
      "projects/<project>/secrets/<secret>, optionally followed by /versions/<number|latest>"),
  VAULT("vault",
      "a path like secret/data/gen3/bucket-a: segments of letters, digits and _.- separated by "
          + "'/', with no leading '/', no '.' or '..' segment, and not under Vault's own sys/,"
          + " auth/, identity/ or cubbyhole/"),
  KUBERNETES("kubernetes",
      "<namespace>/<secret-name>, both lowercase DNS-1123 names, like gen3/bucket-a-keys"),
  FILE("file",
      "a path relative to the secrets folder like buckets/bucket-a.json: segments of letters, "
          + "digits and _.- separated by '/', with no leading '/' and no '.' or '..' segment");

  private static final Pattern AWS_SECRET_ARN = Pattern.compile(
      "arn:aws(-[a-z]+)*:secretsmanager:[a-z0-9-]+:\\d{12}:secret:[A-Za-z0-9/_+=.@-]+");
  private static final Pattern AWS_SECRET_NAME = Pattern.compile("[A-Za-z0-9/_+=.@-]{1,512}");
  private static final Pattern GCP_SECRET = Pattern.compile(
      "projects/[a-z0-9][a-z0-9.:-]*/secrets/[A-Za-z0-9_-]{1,255}(/versions/(\\d+|latest))?");
  private static final Pattern RELATIVE_PATH = Pattern.compile(
      "(?!\\.{1,2}(/|$))[A-Za-z0-9_.-]+(/(?!\\.{1,2}(/|$))[A-Za-z0-9_.-]+)*");
  private static final Pattern DNS_1123_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
  private static final Pattern DNS_1123_SUBDOMAIN = Pattern.compile(
      "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

  // Vault's built-in mounts: tokens, policies, leases, entities. Never a bucket's credentials,
  // and a read there (auth/token/lookup-self names the gateway's own token) must not be possible.
  private static final Set<String> VAULT_OWN_MOUNTS =
      Set.of("sys", "auth", "identity", "cubbyhole");

  private static final SecretsBackend[] ALL = values();

  private final String wireName;
  private final String referenceShape;

  SecretsBackend(String wireName, String referenceShape) {
    this.wireName = wireName;
    this.referenceShape = referenceShape;
  }

  /** Looked up for every bucket a request names, so without a stream. */
  public static Optional<SecretsBackend> of(String wireName) {
    for (SecretsBackend backend : ALL) {
      if (backend.wireName.equals(wireName)) {
        return Optional.of(backend);
      }
    }
    return Optional.empty();
  }

  /**
   * The backend a bucket's secret lives in: the one its {@code secrets_backend} names, or the
   * deployment's default when it names none. Empty when it names a backend there is not, which is
   * never taken for the default: the secret would be read or written in another backend.
   */
  public static Optional<SecretsBackend> ofBucket(String secretsBackend,
      SecretsBackend deploymentDefault) {
    return secretsBackend == null ? Optional.of(deploymentDefault) : of(secretsBackend);
  }

  public static String allowed() {
    return Arrays.stream(ALL).map(b -> b.wireName).collect(Collectors.joining(", "));
  }

  public String wireName() {
    return wireName;
  }

  public boolean accepts(String secretRef) {
    return switch (this) {
      case AWS_SECRETS_MANAGER -> AWS_SECRET_ARN.matcher(secretRef).matches()
          || AWS_SECRET_NAME.matcher(secretRef).matches();
      case GCP_SECRET_MANAGER -> GCP_SECRET.matcher(secretRef).matches();
      case VAULT -> RELATIVE_PATH.matcher(secretRef).matches()
          && !VAULT_OWN_MOUNTS.contains(secretRef.split("/", 2)[0]);
      case FILE -> RELATIVE_PATH.matcher(secretRef).matches();
      case KUBERNETES -> isKubernetesSecret(secretRef);
    };
  }

  /** How a reference for this backend looks, for a person who wrote a wrong one. */
  public String referenceShape() {
    return referenceShape;
  }

  private static boolean isKubernetesSecret(String secretRef) {
    String[] parts = secretRef.split("/", -1);
    return parts.length == 2
        && parts[0].length() <= 63 && DNS_1123_LABEL.matcher(parts[0]).matches()
        && parts[1].length() <= 253 && DNS_1123_SUBDOMAIN.matcher(parts[1]).matches();
  }
}
