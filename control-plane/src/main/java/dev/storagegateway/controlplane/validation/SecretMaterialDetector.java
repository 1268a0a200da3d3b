package dev.storagegateway.controlplane.validation;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Recognises credentials pasted where a reference belongs. The registry is replicated to every
 * gateway replica and shown by the admin API, so a secret that slips into any field leaks
 * everywhere; refusing it at the door is the only safe place. The messages say what kind of
 * secret was found and where, never the value itself.
 */
public final class SecretMaterialDetector {
  static final String ADVICE =
      "secrets never enter the registry: store it in the secrets backend and set secret_ref";

  private static final Pattern AWS_ACCESS_KEY_ID =
      Pattern.compile("(?<![A-Z0-9])(AKIA|ASIA)[A-Z0-9]{16}(?![A-Z0-9])");
  // Secret access keys never hold '=', so "aws_secret_access_key=<key>" still stands out.
  private static final Pattern FORTY_KEY_CHARACTERS =
      Pattern.compile("(?<![A-Za-z0-9/+])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])");
  // Vault's tokens: service, batch and recovery tokens since 1.10; before, s. b. r. and 24
  // characters. A bucket's reference may name a Vault path, but never holds a token.
  private static final Pattern VAULT_TOKEN = Pattern.compile(
      "(?<![A-Za-z0-9._-])(hv[sbr]\\.[A-Za-z0-9_-]{24,}|[sbr]\\.(?=[A-Za-z0-9]*[0-9])"
          + "(?=[A-Za-z0-9]*[A-Z])(?=[A-Za-z0-9]*[a-z])[A-Za-z0-9]{24})(?![A-Za-z0-9_-])");
  // What the gateway hands on for Cloud Storage, and an HMAC key's access id.
  private static final Pattern GOOGLE_ACCESS_TOKEN =
      Pattern.compile("(?<![A-Za-z0-9])ya29\\.[A-Za-z0-9_-]{20,}");
  private static final Pattern GOOGLE_HMAC_ACCESS_ID =
      Pattern.compile("(?<![A-Z0-9])GOOG1[A-Z0-9]{20,}(?![A-Z0-9])");
  private static final Pattern PEM_PRIVATE_KEY =
      Pattern.compile("-----BEGIN ([A-Z0-9]+ )*PRIVATE KEY-----");
  private static final Pattern SERVICE_ACCOUNT_JSON =
      Pattern.compile("\"private_key\"\\s*:|\"type\"\\s*:\\s*\"service_account\"");
  // Random base64 carries about 4.7 bits per character and falls below 4.2 about once in 50,000
  // keys; names and paths of that length (secret/data/gen3/buckets/MyBucket1/creds) sit near 3.9.
  private static final double MIN_SECRET_KEY_ENTROPY_BITS = 4.2;
  // Compared without case, '_' and '-', so awsSecretAccessKey and AWS-SECRET-ACCESS-KEY match too.
  private static final Set<String> CREDENTIAL_FIELD_NAMES = Set.of(
      "awsaccesskeyid", "awssecretaccesskey", "accesskeyid", "secretaccesskey", "sessiontoken",
      "privatekey", "serviceaccountkeyjson", "clientkeypem", "credentials", "password", "token");

  /** A secret recognisable by its shape alone, and what to call it. */
  private record Shape(Pattern pattern, String kind) {}

  private static final List<Shape> SHAPES = List.of(
      new Shape(PEM_PRIVATE_KEY, "a PEM private key"),
      new Shape(SERVICE_ACCOUNT_JSON, "a service-account key JSON"),
      new Shape(AWS_ACCESS_KEY_ID, "an AWS access key id"),
      new Shape(VAULT_TOKEN, "a Vault token"),
      new Shape(GOOGLE_ACCESS_TOKEN, "a Google access token"),
      new Shape(GOOGLE_HMAC_ACCESS_ID, "a Cloud Storage HMAC access id"));

  /** What kind of secret {@code value} looks like, or empty when it looks harmless. */
  public Optional<String> describe(String value) {
    if (value == null) {
      return Optional.empty();
    }
    for (Shape shape : SHAPES) {
      if (shape.pattern().matcher(value).find()) {
        return Optional.of(shape.kind());
      }
    }
    Matcher candidates = FORTY_KEY_CHARACTERS.matcher(value);
    while (candidates.find()) {
      if (looksLikeSecretAccessKey(candidates.group())) {
        return Optional.of("an AWS secret access key");
      }
    }
    return Optional.empty();
  }

  /**
   * Every secret in a raw request body: fields named like credentials, whatever they hold, and
   * string values anywhere that {@link #describe} recognises. Run it before binding the body, so
   * that a secret never reaches a parser error message, a log line or the model.
   */
  public List<FieldError> scan(JsonNode body) {
    List<FieldError> errors = new ArrayList<>();
    scan(body, "", errors);
    return errors;
  }

  private void scan(JsonNode node, String path, List<FieldError> errors) {
    if (node.isTextual()) {
      describe(node.textValue()).ifPresent(kind -> errors.add(new FieldError(
          path.isEmpty() ? "body" : path, looksLikeSecret(kind))));
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        scan(node.get(i), path + "[" + i + "]", errors);
      }
    } else if (node.isObject()) {
      for (Map.Entry<String, JsonNode> field : node.properties()) {
        scanField(field.getKey(), field.getValue(), path, errors);
      }
    }
  }

  private void scanField(String name, JsonNode value, String parent, List<FieldError> errors) {
    Optional<String> secretName = describe(name);
    if (secretName.isPresent()) {
      // The key itself is the secret (say, a label named after an access key): name the parent.
      errors.add(new FieldError(parent.isEmpty() ? "body" : parent,
          "a field name " + looksLikeSecret(secretName.get())));
      return;
    }
    String path = parent.isEmpty() ? name : parent + "." + name;
    if (isCredentialName(name)) {
      errors.add(new FieldError(path, path + " is secret material; " + ADVICE));
      return;
    }
    scan(value, path, errors);
  }

  static String looksLikeSecret(String kind) {
    return "looks like secret material (" + kind + "); " + ADVICE;
  }

  private static boolean isCredentialName(String name) {
    String normalized = name.toLowerCase(Locale.ROOT).replace("_", "").replace("-", "");
    return CREDENTIAL_FIELD_NAMES.contains(normalized);
  }

  private static boolean looksLikeSecretAccessKey(String candidate) {
    return candidate.chars().anyMatch(Character::isDigit)
        && candidate.chars().anyMatch(Character::isUpperCase)
        && candidate.chars().anyMatch(Character::isLowerCase)
        && entropyBitsPerCharacter(candidate) >= MIN_SECRET_KEY_ENTROPY_BITS;
  }

  private static double entropyBitsPerCharacter(String text) {
    Map<Integer, Long> counts = text.chars().boxed()
        .collect(Collectors.groupingBy(c -> c, Collectors.counting()));
    double entropy = 0;
    for (long count : counts.values()) {
      double p = (double) count / text.length();
      entropy -= p * Math.log(p) / Math.log(2);
    }
    return entropy;
  }
}
