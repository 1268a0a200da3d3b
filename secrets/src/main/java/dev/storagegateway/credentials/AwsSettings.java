package dev.storagegateway.credentials;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.regions.Region;

/**
 * How this process talks to AWS: the region, endpoint overrides (moto in tests, a VPC endpoint
 * or a GovCloud partition in production) and the AssumeRole session it asks for.
 */
public record AwsSettings(Region region, URI stsEndpoint, URI secretsManagerEndpoint,
    Duration roleSessionDuration, String roleSessionName) {

  public static final Duration DEFAULT_SESSION = Duration.ofHours(1);
  public static final String DEFAULT_SESSION_NAME = "storage-gateway";

  /**
   * Reads {@code AWS_REGION} (default us-east-1), {@code GATEWAY_STS_ENDPOINT},
   * {@code GATEWAY_SECRETS_MANAGER_ENDPOINT} and {@code GATEWAY_ROLE_SESSION_SECONDS}.
   */
  public static AwsSettings fromEnvironment(Map<String, String> env) {
    return new AwsSettings(
        Region.of(env.getOrDefault("AWS_REGION", env.getOrDefault("AWS_DEFAULT_REGION",
            "us-east-1"))),
        uri(env, "GATEWAY_STS_ENDPOINT"),
        uri(env, "GATEWAY_SECRETS_MANAGER_ENDPOINT"),
        Optional.ofNullable(env.get("GATEWAY_ROLE_SESSION_SECONDS"))
            .map(seconds -> Duration.ofSeconds(Long.parseLong(seconds)))
            .orElse(DEFAULT_SESSION),
        DEFAULT_SESSION_NAME);
  }

  private static URI uri(Map<String, String> env, String name) {
    String value = env.get(name);
    return value == null || value.isBlank() ? null : URI.create(value);
  }
}
