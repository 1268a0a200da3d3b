package dev.storagegateway.extauthz.sts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.storagegateway.auth.LocalTokenIssuer;
import dev.storagegateway.extauthz.GatewayFixture;
import dev.storagegateway.testpeers.Peers;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleWithWebIdentityCredentialsProvider;
import software.amazon.awssdk.services.sts.auth.StsWebIdentityTokenFileCredentialsProvider;
import software.amazon.awssdk.services.sts.model.AssumeRoleWithWebIdentityResponse;
import software.amazon.awssdk.services.sts.model.StsException;

/**
 * The data plane's STS endpoint as the AWS SDK v2 and the aws cli (v1) use it: a Gen3 token in,
 * temporary credentials out, in STS's XML shape; refusals in STS's error shape and codes. Nothing
 * it is given or gives out reaches a log line.
 */
class StsEndpointTest {
  private static final String ROLE = "arn:aws:iam::000000000000:role/gen3-user";

  @TempDir
  static Path folder;

  private static GatewayFixture gateway;
  private static ListAppender<ILoggingEvent> logs;
  private static final List<String> secrets = new ArrayList<>();

  @BeforeAll
  static void start() {
    logs = new ListAppender<>();
    logs.start();
    root().addAppender(logs);
    gateway = GatewayFixture.start(folder);
  }

  @AfterAll
  static void stop() throws InterruptedException {
    if (gateway != null) {
      gateway.close();
    }
    root().detachAppender(logs);
    assertThat(logs.list).isNotEmpty().allSatisfy(event -> {
      String line = event.getFormattedMessage() + " "
            + (event.getThrowableProxy() == null ? ""
                : ThrowableProxyUtil.asString(event.getThrowableProxy()));
      for (String secret : secrets) {
        assertThat(line).doesNotContain(secret);
      }
    });
  }

  @Test
  void theSdkTradesAGen3TokenForCredentialsThatEndWithTheToken() {
    String token = token("alice", Duration.ofMinutes(20));
    try (StsClient sts = sts("/_sts/")) {
      AssumeRoleWithWebIdentityResponse response = sts.assumeRoleWithWebIdentity(b -> b
          .roleArn(ROLE).roleSessionName("alice-laptop").webIdentityToken(token));
      keep(response.credentials().secretAccessKey(), response.credentials().sessionToken());
      assertThat(response.credentials().accessKeyId()).matches("ASIA[A-Z2-7]{16}");
      assertThat(response.credentials().secretAccessKey()).hasSize(40);
      // The default duration is an hour, but the Gen3 token ends in 20 minutes.
      assertThat(response.credentials().expiration())
          .isBetween(Instant.now().plus(Duration.ofMinutes(19)),
              Instant.now().plus(Duration.ofMinutes(21)));
      assertThat(response.subjectFromWebIdentityToken()).isNotBlank();
      assertThat(response.audience()).isEqualTo(gateway.issuer().issuer().toString());
      assertThat(response.provider()).isEqualTo(gateway.issuer().issuer().toString());
      assertThat(response.assumedRoleUser().arn())
          .isEqualTo("arn:aws:sts::000000000000:assumed-role/gen3-user/alice-laptop");
      assertThat(response.assumedRoleUser().assumedRoleId())
          .matches("AROA[A-Z2-7]{17}:alice-laptop");
      assertThat(response.responseMetadata().requestId()).isNotBlank();
    }
  }

  @Test
  void aShorterDurationIsGranted() {
    String token = token("alice", Duration.ofHours(2));
    try (StsClient sts = sts("/_sts/")) {
      AssumeRoleWithWebIdentityResponse response = sts.assumeRoleWithWebIdentity(b -> b
          .roleArn(ROLE).roleSessionName("s1").webIdentityToken(token).durationSeconds(900));
      keep(response.credentials().secretAccessKey(), response.credentials().sessionToken());
      assertThat(response.credentials().expiration())
          .isBetween(Instant.now().plusSeconds(890), Instant.now().plusSeconds(910));
    }
  }

  @Test
  void theSdksWebIdentityProvidersWorkAgainstTheGateway() throws IOException {
    String token = token("bob", Duration.ofMinutes(20));
    Path tokenFile = folder.resolve("token");
    Files.writeString(tokenFile, token);
    try (StsClient sts = sts("/_sts/");
        StsAssumeRoleWithWebIdentityCredentialsProvider byRequest =
            StsAssumeRoleWithWebIdentityCredentialsProvider.builder().stsClient(sts)
                .refreshRequest(b -> b.roleArn(ROLE).roleSessionName("bob")
                    .webIdentityToken(token)).build();
        StsWebIdentityTokenFileCredentialsProvider byFile =
            StsWebIdentityTokenFileCredentialsProvider.builder().stsClient(sts)
                .webIdentityTokenFile(tokenFile).roleArn(ROLE).roleSessionName("bob").build()) {
      for (var provider : List.of(byRequest, byFile)) {
        AwsSessionCredentials credentials = (AwsSessionCredentials) provider.resolveCredentials();
        keep(credentials.secretAccessKey(), credentials.sessionToken());
        assertThat(credentials.accessKeyId()).startsWith("ASIA");
        assertThat(credentials.expirationTime()).isPresent();
      }
    }
  }

  @Test
  void postToTheRootAnswersToo() {
    String token = token("alice", Duration.ofMinutes(20));
    try (StsClient sts = sts("")) {
      AssumeRoleWithWebIdentityResponse response = sts.assumeRoleWithWebIdentity(b -> b
          .roleArn(ROLE).roleSessionName("root").webIdentityToken(token));
      keep(response.credentials().secretAccessKey(), response.credentials().sessionToken());
      assertThat(response.credentials().accessKeyId()).startsWith("ASIA");
    }
  }

  @Test
  void aTokenInTheUrlIsRefusedBecauseUrlsAreLogged() throws Exception {
    String token = token("alice", Duration.ofMinutes(20));
    String query = form(Map.of("Action", "AssumeRoleWithWebIdentity", "Version", "2011-06-15",
        "RoleArn", ROLE, "RoleSessionName", "query", "WebIdentityToken", token));
    HttpResponse<String> get =
        http(HttpRequest.newBuilder(URI.create(base() + "/_sts/?" + query)).GET());
    HttpResponse<String> rootGet =
        http(HttpRequest.newBuilder(URI.create(base() + "/?" + query)).GET());
    HttpResponse<String> post = http(HttpRequest.newBuilder(URI.create(base() + "/_sts/?"
            + form(Map.of("WebIdentityToken", token))))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(form(Map.of("Action",
            "AssumeRoleWithWebIdentity", "Version", "2011-06-15", "RoleArn", ROLE,
            "RoleSessionName", "query")))));
    for (HttpResponse<String> refused : List.of(get, rootGet)) {
      assertThat(refused.statusCode()).isEqualTo(400);
      assertThat(refused.body()).contains("<Code>ValidationError</Code>", "form POST",
          "URLs are logged").doesNotContain("<Credentials>", token);
    }
    assertThat(post.statusCode()).isEqualTo(400);
    assertThat(post.body()).contains("<Code>ValidationError</Code>",
        "send WebIdentityToken in the form body").doesNotContain("<Credentials>", token);
  }

  @Test
  void refusalsCarryStsCodes() {
    try (StsClient sts = sts("/_sts/")) {
      assertRefused(sts, token("alice", Instant.now().minusSeconds(3600), Duration.ofMinutes(20)),
          ROLE, null, "ExpiredTokenException", "expired");
      LocalTokenIssuer stranger =
          new LocalTokenIssuer(URI.create("https://other.example.org/user"));
      String foreign = stranger.mint("alice", Duration.ofMinutes(20));
      keep(foreign);
      assertRefused(sts, foreign, ROLE, null, "InvalidIdentityToken", "refused");
      assertRefused(sts, "not-a-jwt", ROLE, null, "InvalidIdentityToken", "not a JWT");
      String token = token("alice", Duration.ofMinutes(20));
      assertRefused(sts, token, "role", null, "ValidationError", "RoleArn");
      assertRefused(sts, token, ROLE, 43_201, "ValidationError", "DurationSeconds");
      assertRefused(sts, token, ROLE, 60, "ValidationError", "DurationSeconds");
      StsException policy = catchThrowableOfType(() -> sts.assumeRoleWithWebIdentity(b -> b
          .roleArn(ROLE).roleSessionName("p").webIdentityToken(token)
          .policy("{\"Version\":\"2012-10-17\"}")), StsException.class);
      assertThat(policy.awsErrorDetails().errorCode()).isEqualTo("ValidationError");
      StsException other = catchThrowableOfType(() -> sts.assumeRole(b -> b.roleArn(ROLE)
          .roleSessionName("x")), StsException.class);
      assertThat(other.statusCode()).isEqualTo(400);
      assertThat(other.awsErrorDetails().errorCode()).isEqualTo("InvalidAction");
    }
  }

  @Test
  void missingParametersAndOversizedRequestsAreRefusedPlainly() throws Exception {
    HttpResponse<String> missing = http(HttpRequest.newBuilder(URI.create(base() + "/_sts/"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(form(Map.of("Action",
            "AssumeRoleWithWebIdentity", "Version", "2011-06-15", "RoleArn", ROLE,
            "RoleSessionName", "s1")))));
    assertThat(missing.statusCode()).isEqualTo(400);
    assertThat(missing.body()).contains("<ErrorResponse", "<Type>Sender</Type>",
        "<Code>MissingParameter</Code>", "WebIdentityToken", "<RequestId>");

    byte[] huge = new byte[StsEndpoint.MAX_REQUEST_BYTES + 1];
    java.util.Arrays.fill(huge, (byte) 'a');
    HttpResponse<String> tooLarge = http(HttpRequest.newBuilder(URI.create(base() + "/_sts/"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofByteArray(huge)));
    assertThat(tooLarge.statusCode()).isEqualTo(413);
    assertThat(tooLarge.body()).contains("larger than " + StsEndpoint.MAX_REQUEST_BYTES);

    HttpResponse<String> repeated = http(HttpRequest.newBuilder(URI.create(base() + "/_sts/"
        + "?Action=AssumeRoleWithWebIdentity"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString("Action=AssumeRole")));
    assertThat(repeated.body()).contains("ValidationError", "more than once");

    // Read as the parser reads a query: an escape that is not UTF-8 is refused, not replaced.
    HttpResponse<String> notUtf8 = http(HttpRequest.newBuilder(URI.create(base() + "/_sts/"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString("Action=AssumeRoleWithWebIdentity"
            + "&RoleSessionName=%FF")));
    assertThat(notUtf8.statusCode()).isEqualTo(400);
    assertThat(notUtf8.body()).contains("ValidationError", "'RoleSessionName' is not UTF-8");

    HttpResponse<String> notForm = http(HttpRequest.newBuilder(URI.create(base() + "/_sts/"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"Action\":\"x\"}")));
    assertThat(notForm.body()).contains("ValidationError", "x-www-form-urlencoded");

    HttpResponse<String> rootGet = http(HttpRequest.newBuilder(URI.create(base() + "/")).GET());
    assertThat(rootGet.statusCode()).isEqualTo(404);

    assertThat(gateway.meters().scrape())
        .contains("gateway_sts_requests_total{result=\"MissingParameter\"}")
        .contains("gateway_sts_requests_total{result=\"ValidationError\"}");
  }

  @Test
  void theAwsCliV1ParsesTheAnswer() throws Exception {
    String token = token("alice", Duration.ofMinutes(20));
    ProcessBuilder builder = new ProcessBuilder("aws", "sts", "assume-role-with-web-identity",
        "--endpoint-url", base() + "/_sts/", "--role-arn", ROLE, "--role-session-name", "cli",
        "--web-identity-token", token, "--output", "json");
    Map<String, String> env = builder.environment();
    env.keySet().removeIf(name -> name.startsWith("AWS_"));
    env.put("AWS_DEFAULT_REGION", "us-east-1");
    env.put("AWS_CONFIG_FILE", folder.resolve("no-config").toString());
    env.put("AWS_SHARED_CREDENTIALS_FILE", folder.resolve("no-credentials").toString());
    Process process;
    try {
      process = builder.redirectErrorStream(true).start();
    } catch (IOException e) {
      Peers.require(false, "the aws cli (pip install awscli)");
      return;
    }
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(output).isZero();
    JsonNode credentials = new ObjectMapper().readTree(output).get("Credentials");
    keep(credentials.get("SecretAccessKey").asText(), credentials.get("SessionToken").asText());
    assertThat(credentials.get("AccessKeyId").asText()).startsWith("ASIA");
    assertThat(credentials.get("Expiration").asText()).isNotBlank();
  }

  // ---------------------------------------------------------------- helpers

  private static void assertRefused(StsClient sts, String token, String role, Integer duration,
      String code, String text) {
    StsException refused = catchThrowableOfType(() -> sts.assumeRoleWithWebIdentity(b -> b
        .roleArn(role).roleSessionName("s1").webIdentityToken(token).durationSeconds(duration)),
        StsException.class);
    assertThat(refused).as(code).isNotNull();
    assertThat(refused.statusCode()).isEqualTo(400);
    assertThat(refused.awsErrorDetails().errorCode()).isEqualTo(code);
    assertThat(refused.awsErrorDetails().errorMessage()).contains(text).doesNotContain(token);
  }

  private static String token(String user, Duration lifetime) {
    return keep(gateway.tokenFor(user, lifetime));
  }

  private static String token(String user, Instant issuedAt, Duration lifetime) {
    return keep(gateway.issuer().mint(user, issuedAt, lifetime));
  }

  private static String keep(String... values) {
    secrets.addAll(List.of(values));
    return values[0];
  }

  private static StsClient sts(String path) {
    return StsClient.builder().endpointOverride(URI.create(base() + path))
        .region(Region.US_EAST_1)
        .credentialsProvider(AnonymousCredentialsProvider.create())
        .build();
  }

  private static String base() {
    return "http://127.0.0.1:" + gateway.plane().httpPort();
  }

  private static HttpResponse<String> http(HttpRequest.Builder request) throws Exception {
    return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String form(Map<String, String> parameters) {
    return parameters.entrySet().stream().map(e -> e.getKey() + "="
        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
  }

  private static Logger root() {
    return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
  }
}
