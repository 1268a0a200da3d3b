package dev.storagegateway.extauthz.identify.sigv4;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.storagegateway.extauthz.check.IncomingRequest;
import dev.storagegateway.extauthz.sts.SessionCredentials;
import dev.storagegateway.testpeers.Peers;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.retry.RetryPolicy;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Requests exactly as real clients put them on the wire, turned into what the proxy hands the
 * gateway ({@link IncomingRequest}): the AWS SDK v2 S3 client (captured just before transmission,
 * nothing is sent) and botocore (a Python script run once, see
 * {@code src/test/resources/sigv4/botocore_requests.py}).
 */
final class WireRequests {
  static final URI ENDPOINT = URI.create("http://127.0.0.1:8081");

  private WireRequests() {
  }

  /** A named request, for test output. */
  record Named(String name, IncomingRequest request) {
    @Override
    public String toString() {
      return name;
    }
  }

  /** The requests {@code calls} make an SDK v2 S3 client send, signed with {@code credentials}. */
  static List<IncomingRequest> sdk(SessionCredentials credentials, boolean chunked,
      Consumer<S3Client> calls) {
    List<IncomingRequest> captured = new ArrayList<>();
    try (S3Client s3 = S3Client.builder()
        .endpointOverride(ENDPOINT)
        .region(Region.US_EAST_1)
        .forcePathStyle(true)
        .serviceConfiguration(c -> c.chunkedEncodingEnabled(chunked))
        .credentialsProvider(StaticCredentialsProvider.create(AwsSessionCredentials.create(
            credentials.accessKeyId(), credentials.secretAccessKey(),
            credentials.sessionToken())))
        .overrideConfiguration(o -> o.retryPolicy(RetryPolicy.none())
            .addExecutionInterceptor(new ExecutionInterceptor() {
              @Override
              public void beforeTransmission(Context.BeforeTransmission context,
                  ExecutionAttributes attributes) {
                captured.add(of(context.httpRequest()));
                throw new Captured();
              }
            }))
        .build()) {
      try {
        calls.accept(s3);
      } catch (Captured expected) {
        // one request per call
      }
    }
    return captured;
  }

  /** One call's request. */
  static IncomingRequest sdkOne(SessionCredentials credentials, Consumer<S3Client> call) {
    return sdk(credentials, false, call).get(0);
  }

  static IncomingRequest of(SdkHttpRequest request) {
    Map<String, String> headers = new HashMap<>();
    // As an HTTP parser reads them (optional whitespace around each value dropped) and Envoy
    // hands them over (repeats joined with ',').
    request.headers().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT),
        String.join(",", values.stream().map(String::strip).toList())));
    URI uri = request.getUri();
    return incoming(request.method().name(), uri, headers);
  }

  /** A presigned URL used as a browser or curl would: no headers but Host. */
  static IncomingRequest presigned(String method, URI url) {
    return incoming(method, url, Map.of());
  }

  static IncomingRequest incoming(String method, URI url, Map<String, String> headers) {
    String authority = url.getHost() + (url.getPort() < 0 ? "" : ":" + url.getPort());
    Map<String, String> lower = new HashMap<>();
    headers.forEach((name, value) -> lower.put(name.toLowerCase(Locale.ROOT), value));
    lower.putIfAbsent("host", authority);
    return new IncomingRequest("test", method, authority,
        url.getRawPath() + (url.getRawQuery() == null ? "" : "?" + url.getRawQuery()), lower,
        Map.of());
  }

  /** What botocore sends and presigns with these credentials (the script's cases). */
  static List<Named> botocore(SessionCredentials credentials) {
    Peers.require(run(List.of("python3", "-c", "import boto3"), "").exitCode() == 0,
        "python3 with boto3 (pip install boto3)");
    String script;
    try (InputStream in = WireRequests.class.getResourceAsStream("/sigv4/botocore_requests.py")) {
      script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    ObjectMapper json = new ObjectMapper();
    Map<String, String> input = new LinkedHashMap<>();
    input.put("endpoint", ENDPOINT.toString());
    input.put("access_key_id", credentials.accessKeyId());
    input.put("secret_access_key", credentials.secretAccessKey());
    input.put("session_token", credentials.sessionToken());
    Result result;
    try {
      result = run(List.of("python3", "-c", script), json.writeValueAsString(input));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    if (result.exitCode() != 0) {
      throw new IllegalStateException("botocore_requests.py failed: " + result.output());
    }
    List<Named> requests = new ArrayList<>();
    try {
      for (JsonNode node : json.readTree(result.output())) {
        Map<String, String> headers = new HashMap<>();
        node.get("headers").fields().forEachRemaining(field ->
            headers.put(field.getKey(), field.getValue().asText()));
        requests.add(new Named(node.get("name").asText(), incoming(node.get("method").asText(),
            URI.create(node.get("url").asText()), headers)));
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return requests;
  }

  private record Result(int exitCode, String output) {}

  private static Result run(List<String> command, String input) {
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(false).start();
      process.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
      process.getOutputStream().close();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      String errors = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        return new Result(-1, "timed out");
      }
      return new Result(process.exitValue(), process.exitValue() == 0 ? output : errors);
    } catch (IOException e) {
      return new Result(-1, e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Result(-1, "interrupted");
    }
  }

  private static final class Captured extends RuntimeException {
    Captured() {
      super("captured", null, false, false);
    }
  }
}
