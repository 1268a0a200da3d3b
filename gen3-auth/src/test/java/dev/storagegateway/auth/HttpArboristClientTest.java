package dev.storagegateway.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HttpArboristClientTest {

  private static final String TOKEN = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiI0MiJ9.c2lnbmF0dXJl";
  private static final CallerIdentity ALICE = new CallerIdentity("42", "alice@example.org", TOKEN);
  private static final ObjectMapper JSON = new ObjectMapper();

  private FakeArborist arborist;
  private HttpArboristClient client;

  @BeforeEach
  void startArborist() throws Exception {
    arborist = new FakeArborist("");
    // Generous: the first call of a run pays for the HTTP client and Jackson warming up.
    client = new HttpArboristClient(arborist.baseUrl(""), Duration.ofSeconds(30));
  }

  @AfterEach
  void stopArborist() {
    arborist.close();
  }

  @Test
  void forwardsTheCallersTokenInArboristsRequestShape() throws Exception {
    arborist.answer(200, "{\"auth\": true}");

    boolean allowed = client.isAllowed(readStorage(ALICE));

    assertThat(allowed).isTrue();
    assertThat(arborist.lastMethod()).isEqualTo("POST");
    assertThat(arborist.lastContentType()).isEqualTo("application/json");
    assertThat(arborist.lastRequest())
        .isEqualTo(
            JSON.readTree(
                """
                {"user": {"token": "%s"},
                 "requests": [{"resource": "/programs/DEV/projects/test",
                               "action": {"service": "fence", "method": "read-storage"}}]}
                """
                    .formatted(TOKEN)));
  }

  @Test
  void aCallerWithoutATokenIsNamedByUsername() throws Exception {
    arborist.answer(200, "{\"auth\": true}");

    client.isAllowed(readStorage(CallerIdentity.withoutToken("42", "alice@example.org")));

    assertThat(arborist.lastRequest())
        .isEqualTo(
            JSON.readTree(
                """
                {"user": {"user_id": "alice@example.org"},
                 "requests": [{"resource": "/programs/DEV/projects/test",
                               "action": {"service": "fence", "method": "read-storage"}}]}
                """));
  }

  @Test
  void anAnonymousRequestCarriesNoUser() throws Exception {
    client.isAllowed(readStorage(null));

    assertThat(arborist.lastRequest())
        .isEqualTo(
            JSON.readTree(
                """
                {"requests": [{"resource": "/programs/DEV/projects/test",
                               "action": {"service": "fence", "method": "read-storage"}}]}
                """));
  }

  @Test
  void denies() {
    arborist.answer(200, "{\"auth\": false}");

    assertThat(client.isAllowed(readStorage(ALICE))).isFalse();
  }

  /** A verdict on the token, not on the resource: the caller must fetch a new one. */
  @Test
  void aTokenArboristCannotDecodeIsRefusedAsTheToken() {
    arborist.answer(401, "{\"error\": {\"message\": \"failed to decode token:\\nexpired\","
        + " \"code\": 401}}");

    assertThatThrownBy(() -> client.isAllowed(readStorage(ALICE)))
        .isInstanceOf(ArboristRefusedTokenException.class)
        .hasMessage("Arborist refused the token: failed to decode token: expired");
  }

  /** Arborist answers a list of requests true only when every one is allowed. */
  @Test
  void everyResourceIsAskedAboutInOneRequest() throws Exception {
    arborist.answer(200, "{\"auth\": true}");

    boolean allowed = client.isAllowedOnEvery(ALICE, List.of("/programs/a", "/programs/b"),
        "fence", "read-storage");

    assertThat(allowed).isTrue();
    assertThat(arborist.lastRequest()).isEqualTo(JSON.readTree("""
        {"user": {"token": "%s"},
         "requests": [{"resource": "/programs/a",
                       "action": {"service": "fence", "method": "read-storage"}},
                      {"resource": "/programs/b",
                       "action": {"service": "fence", "method": "read-storage"}}]}
        """.formatted(TOKEN)));
  }

  /**
   * Without a token there is nothing for Arborist to refuse to decode: a 401 then comes from
   * something between (a proxy wanting credentials), and a denial would be cached for callers.
   */
  @Test
  void a401ToARequestWithoutATokenIsUnavailableNotDenied() {
    arborist.answer(401, "{\"error\": {\"message\": \"authentication required\"}}");

    for (CallerIdentity caller : new CallerIdentity[] {
        null, CallerIdentity.withoutToken("42", "alice@example.org")}) {
      assertThatThrownBy(() -> client.isAllowed(readStorage(caller)))
          .isInstanceOf(ArboristUnavailableException.class)
          .hasMessageContaining("HTTP 401");
    }
  }

  @Test
  void aServerErrorIsUnavailableNotDenied() {
    arborist.answer(500, "{\"error\": {\"message\": \"" + TOKEN + "\", \"code\": 500}}");

    assertThatThrownBy(() -> client.isAllowed(readStorage(ALICE)))
        .isInstanceOf(ArboristUnavailableException.class)
        .hasMessageContaining("HTTP 500")
        .message()
        .doesNotContain(TOKEN);
  }

  @Test
  void aBadRequestIsUnavailableNotDenied() {
    arborist.answer(400, "{\"error\": {\"message\": \"bad input\", \"code\": 400}}");

    assertThatThrownBy(() -> client.isAllowed(readStorage(ALICE)))
        .isInstanceOf(ArboristUnavailableException.class)
        .hasMessageContaining("HTTP 400");
  }

  @Test
  void aBodyThatIsNotJsonIsUnavailable() {
    arborist.answer(200, "<html>proxy error</html>");

    assertThatThrownBy(() -> client.isAllowed(readStorage(ALICE)))
        .isInstanceOf(ArboristUnavailableException.class)
        .hasMessageContaining("not JSON");
  }

  @Test
  void anAnswerWithoutABooleanAuthIsUnavailable() {
    arborist.answer(200, "{\"auth\": \"yes\"}");

    assertThatThrownBy(() -> client.isAllowed(readStorage(ALICE)))
        .isInstanceOf(ArboristUnavailableException.class)
        .hasMessageContaining("'auth'");
  }

  @Test
  void aRefusedConnectionIsUnavailable() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress("127.0.0.1", 0));
      closedPort = socket.getLocalPort();
    }
    HttpArboristClient nowhere =
        new HttpArboristClient(URI.create("http://127.0.0.1:" + closedPort));

    assertThatThrownBy(() -> nowhere.isAllowed(readStorage(ALICE)))
        .isInstanceOf(ArboristUnavailableException.class)
        .hasMessageContaining("could not connect to Arborist")
        .message()
        .doesNotContain(TOKEN);
  }

  @Test
  void aSlowArboristIsUnavailableOnceTheTimeoutPasses() {
    arborist.answerAfter(Duration.ofSeconds(10));
    HttpArboristClient impatient =
        new HttpArboristClient(arborist.baseUrl(""), Duration.ofMillis(300));

    long started = System.nanoTime();
    assertThatThrownBy(() -> impatient.isAllowed(readStorage(ALICE)))
        .isInstanceOf(ArboristUnavailableException.class)
        .hasMessageContaining("did not answer within 300 ms");
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
  }

  @Test
  void arboristMayLiveUnderAPathPrefix() throws Exception {
    try (FakeArborist prefixed = new FakeArborist("/arborist")) {
      prefixed.answer(200, "{\"auth\": true}");
      HttpArboristClient viaProxy = new HttpArboristClient(prefixed.baseUrl("/arborist/"));

      assertThat(viaProxy.isAllowed(readStorage(ALICE))).isTrue();
      assertThat(prefixed.lastRequest()).isNotNull();
    }
  }

  private static AuthorizationRequest readStorage(CallerIdentity caller) {
    return new AuthorizationRequest(caller, "/programs/DEV/projects/test", "fence", "read-storage");
  }
}
