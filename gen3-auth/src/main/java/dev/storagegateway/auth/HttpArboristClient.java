package dev.storagegateway.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Asks a running Arborist through {@code POST /auth/request}, the call Fence and every gen3authz
 * client make.
 *
 * <p>The caller's token is forwarded as {@code {"user": {"token": ...}}} so that Arborist applies
 * the user's, the logged-in group's and the anonymous group's policies; a caller identified by
 * gateway-issued session credentials, which carry no token, is named instead
 * ({@code {"user": {"user_id": "<username>"}}}, which Arborist answers for the user as logged in);
 * an anonymous request carries no {@code user} at all, which Arborist answers from the anonymous
 * group alone.
 *
 * <p>A caller's whole mapping comes from {@code /auth/mapping}: {@code GET} with the caller's
 * token as {@code Authorization: Bearer}, or without one for the anonymous group's; a caller the
 * gateway identified without a token is named in {@code POST {"username": ...}}, because current
 * Arborist releases ignore the {@code ?username=} of {@code GET} (it let anyone behind the
 * revproxy read anyone's mapping) and would answer with the anonymous mapping instead.
 */
public final class HttpArboristClient implements Arborist {

  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(2);

  private static final ObjectMapper JSON = new ObjectMapper();

  private final URI authRequestUrl;
  private final URI mappingUrl;
  private final Duration requestTimeout;
  private final HttpClient http;

  public HttpArboristClient(URI baseUrl) {
    this(baseUrl, DEFAULT_REQUEST_TIMEOUT);
  }

  /**
   * @param requestTimeout the longest a whole authorization exchange may take
   */
  public HttpArboristClient(URI baseUrl, Duration requestTimeout) {
    if (!"http".equals(baseUrl.getScheme()) && !"https".equals(baseUrl.getScheme())) {
      throw new IllegalArgumentException("Arborist URL must be http or https: " + baseUrl);
    }
    if (requestTimeout.isNegative() || requestTimeout.isZero()) {
      throw new IllegalArgumentException("requestTimeout must be positive: " + requestTimeout);
    }
    String base = baseUrl.toString().replaceAll("/+$", "");
    this.authRequestUrl = URI.create(base + "/auth/request");
    this.mappingUrl = URI.create(base + "/auth/mapping");
    this.requestTimeout = requestTimeout;
    this.http =
        HttpClient.newBuilder()
            // Arborist sits in the cluster behind plain HTTP; an h2c upgrade attempt gains nothing.
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(requestTimeout)
            .build();
  }

  @Override
  public boolean isAllowed(AuthorizationRequest request) {
    return isAllowedOnEvery(request.caller(), List.of(request.resourcePath()), request.service(),
        request.method());
  }

  /** One request however many paths: Arborist answers true only when each is allowed. */
  @Override
  public boolean isAllowedOnEvery(CallerIdentity caller, Collection<String> resourcePaths,
      String service, String method) {
    HttpResponse<byte[]> response = exchange(HttpRequest.newBuilder(authRequestUrl)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(
            requestBody(caller, resourcePaths, service, method)))
        .build());
    int status = response.statusCode();
    if (status == 200) {
      return decision(response.body());
    }
    // Arborist could not decode the token (bad signature, expired, no openid scope): that is a
    // verdict on the caller, not an outage. Without a token sent, a 401 is about the gateway
    // (a proxy in front of Arborist wanting credentials).
    if (status == 401 && caller != null && caller.hasAccessToken()) {
      throw new ArboristRefusedTokenException("Arborist refused the token: "
          + errorMessage(response.body(), caller));
    }
    throw new ArboristUnavailableException(
        "Arborist answered HTTP " + status + " to an authorization request");
  }

  @Override
  public AuthMapping mappingFor(CallerIdentity caller) {
    HttpRequest.Builder request = HttpRequest.newBuilder(mappingUrl);
    if (caller == null) {
      request.GET();
    } else if (caller.hasAccessToken()) {
      request.header("Authorization", "Bearer " + caller.accessToken()).GET();
    } else {
      ObjectNode body = JSON.createObjectNode().put("username", caller.username());
      request.header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
    }
    HttpResponse<byte[]> response = exchange(request.build());
    int status = response.statusCode();
    if (status == 200) {
      return ArboristMappingJson.read(response.body());
    }
    // As for /auth/request, Arborist could not decode the token: a verdict on the token, not a
    // mapping to remember. Current releases say so with 400 here, earlier ones with 401.
    if ((status == 400 || status == 401) && caller != null && caller.hasAccessToken()) {
      throw new ArboristRefusedTokenException("Arborist refused the token: "
          + errorMessage(response.body(), caller));
    }
    throw new ArboristUnavailableException(
        "Arborist answered HTTP " + status + " to a mapping request");
  }

  private static byte[] requestBody(CallerIdentity caller, Collection<String> resourcePaths,
      String service, String method) {
    ObjectNode body = JSON.createObjectNode();
    if (caller != null) {
      if (caller.hasAccessToken()) {
        body.putObject("user").put("token", caller.accessToken());
      } else {
        // Gateway-issued session credentials: the gateway has authenticated the user itself.
        body.putObject("user").put("user_id", caller.username());
      }
    }
    ArrayNode requests = body.putArray("requests");
    for (String resourcePath : resourcePaths) {
      ObjectNode check = requests.addObject().put("resource", resourcePath);
      check.putObject("action").put("service", service).put("method", method);
    }
    try {
      return JSON.writeValueAsBytes(body);
    } catch (IOException e) {
      throw new IllegalStateException("cannot serialize an Arborist request", e);
    }
  }

  private HttpResponse<byte[]> exchange(HttpRequest request) {
    // HttpRequest.timeout() stops at the response headers; this bounds the whole exchange.
    CompletableFuture<HttpResponse<byte[]>> response =
        http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray());
    try {
      return response.get(requestTimeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      response.cancel(true);
      throw new ArboristUnavailableException(
          "Arborist did not answer within " + requestTimeout.toMillis() + " ms", e);
    } catch (ExecutionException e) {
      String problem =
          e.getCause() instanceof ConnectException
              ? "could not connect to Arborist at " + request.uri()
              : "the request to Arborist at " + request.uri() + " failed";
      throw new ArboristUnavailableException(problem, e.getCause());
    } catch (InterruptedException e) {
      response.cancel(true);
      Thread.currentThread().interrupt();
      throw new ArboristUnavailableException("interrupted while waiting for Arborist", e);
    }
  }

  /**
   * Arborist's {@code {"error": {"message": ...}}}, or what it sent instead, on one line and cut,
   * without the token should Arborist quote it: it reaches the client's error body.
   */
  private static String errorMessage(byte[] body, CallerIdentity caller) {
    String message;
    try {
      JsonNode field = JSON.readTree(body).path("error").path("message");
      message = field.isTextual() ? field.textValue() : new String(body, StandardCharsets.UTF_8);
    } catch (IOException e) {
      message = new String(body, StandardCharsets.UTF_8);
    }
    message = message.replace(caller.accessToken(), "<the token>")
        .replaceAll("\\p{Cntrl}", " ").strip();
    return message.length() > 200 ? message.substring(0, 200) + "..." : message;
  }

  private static boolean decision(byte[] body) {
    JsonNode auth;
    try {
      auth = JSON.readTree(body).path("auth");
    } catch (IOException e) {
      throw new ArboristUnavailableException(
          "Arborist answered HTTP 200 with a body that is not JSON");
    }
    if (!auth.isBoolean()) {
      throw new ArboristUnavailableException(
          "Arborist answered HTTP 200 without a boolean 'auth' field");
    }
    return auth.booleanValue();
  }
}
