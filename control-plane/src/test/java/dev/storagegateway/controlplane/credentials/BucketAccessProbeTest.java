package dev.storagegateway.controlplane.credentials;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storagegateway.controlplane.validation.EndpointPolicy;
import dev.storagegateway.controlplane.validation.HostResolver;
import dev.storagegateway.controlplane.validation.LookupShare;
import dev.storagegateway.credentials.AwsKeys;
import dev.storagegateway.credentials.GoogleAccessToken;
import dev.storagegateway.credentials.GoogleOAuthServer.ServiceAccount;
import dev.storagegateway.registry.AuthMode;
import dev.storagegateway.registry.Bucket;
import dev.storagegateway.registry.Provider;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class BucketAccessProbeTest {
  private static final LookupShare TESTS = LookupShare.caller("tests");

  /**
   * A service account's token goes to Google only: the registry keeps only gcp endpoints to
   * Google's hosts, so another bucket's endpoint (here one nobody listens on) never receives it.
   */
  @Test
  void aTokenIsNotSentForABucketThatIsNotGcp() {
    GoogleAccessToken token = new GoogleAccessToken("ya29.canary", Instant.now().plusSeconds(600),
        ServiceAccount.generate("probe@gen3-data.iam.gserviceaccount.com").signer());
    Bucket elsewhere = Bucket.builder().name("elsewhere").provider(Provider.S3_COMPATIBLE)
        .region("us-east-1").endpoint("https://127.0.0.1:9").authMode(AuthMode.STATIC)
        .secretRef("buckets/elsewhere.json").build();

    CheckStep step = new BucketAccessProbe(EndpointPolicy.strict()).probe(elsewhere, token, TESTS);

    assertThat(step.outcome()).isEqualTo(CheckStep.Outcome.failed);
    assertThat(step.detail()).contains("register it as gcp").doesNotContain("ya29.canary");
  }

  /**
   * The probe signs with the bucket's keys, so it connects as Envoy does: only to addresses the
   * endpoint policy admits, however the name resolves now. Here a name that passed registration
   * answers with the loopback, where something listens.
   */
  @Test
  void aNameRepointedIntoTheNetworkIsNotConnectedTo() throws Exception {
    try (ServerSocketChannel listener = ServerSocketChannel.open()) {
      listener.bind(new InetSocketAddress("127.0.0.1", 0)).configureBlocking(false);
      HostResolver rebound = host -> List.of(InetAddress.getByName("127.0.0.1"));
      Bucket bucket = Bucket.builder().name("rebound").provider(Provider.S3_COMPATIBLE)
          .region("us-east-1").authMode(AuthMode.STATIC).secretRef("buckets/rebound.json")
          .endpoint("http://rebound.example:" + listener.socket().getLocalPort()).build();

      CheckStep step = new BucketAccessProbe(new EndpointPolicy(true, List.of(), rebound))
          .probe(bucket, new AwsKeys("AKIACANARY", "canary-secret", null, null), TESTS);

      assertThat(step.outcome()).isEqualTo(CheckStep.Outcome.failed);
      assertThat(step.detail()).contains("internal addresses", "--allow-endpoint-cidr");
      assertThat(listener.accept()).as("no connection reached the listener").isNull();
    }
  }

  /**
   * An endpoint nobody listens on: the step says how the connection failed, never the address
   * the SDK's message names, which for a name would tell an owner where it points inside.
   */
  @Test
  void anEndpointNobodyListensOnIsARefusedConnectionWithoutItsAddress() throws Exception {
    int closed;
    try (ServerSocketChannel listener = ServerSocketChannel.open()) {
      closed = listener.bind(new InetSocketAddress("127.0.0.1", 0)).socket().getLocalPort();
    }
    HostResolver loopback = host -> List.of(InetAddress.getByName("127.0.0.1"));
    Bucket bucket = Bucket.builder().name("closed").provider(Provider.S3_COMPATIBLE)
        .region("us-east-1").authMode(AuthMode.STATIC).secretRef("buckets/closed.json")
        .endpoint("http://closed.example:" + closed).build();

    CheckStep step = new BucketAccessProbe(
        new EndpointPolicy(true, List.of("127.0.0.0/8"), loopback))
        .probe(bucket, new AwsKeys("AKIACANARY", "canary-secret", null, null), TESTS);

    assertThat(step.outcome()).isEqualTo(CheckStep.Outcome.failed);
    assertThat(step.detail())
        .isEqualTo("the storage endpoint could not be reached: the connection was refused");
  }

  /**
   * The probe (an owner may call validate) looks the endpoint up through the bounded lookups:
   * a name whose DNS never answers fails the step after the limit instead of holding the
   * admin API's worker for the resolver's timeout.
   */
  @Test
  @Timeout(10)
  void aNameThatNeverAnswersFailsTheStepAfterTheLookupLimit() {
    CountDownLatch never = new CountDownLatch(1);
    AtomicInteger lookups = new AtomicInteger();
    HostResolver hanging = host -> {
      lookups.incrementAndGet();
      try {
        never.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return List.of();
    };
    Bucket bucket = Bucket.builder().name("silent").provider(Provider.S3_COMPATIBLE)
        .region("us-east-1").authMode(AuthMode.STATIC).secretRef("buckets/silent.json")
        .ownerProject("/programs/SILENT").endpoint("https://s3.silent.example").build();
    try {
      CheckStep step = new BucketAccessProbe(new EndpointPolicy(false, List.of(), hanging))
          .probe(bucket, new AwsKeys("AKIACANARY", "canary-secret", null, null),
              LookupShare.caller("slow-dns"));

      assertThat(step.outcome()).isEqualTo(CheckStep.Outcome.failed);
      assertThat(step.detail()).isEqualTo("the storage endpoint's host 's3.silent.example' did"
          + " not resolve within 2 s; check its DNS, or retry in a few seconds");
      // One attempt: the SDK's retries would each wait out the limit on the same name.
      assertThat(lookups).hasValue(1);
    } finally {
      never.countDown();
    }
  }
}
