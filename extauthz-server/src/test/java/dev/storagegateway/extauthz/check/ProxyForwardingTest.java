package dev.storagegateway.extauthz.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.storagegateway.registry.RouteSettings;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProxyForwardingTest {
  @Test
  void takesAnAuthorityAsAHostHeaderWritesItOrBucketEndpoint() {
    for (String target : List.of("minio.storage.svc:9000", "s3.us-east-1.amazonaws.com",
        "127.0.0.1:9000", "[::1]:9000", "[2001:db8::7]", "minio_1:9000", "bucket-endpoint")) {
      assertThat(new ProxyForwarding(" " + target + " ").target()).isEqualTo(target);
    }
    assertThat(new ProxyForwarding("Storage.GoogleAPIs.com.:0443").target())
        .isEqualTo("storage.googleapis.com:443");
    assertThat(new ProxyForwarding("Bucket-Endpoint").target()).isEqualTo("bucket-endpoint");
  }

  @Test
  void refusesAnythingElseSayingWhatItTakes() {
    for (String target : List.of("", "http://minio:9000", "minio:9000/path", "minio:0",
        "minio:65536", "minio:", "user@minio:9000", "minio 9000", "-minio", "[::1", "a,b",
        "a..b", "a.-b", "[:]", "[...]", "[1.2.3.4]", "[::1]x", "minio:９０００",
        "\u212Aeycloak:8080")) {
      assertThatThrownBy(() -> new ProxyForwarding(target))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("--http-forwards-to takes the host and port of the storage")
          .hasMessageEndingWith("not '" + target + "'");
    }
  }

  @Test
  void agreesWithTheSameAuthorityInAnySpelling() {
    ProxyForwarding forwarding = new ProxyForwarding("MinIO.storage.svc:9000");
    assertThat(forwarding.agreesWith("minio.STORAGE.svc:9000 ")).isTrue();
    assertThat(forwarding.agreesWith("minio.storage.svc.:9000")).isTrue();
    assertThat(forwarding.agreesWith("minio.storage.svc")).isFalse();
    assertThat(forwarding.agreesWith("minio.storage.svc:9001")).isFalse();
    assertThat(forwarding.agreesWith("minio.storage.svc:9000,minio.storage.svc:9000")).isFalse();
    assertThat(forwarding.agreesWith(RouteSettings.FORWARDS_TO_BUCKET_ENDPOINT)).isFalse();
  }
}
