package dev.storagegateway.secrets.vault;

import dev.storagegateway.secrets.Lease;
import dev.storagegateway.secrets.ResolvedSecret;
import dev.storagegateway.secrets.SecretNotFoundException;
import dev.storagegateway.secrets.SecretPayload;
import dev.storagegateway.secrets.SecretRequestRefusedException;
import dev.storagegateway.secrets.SecretStore;
import dev.storagegateway.secrets.SecretsBackend;
import dev.storagegateway.secrets.SecretsException;
import io.github.jopenlibs.vault.Vault;
import io.github.jopenlibs.vault.VaultException;
import io.github.jopenlibs.vault.json.Json;
import io.github.jopenlibs.vault.json.JsonObject;
import io.github.jopenlibs.vault.json.JsonValue;
import io.github.jopenlibs.vault.response.LogicalResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HashiCorp Vault, through vault-java-driver.
 *
 * <p>A reference is the API path Vault documents for the secret, without {@code /v1/}: for the
 * KV version 2 engine {@code <mount>/data/<path>}, like {@code secret/data/gen3/bucket-a}; for a
 * dynamic engine the path that issues a credential, like {@code aws/creds/bucket-a-role}. The
 * logical form without {@code data/} that the {@code vault kv} command accepts is not rewritten:
 * guessing where the mount ends would need a call to {@code sys/mounts}, which the data plane's
 * token should not be allowed to make, and one spelling keeps the registry unambiguous. A path
 * without {@code data/} is read as it is, which also serves KV version 1 mounts.
 *
 * <p>An answer shaped as KV version 2 documents ({@code data.data} and {@code data.metadata})
 * yields the string fields of {@code data.data} and {@code metadata.version} as the version; a
 * version is a KV version number, and no version (or {@code latest}) reads the newest. Any other
 * answer yields the string fields of {@code data} and no version. {@link #create} stores the
 * first KV version 2 version of a new secret and returns its number.
 *
 * <p>An answer with a {@code lease_id} and a positive {@code lease_duration} (a dynamic secret)
 * carries a {@link Lease}, which ends no later than the login token that read it: Vault revokes
 * a token's leases with it. {@link #refresh} renews a renewable lease through
 * {@code sys/leases/renew} and keeps the fields; when the lease cannot be renewed or has reached
 * its token's end, or renewing it fails, it reads the path again for a new credential.
 * {@link #release} revokes a lease the gateway no longer uses. The AWS secrets engine's fields
 * {@code access_key}, {@code secret_key} and {@code security_token} are renamed to the gateway's
 * {@code access_key_id}, {@code secret_access_key} and {@code session_token}, so a path like
 * {@code aws/creds/bucket-a-role} serves as a bucket's static keys.
 *
 * <p>The store logs in lazily, on the first call, and again when two thirds of the login token's
 * lease have passed or when Vault refuses the token (once per call; a refusal after that is a
 * {@link dev.storagegateway.secrets.SecretAccessDeniedException}). Messages and log lines name
 * the reference and HTTP statuses, never a value, a token or a response body.
 *
 * <p>The data plane's policy needs {@code read} on its references and {@code update} on
 * {@code sys/leases/renew} and {@code sys/leases/revoke}; only the management plane's needs
 * {@code create} and {@code update} on KV paths (without {@code update}, a check-and-set create on
 * a path already taken is a 403 rather than the conflict it is), and {@code delete} on their
 * {@code metadata/} paths to take back a secret whose bucket was not registered.
 */
public final class VaultSecretStore implements SecretStore {
  private static final Logger LOG = LoggerFactory.getLogger(VaultSecretStore.class);

  /**
   * What a renewal asks for. Vault treats it as advisory, caps it at the lease's maximum TTL and
   * answers with what it granted, which is what the renewed lease holds.
   */
  static final Duration RENEW_INCREMENT = Duration.ofHours(1);

  private static final Pattern KV_VERSION = Pattern.compile("\\d{1,9}");
  private static final Pattern KV2_DATA_PATH = Pattern.compile("[^/]+(/[^/]+)*/data/.+");

  /** The AWS secrets engine's field names, and the gateway's names for the same values. */
  private static final Map<String, String> AWS_ENGINE_FIELDS = Map.of(
      "access_key", "access_key_id",
      "secret_key", "secret_access_key",
      "security_token", "session_token");

  private final VaultSettings settings;
  private final VaultLogin login;
  private final Clock clock;
  private volatile VaultLogin.Session session;

  public VaultSecretStore(VaultSettings settings) {
    this(settings, Clock.systemUTC());
  }

  VaultSecretStore(VaultSettings settings, Clock clock) {
    this.settings = settings;
    this.login = new VaultLogin(settings, clock);
    this.clock = clock;
  }

  @Override
  public SecretsBackend backend() {
    return SecretsBackend.VAULT;
  }

  @Override
  public ResolvedSecret read(String reference, String version) {
    requireReference(reference);
    String pinned = version == null || version.equals("latest") ? null : version;
    if (pinned != null && !KV_VERSION.matcher(pinned).matches()) {
      // KV versions are numbers; Vault would answer 400 and make this look like an outage.
      throw new SecretNotFoundException(backend(), reference, version);
    }
    if (pinned != null && !KV2_DATA_PATH.matcher(reference).matches()) {
      // Only KV v2 keeps versions, read at <mount>/data/<path>. A secrets engine ignores
      // ?version= and would hand out a new credential (and lease) under a pin meaning another.
      throw new SecretNotFoundException(backend(), reference, version);
    }
    String path = pinned == null ? reference : reference + "?version=" + pinned;
    Instant asked = clock.instant();
    Answer answer = call(reference, pinned, vault -> vault.logical().read(path));
    ResolvedSecret resolved = resolved(reference, answer, asked);
    if (pinned != null && (resolved.version() == null
        || Long.parseLong(pinned) != Long.parseLong(resolved.version()))) {
      // A KV v1 mount whose path holds a "data" folder ignores ?version= too, and would serve
      // its current value under a pin that means another.
      throw new SecretNotFoundException(backend(), reference, version);
    }
    return resolved;
  }

  @Override
  public ResolvedSecret refresh(String reference, String version, ResolvedSecret previous) {
    requireReference(reference);
    Optional<Lease> held = previous == null ? Optional.empty() : previous.leaseIfAny();
    if (held.isEmpty() || !held.get().canBeExtended() || held.get().id() == null) {
      return read(reference, version);
    }
    return renewed(reference, held.get())
        .map(lease -> new ResolvedSecret(previous.payload(), previous.version(), lease))
        .orElseGet(() -> read(reference, version));
  }

  /** {@code sys/leases/revoke}, which the policy must allow ({@code update}). */
  @Override
  public boolean release(String reference, Lease lease) {
    try {
      call(reference, null, vault -> vault.logical().write("sys/leases/revoke",
          Map.<String, Object>of("lease_id", lease.id())));
      return true;
    } catch (SecretsException e) {
      LOG.warn("could not revoke the lease of Vault secret '{}', which lives on until {}: {}",
          reference, lease.expiresAt(), e.getMessage());
      return false;
    }
  }

  /**
   * A KV version 2 write with check-and-set 0, which Vault refuses (400) when the secret has any
   * version, deleted ones included.
   */
  @Override
  public String create(String reference, SecretPayload payload) {
    requireKv2Path(reference);
    return versionWritten(reference, call(reference, null, vault -> vault.logical().write(
        reference, Map.<String, Object>of("data", fieldsOf(payload),
            "options", Json.object().add("cas", 0)))).response());
  }

  /**
   * Deletes the KV version 2 secret's metadata, which takes every version with it; a delete
   * under {@code data/} would only mark the newest version deleted, its value recoverable and
   * the name still taken. The policy needs {@code delete} on the metadata path.
   */
  @Override
  public void delete(String reference) {
    requireKv2Path(reference);
    String metadata = metadataPathOf(reference);
    call(reference, null, vault -> vault.logical().delete(metadata));
  }

  /**
   * {@code <mount>/metadata/<path>} for {@code <mount>/data/<path>}. With more than one
   * {@code data} segment, where the mount ends is not known without {@code sys/mounts} (see the
   * class), and a guess could delete every version of another mount's secret: refused.
   */
  private static String metadataPathOf(String reference) {
    String data = "/data/";
    int at = reference.indexOf(data);
    if (reference.indexOf(data, at + 1) >= 0) {
      throw new SecretRequestRefusedException(SecretsBackend.VAULT, reference, "its path has"
          + " more than one 'data' segment, so which is the KV mount's is not known; the"
          + " gateway deletes nothing there");
    }
    return reference.substring(0, at) + "/metadata/" + reference.substring(at + data.length());
  }

  private static JsonObject fieldsOf(SecretPayload payload) {
    JsonObject fields = Json.object();
    payload.fields().forEach(fields::add);
    return fields;
  }

  private static String versionWritten(String reference, LogicalResponse response) {
    JsonObject data = response.getDataObject();
    JsonValue version = data == null ? null : data.get("version");
    if (version == null || !version.isNumber()) {
      throw VaultFailures.malformed(reference, "data.version in a KV version 2 write");
    }
    return String.valueOf(version.asLong());
  }

  private Optional<Lease> renewed(String reference, Lease lease) {
    Instant asked = clock.instant();
    LogicalResponse response;
    try {
      // The documented body form of sys/leases/renew; the driver's leases().renew() puts the
      // lease id in the URL instead and does not return the granted duration.
      response = call(reference, null, vault -> vault.logical().write("sys/leases/renew",
          Map.<String, Object>of("lease_id", lease.id(), "increment",
              RENEW_INCREMENT.toSeconds()))).response();
    } catch (SecretsException e) {
      LOG.info("renewing the lease of Vault secret '{}' failed ({}); reading it again", reference,
          e.getMessage());
      return Optional.empty();
    }
    Long granted = response.getLeaseDuration();
    if (granted == null || granted <= 0) {
      LOG.info("Vault granted no more time to the lease of '{}'; reading it again", reference);
      return Optional.empty();
    }
    // Still the lease of the token that read it, which a renewal does not change.
    return Optional.of(new Lease(lease.id(), asked.plusSeconds(granted),
        Boolean.TRUE.equals(response.getRenewable()), lease.endsBy()));
  }

  private ResolvedSecret resolved(String reference, Answer answer, Instant asked) {
    LogicalResponse response = answer.response();
    Lease lease = lease(response, asked, answer.session().tokenExpiresAt());
    JsonObject data = response.getDataObject();
    if (data == null) {
      throw VaultFailures.malformed(reference, "a data object");
    }
    JsonValue kvData = data.get("data");
    JsonValue kvMetadata = data.get("metadata");
    if (kvData != null && kvData.isObject() && kvMetadata != null && kvMetadata.isObject()) {
      JsonValue version = kvMetadata.asObject().get("version");
      return new ResolvedSecret(payload(kvData.asObject()),
          version != null && version.isNumber() ? String.valueOf(version.asLong()) : null,
          lease);
    }
    return new ResolvedSecret(payload(data), null, lease);
  }

  private static SecretPayload payload(JsonObject data) {
    Map<String, String> fields = new HashMap<>();
    for (JsonObject.Member member : data) {
      // Only strings are credentials; the AWS engine sends security_token as null for IAM users.
      if (member.getValue().isString()) {
        fields.put(member.getName(), member.getValue().asString());
      } else if (member.getValue().isArray()) {
        // A list (the data plane's session keys) is kept as its JSON text.
        fields.put(member.getName(), member.getValue().toString());
      }
    }
    AWS_ENGINE_FIELDS.forEach((engineName, gatewayName) -> {
      if (fields.containsKey(engineName) && !fields.containsKey(gatewayName)) {
        fields.put(gatewayName, fields.remove(engineName));
      }
    });
    return SecretPayload.of(fields);
  }

  /**
   * The answer's lease, ending when the login token that read it does: Vault revokes the lease
   * then (the AWS engine deletes the IAM user), however long the lease itself was granted.
   */
  private static Lease lease(LogicalResponse response, Instant asked, Instant tokenExpiresAt) {
    String id = response.getLeaseId();
    Long seconds = response.getLeaseDuration();
    if (id == null || id.isEmpty() || seconds == null || seconds <= 0) {
      return null;
    }
    // Counted from before the request, so the lease never looks longer than Vault granted.
    return new Lease(id, asked.plusSeconds(seconds), Boolean.TRUE.equals(response.getRenewable()),
        tokenExpiresAt);
  }

  /** One driver call with this process's token, logging in again once if Vault refuses it. */
  private Answer call(String reference, String version, VaultCall request) {
    VaultLogin.Session current = session(reference);
    LogicalResponse response = send(reference, current, request);
    if (status(response) == 403 && login.canLogInAgain() && !stillValid(reference, current)) {
      // Vault answers 403 alike for an expired token and for a path the policies refuse; only
      // the first needs a login, and each login leaves a token behind in Vault until it expires.
      LOG.info("Vault refused this process's token for '{}'; logging in again", reference);
      current = logInAgain(reference, current);
      response = send(reference, current, request);
    }
    int status = status(response);
    if (status != 200 && status != 204) {
      throw VaultFailures.forStatus(reference, version, status,
          response.getRestResponse().getBody(), KV2_DATA_PATH.matcher(reference).matches());
    }
    return new Answer(response, current);
  }

  /** What Vault answered, and the session whose token it answered. */
  private record Answer(LogicalResponse response, VaultLogin.Session session) {
  }

  private static LogicalResponse send(String reference, VaultLogin.Session session,
      VaultCall request) {
    try {
      return request.send(session.client());
    } catch (VaultException e) {
      throw VaultFailures.unavailable(reference, e);
    }
  }

  private static int status(LogicalResponse response) {
    return response.getRestResponse().getStatus();
  }

  private VaultLogin.Session session(String reference) {
    VaultLogin.Session current = session;
    if (current != null && clock.instant().isBefore(current.logInAgainAt())) {
      return current;
    }
    return logInAgain(reference, current);
  }

  /** Whether Vault still knows the session's token ({@code auth/token/lookup-self}). */
  private static boolean stillValid(String reference, VaultLogin.Session session) {
    try {
      session.client().auth().lookupSelf();
      return true;
    } catch (VaultException e) {
      if (e.getHttpStatusCode() == 403) {
        return false;
      }
      throw VaultFailures.unavailable(reference, e);
    }
  }

  /** Replaces {@code stale} unless another thread already did, so one refusal means one login. */
  private synchronized VaultLogin.Session logInAgain(String reference, VaultLogin.Session stale) {
    if (session == stale) {
      session = login.logIn(reference);
    }
    return session;
  }

  private void requireKv2Path(String reference) {
    requireReference(reference);
    if (!KV2_DATA_PATH.matcher(reference).matches()) {
      throw new IllegalArgumentException("Vault writes go to a KV version 2 path like "
          + "secret/data/gen3/bucket-a, not '" + reference + "'");
    }
  }

  private void requireReference(String reference) {
    // The reference becomes part of a URL; the shape check keeps '..', '?' and '%' out of it.
    if (reference == null || !backend().accepts(reference)) {
      throw new IllegalArgumentException("not a Vault secret reference: expected "
          + backend().referenceShape());
    }
    settings.allowedPaths().require(backend(), reference);
  }

  /** A driver request; its {@link VaultException} means Vault did not answer usefully. */
  @FunctionalInterface
  private interface VaultCall {
    LogicalResponse send(Vault client) throws VaultException;
  }
}
