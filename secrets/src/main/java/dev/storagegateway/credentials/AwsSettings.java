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
            .map(AwsSettings::sessionDuration)
            .orElse(DEFAULT_SESSION),
        DEFAULT_SESSION_NAME);
  }

  /**
   * AssumeRole takes 900 to 43,200 seconds (and at most the role's maximum, 3,600 when the
   * gateway's own identity is an assumed role); out of that range every role bucket would fail
   * at its first request.
   */
  private static Duration sessionDuration(String seconds) {
    long parsed;
    try {
      parsed = Long.parseLong(seconds.strip());
    } catch (NumberFormatException e) {
      parsed = -1;
    }
    if (parsed < 900 || parsed > 43_200) {
      throw new IllegalArgumentException("GATEWAY_ROLE_SESSION_SECONDS must be a number of seconds"
          + " from 900 to 43200 (AssumeRole's range), not '" + seconds + "'");
    }
    return Duration.ofSeconds(parsed);
  }

  private static URI uri(Map<String, String> env, String name) {
    String value = env.get(name);
    return value == null || value.isBlank() ? null : URI.create(value);
  }
}
