package dev.storagegateway.credentials;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.StsClientBuilder;
import software.amazon.awssdk.services.sts.model.AssumeRoleRequest;
import software.amazon.awssdk.services.sts.model.AssumeRoleWithWebIdentityRequest;
import software.amazon.awssdk.services.sts.model.Credentials;

/**
 * STS for role buckets: AssumeRole from the default chain or from keys in a secret, and
 * AssumeRoleWithWebIdentity from the pod's projected service-account token.
 */
public final class AwsSts implements AutoCloseable {
  private final AwsSettings settings;
  private final Map<String, String> env;
  private final SdkHttpClient http = ApacheHttpClient.builder().build();
  private final StsClient fromDefaultChain;

  public AwsSts(AwsSettings settings, Map<String, String> env) {
    this.settings = settings;
    this.env = env;
    this.fromDefaultChain = client(DefaultCredentialsProvider.builder().build());
  }

  public AwsKeys assumeRole(CredentialKey.AssumedRole key, AwsKeys baseIdentity) {
    AssumeRoleRequest request = AssumeRoleRequest.builder()
        .roleArn(key.roleArn())
        .externalId(key.externalId())
        .roleSessionName(settings.roleSessionName())
        .durationSeconds((int) settings.roleSessionDuration().toSeconds())
        .build();
    try {
      if (baseIdentity == null) {
        return keys(fromDefaultChain.assumeRole(request).credentials());
      }
      try (StsClient asBase = client(StaticCredentialsProvider.create(
          baseIdentity.toSdkCredentials()))) {
        return keys(asBase.assumeRole(request).credentials());
      }
    } catch (SdkException e) {
      throw new CredentialsUnavailableException(key, "STS AssumeRole failed: " + describe(e), e);
    }
  }

  public AwsKeys assumeRoleWithWebIdentity(CredentialKey.WebIdentityRole key) {
    String roleArn = key.roleArn() != null ? key.roleArn() : env.get("AWS_ROLE_ARN");
    String tokenFile = env.get("AWS_WEB_IDENTITY_TOKEN_FILE");
    if (roleArn == null || tokenFile == null) {
      throw new CredentialsUnavailableException(key, "web identity needs a role_arn on the bucket"
          + " or AWS_ROLE_ARN, and AWS_WEB_IDENTITY_TOKEN_FILE (set by EKS for IRSA)", null);
    }
    String token;
    try {
      token = Files.readString(Path.of(tokenFile)).strip();
    } catch (IOException e) {
      throw new CredentialsUnavailableException(key, "cannot read the web identity token file "
          + tokenFile, e);
    }
    try (StsClient anonymous = client(AnonymousCredentialsProvider.create())) {
      return keys(anonymous.assumeRoleWithWebIdentity(AssumeRoleWithWebIdentityRequest.builder()
          .roleArn(roleArn)
          .webIdentityToken(token)
          .roleSessionName(settings.roleSessionName())
          .durationSeconds((int) settings.roleSessionDuration().toSeconds())
          .build()).credentials());
    } catch (SdkException e) {
      throw new CredentialsUnavailableException(key, "STS AssumeRoleWithWebIdentity failed: "
          + describe(e), e);
    }
  }

  @Override
  public void close() {
    fromDefaultChain.close();
    http.close();
  }

  /** STS's error code and status, or why it gave none; nothing else needs to travel. */
  static String describe(SdkException e) {
    if (e instanceof AwsServiceException service && service.awsErrorDetails() != null) {
      return service.awsErrorDetails().errorCode() + " (HTTP " + service.statusCode() + ")";
    }
    if (e instanceof SdkClientException client) {
      return UnansweredCalls.describe(client);
    }
    return e.getClass().getSimpleName();
  }

  private StsClient client(AwsCredentialsProvider identity) {
    StsClientBuilder builder = StsClient.builder()
        .region(settings.region())
        .httpClient(http)
        .overrideConfiguration(AwsCallLimits::applyTo)
        .credentialsProvider(identity);
    if (settings.stsEndpoint() != null) {
      builder.endpointOverride(settings.stsEndpoint());
    }
    return builder.build();
  }

  private static AwsKeys keys(Credentials credentials) {
    return new AwsKeys(credentials.accessKeyId(), credentials.secretAccessKey(),
        credentials.sessionToken(), credentials.expiration());
  }
}
