package dev.storagegateway.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HttpArboristClientMappingTest {

  private static final String TOKEN = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiI0MiJ9.c2lnbmF0dXJl";
  private static final CallerIdentity ALICE = new CallerIdentity("42", "alice", TOKEN);
  private static final String ALICE_MAPPING =
      """
      {"/programs/DEV/projects/test": [{"service": "fence", "method": "read-storage"},
                                       {"service": "fence", "method": "write-storage"}],
       "/open": [{"service": "*", "method": "read-storage"}]}
      """;
  private static final ObjectMapper JSON = new ObjectMapper();

  private ArboristMappingServer arborist;
  private HttpArboristClient client;

  @BeforeEach
  void startArborist() throws Exception {
    arborist = new ArboristMappingServer();
    arborist.user("alice", TOKEN, ALICE_MAPPING);
    arborist.anonymous("{\"/open\": [{\"service\": \"*\", \"method\": \"read-storage\"}]}");
    // Generous: the first call of a run pays for the HTTP client and Jackson warming up.
    client = new HttpArboristClient(arborist.baseUrl(), Duration.ofSeconds(30));
  }

  @AfterEach
  void stopArborist() {
    arborist.close();
  }

  @Test
  void aCallerWithATokenIsMappedFromTheToken() {
    AuthMapping mapping = client.mappingFor(ALICE);

    assertThat(arborist.lastMethod()).isEqualTo("GET");
    assertThat(arborist.lastAuthorization()).isEqualTo("Bearer " + TOKEN);
    assertThat(arborist.lastQuery()).isNull();
    assertThat(mapping.allows("/programs/DEV/projects/test/x", "fence", "write-storage")).isTrue();
    assertThat(mapping.allows("/open/data", "indexd", "read-storage")).isTrue();
    assertThat(mapping.allows("/programs/DEV", "fence", "read-storage")).isFalse();
    assertThat(mapping.size()).isEqualTo(3);
  }

  @Test
  void anAnonymousCallerGetsTheAnonymousMapping() {
    AuthMapping mapping = client.mappingFor(null);

    assertThat(arborist.lastMethod()).isEqualTo("GET");
    assertThat(arborist.lastAuthorization()).isNull();
    assertThat(mapping.allows("/open/data", "fence", "read-storage")).isTrue();
    assertThat(mapping.allows("/programs/DEV/projects/test", "fence", "read-storage")).isFalse();
  }

  @Test
  void aCallerWithoutATokenIsNamedInAPostBecauseGetIgnoresUsername() throws Exception {
    AuthMapping mapping = client.mappingFor(CallerIdentity.withoutToken("42", "alice"));

    assertThat(arborist.lastMethod()).isEqualTo("POST");
    assertThat(arborist.lastAuthorization()).isNull();
    assertThat(JSON.readTree(arborist.lastBody()))
        .isEqualTo(JSON.readTree("{\"username\": \"alice\"}"));
    assertThat(mapping.allows("/programs/DEV/projects/test", "fence", "read-storage")).isTrue();
  }

  /** A verdict on the token, to be answered 401, never a mapping remembered as empty. */
  @Test
  void aTokenArboristCannotDecodeIsRefusedAsTheToken() {
    assertThatThrownBy(() ->
        client.mappingFor(new CallerIdentity("9", "mallory", "eyJ.not-known-to.arborist")))
        .isInstanceOf(ArboristRefusedTokenException.class)
        .hasMessageStartingWith("Arborist refused the token")
        .message()
        .doesNotContain("eyJ.not-known-to.arborist");
  }

  @Test
  void anErrorIsUnavailableAndNeverQuotesTheToken() {
    arborist.failWith(500, "{\"error\": {\"message\": \"" + TOKEN + "\", \"code\": 500}}");

    assertThatThrownBy(() -> client.mappingFor(ALICE))
        .isInstanceOf(ArboristUnavailableException.class)
        .hasMessageContaining("HTTP 500 to a mapping request")
        .message()
        .doesNotContain(TOKEN);
  }

  @Test
  void aBadRequestWithoutATokenIsUnavailableNotEmpty() {
    arborist.failWith(400, "{\"error\": {\"message\": \"bad input\", \"code\": 400}}");

    assertThatThrownBy(() -> client.mappingFor(CallerIdentity.withoutToken("42", "alice")))
        .isInstanceOf(ArboristUnavailableException.class)
        .hasMessageContaining("HTTP 400");
    assertThatThrownBy(() -> client.mappingFor(null))
        .isInstanceOf(ArboristUnavailableException.class);
  }

  @Test
  void aBodyThatIsNotAMappingIsUnavailableNotHalfRead() {
    arborist.failWith(200, "<html>proxy error</html>");
    assertThatThrownBy(() -> client.mappingFor(ALICE))
        .isInstanceOf(ArboristUnavailableException.class)
        .hasMessageContaining("not JSON");

    arborist.failWith(200, "[\"/programs\"]");
    assertThatThrownBy(() -> client.mappingFor(ALICE))
        .hasMessageContaining("not a JSON object");

    arborist.failWith(200, "{\"/open\": {\"service\": \"fence\"}}");
    assertThatThrownBy(() -> client.mappingFor(ALICE))
        .hasMessageContaining("not a list");

    arborist.failWith(200,
        "{\"/open\": [{\"service\": \"fence\", \"method\": \"read-storage\"}, {\"service\": 1}]}");
    assertThatThrownBy(() -> client.mappingFor(ALICE))
        .hasMessageContaining("no textual service and method");
  }

  @Test
  void anEmptyMappingAllowsNothing() {
    arborist.failWith(200, "{}");

    assertThat(client.mappingFor(ALICE)).isSameAs(AuthMapping.NONE);
  }
}
