package dev.storagegateway.controlplane.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.storagegateway.controlplane.credentials.CredentialCheckResult;
import dev.storagegateway.controlplane.credentials.CredentialOperations;
import dev.storagegateway.controlplane.registry.BucketRegistry;
import dev.storagegateway.controlplane.validation.LookupShare;
import dev.storagegateway.credentials.AccessPurpose;
import dev.storagegateway.credentials.CredentialKey;
import dev.storagegateway.registry.Bucket;
import dev.storagegateway.registry.RegistryJson;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A bucket's credentials: {@code POST .../rotate} drops them on every replica,
 * {@code POST .../validate} proves them against the bucket, {@code GET .../credential-health}
 * shows the latest check of an active bucket, and {@code GET /admin/credential-health} all of
 * them; every control plane answers the same checks, whichever ran them.
 */
final class CredentialsApi {
  static final String ALL_HEALTH = "/admin/credential-health";
  /**
   * How often one credential source may be rotated, per replica, and validated by a project
   * owner: a validate reads the source again on this replica, bypassing the cache, and sources
   * are shared between buckets, so an owner's loop would have STS or the secrets backend
   * throttle every bucket that shares it. Registry admins validate unspaced (a migration checks
   * many buckets of one source in a row).
   */
  static final Duration SPACING = Duration.ofSeconds(10);
  /** The actions on a bucket this API answers, with their operationId in openapi.yaml. */
  private static final Map<String, String> OPERATIONS = Map.of(
      "rotate", "rotateBucketCredentials",
      "validate", "validateBucketCredentials",
      "credential-health", "getBucketCredentialHealth");

  private final BucketRegistry registry;
  private final AdminAccess access;
  private final CredentialOperations operations;
  private final CallSpacing<CredentialKey> rotations = new CallSpacing<>(SPACING);
  /** By source, and by bucket: a public bucket, or one missing what names its source, has none. */
  private final CallSpacing<Object> ownerValidations = new CallSpacing<>(SPACING);

  CredentialsApi(BucketRegistry registry, AdminAccess access, CredentialOperations operations) {
    this.registry = registry;
    this.access = access;
    this.operations = operations;
  }

  boolean handles(String action) {
    return OPERATIONS.containsKey(action);
  }

  void handle(Exchange exchange, String name, String action) throws IOException {
    boolean read = action.equals("credential-health");
    if (read ? !exchange.isRead() : !exchange.method().equals("POST")) {
      throw ApiException.methodNotAllowed(exchange.method(), read ? "GET, HEAD" : "POST");
    }
    exchange.routedTo(OPERATIONS.get(action));
    AdminCaller caller = access.authenticate(exchange);
    Bucket bucket = access.requireManaged(caller, name, registry.find(name));
    switch (action) {
      case "rotate" -> rotate(exchange, caller, bucket);
      case "validate" -> validate(exchange, caller, bucket);
      default -> health(exchange, bucket);
    }
  }

  void handleAll(Exchange exchange) throws IOException {
    if (!exchange.isRead()) {
      throw ApiException.methodNotAllowed(exchange.method(), "GET, HEAD");
    }
    exchange.routedTo("listCredentialHealth");
    AdminCaller caller = access.authenticate(exchange);
    access.requireList(caller, null);
    ObjectNode body = RegistryJson.mapper().createObjectNode();
    body.set("buckets", RegistryJson.mapper().valueToTree(operations.health().all()));
    exchange.respond(200, body, Map.of());
  }

  private void rotate(Exchange exchange, AdminCaller caller, Bucket bucket)
      throws IOException {
    exchange.discardBody();
    List<CredentialKey> keys;
    try {
      keys = operations.rotation().keysOf(bucket);
    } catch (IllegalArgumentException incomplete) {
      // A bucket registered suspended before its secret exists (a Fence migration does this).
      throw new ApiException(409, "conflict", incomplete.getMessage() + ", so it has no"
          + " credentials to rotate yet; set that first");
    }
    if (keys.isEmpty()) {
      // Each rotate writes an audit row: one that drops nothing would only grow the table.
      throw new ApiException(409, "conflict", "bucket '" + bucket.name() + "' is public: it has"
          + " no credentials to rotate; nothing was changed");
    }
    rotations.claim(keys).ifPresent(wait -> {
      throw ApiException.tooManyRequests("the credentials of bucket '" + bucket.name() + "'"
          + " were rotated moments ago, and every replica is reading them again; a source is"
          + " rotated at most once every " + SPACING.toSeconds() + " seconds", wait);
    });
    try {
      // Audited before it happens, so that no rotation goes unrecorded: with the database away
      // nothing is done and the claim is given back. A publication failing after it leaves a
      // row for a rotation asked for and not done, which the retry records again.
      registry.recordAction(caller.username(), "bucket.rotate_credentials", bucket);
      operations.rotation().rotate(keys);
    } catch (RuntimeException notDone) {
      rotations.release(keys);
      throw notDone;
    }
    ObjectNode body = RegistryJson.mapper().createObjectNode();
    body.put("bucket", bucket.name());
    ArrayNode sources = body.putArray("invalidated");
    keys.forEach(key -> sources.add(key.toString()));
    body.put("message", "every replica drops these cached credentials now; the next request"
        + " reads the source again");
    exchange.respond(202, body, Map.of());
  }

  private void validate(Exchange exchange, AdminCaller caller, Bucket bucket)
      throws IOException {
    exchange.discardBody();
    if (!caller.isRegistryAdmin()) {
      List<Object> spaced = new ArrayList<>(sourcesOf(bucket));
      spaced.add(bucket.name());
      ownerValidations.claim(spaced).ifPresent(wait -> {
        throw ApiException.tooManyRequests("the credentials of bucket '" + bucket.name() + "'"
            + " were validated moments ago; a project owner validates a bucket, and its source,"
            + " at most once every " + SPACING.toSeconds() + " seconds (GET /admin/buckets/"
            + bucket.name() + "/credential-health shows an active bucket's latest result)",
            wait);
      });
    }
    CredentialCheckResult result = operations.check().check(bucket,
        new AccessPurpose(caller.username(), "validate"), LookupShare.caller(caller.username()));
    operations.health().record(bucket, result);
    exchange.respond(200, RegistryJson.mapper().valueToTree(result), Map.of());
  }

  /** The bucket's sources; none for a bucket that lacks what names them, which the check says. */
  private List<CredentialKey> sourcesOf(Bucket bucket) {
    try {
      return operations.rotation().keysOf(bucket);
    } catch (IllegalArgumentException incomplete) {
      return List.of();
    }
  }

  private void health(Exchange exchange, Bucket bucket) throws IOException {
    CredentialCheckResult result = operations.health().of(bucket.name())
        .orElseThrow(() -> ApiException.notFound(bucket.isActive()
            ? "bucket '" + bucket.name() + "' has no check on record (none since it was last"
                + " resumed, or since every control plane restarted); POST /admin/buckets/"
                + bucket.name() + "/validate checks it now"
            : "bucket '" + bucket.name() + "' is suspended, and only active buckets' checks are"
                + " kept; POST /admin/buckets/" + bucket.name() + "/validate checks it now"
                + " and answers the result"));
    exchange.respond(200, RegistryJson.mapper().valueToTree(result), Map.of());
  }
}
