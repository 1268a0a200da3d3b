package dev.storagegateway.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import org.junit.jupiter.api.Test;

class StorageEndpointTest {
  private static StorageEndpoint at(String endpoint) {
    return StorageEndpoint.of(Bucket.builder().id(UUID.randomUUID()).name("b")
        .provider(Provider.S3_COMPATIBLE).endpoint(endpoint).authMode(AuthMode.STATIC)
        .secretRef("b.json").status(BucketStatus.ACTIVE).build());
  }

  @Test
  void theAuthorityLeavesOutTheSchemesDefaultPortAndTheTrailingDot() {
    assertThat(at("https://S3.Example.org.").authority()).isEqualTo("s3.example.org");
    assertThat(at("http://minio:80").authority()).isEqualTo("minio");
    assertThat(at("https://minio:80").authority()).isEqualTo("minio:80");
    assertThat(at("http://[::1]:9000").authority()).isEqualTo("[::1]:9000");
  }

  @Test
  void aHostHeaderNamesTheStorageWithOrWithoutItsDefaultPort() {
    StorageEndpoint aws = at("https://s3.us-east-1.amazonaws.com");
    assertThat(aws.isNamedBy("s3.us-east-1.amazonaws.com")).isTrue();
    assertThat(aws.isNamedBy("s3.us-east-1.amazonaws.com:443")).isTrue();
    assertThat(aws.isNamedBy("S3.US-EAST-1.amazonaws.com.")).isTrue();
    assertThat(aws.isNamedBy("s3.us-east-1.amazonaws.com.:443")).isTrue();

    StorageEndpoint minio = at("http://127.0.0.1:9000");
    assertThat(minio.isNamedBy("127.0.0.1:9000")).isTrue();
    assertThat(at("http://[::1]:9000").isNamedBy("[::1]:9000")).isTrue();
    assertThat(at("http://[::1]").isNamedBy("[::1]")).isTrue();
  }

  @Test
  void anotherHostOrPortIsAnotherStorage() {
    StorageEndpoint aws = at("https://s3.us-east-1.amazonaws.com");
    // No port means this storage's default, and an http storage's is 80, not 443.
    assertThat(at("http://minio:443").isNamedBy("minio")).isFalse();
    assertThat(at("https://minio").isNamedBy("minio:80")).isFalse();
    assertThat(aws.isNamedBy("s3.us-east-1.amazonaws.com:80")).isFalse();
    assertThat(aws.isNamedBy("s3.us-west-2.amazonaws.com")).isFalse();
    assertThat(aws.isNamedBy("us-east-1.amazonaws.com")).isFalse();
    assertThat(aws.isNamedBy("evil.s3.us-east-1.amazonaws.com")).isFalse();
    assertThat(aws.isNamedBy("s3.us-east-1.amazonaws.com..")).isFalse();
    assertThat(aws.isNamedBy("s3.us-east-1.amazonaws.com:")).isFalse();
    assertThat(aws.isNamedBy("s3.us-east-1.amazonaws.com:0443x")).isFalse();
    assertThat(aws.isNamedBy("s3.us-east-1.amazonaws.com:+443")).isFalse();
    assertThat(aws.isNamedBy("s3.us-east-1.amazonaws.com:100000443")).isFalse();
    assertThat(aws.isNamedBy("")).isFalse();
    assertThat(aws.isNamedBy("s3.us-east-1.amazonaws.com:\uFF14\uFF14\uFF13")).isFalse();
    assertThat(at("http://keycloak:8080").isNamedBy("\u212Aeycloak:8080")).isFalse();
    assertThat(at("http://[::1]:9000").isNamedBy("::1:9000")).isFalse();
    assertThat(at("http://[::1]:9000").isNamedBy("[::2]:9000")).isFalse();
  }
}
