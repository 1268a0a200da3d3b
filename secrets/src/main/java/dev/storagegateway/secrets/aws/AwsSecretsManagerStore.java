package dev.storagegateway.secrets.aws;

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
import dev.storagegateway.secrets.json.PayloadJson;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.CreateSecretRequest;
import software.amazon.awssdk.services.secretsmanager.model.DeleteSecretRequest;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueRequest;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;
import software.amazon.awssdk.services.secretsmanager.model.InvalidRequestException;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;
import software.amazon.awssdk.services.secretsmanager.model.SecretsManagerException;

/**
 * AWS Secrets Manager. A reference is a secret name or ARN; the version is a VersionId (a UUID)
 * or a staging label such as {@code AWSPREVIOUS}; no version means {@code AWSCURRENT}, so a
 * rotation that moves AWSCURRENT is picked up without touching the registry.
 *
 * <p>{@value #ALLOWED_REFS_ENV} narrows the references to prefixes. A name is read in the
 * gateway's own account and region; an ARN may name another account, so a list of name prefixes
 * refuses every ARN until ARN prefixes are listed too.
 */
public final class AwsSecretsManagerStore implements SecretStore, AutoCloseable {
  public static final String ALLOWED_REFS_ENV = "GATEWAY_SECRETS_MANAGER_ALLOWED_REFS";
  /**
   * A name prefix, or an ARN prefix that does not end in '-': a secret's ARN ends in
   * {@code -} and six random characters, so {@code ...:secret:gen3-} would admit the secret
   * named {@code gen3} too.
   */
  private static final Pattern REFERENCE_PREFIX =
      Pattern.compile("(?!arn:.*-$)[A-Za-z0-9/_+=.@:-]+");
  private static final Pattern VERSION_ID = Pattern.compile(
      "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
  private static final String CURRENT = "AWSCURRENT";
  /**
   * 400s that refuse the request itself, which a retry repeats: a parameter the service rejects,
   * a quota on secrets or versions, a KMS key that will not encrypt, a resource policy's
   * precondition. Throttling is a 400 too, and stays "unavailable".
   */
  private static final Set<String> REFUSED_AS_INVALID = Set.of("InvalidParameterException",
      "LimitExceededException", "EncryptionFailure", "PreconditionNotMetException");

  private final SecretsManagerClient client;
  private final AllowedReferences allowed;

  public AwsSecretsManagerStore(SecretsManagerClient client, AllowedReferences allowed) {
    this.client = client;
    this.allowed = allowed;
  }

  /** The prefixes in {@value #ALLOWED_REFS_ENV}, comma-separated; unset for any reference. */
  public static AllowedReferences allowedReferences(Map<String, String> env) {
    return AllowedReferences.fromEnvironment(env, ALLOWED_REFS_ENV, REFERENCE_PREFIX,
        "gen3/ or arn:aws:secretsmanager:us-east-1:123456789012:secret:gen3/ (an ARN prefix"
            + " must not end in '-', which would also admit the secret named as it ends)");
  }

  @Override
  public SecretsBackend backend() {
    return SecretsBackend.AWS_SECRETS_MANAGER;
  }

  @Override
  public ResolvedSecret read(String reference, String version) {
    requireAllowed(reference);
    GetSecretValueRequest.Builder request = GetSecretValueRequest.builder().secretId(reference);
    if (version == null || version.equals("latest")) {
      request.versionStage(CURRENT);
    } else if (VERSION_ID.matcher(version).matches()) {
      request.versionId(version);
    } else {
      request.versionStage(version);
    }
    GetSecretValueResponse response = call(reference, version, () -> client.getSecretValue(
        request.build()));
    String text = response.secretString() != null
        ? response.secretString()
        : response.secretBinary().asUtf8String();
    return ResolvedSecret.of(PayloadJson.parse(reference, text), response.versionId());
  }

  /**
   * CreateSecret, which refuses a name in use, or one scheduled for deletion (restoring it would
   * bring back whatever it held).
   */
  @Override
  public String create(String reference, SecretPayload payload) {
    requireAllowed(reference);
    return call(reference, null, () -> {
      try {
        return client.createSecret(CreateSecretRequest.builder().name(reference)
            .secretString(PayloadJson.write(payload)).build());
      } catch (InvalidRequestException e) {
        if (String.valueOf(e.getMessage()).contains("scheduled for deletion")) {
          throw new SecretAlreadyExistsException(backend(), reference);
        }
        // Not a version asked for that is gone, which is what call() takes it for on reads.
        throw new SecretRequestRefusedException(backend(), reference,
            "Secrets Manager answered InvalidRequestException");
      }
    }).versionId();
  }

  /**
   * DeleteSecret without a recovery window: one would keep the name taken, so the retry of the
   * registration could not create it, and the value restorable, for a week at least.
   */
  @Override
  public void delete(String reference) {
    requireAllowed(reference);
    try {
      call(reference, null, () -> client.deleteSecret(DeleteSecretRequest.builder()
          .secretId(reference).forceDeleteWithoutRecovery(true).build()));
    } catch (SecretNotFoundException gone) {
      // Nothing to delete.
    }
  }

  @Override
  public void close() {
    client.close();
  }

  private void requireAllowed(String reference) {
    if (reference == null || !backend().accepts(reference)) {
      throw new IllegalArgumentException("not a Secrets Manager reference: expected "
          + backend().referenceShape());
    }
    allowed.require(backend(), reference);
  }

  private <T> T call(String reference, String version, java.util.function.Supplier<T> request) {
    try {
      return request.get();
    } catch (ResourceNotFoundException e) {
      throw new SecretNotFoundException(backend(), reference, version);
    } catch (SecretsManagerException e) {
      int status = e.statusCode();
      if (status == 400 && "DecryptionFailure".equals(errorCode(e))) {
        throw new SecretAccessDeniedException(backend(), reference,
            "the KMS key refused decryption");
      }
      if (status == 400 && "ResourceExistsException".equals(errorCode(e))) {
        throw new SecretAlreadyExistsException(backend(), reference);
      }
      if (status == 400 && "InvalidRequestException".equals(errorCode(e))) {
        // Asking for a version that was deleted or is scheduled for deletion.
        throw new SecretNotFoundException(backend(), reference, version);
      }
      if (status == 400 && REFUSED_AS_INVALID.contains(errorCode(e))) {
        throw new SecretRequestRefusedException(backend(), reference,
            "Secrets Manager answered " + errorCode(e));
      }
      // Secrets Manager answers a missing permission with 400 AccessDeniedException.
      if (status == 403 || status == 401
          || (status == 400 && "AccessDeniedException".equals(errorCode(e)))) {
        throw new SecretAccessDeniedException(backend(), reference, errorCode(e));
      }
      throw new SecretsBackendUnavailableException(backend(), reference, e);
    } catch (SdkClientException e) {
      throw new SecretsBackendUnavailableException(backend(), reference, reason(e), e);
    }
  }

  /**
   * Says which client-side failure it was. Only the SDK's messages for a missing identity, an
   * unreachable endpoint or a call out of time are repeated: they name providers, addresses and
   * limits, and an operator needs them. Others, such as an unreadable response, may quote what
   * the service sent, so only their type is given.
   */
  private static String reason(SdkClientException e) {
    String message = String.valueOf(e.getMessage()).lines().findFirst().orElse("");
    boolean safe = message.startsWith("Unable to load credentials")
        || message.startsWith("Unable to execute HTTP request")
        || message.startsWith("Client execution did not complete");
    if (!safe) {
      return e.getClass().getSimpleName();
    }
    return message.length() > 200 ? message.substring(0, 200) + "..." : message;
  }

  private static String errorCode(SecretsManagerException e) {
    return e.awsErrorDetails() == null ? "HTTP " + e.statusCode() : e.awsErrorDetails().errorCode();
  }
}
