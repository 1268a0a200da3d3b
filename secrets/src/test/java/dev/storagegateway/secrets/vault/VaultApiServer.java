package dev.storagegateway.secrets.vault;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.github.jopenlibs.vault.json.Json;
import io.github.jopenlibs.vault.json.JsonObject;
import io.github.jopenlibs.vault.json.JsonValue;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test-only Vault that answers the calls the store makes as Vault's HTTP API documents them
 * (developer.hashicorp.com/vault/api-docs):
 *
 * <ul>
 *   <li>secret/kv/kv-v2 "Read secret version": {@code GET /v1/secret/data/:path?version=N},
 *       answering {@code {"data": {"data": {...}, "metadata": {"version": N, ...}}}}; version 0 or
 *       none is the newest; 404 {@code {"errors": []}} for a missing path or version.
 *   <li>secret/kv/kv-v2 "Create/Update secret": {@code POST /v1/secret/data/:path} with
 *       {@code {"data": {...}}} with an optional {@code "options": {"cas": N}} (refused with 400
 *       unless N is the current version, 0 for none; required, 400 otherwise, on a mount
 *       configured with {@code cas_required}), answering the new version's metadata under
 *       {@code data}.
 *   <li>secret/kv/kv-v2 "Delete metadata and all versions":
 *       {@code DELETE /v1/secret/metadata/:path}, answering 204 whether or not the path exists.
 *   <li>secret/aws "Generate credentials": {@code GET /v1/aws/creds/:name}, answering
 *       {@code lease_id}, {@code lease_duration}, {@code renewable} and {@code data.access_key},
 *       {@code secret_key}, {@code security_token} (null for IAM users; STS credentials carry one
 *       and cannot be renewed).
 *   <li>system/leases "Renew lease": {@code PUT /v1/sys/leases/renew} with {@code lease_id} and
 *       {@code increment}; Vault grants the increment capped at the lease's max TTL, and answers
 *       400 for a lease it does not know or cannot renew. A lease is revoked with the token
 *       that obtained it.
 *   <li>system/leases "Revoke lease": {@code PUT /v1/sys/leases/revoke} with {@code lease_id},
 *       answering 204 whether or not the lease exists.
 *   <li>auth/token "Lookup a token (Self)": {@code GET /v1/auth/token/lookup-self}, answering
 *       {@code data.id} and {@code data.ttl}.
 *   <li>auth/kubernetes "Login" ({@code POST /v1/auth/kubernetes/login}, {@code role} and
 *       {@code jwt}) and auth/approle "Login with AppRole" ({@code POST /v1/auth/approle/login},
 *       {@code role_id} and {@code secret_id}), answering {@code auth.client_token},
 *       {@code auth.lease_duration} and {@code auth.renewable}.
 * </ul>
 *
 * <p>Every other call needs an {@code X-Vault-Token} that is known and unexpired, or gets 403
 * {@code {"errors": ["permission denied"]}}, as Vault does. PUT and POST are the same to Vault.
 * Times come from the test's clock so that leases expire without sleeping.
 */
final class VaultApiServer implements AutoCloseable {
  private static final String KV_PREFIX = "secret/data/";
  private static final String KV_METADATA_PREFIX = "secret/metadata/";
  private static final String AWS_PREFIX = "aws/creds/";

  private final HttpServer server;
  private final Clock clock;
  private final Map<String, Instant> tokens = new ConcurrentHashMap<>();
  private final Map<String, List<Map<String, String>>> kv = new ConcurrentHashMap<>();
  private final Map<String, String> kubernetesRoles = new ConcurrentHashMap<>();
  private final Map<String, String> appRoles = new ConcurrentHashMap<>();
  private final Map<String, AwsRole> awsRoles = new ConcurrentHashMap<>();
  private final Map<String, LeaseState> leases = new ConcurrentHashMap<>();
  private final Map<String, String> issuedKeys = new ConcurrentHashMap<>();
  private final Set<String> deniedPaths = ConcurrentHashMap.newKeySet();
  private final List<String> requests = new CopyOnWriteArrayList<>();
  private final List<String> namespaces = new CopyOnWriteArrayList<>();
  private final AtomicInteger issued = new AtomicInteger();
  private volatile Duration loginTtl = Duration.ofHours(1);
  private volatile Answer failure;
  private volatile boolean casRequired;

  private record AwsRole(Duration ttl, Duration maxTtl, boolean sts) {
  }

  /** {@code token} obtained it: Vault revokes the lease when that token lapses. */
  private record LeaseState(Instant expiresAt, Instant maxExpiresAt, boolean renewable,
      String token) {
  }

  private record Answer(int status, String json) {
  }

  private VaultApiServer(Clock clock) throws IOException {
    this.clock = clock;
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  static VaultApiServer start(Clock clock) {
    try {
      return new VaultApiServer(clock);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  String address() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** A token Vault knows with no expiry, like one an operator created for the gateway. */
  void acceptToken(String token) {
    tokens.put(token, Instant.MAX);
  }

  void kubernetesRole(String role, String jwt) {
    kubernetesRoles.put(role, jwt);
  }

  void appRole(String roleId, String secretId) {
    appRoles.put(roleId, secretId);
  }

  /** The lease of the tokens later logins hand out. */
  void loginTtl(Duration ttl) {
    loginTtl = ttl;
  }

  void awsRole(String name, Duration ttl, Duration maxTtl, boolean sts) {
    awsRoles.put(name, new AwsRole(ttl, maxTtl, sts));
  }

  /** Makes every token Vault knows unusable, as if all had reached their TTL. */
  void expireTokens() {
    tokens.replaceAll((token, expiry) -> Instant.MIN);
  }

  void revokeLeases() {
    leases.clear();
  }

  /**
   * Whether the credential of {@code leaseId} still exists: its lease has not run out and the
   * token that obtained it has not lapsed.
   */
  boolean leaseLive(String leaseId) {
    LeaseState lease = leases.get(leaseId);
    return lease != null && live(lease);
  }

  /** The lease under which {@code accessKey} was issued. */
  String leaseOf(String accessKey) {
    return issuedKeys.get(accessKey);
  }

  private boolean live(LeaseState lease) {
    Instant now = clock.instant();
    return now.isBefore(lease.expiresAt()) && now.isBefore(tokens.getOrDefault(lease.token(),
        Instant.MIN));
  }

  /** Refuses {@code apiPath} to every token, as a policy without that path would. */
  void deny(String apiPath) {
    deniedPaths.add(apiPath);
  }

  /** As {@code vault write secret/config cas_required=true}: every write must carry cas. */
  void requireCheckAndSet() {
    casRequired = true;
  }

  /** Answers every request with {@code status} and Vault's error body until {@link #recover}. */
  void failWith(int status, String error) {
    failure = new Answer(status, errors(error));
  }

  void recover() {
    failure = null;
  }

  /** Every request so far, as {@code METHOD /v1/path?query status}. */
  List<String> requests() {
    return List.copyOf(requests);
  }

  long count(String methodAndPath) {
    return requests.stream().filter(r -> r.startsWith(methodAndPath + " ")).count();
  }

  List<String> namespaces() {
    return List.copyOf(namespaces);
  }

  @Override
  public void close() {
    server.stop(0);
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String method = exchange.getRequestMethod().equals("PUT")
          ? "POST" : exchange.getRequestMethod();
      String path = exchange.getRequestURI().getPath();
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      String namespace = exchange.getRequestHeaders().getFirst("X-Vault-Namespace");
      if (namespace != null) {
        namespaces.add(namespace);
      }
      Answer answer = answer(method, path.startsWith("/v1/") ? path.substring(4) : null,
          exchange.getRequestURI().getQuery(),
          exchange.getRequestHeaders().getFirst("X-Vault-Token"), body);
      String query = exchange.getRequestURI().getRawQuery();
      requests.add(exchange.getRequestMethod() + " " + path + (query == null ? "" : "?" + query)
          + " " + answer.status());
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      if (answer.json() == null) {
        exchange.sendResponseHeaders(answer.status(), -1);
        return;
      }
      byte[] bytes = answer.json().getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(answer.status(), bytes.length);
      exchange.getResponseBody().write(bytes);
    }
  }

  private Answer answer(String method, String path, String query, String token, String body) {
    Answer failing = failure;
    if (failing != null) {
      return failing;
    }
    if (path == null) {
      return new Answer(404, errors());
    }
    if (method.equals("POST") && path.equals("auth/kubernetes/login")) {
      return kubernetesLogin(Json.parse(body).asObject());
    }
    if (method.equals("POST") && path.equals("auth/approle/login")) {
      return appRoleLogin(Json.parse(body).asObject());
    }
    Instant expiry = token == null ? null : tokens.get(token);
    if (expiry == null || !clock.instant().isBefore(expiry) || deniedPaths.contains(path)) {
      return new Answer(403, errors("permission denied"));
    }
    if (path.equals("auth/token/lookup-self") && method.equals("GET")) {
      return tokenLookup(token, expiry);
    }
    if (path.startsWith(KV_PREFIX) && method.equals("GET")) {
      return kvRead(path.substring(KV_PREFIX.length()), query);
    }
    if (path.startsWith(KV_PREFIX) && method.equals("POST")) {
      return kvWrite(path.substring(KV_PREFIX.length()), Json.parse(body).asObject());
    }
    if (path.startsWith(KV_METADATA_PREFIX) && method.equals("DELETE")) {
      kv.remove(path.substring(KV_METADATA_PREFIX.length()));
      return new Answer(204, null);
    }
    if (path.startsWith(AWS_PREFIX) && method.equals("GET")) {
      return awsCredentials(path.substring(AWS_PREFIX.length()), token);
    }
    if (path.equals("sys/leases/renew") && method.equals("POST")) {
      return renew(Json.parse(body).asObject());
    }
    if (path.equals("sys/leases/revoke") && method.equals("POST")) {
      leases.remove(Json.parse(body).asObject().getString("lease_id", ""));
      return new Answer(204, null);
    }
    return new Answer(404, errors("no handler for route \"" + path + "\""));
  }

  /** The fields of Vault's documented sample answer, which the driver reads all of. */
  private Answer tokenLookup(String token, Instant expiry) {
    long ttl = Duration.between(clock.instant(), expiry).toSeconds();
    return new Answer(200, Json.object().add("data", Json.object()
        .add("accessor", "accessor-" + token)
        .add("creation_time", clock.instant().getEpochSecond())
        .add("creation_ttl", ttl)
        .add("display_name", "approle")
        .add("entity_id", "")
        .add("expire_time", expiry.toString())
        .add("explicit_max_ttl", 0)
        .add("id", token)
        .add("issue_time", clock.instant().toString())
        .add("meta", Json.NULL)
        .add("num_uses", 0)
        .add("orphan", true)
        .add("path", "auth/approle/login")
        .add("policies", Json.array("default", "gateway"))
        .add("renewable", true)
        .add("ttl", ttl)
        .add("type", "service")).toString());
  }

  private Answer kvRead(String secret, String query) {
    List<Map<String, String>> versions = kv.get(secret);
    int version = query == null || !query.startsWith("version=")
        ? 0 : Integer.parseInt(query.substring("version=".length()));
    if (versions == null || version > versions.size()) {
      return new Answer(404, errors());
    }
    int served = version == 0 ? versions.size() : version;
    JsonObject data = Json.object();
    versions.get(served - 1).forEach(data::add);
    return new Answer(200, envelope(Json.object().add("data", data)
        .add("metadata", versionMetadata(served))).toString());
  }

  private Answer kvWrite(String secret, JsonObject request) {
    JsonValue data = request.get("data");
    if (data == null || !data.isObject()) {
      return new Answer(400, errors("no data provided"));
    }
    Map<String, String> fields = new TreeMap<>();
    for (JsonObject.Member member : data.asObject()) {
      fields.put(member.getName(), member.getValue().asString());
    }
    List<Map<String, String>> versions = kv.computeIfAbsent(secret,
        key -> new CopyOnWriteArrayList<>());
    synchronized (versions) {
      // Check-and-set: the write goes through only if cas names the current version (0: none).
      JsonValue options = request.get("options");
      JsonValue cas = options != null && options.isObject() ? options.asObject().get("cas") : null;
      if (cas == null && casRequired) {
        return new Answer(400, errors("check-and-set parameter required for this call"));
      }
      if (cas != null && cas.asInt() != versions.size()) {
        return new Answer(400, errors("check-and-set parameter did not match the current"
            + " version"));
      }
      versions.add(Map.copyOf(fields));
      return new Answer(200, envelope(versionMetadata(versions.size())).toString());
    }
  }

  private Answer awsCredentials(String name, String token) {
    AwsRole role = awsRoles.get(name);
    if (role == null) {
      return new Answer(400, errors("role \"" + name + "\" not found"));
    }
    int serial = issued.incrementAndGet();
    String leaseId = AWS_PREFIX + name + "/" + UUID.randomUUID();
    Instant now = clock.instant();
    leases.put(leaseId, new LeaseState(now.plus(role.ttl()), now.plus(role.maxTtl()),
        !role.sts(), token));
    String accessKey = String.format("AKIAVAULTTEST%07d", serial);
    issuedKeys.put(accessKey, leaseId);
    JsonObject data = Json.object()
        .add("access_key", accessKey)
        .add("secret_key", "vault-secret-key-" + serial)
        .add("security_token", role.sts() ? "vault-session-token-" + serial : null);
    return new Answer(200, envelope(data)
        .set("lease_id", leaseId)
        .set("renewable", !role.sts())
        .set("lease_duration", role.ttl().toSeconds())
        .toString());
  }

  private Answer renew(JsonObject request) {
    String leaseId = request.getString("lease_id", "");
    LeaseState lease = leases.get(leaseId);
    Instant now = clock.instant();
    if (lease == null || !live(lease)) {
      return new Answer(400, errors("lease not found"));
    }
    if (!lease.renewable()) {
      return new Answer(400, errors("lease is not renewable"));
    }
    JsonValue increment = request.get("increment");
    long asked = increment == null ? 0 : increment.isNumber()
        ? increment.asLong() : Long.parseLong(increment.asString());
    long left = Duration.between(now, lease.maxExpiresAt()).toSeconds();
    long granted = asked <= 0 ? left : Math.min(asked, left);
    leases.put(leaseId, new LeaseState(now.plusSeconds(granted), lease.maxExpiresAt(), true,
        lease.token()));
    return new Answer(200, envelope(Json.NULL)
        .set("lease_id", leaseId)
        .set("renewable", true)
        .set("lease_duration", granted)
        .toString());
  }

  private Answer kubernetesLogin(JsonObject request) {
    String role = request.getString("role", "");
    String expected = kubernetesRoles.get(role);
    if (expected == null) {
      return new Answer(400, errors("invalid role name \"" + role + "\""));
    }
    if (!expected.equals(request.getString("jwt", ""))) {
      return new Answer(403, errors("permission denied"));
    }
    return login(Json.object().add("role", role)
        .add("service_account_name", "storage-gateway"));
  }

  private Answer appRoleLogin(JsonObject request) {
    String expected = appRoles.get(request.getString("role_id", ""));
    if (expected == null || !expected.equals(request.getString("secret_id", ""))) {
      return new Answer(400, errors("invalid role or secret ID"));
    }
    return login(Json.object().add("role_name", "storage-gateway"));
  }

  private Answer login(JsonObject metadata) {
    String token = "hvs." + UUID.randomUUID().toString().replace("-", "");
    Duration ttl = loginTtl;
    tokens.put(token, clock.instant().plus(ttl));
    JsonObject auth = Json.object()
        .add("client_token", token)
        .add("accessor", UUID.randomUUID().toString())
        .add("policies", Json.array("default", "storage-gateway"))
        .add("token_policies", Json.array("default", "storage-gateway"))
        .add("metadata", metadata)
        .add("lease_duration", ttl.toSeconds())
        .add("renewable", true)
        .add("entity_id", UUID.randomUUID().toString())
        .add("token_type", "service")
        .add("orphan", true);
    return new Answer(200, envelope(Json.NULL).set("auth", auth).toString());
  }

  private JsonObject versionMetadata(int version) {
    return Json.object()
        .add("created_time", clock.instant().toString())
        .add("custom_metadata", Json.NULL)
        .add("deletion_time", "")
        .add("destroyed", false)
        .add("version", version);
  }

  /** The fields every Vault answer has, with {@code data} in its place. */
  private static JsonObject envelope(JsonValue data) {
    return Json.object()
        .add("request_id", UUID.randomUUID().toString())
        .add("lease_id", "")
        .add("renewable", false)
        .add("lease_duration", 0)
        .add("data", data)
        .add("wrap_info", Json.NULL)
        .add("warnings", Json.NULL)
        .add("auth", Json.NULL);
  }

  private static String errors(String... messages) {
    return Json.object().add("errors", Json.array(messages)).toString();
  }

}
