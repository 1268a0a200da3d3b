package dev.storagegateway.extauthz.check;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storagegateway.extauthz.GatewayFixture;
import dev.storagegateway.extauthz.grpc.EnvoyEmulator;
import dev.storagegateway.extauthz.http.HttpCheckServer;
import dev.storagegateway.extauthz.observe.AccessLog;
import dev.storagegateway.registry.AuthMode;
import dev.storagegateway.registry.RouteSettings;
import dev.storagegateway.testlogging.CapturedLogs;
import dev.storagegateway.testlogging.ConsoleCapture;
import dev.storagegateway.testlogging.ShippedLogging;
import dev.storagegateway.testpeers.MotoServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * The bucket's secret key, the temporary credentials made from it and the caller's token never
 * reach a log line, a metric, an error body or a Check response, whatever the request does; with
 * the shipped logging as it is and at TRACE ({@code GATEWAY_LOG_LEVEL}), where the HTTP clients,
 * the SDK's signer and the gRPC transport would print them, in text and in JSON lines
 * ({@code GATEWAY_LOG_FORMAT}), which also write events' key-value pairs. Both the events and the
 * bytes the encoders wrote to the console are searched.
 */
class SecretCanaryTest {
  private static final String SECRETS_MANAGER_SECRET_KEY =
      "secretsManagerCanary0123456789abcdefXYZ";

  @TempDir
  Path folder;

  @ParameterizedTest(name = "GATEWAY_LOG_LEVEL={0} GATEWAY_LOG_FORMAT={1}")
  @CsvSource({"INFO, text", "TRACE, text", "TRACE, json"})
  void neitherTheBucketSecretNorTheCallersTokenLeaks(String level, String format)
      throws Exception {
    List<String> answers = new ArrayList<>();
    List<String> secrets =
        new ArrayList<>(List.of(GatewayFixture.SECRET_KEY, SECRETS_MANAGER_SECRET_KEY));
    CapturedLogs logs;
    ConsoleCapture console = ConsoleCapture.start();
    // The data plane's own AWS identity, from the default chain, for Secrets Manager.
    System.setProperty("aws.accessKeyId", "AKIADATAPLANECANARY1");
    System.setProperty("aws.secretAccessKey", "data-plane-identity");
    try (console; ShippedLogging shipped = ShippedLogging.at(level, format);
        MotoServer moto = MotoServer.start();
        SecretsManagerClient secretsManager = moto.secretsManager()) {
      secretsManager.createSecret(b -> b.name("gen3/canary-" + level).secretString(
          "{\"access_key_id\": \"AKIASECRETSMANAGER01\", \"secret_access_key\": \""
              + SECRETS_MANAGER_SECRET_KEY + "\"}"));
      logs = CapturedLogs.rootAnd(AccessLog.LOGGER_NAME);
      try (logs; GatewayFixture gateway = GatewayFixture.start(folder, Map.of(
          "GATEWAY_STS_ENDPOINT", moto.endpoint().toString(),
          "GATEWAY_SECRETS_BACKENDS", "file,aws-secrets-manager",
          "GATEWAY_SECRETS_MANAGER_ENDPOINT", moto.endpoint().toString()))) {
        // Keys from STS (moto's AssumeRole, over the SDK's Apache client) for this bucket...
        gateway.put(gateway.bucket("role-data", "gateway.json", GatewayFixture.PROJECT)
            .authMode(AuthMode.ROLE)
            .roleArn("arn:aws:iam::123456789012:role/gen3-data-reader").build());
        // ...and from Secrets Manager for this one.
        gateway.put(gateway.bucket("managed-data", "gen3/canary-" + level,
            GatewayFixture.PROJECT).secretsBackend("aws-secrets-manager").build());
        checkEverywhere(gateway, secrets, answers);
      }
    } finally {
      System.clearProperty("aws.accessKeyId");
      System.clearProperty("aws.secretAccessKey");
    }
    // Read once the gateway has stopped, so that its shutdown is covered too.
    assertThat(logs.everything()).isNotEmpty().allSatisfy(line ->
        assertThat(line).doesNotContain(asLogged(secrets)));
    assertThat(logs.linesOf(AccessLog.LOGGER_NAME)).anyMatch(line -> line.contains("user=\"bob\""));
    assertThat(console.text()).doesNotContain(asLogged(secrets))
        .contains(format.equals("json") ? "\"user\":\"bob\"" : "user=\"bob\"");
    assertThat(answers).allSatisfy(answer -> assertThat(answer).doesNotContain(secrets));
    assertThat(logs.belowInfo()).as("lines below INFO").matches(count ->
        level.equals("INFO") ? count == 0 : count > 0);
  }

  private static void checkEverywhere(GatewayFixture gateway, List<String> secrets,
      List<String> answers) throws Exception {
    String token = gateway.tokenFor("bob");
    secrets.add(token);
    try (EnvoyEmulator envoy =
        EnvoyEmulator.connect(gateway.plane().grpcPort(), gateway.s3proxyEndpoint())) {
      Map<String, String> bearer = Map.of("Authorization", "Bearer " + token);
      EnvoyEmulator.Response fromRole = envoy.send("GET", "/role-data/k", bearer, new byte[0],
          Map.of());
      String sessionToken = fromRole.check().getOkResponse().getHeadersList().stream()
          .filter(header -> header.getHeader().getKey().equals("x-amz-security-token"))
          .map(header -> header.getHeader().getValue()).findFirst().orElseThrow(() ->
              new AssertionError("no session token signed for role-data: " + fromRole.check()));
      secrets.add(sessionToken);
      EnvoyEmulator.Response fromSecretsManager = envoy.send("GET", "/managed-data/k", bearer,
          new byte[0], Map.of());
      assertThat(fromSecretsManager.check().hasOkResponse())
          .as("signed with keys from Secrets Manager: %s", fromSecretsManager.check()).isTrue();
      byte[] body = "canary".getBytes(StandardCharsets.UTF_8);
      for (String target : List.of("/data/k", "/data/../k", "/nowhere/k", "/suspended/k",
          "/data/k?uploads", "/readonly/k")) {
        for (String method : List.of("GET", "PUT", "POST", "DELETE")) {
          EnvoyEmulator.Response response = envoy.send(method, target, bearer,
              method.equals("PUT") ? body : new byte[0], Map.of());
          answers.add(response.text());
          answers.add(response.check().getDeniedResponse().toString());
        }
      }
      HttpResponse<String> http = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + gateway.plane().httpPort() + "/envoy/data/k"))
          .header("Authorization", "Bearer " + token)
          .header(HttpCheckServer.FORWARDS_TO_HEADER, RouteSettings.FORWARDS_TO_BUCKET_ENDPOINT)
          .build(),
          HttpResponse.BodyHandlers.ofString());
      answers.add(http.body());
      answers.add(http.headers().toString());
    }
    answers.add(gateway.meters().scrape());
  }

  /**
   * Session credentials and the signatures made with them, good, forged, expired or replayed,
   * never reach a log line or an answer: any of them would let a reader replay a request.
   */
  @ParameterizedTest(name = "GATEWAY_LOG_LEVEL={0} GATEWAY_LOG_FORMAT={1}")
  @CsvSource({"INFO, text", "TRACE, text", "TRACE, json"})
  void neitherSessionCredentialsNorSignaturesLeak(String level, String format)
      throws Exception {
    List<String> answers = new ArrayList<>();
    List<String> secrets = new ArrayList<>();
    CapturedLogs logs;
    ConsoleCapture console = ConsoleCapture.start();
    try (console; ShippedLogging shipped = ShippedLogging.at(level, format);
        CapturedLogs captured = CapturedLogs.rootAnd(AccessLog.LOGGER_NAME);
        GatewayFixture gateway = GatewayFixture.start(folder)) {
      logs = captured;
      String token = gateway.tokenFor("alice");
      secrets.add(token);
      HttpResponse<String> sts = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + gateway.plane().httpPort() + "/_sts/"))
          .header("Content-Type", "application/x-www-form-urlencoded")
          .POST(HttpRequest.BodyPublishers.ofString("Action=AssumeRoleWithWebIdentity"
              + "&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A000000000000%3Arole%2Fr"
              + "&RoleSessionName=canary&WebIdentityToken=" + token)).build(),
          HttpResponse.BodyHandlers.ofString());
      String accessKeyId = element(sts.body(), "AccessKeyId");
      String secretKey = element(sts.body(), "SecretAccessKey");
      String sessionToken = element(sts.body(), "SessionToken");
      secrets.addAll(List.of(secretKey, sessionToken));
      try (EnvoyEmulator envoy =
          EnvoyEmulator.connect(gateway.plane().grpcPort(), gateway.s3proxyEndpoint())) {
        AwsSessionCredentials session =
            AwsSessionCredentials.create(accessKeyId, secretKey, sessionToken);
        for (String target : List.of("/data/k", "/data-other/k", "/nowhere/k")) {
          SdkHttpRequest signed = AwsV4HttpSigner.create().sign(r -> r
              .identity(session)
              .request(SdkHttpRequest.builder().method(SdkHttpMethod.GET).protocol("http")
                  .host("gateway.example.org").encodedPath(target).build())
              .putProperty(AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, "s3")
              .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1")
              .putProperty(AwsV4FamilyHttpSigner.PAYLOAD_SIGNING_ENABLED, false)).request();
          Map<String, String> headers = new LinkedHashMap<>();
          signed.forEachHeader((name, values) -> headers.put(name, String.join(",", values)));
          String authorization = headers.get("Authorization");
          String signature = authorization.substring(authorization.length() - 64);
          secrets.add(signature);
          String forged = authorization.substring(0, authorization.length() - 64)
              + new StringBuilder(signature).reverse();
          for (Map<String, String> variant : List.of(headers,
              with(headers, "Authorization", forged),
              with(headers, "X-Amz-Security-Token", sessionToken.replace('A', 'B')),
              with(headers, "X-Amz-Date", "20200101T000000Z"))) {
            EnvoyEmulator.Response response = envoy.send("GET", target, variant, new byte[0],
                Map.of());
            answers.add(response.text());
            answers.add(response.check().toString());
          }
          String presigned = target + "?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential="
              + accessKeyId + "%2F20200101%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date="
              + "20200101T000000Z&X-Amz-Expires=60&X-Amz-SignedHeaders=host"
              + "&X-Amz-Security-Token=" + sessionToken + "&X-Amz-Signature=" + signature;
          EnvoyEmulator.Response expired = envoy.send("GET", presigned, Map.of(), new byte[0],
              Map.of());
          answers.add(expired.text());
          answers.add(expired.check().toString());
        }
      }
      answers.add(gateway.meters().scrape());
    }
    assertThat(logs.everything()).isNotEmpty().allSatisfy(line ->
        assertThat(line).doesNotContain(asLogged(secrets)));
    assertThat(logs.linesOf(AccessLog.LOGGER_NAME)).anyMatch(line -> line.contains("user=\"alice\"")
        && line.contains("decision=allow"));
    assertThat(console.text()).doesNotContain(asLogged(secrets));
    assertThat(answers).allSatisfy(answer -> assertThat(answer).doesNotContain(secrets));
    assertThat(logs.belowInfo()).as("lines below INFO").matches(count ->
        level.equals("INFO") ? count == 0 : count > 0);
  }

  /** Each secret as written, and as a hex dump of the bytes carrying it (Netty's frame logs). */
  private static List<String> asLogged(List<String> secrets) {
    List<String> forms = new ArrayList<>(secrets);
    for (String secret : secrets) {
      forms.add(HexFormat.of().formatHex(secret.getBytes(StandardCharsets.UTF_8)));
    }
    return forms;
  }

  private static Map<String, String> with(Map<String, String> headers, String name,
      String value) {
    Map<String, String> changed = new LinkedHashMap<>(headers);
    changed.put(name, value);
    return changed;
  }

  private static String element(String xml, String name) {
    return xml.substring(xml.indexOf("<" + name + ">") + name.length() + 2,
        xml.indexOf("</" + name + ">"));
  }
}
