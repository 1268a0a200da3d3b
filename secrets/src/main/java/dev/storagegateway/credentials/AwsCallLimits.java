package dev.storagegateway.credentials;

import java.time.Duration;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;

/**
 * How long the gateway waits for Secrets Manager and STS. The SDK's own limits are 30 s for
 * each read on a connection and none for a call, and it tries a call four times: a service that
 * accepts connections and never answers held a call for 121 s (measured). Meanwhile a
 * {@code create_secret} holds its database connection and its project's lock, and a credential
 * load holds its loader thread.
 */
final class AwsCallLimits {
  /** One HTTP attempt; both services answer well under a second when they are well. */
  static final Duration ATTEMPT = Duration.ofSeconds(5);
  /** All attempts of one call, back-off included: room for a retry after a slow attempt. */
  static final Duration CALL = Duration.ofSeconds(12);

  private AwsCallLimits() {
  }

  static void applyTo(ClientOverrideConfiguration.Builder configuration) {
    configuration.apiCallAttemptTimeout(ATTEMPT).apiCallTimeout(CALL);
  }
}
