package dev.storagegateway.controlplane.validation;

import dev.storagegateway.credentials.CredentialsConfig;
import dev.storagegateway.registry.AdminHold;
import dev.storagegateway.registry.AuthMode;
import dev.storagegateway.registry.Bucket;
import dev.storagegateway.registry.BucketNames;
import dev.storagegateway.registry.BucketStatus;
import dev.storagegateway.registry.PrefixBinding;
import dev.storagegateway.registry.Provider;
import dev.storagegateway.secrets.AllowedReferences;
import dev.storagegateway.secrets.SecretsBackend;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Decides whether a bucket may enter the registry. It sees the complete candidate (defaults
 * applied; id, timestamps and revision are the server's and not checked) and reports every
 * broken rule at once, so a person can fix a definition in one round trip.
 */
public final class BucketValidator {
  private static final Pattern S3_REGION = Pattern.compile("[a-z0-9-]{2,32}");
  private static final Pattern GCS_LOCATION = Pattern.compile("[A-Za-z0-9-]{2,32}");
  private static final Pattern ROLE_ARN =
      Pattern.compile("arn:aws(-[a-z]+)*:iam::\\d{12}:role/[\\w+=,.@/-]{1,512}");
  private static final Pattern EXTERNAL_ID = Pattern.compile("[\\w+=,.@:/-]{2,1224}");
  private static final Pattern GCP_SERVICE_ACCOUNT = Pattern.compile(
      "[a-z0-9]([a-z0-9-]*[a-z0-9])?@([a-z0-9]([a-z0-9-]*[a-z0-9])?\\.)+gserviceaccount\\.com");
  private static final Pattern SECRET_VERSION = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
  private static final Pattern KMS_KEY_REF = Pattern.compile(
      "arn:aws(-[a-z]+)*:kms:[a-z0-9-]+:\\d{12}:(key/[A-Za-z0-9-]+|alias/[A-Za-z0-9/_-]+)"
          + "|alias/[A-Za-z0-9/_-]{1,250}"
          + "|projects/[a-z0-9][a-z0-9.:-]*/locations/[a-z0-9-]+/keyRings/[A-Za-z0-9_-]{1,63}"
          + "/cryptoKeys/[A-Za-z0-9_-]{1,63}");
  private static final Pattern LABEL_KEY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._/-]{0,62}");
  private static final int MAX_LABELS = 64;
  private static final int MAX_LABEL_VALUE_LENGTH = 256;
  private static final int MAX_PREFIX_BINDINGS = 256;
  private static final int MAX_PREFIX_BYTES = 1024;

  private final EndpointPolicy endpointPolicy;
  private final EndpointRules endpointRules;
  private final SecretsBackend defaultSecretsBackend;
  private final Map<SecretsBackend, AllowedReferences> allowedReferences;
  private final SecretMaterialDetector secrets = new SecretMaterialDetector();

  /**
   * A validator that takes any {@code secret_ref} of the right shape.
   *
   * @param defaultSecretsBackend the backend of buckets that name none, e.g. {@code file} on a
   *     laptop or {@code aws-secrets-manager} in production
   */
  public BucketValidator(EndpointPolicy policy, String defaultSecretsBackend) {
    this(policy, SecretsBackend.of(defaultSecretsBackend)
        .orElseThrow(() -> new IllegalArgumentException("default secrets backend '"
            + defaultSecretsBackend + "' is not one of " + SecretsBackend.allowed())), Map.of());
  }

  /**
   * A validator that also holds each enabled backend's {@code secret_ref} to its allow-list
   * ({@link CredentialsConfig#allowedReferences}), so a reference the data plane would refuse is
   * a 400 at registration rather than a bucket that never serves.
   */
  public BucketValidator(EndpointPolicy policy, CredentialsConfig secrets) {
    this(policy, secrets.defaultBackend(), allowLists(secrets));
  }

  private static Map<SecretsBackend, AllowedReferences> allowLists(CredentialsConfig secrets) {
    Map<SecretsBackend, AllowedReferences> lists = new EnumMap<>(SecretsBackend.class);
    for (SecretsBackend backend : secrets.enabledBackends()) {
      secrets.allowedReferences(backend).ifPresent(list -> lists.put(backend, list));
    }
    return Map.copyOf(lists);
  }

  private BucketValidator(EndpointPolicy policy, SecretsBackend defaultSecretsBackend,
      Map<SecretsBackend, AllowedReferences> allowedReferences) {
    this.endpointPolicy = policy;
    this.endpointRules = new EndpointRules(policy);
    this.defaultSecretsBackend = defaultSecretsBackend;
    this.allowedReferences = allowedReferences;
  }

  /** Where endpoints may point; the xDS server applies it again each time it resolves one. */
  public EndpointPolicy endpointPolicy() {
    return endpointPolicy;
  }

  /**
   * Throws {@link InvalidBucketException} listing every rule {@code bucket} breaks, or when it
   * breaks none that could be checked but its endpoint's name could not be looked up now,
   * {@link EndpointLookupUnavailableException}.
   *
   * @param lookups whose share of the bounded endpoint lookups the endpoint's name takes
   */
  public void validate(Bucket bucket, LookupShare lookups) {
    List<FieldError> errors = new ArrayList<>();
    checkName(bucket, errors);
    require("provider", bucket.provider(), Provider.values(), Provider::wireName, errors);
    require("auth_mode", bucket.authMode(), AuthMode.values(), AuthMode::wireName, errors);
    require("status", bucket.status(), BucketStatus.values(), BucketStatus::wireName, errors);
    checkRegion(bucket, errors);
    Optional<String> notLookedUp = checkEndpoint(bucket,
        endpoint -> endpointRules.check(bucket.provider(), endpoint, lookups), errors);
    checkFormat("role_arn", bucket.roleArn(), ROLE_ARN,
        "an IAM role ARN like arn:aws:iam::123456789012:role/gen3-reader", errors);
    checkFormat("external_id", bucket.externalId(), EXTERNAL_ID,
        "2 to 1224 characters of letters, digits and _+=,.@:/-", errors);
    checkFormat("gcp_service_account", bucket.gcpServiceAccount(), GCP_SERVICE_ACCOUNT,
        "a service account email like gen3-reader@my-project.iam.gserviceaccount.com", errors);
    checkSecretReference(bucket, errors);
    checkFormat("kms_key_ref", bucket.kmsKeyRef(), KMS_KEY_REF, "an AWS KMS key ARN, alias ARN "
        + "or alias name (alias/my-key), or a Cloud KMS key like projects/<project>/locations/"
        + "<location>/keyRings/<ring>/cryptoKeys/<key>", errors);
    checkFormat("owner_project", bucket.ownerProject(), ArboristPath.FORMAT, ArboristPath.SHAPE,
        errors);
    checkLabels(bucket.labels(), errors);
    if (bucket.isActive() && bucket.labels().containsKey(AdminHold.LABEL)) {
      errors.add(new FieldError(AdminHold.FIELD, AdminHold.FIELD + " holds a bucket suspended;"
          + " resume it with POST /admin/buckets/" + bucket.name() + "/resume, which lifts the"
          + " hold, or remove the label with the status change"));
    }
    if (bucket.allowedOps().isEmpty()) {
      errors.add(new FieldError("allowed_ops", "allowed_ops must list at least one operation; "
          + "to refuse all access, suspend the bucket instead"));
    }
    checkPrefixBindings(bucket.prefixBindings(), errors);
    errors.addAll(CredentialRules.problems(bucket));
    if (!errors.isEmpty()) {
      throw new InvalidBucketException(errors);
    }
    if (notLookedUp.isPresent()) {
      throw new EndpointLookupUnavailableException(notLookedUp.get());
    }
  }

  /**
   * The rules on what routes a bucket's requests (its name and provider; an active bucket's
   * region and endpoint too), without looking up a name. The xDS server holds every bucket it
   * publishes to them: an entry written into the registry cluster by anything but the control
   * plane never passed them, and a name like {@code *} or a region naming another host would
   * route requests where no registration could.
   */
  public List<FieldError> routingProblems(Bucket bucket) {
    List<FieldError> errors = new ArrayList<>();
    checkName(bucket, errors);
    require("provider", bucket.provider(), Provider.values(), Provider::wireName, errors);
    // A suspended bucket's routes answer 403 themselves and lead nowhere; and suspending, which
    // must take any row out of service, does not validate.
    if (bucket.isActive()) {
      checkRegion(bucket, errors);
      checkEndpoint(bucket,
          endpoint -> endpointRules.checkWithoutLookups(bucket.provider(), endpoint), errors);
    }
    return List.copyOf(errors);
  }

  private void checkName(Bucket bucket, List<FieldError> errors) {
    String name = bucket.name();
    if (name == null || name.isBlank()) {
      errors.add(new FieldError("name", "name is required"));
      return;
    }
    if (!notSecret("name", name, errors) || bucket.provider() == null) {
      return;
    }
    BucketNames.problems(bucket.provider(), name)
        .forEach(problem -> errors.add(new FieldError("name", "name " + problem)));
  }

  private void checkRegion(Bucket bucket, List<FieldError> errors) {
    if (bucket.provider() == Provider.GCP) {
      checkFormat("region", bucket.region(), GCS_LOCATION,
          "a Cloud Storage location like us-east1, US, EU or nam4", errors);
    } else if (bucket.provider() != null) {
      checkFormat("region", bucket.region(), S3_REGION,
          "2 to 32 lowercase letters, digits and '-', like us-east-1", errors);
    }
  }

  /** Adds the endpoint's errors; returns why its name could not be looked up, if it could not. */
  private Optional<String> checkEndpoint(Bucket bucket,
      Function<String, EndpointRules.Findings> rules, List<FieldError> errors) {
    String endpoint = bucket.endpoint();
    if (endpoint == null) {
      Provider provider = bucket.provider();
      if (provider == Provider.S3_COMPATIBLE || provider == Provider.MINIO) {
        errors.add(new FieldError("endpoint", "endpoint is required for " + provider.wireName()
            + " buckets: the URL of the storage service, like https://minio.example.org"));
      }
      return Optional.empty();
    }
    if (!notSecret("endpoint", endpoint, errors)) {
      return Optional.empty();
    }
    EndpointRules.Findings findings = rules.apply(endpoint);
    findings.problems().forEach(problem -> errors.add(new FieldError("endpoint", problem)));
    return findings.notLookedUp();
  }

  private void checkSecretReference(Bucket bucket, List<FieldError> errors) {
    Optional<SecretsBackend> backend = effectiveSecretsBackend(bucket, errors);
    String ref = bucket.secretRef();
    if (ref != null && notSecret("secret_ref", ref, errors) && backend.isPresent()) {
      SecretsBackend named = backend.get();
      AllowedReferences allowed = allowedReferences.get(named);
      if (!named.accepts(ref)) {
        errors.add(new FieldError("secret_ref", "secret_ref for " + named.wireName()
            + " must be " + named.referenceShape()));
      } else if (allowed != null && !allowed.allows(ref)) {
        errors.add(new FieldError("secret_ref", "secret_ref for " + named.wireName()
            + " must start with one of " + allowed.prefixes() + ", the prefixes this"
            + " gateway's " + allowed.variable() + " allows"));
      }
    }
    checkFormat("secret_version", bucket.secretVersion(), SECRET_VERSION,
        "'latest' or 1 to 64 letters, digits and _.-", errors);
  }

  private Optional<SecretsBackend> effectiveSecretsBackend(Bucket bucket,
      List<FieldError> errors) {
    String named = bucket.secretsBackend();
    if (named != null && !notSecret("secrets_backend", named, errors)) {
      return Optional.empty();
    }
    Optional<SecretsBackend> backend = SecretsBackend.ofBucket(named, defaultSecretsBackend);
    if (backend.isEmpty()) {
      errors.add(new FieldError("secrets_backend",
          "secrets_backend must be one of " + SecretsBackend.allowed()));
    }
    return backend;
  }

  private void checkLabels(Map<String, String> labels, List<FieldError> errors) {
    // The hold is the gateway's, placed without validation on whatever labels a bucket has.
    int chosen = labels.size() - (labels.containsKey(AdminHold.LABEL) ? 1 : 0);
    if (chosen > MAX_LABELS) {
      errors.add(new FieldError("labels", "labels has " + chosen + " entries; at most "
          + MAX_LABELS + " are allowed"));
    }
    labels.forEach((key, value) -> {
      Optional<String> secretKey = secrets.describe(key);
      if (secretKey.isPresent()) {
        // Naming the field would repeat the key, so the error points at the map itself.
        errors.add(new FieldError("labels",
            "a key of labels " + SecretMaterialDetector.looksLikeSecret(secretKey.get())));
        return;
      }
      String field = "labels." + printable(key);
      if (!LABEL_KEY.matcher(key).matches()) {
        errors.add(new FieldError(field, "key '" + printable(key) + "' of labels must be 1 to 63 "
            + "letters, digits and ._/-, starting with a letter or digit"));
      }
      if (value == null) {
        errors.add(new FieldError(field, field + " must be a string; use \"\" for no value"));
      } else if (notSecret(field, value, errors)) {
        if (value.length() > MAX_LABEL_VALUE_LENGTH && !key.equals(AdminHold.LABEL)) {
          errors.add(new FieldError(field, field + " must be at most " + MAX_LABEL_VALUE_LENGTH
              + " characters, not " + value.length()));
        }
        if (value.chars().anyMatch(Character::isISOControl)) {
          errors.add(new FieldError(field, field + " must not contain control characters"));
        }
      }
    });
  }

  private void checkPrefixBindings(List<PrefixBinding> bindings, List<FieldError> errors) {
    if (bindings.size() > MAX_PREFIX_BINDINGS) {
      errors.add(new FieldError("prefix_bindings", "prefix_bindings has " + bindings.size()
          + " entries; at most " + MAX_PREFIX_BINDINGS + " are allowed"));
    }
    Map<String, Integer> firstIndexOfPrefix = new HashMap<>();
    for (int i = 0; i < bindings.size(); i++) {
      String entry = "prefix_bindings[" + i + "]";
      String prefix = bindings.get(i).prefix();
      if (prefix == null) {
        errors.add(new FieldError(entry + ".prefix",
            entry + ".prefix is required; use \"\" to bind the whole bucket"));
      } else if (notSecret(entry + ".prefix", prefix, errors)) {
        prefixProblems(prefix).forEach(problem ->
            errors.add(new FieldError(entry + ".prefix", entry + ".prefix " + problem)));
        Integer first = firstIndexOfPrefix.putIfAbsent(prefix, i);
        if (first != null) {
          errors.add(new FieldError(entry + ".prefix", entry + ".prefix repeats the prefix of "
              + "prefix_bindings[" + first + "]; each prefix may be bound only once"));
        }
      }
      String resourcePath = bindings.get(i).resourcePath();
      if (resourcePath == null || resourcePath.isBlank()) {
        errors.add(new FieldError(entry + ".resource_path",
            entry + ".resource_path is required: " + ArboristPath.SHAPE));
      } else {
        checkFormat(entry + ".resource_path", resourcePath, ArboristPath.FORMAT, ArboristPath.SHAPE,
            errors);
      }
    }
  }

  private static List<String> prefixProblems(String prefix) {
    List<String> problems = new ArrayList<>();
    if (prefix.startsWith("/")) {
      problems.add("must not start with '/': prefixes are relative to the bucket root");
    }
    if (Arrays.asList(prefix.split("/", -1)).contains("..")) {
      problems.add("must not contain a '..' segment");
    }
    if (prefix.contains("//")) {
      problems.add("must not contain an empty segment ('//'): the data plane refuses such keys,"
          + " which storage services merge, so the binding would cover nothing");
    }
    if (prefix.indexOf('\0') >= 0 || prefix.indexOf('\r') >= 0 || prefix.indexOf('\n') >= 0) {
      problems.add("must not contain NUL, CR or LF characters");
    }
    int bytes = prefix.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > MAX_PREFIX_BYTES) {
      problems.add("must be at most " + MAX_PREFIX_BYTES + " bytes in UTF-8, the object key limit, "
          + "not " + bytes);
    }
    return problems;
  }

  private void checkFormat(String field, String value, Pattern format, String shape,
      List<FieldError> errors) {
    if (value != null && notSecret(field, value, errors) && !format.matcher(value).matches()) {
      errors.add(new FieldError(field, field + " must be " + shape));
    }
  }

  /**
   * False, with the error recorded, when {@code value} looks like a secret: no later rule may
   * look at it, so no later message can repeat it.
   */
  private boolean notSecret(String field, String value, List<FieldError> errors) {
    Optional<String> kind = secrets.describe(value);
    kind.ifPresent(k ->
        errors.add(new FieldError(field, field + " " + SecretMaterialDetector.looksLikeSecret(k))));
    return kind.isEmpty();
  }

  private static <E> void require(String field, E value, E[] allowed,
      Function<E, String> wireName, List<FieldError> errors) {
    if (value == null) {
      errors.add(new FieldError(field, field + " is required: one of "
          + Arrays.stream(allowed).map(wireName).collect(Collectors.joining(", "))));
    }
  }

  /** Keeps control characters of a user-chosen key out of field names and the logs they reach. */
  private static String printable(String text) {
    return text.codePoints()
        .map(c -> Character.isISOControl(c) ? '?' : c)
        .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
        .toString();
  }
}
