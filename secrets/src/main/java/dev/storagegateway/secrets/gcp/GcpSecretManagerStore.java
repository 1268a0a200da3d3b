package dev.storagegateway.secrets.gcp;

import com.google.api.gax.retrying.RetrySettings;
import com.google.api.gax.rpc.AlreadyExistsException;
import com.google.api.gax.rpc.ApiException;
import com.google.api.gax.rpc.FailedPreconditionException;
import com.google.api.gax.rpc.NotFoundException;
import com.google.cloud.secretmanager.v1.AccessSecretVersionResponse;
import com.google.cloud.secretmanager.v1.AddSecretVersionRequest;
import com.google.cloud.secretmanager.v1.CreateSecretRequest;
import com.google.cloud.secretmanager.v1.Replication;
import com.google.cloud.secretmanager.v1.Secret;
import com.google.cloud.secretmanager.v1.SecretManagerServiceClient;
import com.google.cloud.secretmanager.v1.SecretManagerServiceSettings;
import com.google.protobuf.ByteString;
import dev.storagegateway.secrets.AllowedReferences;
import dev.storagegateway.secrets.ResolvedSecret;
import dev.storagegateway.secrets.SecretAccessDeniedException;
import dev.storagegateway.secrets.SecretAlreadyExistsException;
import dev.storagegateway.secrets.SecretNotFoundException;
import dev.storagegateway.secrets.SecretPayload;
import dev.storagegateway.secrets.SecretRequestRefusedException;
import dev.storagegateway.secrets.SecretStore;
import dev.storagegateway.secrets.SecretsBackend;
import dev.storagegateway.secrets.SecretsBackendUnavailableException;
import dev.storagegateway.secrets.SecretsException;
import dev.storagegateway.secrets.json.PayloadJson;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Google Cloud Secret Manager. A reference is {@code projects/<project>/secrets/<secret>},
 * optionally pinned with {@code /versions/<number|latest>}; without a pin the {@code version}
 * argument chooses, and without either the store reads {@code latest}, so adding a version
 * rotates every bucket that follows the secret.
 *
 * <p>A version holds the payload as JSON ({@link PayloadJson}); a service-account key file
 * uploaded as it is becomes the {@code service_account_key_json} field. Payloads carry a CRC32C
 * both ways, as Google recommends, so a corrupted value is never served as a credential.
 *
 * <p>{@value #ALLOWED_REFS_ENV} narrows the references to prefixes. They are compared as
 * written, so a project listed by its id does not admit references by its number.
 */
public final class GcpSecretManagerStore implements SecretStore, AutoCloseable {
  /** Overrides the Secret Manager endpoint ({@code host:port}), for a regional or private one. */
  public static final String ENDPOINT_ENV = "GATEWAY_GCP_SECRET_MANAGER_ENDPOINT";
  public static final String ALLOWED_REFS_ENV = "GATEWAY_GCP_SECRET_MANAGER_ALLOWED_REFS";
  private static final Pattern REFERENCE_PREFIX = Pattern.compile("projects/[A-Za-z0-9._:/-]*");

  /** The longest one call may take, retries included; as for Secrets Manager and STS. */
  static final Duration CALL_LIMIT = Duration.ofSeconds(12);
  private static final Duration ATTEMPT_LIMIT = Duration.ofSeconds(5);

  private static final Logger LOG = LoggerFactory.getLogger(GcpSecretManagerStore.class);

  private final SecretManagerServiceClient client;
  private final AllowedReferences allowed;

  private GcpSecretManagerStore(SecretManagerServiceClient client, AllowedReferences allowed) {
    this.client = client;
    this.allowed = allowed;
  }

  /**
   * A store on {@code settings}: production passes the defaults, which authenticate with
   * Application Default Credentials (Workload Identity on GKE); tests pass a channel of their own.
   */
  public static GcpSecretManagerStore create(SecretManagerServiceSettings settings,
      AllowedReferences allowed) {
    try {
      return new GcpSecretManagerStore(SecretManagerServiceClient.create(settings), allowed);
    } catch (IOException e) {
      throw new IllegalStateException("cannot start the Secret Manager client (are Application"
          + " Default Credentials available?): " + e.getMessage(), e);
    }
  }

  /**
   * A store on the default settings, with the endpoint of {@value #ENDPOINT_ENV} if set and the
   * prefixes of {@value #ALLOWED_REFS_ENV}.
   */
  public static GcpSecretManagerStore fromEnvironment(Map<String, String> env) {
    return create(settingsFrom(env), allowedReferences(env));
  }

  /** The prefixes in {@value #ALLOWED_REFS_ENV}, comma-separated; unset for any reference. */
  public static AllowedReferences allowedReferences(Map<String, String> env) {
    return AllowedReferences.fromEnvironment(env, ALLOWED_REFS_ENV, REFERENCE_PREFIX,
        "projects/gen3-prod/secrets/gen3-");
  }

  static SecretManagerServiceSettings settingsFrom(Map<String, String> env) {
    try {
      SecretManagerServiceSettings.Builder settings = SecretManagerServiceSettings.newBuilder();
      String endpoint = env.get(ENDPOINT_ENV);
      if (endpoint != null && !endpoint.isBlank()) {
        settings.setEndpoint(endpoint.strip());
      }
      limitCalls(settings);
      return settings.build();
    } catch (IOException e) {
      throw new IllegalStateException("cannot configure the Secret Manager client: "
          + e.getMessage(), e);
    }
  }

  /**
   * The client's defaults give each call a minute; a {@code create} makes two or three, and a
   * {@code create_secret} holds its database connection and its project's lock meanwhile. Reads
   * keep their retries of UNAVAILABLE, each attempt limited as well.
   */
  static void limitCalls(SecretManagerServiceSettings.Builder settings) {
    settings.createSecretSettings().setSimpleTimeoutNoRetriesDuration(CALL_LIMIT);
    settings.addSecretVersionSettings().setSimpleTimeoutNoRetriesDuration(CALL_LIMIT);
    settings.deleteSecretSettings().setSimpleTimeoutNoRetriesDuration(CALL_LIMIT);
    RetrySettings reads = settings.accessSecretVersionSettings().getRetrySettings();
    settings.accessSecretVersionSettings().setRetrySettings(reads.toBuilder()
        .setInitialRpcTimeoutDuration(ATTEMPT_LIMIT)
        .setMaxRpcTimeoutDuration(ATTEMPT_LIMIT)
        .setTotalTimeoutDuration(CALL_LIMIT)
        .build());
  }

  @Override
  public SecretsBackend backend() {
    return SecretsBackend.GCP_SECRET_MANAGER;
  }

  @Override
  public ResolvedSecret read(String reference, String version) {
    String name = GcpReference.parse(reference).versionName(version);
    allowed.require(backend(), reference);
    AccessSecretVersionResponse response;
    try {
      response = client.accessSecretVersion(name);
    } catch (FailedPreconditionException e) {
      // The version is disabled or destroyed: an admin took it out of use.
      throw new SecretNotFoundException(backend(), reference, version);
    } catch (ApiException e) {
      throw failure(reference, version, e);
    }
    com.google.cloud.secretmanager.v1.SecretPayload stored = response.getPayload();
    if (stored.hasDataCrc32C() && stored.getDataCrc32C() != crc32c(stored.getData())) {
      throw new SecretsBackendUnavailableException(backend(), reference,
          new IllegalStateException("the payload failed its CRC32C check"));
    }
    return ResolvedSecret.of(PayloadJson.parse(reference, stored.getData().toStringUtf8()),
        versionOf(response.getName()));
  }

  /**
   * Creates the secret, which Secret Manager refuses when the name is taken (whatever state its
   * versions are in), then adds the payload as its first version.
   */
  @Override
  public String create(String reference, SecretPayload payload) {
    GcpReference target = writable(reference);
    allowed.require(backend(), reference);
    try {
      createSecret(target);
      try {
        return versionOf(client.addSecretVersion(addVersion(target, payload)).getName());
      } catch (ApiException e) {
        // An empty secret left behind would take the name from every later attempt.
        deleteQuietly(target);
        throw e;
      }
    } catch (AlreadyExistsException taken) {
      throw new SecretAlreadyExistsException(backend(), reference);
    } catch (ApiException e) {
      throw failure(reference, null, e);
    }
  }

  /** DeleteSecret, which takes every version with it and frees the name at once. */
  @Override
  public void delete(String reference) {
    GcpReference target = writable(reference);
    allowed.require(backend(), reference);
    try {
      client.deleteSecret(target.secretName());
    } catch (NotFoundException gone) {
      // Nothing to delete.
    } catch (ApiException e) {
      throw failure(reference, null, e);
    }
  }

  private static GcpReference writable(String reference) {
    GcpReference target = GcpReference.parse(reference);
    if (target.pinnedVersion() != null && !target.pinnedVersion().equals(GcpReference.LATEST)) {
      throw new IllegalArgumentException("'" + reference + "' pins a version; write to "
          + target.secretName() + " instead");
    }
    return target;
  }

  private static AddSecretVersionRequest addVersion(GcpReference target,
      SecretPayload payload) {
    ByteString data = ByteString.copyFromUtf8(PayloadJson.write(payload));
    return AddSecretVersionRequest.newBuilder()
        .setParent(target.secretName())
        .setPayload(com.google.cloud.secretmanager.v1.SecretPayload.newBuilder()
            .setData(data)
            .setDataCrc32C(crc32c(data)))
        .build();
  }

  @Override
  public void close() {
    client.close();
  }

  private void createSecret(GcpReference target) {
    client.createSecret(CreateSecretRequest.newBuilder()
        .setParent("projects/" + target.project())
        .setSecretId(target.secret())
        .setSecret(Secret.newBuilder().setReplication(Replication.newBuilder()
            .setAutomatic(Replication.Automatic.getDefaultInstance())))
        .build());
    LOG.info("created secret {} in Secret Manager", target.secretName());
  }

  private void deleteQuietly(GcpReference target) {
    try {
      client.deleteSecret(target.secretName());
    } catch (ApiException e) {
      LOG.warn("could not delete the empty secret {} after failing to add its first version: {}",
          target.secretName(), e.getStatusCode().getCode());
    }
  }

  private SecretsException failure(String reference, String version, ApiException e) {
    return switch (e.getStatusCode().getCode()) {
      case NOT_FOUND -> new SecretNotFoundException(backend(), reference, version);
      case PERMISSION_DENIED -> new SecretAccessDeniedException(backend(), reference,
          "PERMISSION_DENIED (readers need roles/secretmanager.secretAccessor, and creating"
              + " secrets roles/secretmanager.admin)");
      case UNAUTHENTICATED -> new SecretAccessDeniedException(backend(), reference,
          "UNAUTHENTICATED (check Application Default Credentials or Workload Identity)");
      case INVALID_ARGUMENT, FAILED_PRECONDITION, OUT_OF_RANGE ->
          new SecretRequestRefusedException(backend(), reference, e.getStatusCode().getCode()
              + " (the secret's or the project's settings refuse the call; Cloud Audit Logs"
              + " name the reason)");
      default -> new SecretsBackendUnavailableException(backend(), reference, e);
    };
  }

  /** The number at the end of {@code projects/<p>/secrets/<s>/versions/<number>}. */
  private static String versionOf(String versionName) {
    return versionName.substring(versionName.lastIndexOf('/') + 1);
  }

  private static long crc32c(ByteString data) {
    CRC32C crc = new CRC32C();
    crc.update(data.asReadOnlyByteBuffer());
    return crc.getValue();
  }
}
