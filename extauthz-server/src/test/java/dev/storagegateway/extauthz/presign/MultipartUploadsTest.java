package dev.storagegateway.extauthz.presign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.storagegateway.extauthz.check.CheckDenied;
import dev.storagegateway.registry.address.ReachableAddresses;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.channels.ServerSocketChannel;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.regions.Region;

/**
 * The gateway's own multipart calls carry a signature made with the bucket's keys, so they
 * connect only where the control plane would let Envoy connect: the storage's host must resolve
 * to an address the endpoint rules admit when the call is made, not only when it was registered.
 */
class MultipartUploadsTest {
  private static final AwsRequestOverrideConfiguration KEYS =
      AwsRequestOverrideConfiguration.builder()
          .credentialsProvider(StaticCredentialsProvider.create(
              AwsBasicCredentials.create("AKIACANARY", "canary-secret")))
          .build();

  @Test
  void aHostResolvingOnlyIntoTheNetworkIsNotConnectedTo() throws Exception {
    try (ServerSocketChannel listener = ServerSocketChannel.open();
        MultipartUploads uploads = new MultipartUploads(ReachableAddresses.allowing(List.of()))) {
      listener.bind(new InetSocketAddress("127.0.0.1", 0)).configureBlocking(false);
      S3Target target = new S3Target(
          URI.create("http://localhost:" + listener.socket().getLocalPort()), Region.US_EAST_1);
      assertThatThrownBy(() -> uploads.start(target, "data", "big.bin", KEYS))
          .isInstanceOfSatisfying(CheckDenied.class, denied -> {
            assertThat(denied.denial().status()).isEqualTo(502);
            assertThat(denied.denial().message())
                .contains("internal addresses", "--allow-endpoint-cidr")
                .doesNotContain("127.0.0.1", "canary");
          });
      assertThat(listener.accept()).as("no connection reached the listener").isNull();
    }
  }
}
