package dev.storagegateway.credentials;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.api.client.http.javanet.NetHttpTransport;
import com.google.auth.ServiceAccountSigner;
import com.google.auth.http.HttpTransportFactory;
import com.google.auth.oauth2.ServiceAccountCredentials;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.URL;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test-only Google token service for the two calls {@link GoogleTokens} makes, as Google
 * documents them:
 *
 * <ul>
 *   <li>OAuth 2.0 for server-to-server applications (developers.google.com/identity/protocols/
 *       oauth2/service-account): {@code POST /token}, form-encoded, {@code grant_type=
 *       urn:ietf:params:oauth:grant-type:jwt-bearer} and {@code assertion}, a JWT signed RS256
 *       with the service account's private key, claims {@code iss} (the account's email),
 *       {@code scope} (space-delimited), {@code aud} (Google's token endpoint,
 *       https://oauth2.googleapis.com/token: google-auth-library sends that whatever the key's
 *       {@code token_uri} says), {@code iat} and {@code exp} (at most an hour after {@code iat}).
 *       The signature is verified with the public key registered under the header's
 *       {@code kid}. Answers {@code access_token},
 *       {@code expires_in} 3599 and {@code token_type} Bearer; 400 with {@code error} and
 *       {@code error_description} otherwise.
 *   <li>IAM Service Account Credentials API, {@code projects.serviceAccounts.generateAccessToken}
 *       (cloud.google.com/iam/docs/reference/credentials/rest): {@code POST
 *       /v1/projects/-/serviceAccounts/{email}:generateAccessToken} with a JSON body holding
 *       {@code scope} (at least one), optional {@code delegates} and {@code lifetime} ("3600s",
 *       at most an hour), authorized by the caller's own bearer token. Answers
 *       {@code accessToken} and {@code expireTime} (RFC 3339, UTC); 401 UNAUTHENTICATED for an
 *       unknown bearer, 403 PERMISSION_DENIED when the caller may not impersonate the account,
 *       400 INVALID_ARGUMENT for a bad body, in Google's {@code {"error": {code, message,
 *       status}}} shape.
 *   <li>The same API's {@code projects.serviceAccounts.signBlob}: {@code POST
 *       /v1/projects/-/serviceAccounts/{email}:signBlob} with a JSON body holding
 *       {@code payload} (base64) and optional {@code delegates}, authorized the same way (Token
 *       Creator includes {@code iam.serviceAccounts.signBlob}). Signs RSA-SHA256 with a key
 *       Google manages for the account ({@link #systemKeyOf}) and answers {@code keyId} and
 *       {@code signedBlob} (base64); errors as above.
 *   <li>The Security Token Service's token exchange for Credential Access Boundaries
 *       (cloud.google.com/iam/docs/create-downscoped-short-lived-credentials): {@code POST
 *       /v1/token}, form-encoded, no {@code Authorization}, {@code grant_type=
 *       urn:ietf:params:oauth:grant-type:token-exchange}, {@code subject_token_type} and
 *       {@code requested_token_type} {@code urn:ietf:params:oauth:token-type:access_token},
 *       {@code subject_token} (a token this server issued, unexpired, with the
 *       {@code cloud-platform} scope the page asks for) and {@code options}, the boundary's
 *       JSON: 1 to 10 {@code accessBoundaryRules}, each an {@code availableResource}
 *       {@code //storage.googleapis.com/projects/_/buckets/<name>} and
 *       {@code availablePermissions} of {@code inRole:<role>}. Answers {@code access_token},
 *       {@code issued_token_type}, {@code token_type} Bearer and {@code expires_in} (the source
 *       token's time left: the exchanged token expires with it); 400 with {@code error} and
 *       {@code error_description} otherwise.
 * </ul>
 *
 * <p>google-auth-library builds the IAM addresses from Google's domain, so clients reach this
 * server through {@link #transport()}, which sends every Google address here.
 *
 * <p>Public for the data plane's tests, which get the bucket tokens they check from it.
 *
 * <p>The test's clock is the server's: it judges an assertion's {@code iat} and {@code exp} and
 * sets {@code expireTime}. ({@code expires_in} is relative; the client adds it to its own clock.)
 */
public final class GoogleOAuthServer implements AutoCloseable {
  static final String JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer";
  static final String TOKEN_AUDIENCE = "https://oauth2.googleapis.com/token";
  /** What the token endpoint says of a key it does not know, Google's wording. */
  static final String INVALID_SIGNATURE = "Invalid JWT Signature.";
  static final String PERMISSION_DENIED_MESSAGE = "Permission 'iam.serviceAccounts"
      + ".getAccessToken' denied on resource (or it may not exist).";

  private static final String TOKEN_PATH = "/token";
  private static final String STS_PATH = "/v1/token";
  static final String TOKEN_EXCHANGE = "urn:ietf:params:oauth:grant-type:token-exchange";
  static final String ACCESS_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:access_token";
  private static final String CLOUD_PLATFORM = "https://www.googleapis.com/auth/cloud-platform";
  private static final String BUCKET_RESOURCE = "//storage.googleapis.com/projects/_/buckets/";
  private static final String IAM_PREFIX = "/v1/projects/-/serviceAccounts/";
  private static final String IAM_SUFFIX = ":generateAccessToken";
  private static final String SIGN_BLOB_SUFFIX = ":signBlob";
  private static final Duration MAX_LIFETIME = Duration.ofHours(1);
  private static final Duration CLOCK_SKEW = Duration.ofMinutes(5);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;
  private final Clock clock;
  /** Key id to the account and public key Google holds for it. */
  private final Map<String, RegisteredKey> keys = new ConcurrentHashMap<>();
  /** Caller bearer token to the service accounts it holds Token Creator on. */
  private final Map<String, Set<String>> tokenCreators = new ConcurrentHashMap<>();
  private final List<Grant> grants = new CopyOnWriteArrayList<>();
  private final List<Impersonation> impersonations = new CopyOnWriteArrayList<>();
  /** The key Google manages for each account to sign blobs with, made on first use. */
  private final Map<String, KeyPair> systemKeys = new ConcurrentHashMap<>();
  private final List<String> signedBlobs = new CopyOnWriteArrayList<>();
  /** Every token this server issued, with its scopes and expiry. */
  private final Map<String, Issued> issuedTokens = new ConcurrentHashMap<>();
  private final List<Downscoping> downscopings = new CopyOnWriteArrayList<>();
  private volatile boolean stsDisabled;
  private volatile boolean unavailable;
  private volatile Duration stsDelay = Duration.ZERO;
  private final AtomicInteger refusals = new AtomicInteger();
  private final AtomicInteger issued = new AtomicInteger();

  /** A JWT-bearer grant the token endpoint accepted: its verified header and claims. */
  public record Grant(Map<String, Object> header, Map<String, Object> claims, String accessToken) {
  }

  /** A generateAccessToken call that was answered with a token. */
  record Impersonation(String serviceAccount, String authorization, List<String> scope,
      String lifetime, String accessToken, Instant expireTime) {
  }

  /**
   * A token exchange the STS answered: the source token, each bucket of the boundary with its
   * roles (without {@code inRole:}), and the token issued.
   */
  public record Downscoping(String sourceToken, Map<String, List<String>> rolesByBucket,
      String accessToken) {
  }

  private record Issued(List<String> scopes, Instant expiry) {
  }

  private record RegisteredKey(String email, PublicKey publicKey) {
  }

  private record Answer(int status, Object json) {
  }

  /** A service account with a freshly generated key, as IAM's "create key" hands one out. */
  public record ServiceAccount(String email, String keyId, KeyPair keys) {
    public static ServiceAccount generate(String email) {
      try {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        return new ServiceAccount(email, UUID.randomUUID().toString().replace("-", ""),
            generator.generateKeyPair());
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException(e);
      }
    }

    /** Signs as this account with its key, as the credentials made from its key file do. */
    public ServiceAccountSigner signer() {
      return ServiceAccountCredentials.newBuilder().setClientEmail(email)
          .setPrivateKey(keys.getPrivate()).setPrivateKeyId(keyId).build();
    }

    /** The private key as the key file holds it: PKCS#8 PEM. */
    String privateKeyPem() {
      return "-----BEGIN PRIVATE KEY-----\n"
          + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
              .encodeToString(keys.getPrivate().getEncoded())
          + "\n-----END PRIVATE KEY-----\n";
    }

    /** The JSON key file as IAM hands it out, its {@code token_uri} Google's. */
    public String keyJson() {
      return keyJson(GoogleTokens.GOOGLE_TOKEN_ENDPOINT.toString());
    }

    /** The JSON key file, its {@code token_uri} pointing at {@code tokenUri}. */
    public String keyJson(String tokenUri) {
      Map<String, String> json = new LinkedHashMap<>();
      json.put("type", "service_account");
      json.put("project_id", "gen3-data");
      json.put("private_key_id", keyId);
      json.put("private_key", privateKeyPem());
      json.put("client_email", email);
      json.put("client_id", "104857600000000000001");
      json.put("auth_uri", "https://accounts.google.com/o/oauth2/auth");
      json.put("token_uri", tokenUri);
      try {
        return JSON.writeValueAsString(json);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  private GoogleOAuthServer(Clock clock) throws IOException {
    this.clock = clock;
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  public static GoogleOAuthServer start(Clock clock) {
    try {
      return new GoogleOAuthServer(clock);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public String tokenUri() {
    return address() + TOKEN_PATH;
  }

  /** The Security Token Service's token exchange. */
  public String stsUri() {
    return address() + STS_PATH;
  }

  public List<Downscoping> downscopings() {
    return List.copyOf(downscopings);
  }

  /**
   * The STS refuses every exchange (403, an OAuth error {@code access_denied} naming the Security
   * Token Service API as not enabled), or serves again.
   */
  public void disableSts(boolean disabled) {
    stsDisabled = disabled;
  }

  /** Every call is answered 503 UNAVAILABLE, as Google's front ends do in an outage. */
  void becomeUnavailable() {
    unavailable = true;
  }

  /** The STS takes this long before each answer, as a slow or struggling service would. */
  void delaySts(Duration delay) {
    stsDelay = delay;
  }

  /**
   * An HTTP transport for google-auth-library that sends requests for any host to this server,
   * keeping their path and query.
   */
  public HttpTransportFactory transport() {
    int port = server.getAddress().getPort();
    return () -> new NetHttpTransport.Builder().setConnectionFactory(url -> (HttpURLConnection)
        new URL("http", "127.0.0.1", port, url.getFile()).openConnection()).build();
  }

  /** The public half of the key signBlob signs with for {@code serviceAccount}. */
  public PublicKey systemKeyOf(String serviceAccount) {
    return systemKey(serviceAccount).getPublic();
  }

  /** The accounts signBlob signed for, one entry per call. */
  public List<String> signedBlobs() {
    return List.copyOf(signedBlobs);
  }

  /** Registers the account's public key, as IAM holds it for a key that was created. */
  public void knowKey(ServiceAccount account) {
    keys.put(account.keyId(), new RegisteredKey(account.email(), account.keys().getPublic()));
  }

  /** Grants Token Creator on {@code serviceAccount} to whoever holds {@code bearer}. */
  public void allowImpersonation(String bearer, String serviceAccount) {
    tokenCreators.computeIfAbsent(bearer, b -> ConcurrentHashMap.newKeySet()).add(serviceAccount);
  }

  /** Takes Token Creator back, as an administrator removing the binding would. */
  public void revokeImpersonation(String bearer, String serviceAccount) {
    tokenCreators.getOrDefault(bearer, Set.of()).remove(serviceAccount);
  }

  public List<Grant> grants() {
    return List.copyOf(grants);
  }

  List<Impersonation> impersonations() {
    return List.copyOf(impersonations);
  }

  /** Requests of either kind answered with an error. */
  int refusals() {
    return refusals.get();
  }

  @Override
  public void close() {
    server.stop(0);
  }

  private String address() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
      Answer answer;
      if (unavailable) {
        answer = googleError(503, "UNAVAILABLE", "The service is currently unavailable.");
      } else if (!exchange.getRequestMethod().equals("POST")) {
        answer = googleError(405, "METHOD_NOT_ALLOWED", "Only POST is served here.");
      } else if (path.equals(TOKEN_PATH)) {
        answer = tokenGrant(contentType, body);
      } else if (path.equals(STS_PATH)) {
        answer = tokenExchange(exchange.getRequestHeaders().getFirst("Authorization"),
            contentType, body);
      } else if (path.startsWith(IAM_PREFIX) && path.endsWith(IAM_SUFFIX)) {
        answer = generateAccessToken(
            path.substring(IAM_PREFIX.length(), path.length() - IAM_SUFFIX.length()),
            exchange.getRequestHeaders().getFirst("Authorization"), contentType, body);
      } else if (path.startsWith(IAM_PREFIX) && path.endsWith(SIGN_BLOB_SUFFIX)) {
        answer = signBlob(
            path.substring(IAM_PREFIX.length(), path.length() - SIGN_BLOB_SUFFIX.length()),
            exchange.getRequestHeaders().getFirst("Authorization"), contentType, body);
      } else {
        answer = googleError(404, "NOT_FOUND", "No such method.");
      }
      if (answer.status() != 200) {
        refusals.incrementAndGet();
      }
      byte[] bytes = JSON.writeValueAsBytes(answer.json());
      exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
      exchange.sendResponseHeaders(answer.status(), bytes.length);
      exchange.getResponseBody().write(bytes);
    }
  }

  private Answer tokenGrant(String contentType, String body) {
    if (contentType == null || !contentType.startsWith("application/x-www-form-urlencoded")) {
      return oauthError("invalid_request", "Content type must be form-encoded.");
    }
    Map<String, String> form = form(body);
    if (!JWT_BEARER.equals(form.get("grant_type"))) {
      return oauthError("unsupported_grant_type", "Invalid grant_type: "
          + form.get("grant_type"));
    }
    String[] parts = form.getOrDefault("assertion", "").split("\\.", -1);
    if (parts.length != 3) {
      return oauthError("invalid_request", "Invalid JWT: not a signed JWT.");
    }
    Map<String, Object> header = jsonObject(parts[0]);
    Map<String, Object> claims = jsonObject(parts[1]);
    if (header == null || claims == null) {
      return oauthError("invalid_request", "Invalid JWT: header or claims are not JSON.");
    }
    RegisteredKey key = keys.get(String.valueOf(header.get("kid")));
    if (!"RS256".equals(header.get("alg")) || key == null
        || !signedBy(key.publicKey(), parts)) {
      return oauthError("invalid_grant", INVALID_SIGNATURE);
    }
    if (!key.email().equals(claims.get("iss"))) {
      return oauthError("invalid_grant", "Invalid JWT: iss does not own the signing key.");
    }
    if (!TOKEN_AUDIENCE.equals(claims.get("aud"))) {
      return oauthError("invalid_grant", "Invalid JWT: aud is not " + TOKEN_AUDIENCE + ".");
    }
    if (!(claims.get("iat") instanceof Number iat) || !(claims.get("exp") instanceof Number exp)) {
      return oauthError("invalid_grant", "Invalid JWT: iat and exp are required.");
    }
    Instant now = clock.instant();
    Instant issuedAt = Instant.ofEpochSecond(iat.longValue());
    Instant expiresAt = Instant.ofEpochSecond(exp.longValue());
    if (issuedAt.isAfter(now.plus(CLOCK_SKEW)) || !expiresAt.isAfter(now)
        || Duration.between(issuedAt, expiresAt).compareTo(MAX_LIFETIME) > 0) {
      return oauthError("invalid_grant", "Invalid JWT: Token must be a short-lived token (60"
          + " minutes) and in a reasonable timeframe.");
    }
    if (!(claims.get("scope") instanceof String scope) || scope.isBlank()) {
      return oauthError("invalid_scope", "Empty or missing scope not allowed.");
    }
    String token = "ya29.c.sa-" + issued.incrementAndGet();
    grants.add(new Grant(header, claims, token));
    issuedTokens.put(token, new Issued(List.of(scope.split(" ")), now.plusSeconds(3599)));
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("access_token", token);
    answer.put("expires_in", 3599);
    answer.put("token_type", "Bearer");
    return new Answer(200, answer);
  }

  private Answer tokenExchange(String authorization, String contentType, String body) {
    try {
      Thread.sleep(stsDelay.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (stsDisabled) {
      return new Answer(403, Map.of("error", "access_denied", "error_description",
          "Security Token Service API has not been used in this project before or it is"
              + " disabled."));
    }
    if (authorization != null) {
      return oauthError("invalid_request", "Authorization header is not supported.");
    }
    if (contentType == null || !contentType.startsWith("application/x-www-form-urlencoded")) {
      return oauthError("invalid_request", "Content type must be form-encoded.");
    }
    Map<String, String> form = form(body);
    if (!TOKEN_EXCHANGE.equals(form.get("grant_type"))) {
      return oauthError("unsupported_grant_type", "Invalid grant_type.");
    }
    if (!ACCESS_TOKEN_TYPE.equals(form.get("subject_token_type"))
        || !ACCESS_TOKEN_TYPE.equals(form.get("requested_token_type"))) {
      return oauthError("invalid_request", "Only access tokens are exchanged here.");
    }
    Issued source = issuedTokens.get(form.getOrDefault("subject_token", ""));
    Instant now = clock.instant();
    if (source == null || !source.expiry().isAfter(now)) {
      return oauthError("invalid_grant", "The subject token is invalid or expired.");
    }
    if (!source.scopes().contains(CLOUD_PLATFORM)) {
      return oauthError("invalid_scope", "The subject token needs the cloud-platform scope.");
    }
    Map<String, List<String>> rolesByBucket = boundary(form.get("options"));
    if (rolesByBucket == null) {
      return oauthError("invalid_request", "The options do not hold a valid access boundary.");
    }
    String token = "ya29.d.downscoped-" + issued.incrementAndGet();
    issuedTokens.put(token, new Issued(List.of(), source.expiry()));
    downscopings.add(new Downscoping(form.get("subject_token"), rolesByBucket, token));
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("access_token", token);
    answer.put("issued_token_type", ACCESS_TOKEN_TYPE);
    answer.put("token_type", "Bearer");
    answer.put("expires_in", Duration.between(now, source.expiry()).toSeconds());
    return new Answer(200, answer);
  }

  /** The boundary's buckets and roles, or null when it breaks the documented rules. */
  private static Map<String, List<String>> boundary(String options) {
    Map<String, Object> json = options == null ? null : json(options);
    if (json == null || json.size() != 1
        || !(json.get("accessBoundary") instanceof Map<?, ?> boundary) || boundary.size() != 1
        || !(boundary.get("accessBoundaryRules") instanceof List<?> rules)
        || rules.isEmpty() || rules.size() > 10) {
      return null;
    }
    Map<String, List<String>> rolesByBucket = new LinkedHashMap<>();
    for (Object item : rules) {
      if (!(item instanceof Map<?, ?> rule)
          || !(rule.get("availableResource") instanceof String resource)
          || !resource.startsWith(BUCKET_RESOURCE)
          || resource.length() == BUCKET_RESOURCE.length()
          || !(rule.get("availablePermissions") instanceof List<?> permissions)
          || permissions.isEmpty()
          || !permissions.stream().allMatch(permission -> permission instanceof String text
              && text.startsWith("inRole:roles/"))) {
        return null;
      }
      rolesByBucket.put(resource.substring(BUCKET_RESOURCE.length()), permissions.stream()
          .map(permission -> ((String) permission).substring("inRole:".length())).toList());
    }
    return rolesByBucket;
  }

  /** Why a caller may not act as {@code serviceAccount}, or null when it may. */
  private Answer refusedTokenCreator(String serviceAccount, String authorization) {
    String bearer = authorization != null && authorization.startsWith("Bearer ")
        ? authorization.substring("Bearer ".length()) : null;
    Set<String> allowed = bearer == null ? null : tokenCreators.get(bearer);
    if (allowed == null) {
      return googleError(401, "UNAUTHENTICATED", "Request had invalid authentication"
          + " credentials. Expected OAuth 2 access token.");
    }
    if (!allowed.contains(serviceAccount)) {
      return googleError(403, "PERMISSION_DENIED", PERMISSION_DENIED_MESSAGE);
    }
    return null;
  }

  private Answer signBlob(String serviceAccount, String authorization, String contentType,
      String body) {
    Answer refused = refusedTokenCreator(serviceAccount, authorization);
    if (refused != null) {
      return refused;
    }
    Map<String, Object> request = contentType != null
        && contentType.startsWith("application/json") ? json(body) : null;
    byte[] payload;
    try {
      payload = request == null || !(request.get("payload") instanceof String text) ? null
          : Base64.getDecoder().decode(text);
    } catch (IllegalArgumentException e) {
      payload = null;
    }
    if (payload == null) {
      return googleError(400, "INVALID_ARGUMENT", "Invalid value at 'payload' (TYPE_BYTES).");
    }
    try {
      Signature rsa = Signature.getInstance("SHA256withRSA");
      rsa.initSign(systemKey(serviceAccount).getPrivate());
      rsa.update(payload);
      signedBlobs.add(serviceAccount);
      return new Answer(200, Map.of("keyId", "system-" + serviceAccount.hashCode(),
          "signedBlob", Base64.getEncoder().encodeToString(rsa.sign())));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private KeyPair systemKey(String serviceAccount) {
    return systemKeys.computeIfAbsent(serviceAccount,
        account -> ServiceAccount.generate(account).keys());
  }

  private Answer generateAccessToken(String serviceAccount, String authorization,
      String contentType, String body) {
    Answer refused = refusedTokenCreator(serviceAccount, authorization);
    if (refused != null) {
      return refused;
    }
    Map<String, Object> request = contentType != null
        && contentType.startsWith("application/json") ? json(body) : null;
    if (request == null || !(request.get("scope") instanceof List<?> scope) || scope.isEmpty()) {
      return googleError(400, "INVALID_ARGUMENT", "Scope required.");
    }
    Duration lifetime = MAX_LIFETIME;
    String requested = request.get("lifetime") == null ? null
        : String.valueOf(request.get("lifetime"));
    if (requested != null) {
      if (!requested.matches("\\d+s")) {
        return googleError(400, "INVALID_ARGUMENT", "Invalid value at 'lifetime'.");
      }
      lifetime = Duration.ofSeconds(Long.parseLong(
          requested.substring(0, requested.length() - 1)));
      if (lifetime.isZero() || lifetime.compareTo(MAX_LIFETIME) > 0) {
        return googleError(400, "INVALID_ARGUMENT", "The lifetime must be at most 3600s.");
      }
    }
    String token = "ya29.c.impersonated-" + issued.incrementAndGet();
    Instant expireTime = clock.instant().plus(lifetime).truncatedTo(ChronoUnit.SECONDS);
    impersonations.add(new Impersonation(serviceAccount, authorization,
        scope.stream().map(String::valueOf).toList(), requested, token, expireTime));
    issuedTokens.put(token, new Issued(scope.stream().map(String::valueOf).toList(), expireTime));
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("accessToken", token);
    answer.put("expireTime", expireTime.toString());
    return new Answer(200, answer);
  }

  private static boolean signedBy(PublicKey key, String[] jwt) {
    try {
      Signature rs256 = Signature.getInstance("SHA256withRSA");
      rs256.initVerify(key);
      rs256.update((jwt[0] + "." + jwt[1]).getBytes(StandardCharsets.US_ASCII));
      return rs256.verify(Base64.getUrlDecoder().decode(jwt[2]));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      return false;
    }
  }

  private static Map<String, Object> jsonObject(String base64Url) {
    try {
      return json(new String(Base64.getUrlDecoder().decode(base64Url), StandardCharsets.UTF_8));
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static Map<String, Object> json(String text) {
    try {
      return JSON.readValue(text, new TypeReference<Map<String, Object>>() { });
    } catch (IOException e) {
      return null;
    }
  }

  private static Map<String, String> form(String body) {
    Map<String, String> fields = new HashMap<>();
    for (String pair : body.split("&")) {
      int equals = pair.indexOf('=');
      if (equals > 0) {
        fields.put(URLDecoder.decode(pair.substring(0, equals), StandardCharsets.UTF_8),
            URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
      }
    }
    return fields;
  }

  private static Answer oauthError(String error, String description) {
    return new Answer(400, Map.of("error", error, "error_description", description));
  }

  private static Answer googleError(int code, String status, String message) {
    return new Answer(code, Map.of("error", Map.of("code", code, "message", message,
        "status", status)));
  }
}
