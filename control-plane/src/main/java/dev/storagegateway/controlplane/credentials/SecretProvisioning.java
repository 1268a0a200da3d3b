package dev.storagegateway.controlplane.credentials;

import dev.storagegateway.controlplane.registry.Undo;
import dev.storagegateway.credentials.CredentialSources;
import dev.storagegateway.credentials.SecretFields;
import dev.storagegateway.registry.Bucket;
import dev.storagegateway.secrets.ResolvedSecret;
import dev.storagegateway.secrets.SecretAlreadyExistsException;
import dev.storagegateway.secrets.SecretNotFoundException;
import dev.storagegateway.secrets.SecretPayload;
import dev.storagegateway.secrets.SecretStore;
import dev.storagegateway.secrets.SecretStores;
import dev.storagegateway.secrets.SecretsBackend;
import dev.storagegateway.secrets.SecretsException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The {@code create_secret} admin flow: keys handed to the management plane once are written to
 * the secrets backend under its writer identity, and only the reference is kept. The plaintext
 * is never stored, logged or echoed.
 */
public final class SecretProvisioning {
  private static final Set<String> FIELDS = Set.of(SecretFields.ACCESS_KEY_ID,
      SecretFields.SECRET_ACCESS_KEY, SecretFields.SESSION_TOKEN, SecretFields.CA_BUNDLE_PEM,
      SecretFields.CLIENT_CERT_PEM, SecretFields.CLIENT_KEY_PEM,
      SecretFields.SERVICE_ACCOUNT_KEY_JSON);

  /** What a field name looks like; anything else may be a key pasted in the wrong place. */
  private static final Pattern FIELD_NAME = Pattern.compile("[a-z][a-z_]{0,39}");

  private final SecretStores stores;
  private final CredentialSources sources;

  /** @param sources which backend each bucket's secret lives in */
  public SecretProvisioning(SecretStores stores, CredentialSources sources) {
    this.stores = stores;
    this.sources = sources;
  }

  /**
   * Checks a payload's shape: only known fields, and either an access key pair or a
   * service-account key.
   *
   * @return what is wrong with it, field names only; empty when it is usable
   */
  public static List<String> problems(Map<String, String> fields) {
    List<String> problems = new ArrayList<>();
    String known = "; known fields: " + String.join(", ", FIELDS.stream().sorted().toList());
    List<String> unknown = fields.keySet().stream().filter(name -> !FIELDS.contains(name))
        .sorted().toList();
    unknown.stream().filter(name -> FIELD_NAME.matcher(name).matches()).forEach(name ->
        problems.add("secret_payload has an unknown field '" + name + "'" + known));
    long unshown = unknown.stream().filter(name -> !FIELD_NAME.matcher(name).matches()).count();
    if (unshown > 0) {
      // One problem for all of them: their names are not shown, so several would read alike.
      problems.add("secret_payload has " + (unshown == 1 ? "an unknown field" : unshown
          + " unknown fields") + " whose name is not shown: field names are lower case and '_'"
          + " (access_key_id, not accessKeyId), and anything else could be a key" + known);
    }
    boolean keyPair = present(fields, SecretFields.ACCESS_KEY_ID)
        && present(fields, SecretFields.SECRET_ACCESS_KEY);
    boolean serviceAccount = present(fields, SecretFields.SERVICE_ACCOUNT_KEY_JSON);
    if (keyPair == serviceAccount) {
      problems.add("secret_payload needs either access_key_id and secret_access_key, or"
          + " service_account_key_json");
    } else if (serviceAccount) {
      problems.addAll(ServiceAccountKeyFile.problems(
          fields.get(SecretFields.SERVICE_ACCOUNT_KEY_JSON)));
    }
    return problems;
  }

  /**
   * A payload field's name as an error may show it: quoted when it looks like a field name, else
   * not at all, since it could be a key pasted in the wrong place.
   */
  public static String shown(String name) {
    return FIELD_NAME.matcher(name).matches() ? "'" + name + "'"
        : "(its name is not shown: it does not look like one, and could be a key)";
  }

  /**
   * Where the secret of a new bucket goes when the request names no {@code secret_ref}: a path
   * named after the bucket, for backends where that needs no deployment-specific prefix.
   */
  public Bucket withReference(Bucket bucket) {
    if (bucket.secretRef() != null) {
      return bucket;
    }
    SecretsBackend backend = sources.backendOf(bucket);
    Optional<String> reference = switch (backend) {
      case AWS_SECRETS_MANAGER -> Optional.of("storage-gateway/buckets/" + bucket.name());
      case VAULT -> Optional.of("secret/data/storage-gateway/buckets/" + bucket.name());
      case FILE -> Optional.of("buckets/" + bucket.name() + ".json");
      case GCP_SECRET_MANAGER, KUBERNETES -> Optional.empty();
    };
    return bucket.toBuilder().secretRef(reference.orElseThrow(() -> new IllegalArgumentException(
        "create_secret with " + backend.wireName() + " needs a secret_ref naming the project or"
            + " namespace the secret goes into; only a registry admin may set secret_ref")))
        .build();
  }

  /**
   * Stores the payload as the bucket's new secret. A secret already at the reference is refused
   * ({@link SecretAlreadyExistsException}): an owner of one project naming another bucket's
   * secret, or any secret the writer identity can reach, would otherwise replace it. Unless it
   * holds exactly this payload: the secret is written before the bucket's row is committed, so
   * a commit that failed and could not take it back (the database away) left it behind, and
   * the retry of the same request must not be refused for ever. A secret there with no current
   * version is refused with what to do about it.
   *
   * @return what deletes the secret should the bucket's row fail to commit; nothing for a secret
   *     that was there already, which this call did not write
   */
  public Undo create(Bucket bucket, SecretPayload payload) {
    SecretsBackend backend = sources.backendOf(bucket);
    SecretStore store = stores.store(backend);
    try {
      store.create(bucket.secretRef(), payload);
      return new CreatedSecret(store, bucket.secretRef(), bucket.name());
    } catch (SecretAlreadyExistsException taken) {
      ResolvedSecret held;
      try {
        held = store.read(bucket.secretRef(), null);
      } catch (SecretNotFoundException empty) {
        // A create whose answer was lost (Secret Manager's takes two calls) can leave the
        // secret without its first version; only someone who can delete it can free the name.
        throw new SecretAlreadyExistsException(backend, bucket.secretRef(), "which holds no"
            + " current version (a create that timed out can leave one so): delete it in the"
            + " backend, then retry");
      } catch (SecretsException unreadable) {
        throw taken;
      }
      if (!sameFields(held.payload(), payload)) {
        throw taken;
      }
      return Undo.NOTHING;
    }
  }

  /** Compared in constant time: the answer must not tell how much of a guess was right. */
  private static boolean sameFields(SecretPayload held, SecretPayload sent) {
    Map<String, String> heldFields = held.fields();
    Map<String, String> sentFields = sent.fields();
    boolean same = heldFields.keySet().equals(sentFields.keySet());
    for (Map.Entry<String, String> field : sentFields.entrySet()) {
      String heldValue = heldFields.getOrDefault(field.getKey(), "");
      same &= MessageDigest.isEqual(heldValue.getBytes(StandardCharsets.UTF_8),
          field.getValue().getBytes(StandardCharsets.UTF_8));
    }
    return same;
  }

  private static boolean present(Map<String, String> fields, String name) {
    String value = fields.get(name);
    return value != null && !value.isBlank();
  }
}
