package dev.storagegateway.extauthz.clients;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.storagegateway.extauthz.GatewayFixture;
import dev.storagegateway.testpeers.CommandLine;
import dev.storagegateway.testpeers.CommandLine.Result;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code deploy/clients/gen3-gateway-credentials} against the data plane's STS endpoint: what it
 * prints for clients, and what it says when the gateway refuses the token. The clients that run
 * it are in {@link UnmodifiedClientsTest}.
 */
class CredentialHelperTest {
  @TempDir
  static Path folder;

  private static GatewayFixture gateway;
  private static URI endpoint;

  @BeforeAll
  static void start() {
    gateway = GatewayFixture.start(folder);
    endpoint = URI.create("http://127.0.0.1:" + gateway.plane().httpPort());
  }

  @AfterAll
  static void stop() throws InterruptedException {
    if (gateway != null) {
      gateway.close();
    }
  }

  @Test
  void printsCredentialProcessJsonForTheTokenInTheDefaultFile() throws IOException {
    UserHome home = UserHome.create(folder.resolve("json"), gateway.tokenFor("alice"));
    Result result = helper(home, Map.of()).run("--endpoint", endpoint.toString());

    assertThat(result.succeeded()).as("%s", result).isTrue();
    JsonNode credentials = new ObjectMapper().readTree(result.output());
    assertThat(credentials.get("Version").asInt()).isEqualTo(1);
    assertThat(credentials.get("AccessKeyId").asText()).matches("ASIA[A-Z2-7]{16}");
    assertThat(credentials.get("SecretAccessKey").asText()).hasSize(40);
    assertThat(credentials.get("SessionToken").asText()).isNotBlank();
    assertThat(Instant.parse(credentials.get("Expiration").asText()))
        .isBetween(Instant.now().plus(Duration.ofMinutes(19)),
            Instant.now().plus(Duration.ofMinutes(21)));
  }

  @Test
  void exportsTheKeysForAShellToEvaluate() {
    String token = gateway.tokenFor("bob");
    UserHome home = UserHome.create(folder.resolve("env"), token);
    String script = "eval \"$('" + ClientConfigurations.helper() + "' --endpoint " + endpoint
        + " --env)\" && printf '%s %s' \"$AWS_ACCESS_KEY_ID\" \"${#AWS_SECRET_ACCESS_KEY}\"";
    // The token in the environment instead of the file, which holds something else.
    home.write(UserHome.TOKEN_FILE, "not-a-token");
    Result result = home.commandLine(List.of("sh", "-c", script), Map.of("GEN3_TOKEN", token))
        .run();

    assertThat(result.succeeded()).as("%s", result).isTrue();
    assertThat(result.output()).matches("ASIA[A-Z2-7]{16} 40");
  }

  @Test
  void saysWhyTheGatewayRefusedTheToken() {
    String expired = gateway.issuer().mint("alice", Instant.now().minus(Duration.ofHours(1)),
        Duration.ofMinutes(20));
    UserHome home = UserHome.create(folder.resolve("expired"), expired);
    Result result = helper(home, Map.of()).run("--endpoint", endpoint.toString());

    assertThat(result.succeeded()).as("%s", result).isFalse();
    assertThat(result.output()).contains("gen3-gateway-credentials: the gateway refused the"
        + " token: ExpiredTokenException").doesNotContain("<secret>");
  }

  /** Plain http carries the token readably; only this machine is spared the rule. */
  @Test
  void refusesToSendTheTokenInClearTextBeyondThisMachine() throws IOException {
    UserHome home = UserHome.create(folder.resolve("clear-text"), "gen3-token-canary");
    for (String endpoint : List.of("http://gateway.example.org", "http://127.example.org:80",
        "http://[fe80::1]:9002")) {
      Result result = helper(home, Map.of()).run("--endpoint", endpoint);

      assertThat(result.succeeded()).as("%s", result).isFalse();
      assertThat(result.output()).contains("refusing to send the Gen3 token to " + endpoint
          + " in clear text: use https").doesNotContain("gen3-token-canary");
    }
  }

  /** Each usage mistake is named above the usage, which alone left the user guessing. */
  @Test
  void namesTheUsageMistake() throws IOException {
    UserHome home = UserHome.create(folder.resolve("usage"), "unused");

    assertThat(helper(home, Map.of()).run("--endpoint", "127.0.0.1:9002").output())
        .contains("--endpoint takes a URL with its scheme, e.g. https://127.0.0.1:9002,"
            + " not 127.0.0.1:9002", "usage: gen3-gateway-credentials --endpoint URL");
    assertThat(helper(home, Map.of()).run().output()).contains("--endpoint is required");
    assertThat(helper(home, Map.of()).run("--endpoint", endpoint.toString(), "--verbose")
        .output()).contains("unknown option --verbose");
    assertThat(helper(home, Map.of()).run("--endpoint").output())
        .contains("--endpoint needs a URL");
  }

  @Test
  void namesAMissingTokenFile() throws IOException {
    UserHome home = UserHome.create(folder.resolve("missing"), "unused");
    Files.delete(home.path().resolve(UserHome.TOKEN_FILE));
    Result result = helper(home, Map.of()).run("--endpoint", endpoint.toString());

    assertThat(result.succeeded()).as("%s", result).isFalse();
    assertThat(result.output()).contains("cannot read the Gen3 token file "
        + home.path().resolve(UserHome.TOKEN_FILE));
  }

  /**
   * What a Gen3 user tries first: a file that is empty, or holds the API key Fence hands out
   * (credentials.json) rather than an access token. Neither reaches the gateway.
   */
  @Test
  void namesATokenFileThatHoldsNoAccessToken() throws IOException {
    UserHome empty = UserHome.create(folder.resolve("empty-token"), "unused");
    empty.write(UserHome.TOKEN_FILE, "\n");
    assertThat(helper(empty, Map.of()).run("--endpoint", endpoint.toString()).output())
        .contains("the token file " + empty.path().resolve(UserHome.TOKEN_FILE) + " is empty");

    UserHome apiKey = UserHome.create(folder.resolve("api-key"),
        "{\"api_key\": \"eyJhbGciOi.x.y\", \"key_id\": \"4f1c\"}");
    Result refused = helper(apiKey, Map.of()).run("--endpoint", endpoint.toString());
    assertThat(refused.succeeded()).isFalse();
    assertThat(refused.output()).contains("holds JSON, not an access token: a Gen3 API key"
        + " (credentials.json) must first be traded for one at Fence"
        + " (POST /user/credentials/api/access_token)");

    UserHome garbage = UserHome.create(folder.resolve("not-a-jwt"), "not-a-token");
    assertThat(helper(garbage, Map.of()).run("--endpoint", endpoint.toString()).output())
        .contains("does not hold a Gen3 access token (a JWT)");
  }

  /**
   * An endpoint with Fence's path, or one that is not the gateway at all: the answer is no STS
   * answer, and the helper says where the endpoint should point instead of quoting an S3 error
   * or curl's bare status.
   */
  @Test
  void saysWhenNoStsEndpointAnswersAtTheEndpoint() {
    UserHome home = UserHome.create(folder.resolve("wrong-endpoint"), gateway.tokenFor("alice"));
    for (String wrong : List.of(endpoint + "/user", endpoint + "/nowhere")) {
      Result result = helper(home, Map.of()).run("--endpoint", wrong);

      assertThat(result.succeeded()).as("%s", result).isFalse();
      assertThat(result.output()).contains("no STS endpoint answered at " + wrong + "/_sts/"
          + " (HTTP 4").contains("without a path").doesNotContain("curl: (22)");
    }
  }

  private static CommandLine helper(UserHome home, Map<String, String> environment) {
    return home.commandLine(List.of(ClientConfigurations.helper().toString()), environment);
  }
}
