package dev.storagegateway.controlplane.migration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import dev.storagegateway.registry.AuthMode;
import dev.storagegateway.registry.Bucket;
import dev.storagegateway.registry.BucketStatus;
import dev.storagegateway.registry.Provider;
import dev.storagegateway.registry.RegistryJson;
import dev.storagegateway.secrets.SecretPayload;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Against {@link AdminApiContractDouble}; the real admin server has its own end-to-end test. */
class AdminApiClientTest {
  private AdminApiContractDouble server;
  private AdminApiClient client;

  @BeforeEach
  void start() throws Exception {
    server = AdminApiContractDouble.start(2);
    client = new AdminApiClient(
        HttpClient.newHttpClient(), server.url(), AdminApiContractDouble.TOKEN);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void listsEveryBucketAcrossPages() throws Exception {
    for (String name : new String[] {"e", "a", "c", "b", "d"}) {
      server.seed(bucket(name));
    }

    assertThat(client.listBuckets()).extracting(Bucket::name)
        .containsExactly("a", "b", "c", "d", "e");
    assertThat(server.listRequests()).hasSize(3)
        .allSatisfy(query -> assertThat(query).startsWith("limit=1000"));
    assertThat(server.listRequests().get(1)).contains("&page_token=");
  }

  /** A server answering the same page token again would otherwise be paged forever. */
  @Test
  void stopsAtAPageTokenAnsweredBefore() throws Exception {
    HttpServer looping = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    AtomicInteger pages = new AtomicInteger();
    looping.createContext("/", exchange -> {
      pages.incrementAndGet();
      byte[] body = "{\"buckets\": [], \"next_page_token\": \"again\"}"
          .getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    looping.start();
    try {
      AdminApiClient toLoop = new AdminApiClient(HttpClient.newHttpClient(),
          URI.create("http://127.0.0.1:" + looping.getAddress().getPort()), "token");

      assertThatThrownBy(toLoop::listBuckets).isInstanceOf(AdminApiException.class)
          .hasMessageContaining("next_page_token");
      assertThat(pages).hasValue(2);
    } finally {
      looping.stop(0);
    }
  }

  @Test
  void createsWithoutServerFieldsAndReturnsWhatTheServerAssigned() throws Exception {
    Bucket created = client.create(bucket("b").toBuilder().status(BucketStatus.SUSPENDED).build());

    assertThat(created.id()).isNotNull();
    assertThat(created.revision()).isEqualTo(1);
    assertThat(created.status()).isEqualTo(BucketStatus.SUSPENDED);
    assertThat(server.buckets()).containsKey("b");
  }

  @Test
  void createsWithASecretThatOnlyTheBackendKeeps() throws Exception {
    Bucket bucket = bucket("b").toBuilder().authMode(AuthMode.STATIC).build();
    SecretPayload keys = SecretPayload.of(Map.of(
        "access_key_id", "AKIAIOSFODNN7EXAMPLE",
        "secret_access_key", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"));

    Bucket created = client.createWithSecret(bucket, keys);

    assertThat(created.status()).isEqualTo(BucketStatus.ACTIVE);
    assertThat(created.secretRef()).isEqualTo("buckets/b.json");
    assertThat(server.secrets()).containsExactly(Map.entry("buckets/b.json", keys.fields()));
    assertThat(server.mutations()).containsExactly("POST /admin/buckets b create_secret");
  }

  @Test
  void validateReadsTheOutcomeAndTheFailingStep() throws Exception {
    server.seed(bucket("ok").toBuilder().authMode(AuthMode.STATIC).secretRef("buckets/ok.json")
        .build());
    server.seed(bucket("refused").toBuilder().authMode(AuthMode.STATIC)
        .secretRef("buckets/refused.json").build());
    server.failValidation("refused", "access", "the storage refused these credentials");

    BucketValidation healthy = client.validate("ok");
    BucketValidation unhealthy = client.validate("refused");

    assertThat(healthy.healthy()).isTrue();
    assertThat(healthy.failure()).isEmpty();
    assertThat(healthy.steps()).extracting(BucketValidation.Step::step)
        .containsExactly("rules", "resolve", "access");
    assertThat(unhealthy.healthy()).isFalse();
    assertThat(unhealthy.failure()).contains(new BucketValidation.Step(
        "access", "failed", "the storage refused these credentials"));
    assertThatThrownBy(() -> client.validate("absent"))
        .isInstanceOfSatisfying(AdminApiException.class,
            e -> assertThat(e.status()).isEqualTo(404));
  }

  @Test
  void patchesWithAMergePatchAgainstTheExpectedRevision() throws Exception {
    server.seed(bucket("b").toBuilder().revision(3).build());
    ObjectNode patch = RegistryJson.mapper().createObjectNode().put("region", "us-west-2");

    Bucket updated = client.patch("b", 3, patch);

    assertThat(updated.region()).isEqualTo("us-west-2");
    assertThat(updated.revision()).isEqualTo(4);
    assertThat(server.mutations()).containsExactly("PATCH /admin/buckets/b If-Match \"3\"");
  }

  @Test
  void aStaleRevisionIsRefusedWithTheServersCodeAndMessage() {
    server.seed(bucket("b").toBuilder().revision(5).build());

    assertThatThrownBy(() -> client.patch("b", 4, RegistryJson.mapper().createObjectNode()))
        .isInstanceOfSatisfying(AdminApiException.class, e -> {
          assertThat(e.status()).isEqualTo(412);
          assertThat(e.code()).isEqualTo("precondition_failed");
          assertThat(e.getMessage()).isEqualTo("412 precondition_failed: bucket 'b' is at"
              + " revision 5 (ETag \"5\"), which If-Match \"4\" does not name; fetch it again"
              + " and reapply your change");
        });
  }

  @Test
  void fieldDetailsAreKeptInTheMessage() {
    server.refuse("b", 400, "invalid_request", "the bucket is not valid",
        Map.of("region", "must not be blank"));

    assertThatThrownBy(() -> client.create(bucket("b")))
        .isInstanceOf(AdminApiException.class)
        .hasMessage("400 invalid_request: the bucket is not valid (region: must not be blank)");
  }

  @Test
  void aConflictIsReportedAsSuch() {
    server.seed(bucket("b"));

    assertThatThrownBy(() -> client.create(bucket("b")))
        .isInstanceOfSatisfying(AdminApiException.class,
            e -> assertThat(e.status()).isEqualTo(409));
  }

  @Test
  void aWrongTokenIsUnauthenticated() {
    AdminApiClient stranger = new AdminApiClient(HttpClient.newHttpClient(), server.url(), "wrong");

    assertThatThrownBy(stranger::listBuckets)
        .isInstanceOfSatisfying(AdminApiException.class, e -> {
          assertThat(e.status()).isEqualTo(401);
          assertThat(e.code()).isEqualTo("unauthenticated");
        });
  }

  @Test
  void somethingThatIsNotTheAdminApiIsSaidToBeSo() {
    AdminApiClient lost = new AdminApiClient(HttpClient.newHttpClient(),
        URI.create(server.url() + "/somewhere-else/"), AdminApiContractDouble.TOKEN);

    assertThatThrownBy(lost::listBuckets)
        .isInstanceOfSatisfying(AdminApiException.class, e -> {
          assertThat(e.status()).isEqualTo(404);
          assertThat(e.code()).isEqualTo("unexpected_response");
        });
  }

  private static Bucket bucket(String name) {
    return Bucket.builder().name(name).provider(Provider.AWS).region("us-east-1")
        .authMode(AuthMode.PUBLIC).build();
  }
}
