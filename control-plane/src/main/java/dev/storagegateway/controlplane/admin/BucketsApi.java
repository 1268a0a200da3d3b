package dev.storagegateway.controlplane.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.storagegateway.controlplane.credentials.SecretProvisioning;
import dev.storagegateway.controlplane.registry.BucketNotFoundException;
import dev.storagegateway.controlplane.registry.BucketRegistry;
import dev.storagegateway.controlplane.registry.CreationStep;
import dev.storagegateway.controlplane.registry.ProjectQuota;
import dev.storagegateway.controlplane.registry.RevisionPrecondition;
import dev.storagegateway.controlplane.registry.ServerAssignedFields;
import dev.storagegateway.controlplane.registry.Undo;
import dev.storagegateway.controlplane.store.AuditEntry;
import dev.storagegateway.controlplane.store.BucketFilter;
import dev.storagegateway.controlplane.validation.FieldError;
import dev.storagegateway.controlplane.validation.SecretMaterialDetector;
import dev.storagegateway.registry.AdminHold;
import dev.storagegateway.registry.Bucket;
import dev.storagegateway.registry.BucketStatus;
import dev.storagegateway.registry.PrefixBinding;
import dev.storagegateway.registry.Provider;
import dev.storagegateway.registry.RegistryJson;
import dev.storagegateway.secrets.SecretPayload;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * The {@code /admin/buckets} resource: list, read, create (with {@code create_secret}),
 * merge-patch, suspend and resume; the credential actions go to {@link CredentialsApi}.
 */
final class BucketsApi {
  static final String PREFIX = "/admin/buckets";
  private static final Set<String> JSON = Set.of("application/json");
  private static final Set<String> MERGE_PATCH =
      Set.of("application/merge-patch+json", "application/json");
  /** Fixed once a bucket is registered: its name, and what the server assigns. */
  private static final List<String> FIXED_FIELDS =
      Stream.concat(Stream.of("name"), ServerAssignedFields.NAMES.stream()).toList();
  private static final int DEFAULT_PAGE = 100;
  private static final int MAX_PAGE = 1000;

  private final BucketRegistry registry;
  private final AdminAccess access;
  private final SecretMaterialDetector secrets;
  private final SecretProvisioning provisioning;
  private final CredentialsApi credentials;
  private final SecretWriteSlots secretWrites = new SecretWriteSlots();
  private final int projectBucketLimit;

  /**
   * @param projectBucketLimit how many buckets one project may hold when a project owner
   *     registers them (every bucket puts routes, and with its own endpoint a cluster, in every
   *     Envoy's configuration); 0 for no limit. Registry admins are not limited.
   */
  BucketsApi(BucketRegistry registry, AdminAccess access, SecretMaterialDetector secrets,
      SecretProvisioning provisioning, CredentialsApi credentials, int projectBucketLimit) {
    this.registry = registry;
    this.access = access;
    this.secrets = secrets;
    this.provisioning = provisioning;
    this.credentials = credentials;
    this.projectBucketLimit = projectBucketLimit;
  }

  /** Routes a request whose path starts with {@link #PREFIX}. */
  void handle(Exchange exchange) throws IOException {
    List<String> segments = segments(exchange.rawPath().substring(PREFIX.length()));
    String method = exchange.method();
    if (segments.isEmpty()) {
      switch (method) {
        case "GET", "HEAD" -> list(exchange.routedTo("listBuckets"));
        case "POST" -> create(exchange.routedTo("createBucket"));
        default -> throw ApiException.methodNotAllowed(method, "GET, HEAD, POST");
      }
    } else if (segments.size() == 1) {
      String name = segments.get(0);
      switch (method) {
        case "GET", "HEAD" -> get(exchange.routedTo("getBucket"), name);
        case "PATCH" -> patch(exchange.routedTo("patchBucket"), name);
        case "DELETE" -> suspend(exchange.routedTo("suspendBucket"), name);
        default -> throw ApiException.methodNotAllowed(method, "GET, HEAD, PATCH, DELETE");
      }
    } else if (segments.size() == 2 && segments.get(1).equals("resume")) {
      if (!method.equals("POST")) {
        throw ApiException.methodNotAllowed(method, "POST");
      }
      resume(exchange.routedTo("resumeBucket"), segments.get(0));
    } else if (segments.size() == 2 && segments.get(1).equals("audit")) {
      if (!method.equals("GET") && !method.equals("HEAD")) {
        throw ApiException.methodNotAllowed(method, "GET, HEAD");
      }
      audit(exchange.routedTo("getBucketAudit"), segments.get(0));
    } else if (segments.size() == 2 && credentials.handles(segments.get(1))) {
      credentials.handle(exchange, segments.get(0), segments.get(1));
    } else {
      throw ApiException.notFound("no such admin resource: " + exchange.rawPath());
    }
  }

  private void list(Exchange exchange) throws IOException {
    AdminCaller caller = access.authenticate(exchange);
    Map<String, String> query = exchange.query();
    for (String name : query.keySet()) {
      if (!Set.of("status", "provider", "owner_project", "limit", "page_token").contains(name)) {
        throw ApiException.badRequest("unknown query parameter '" + name
            + "'; use status, provider, owner_project, limit, page_token");
      }
    }
    BucketFilter filter = new BucketFilter(
        parameter(query, "status", BucketStatus::of),
        parameter(query, "provider", Provider::of),
        parameter(query, "owner_project", value -> withoutControlCharacters("owner_project",
            value)));
    access.requireList(caller, filter.ownerProject());
    int limit = limit(query.get("limit"));
    String after =
        query.containsKey("page_token") ? decodePageToken(query.get("page_token")) : null;

    List<Bucket> page = registry.list(filter, after, limit + 1);
    boolean more = page.size() > limit;
    List<Bucket> shown = more ? page.subList(0, limit) : page;
    ObjectNode body = RegistryJson.mapper().createObjectNode();
    body.set("buckets", RegistryJson.mapper().valueToTree(shown));
    body.put("next_page_token", more ? encodePageToken(shown.get(shown.size() - 1).name()) : null);
    exchange.respond(200, body, Map.of());
  }

  /**
   * The bucket's audit trail, oldest first, to whoever may manage the bucket: every change, by
   * whom, with the bucket before and after (references to secrets, never their values).
   */
  private void audit(Exchange exchange, String name) throws IOException {
    AdminCaller caller = access.authenticate(exchange);
    Map<String, String> query = exchange.query();
    for (String parameter : query.keySet()) {
      if (!Set.of("limit", "page_token").contains(parameter)) {
        throw ApiException.badRequest("unknown query parameter '" + parameter
            + "'; use limit, page_token");
      }
    }
    access.requireManaged(caller, name, registry.find(name));
    int limit = limit(query.get("limit"));
    long after = query.containsKey("page_token")
        ? auditPosition(decodePageToken(query.get("page_token"))) : 0;
    List<AuditEntry> page = registry.history(name, after, limit + 1);
    boolean more = page.size() > limit;
    List<AuditEntry> shown = more ? page.subList(0, limit) : page;
    ObjectNode body = RegistryJson.mapper().createObjectNode();
    body.set("events", RegistryJson.mapper().valueToTree(shown));
    body.put("next_page_token",
        more ? encodePageToken(Long.toString(shown.get(shown.size() - 1).id())) : null);
    exchange.respond(200, body, Map.of());
  }

  private static long auditPosition(String decoded) {
    try {
      return Long.parseLong(decoded);
    } catch (NumberFormatException e) {
      throw ApiException.badRequest("page_token is not one this API issued; "
          + "pass next_page_token from the previous page unchanged");
    }
  }

  private void get(Exchange exchange, String name) throws IOException {
    AdminCaller caller = access.authenticate(exchange);
    respondWith(exchange, 200, access.requireManaged(caller, name, registry.find(name)));
  }

  private void create(Exchange exchange) throws IOException {
    AdminCaller caller = access.authenticate(exchange);
    ObjectNode body = (ObjectNode) exchange.jsonBody(JSON);
    Optional<SecretPayload> secretToCreate = takeSecretToCreate(body);
    refuseSecretMaterial(body);
    List<FieldError> serverFields = new ArrayList<>();
    // A client that sends them is told so instead of being ignored.
    for (String field : ServerAssignedFields.NAMES) {
      if (body.has(field)) {
        serverFields.add(new FieldError(field, "is set by the server and cannot be given"));
      }
    }
    if (!serverFields.isEmpty()) {
      throw new ApiException(400, "invalid_request", "the body sets server-assigned fields",
          serverFields);
    }
    Bucket candidate = bind(body);
    access.requireManage(caller, candidate.ownerProject());
    // With create_secret the keys are the caller's own, handed over now (and refused if a secret
    // exists where they would go).
    access.requireRegistryAdminFor(caller, secretToCreate.isPresent()
        ? AdminOnlyFields.beyondCreatedSecret(candidate) : AdminOnlyFields.named(candidate));
    access.requireRegistryAdminForHold(caller, candidate,
        AdminHold.isHeld(candidate) ? List.of(AdminHold.FIELD) : List.of());
    access.requireBindingsOf(caller, resourcePathsOf(candidate.prefixBindings()));
    ProjectQuota quota =
        access.quotaFor(caller, candidate.ownerProject(), projectBucketLimit);
    Bucket created;
    if (secretToCreate.isEmpty()) {
      created = registry.create(caller.username(), candidate, quota, CreationStep.NONE);
    } else {
      Bucket referenced = referenced(candidate);
      try (SecretWriteSlots.Slot slot = secretWrites.take()) {
        created = registry.create(caller.username(), referenced, quota,
            bucket -> createSecret(bucket, secretToCreate.get()));
      }
    }
    exchange.respond(201, RegistryJson.mapper().valueToTree(created), Map.of(
        "ETag", etag(created), "Location", PREFIX + "/" + created.name()));
  }

  private void patch(Exchange exchange, String name) throws IOException {
    AdminCaller caller = access.authenticate(exchange);
    JsonNode patch = exchange.jsonBody(MERGE_PATCH);
    refuseSecretMaterial(patch);
    if (patch.path("allowed_ops").isNull()) {
      // Merge-patch's null removes the field, and a bucket without allowed_ops allows every
      // operation: a "reset" that would widen what the bucket allows.
      String message = "cannot be removed: without it the bucket allows every operation; list"
          + " the operations it allows";
      throw new ApiException(400, "invalid_request", "allowed_ops: " + message,
          List.of(new FieldError("allowed_ops", message)));
    }
    UnaryOperator<Bucket> change = current -> {
      access.requireManage(caller, current);
      JsonNode currentJson = RegistryJson.mapper().valueToTree(current);
      JsonNode merged = JsonMergePatch.apply(currentJson, patch);
      List<FieldError> immutable = new ArrayList<>();
      for (String field : FIXED_FIELDS) {
        if (!Objects.equals(currentJson.get(field), merged.get(field))) {
          immutable.add(new FieldError(field, "cannot be changed"));
        }
      }
      if (!immutable.isEmpty()) {
        throw new ApiException(400, "invalid_request", "the patch changes fields that are fixed",
            immutable);
      }
      Bucket next = bind(merged);
      if (!Objects.equals(next.ownerProject(), current.ownerProject())) {
        access.requireManage(caller, next.ownerProject());
      }
      access.requireRegistryAdminFor(caller, AdminOnlyFields.changed(current, next));
      access.requireRegistryAdminForHold(caller, current,
          AdminHold.adminOnlyChanges(current, next));
      access.requireBindingsOf(caller, changedBindingPaths(current, next));
      boolean adminSuspends = current.isActive() && !next.isActive()
          && !next.labels().containsKey(AdminHold.LABEL);
      return adminSuspends && caller.isRegistryAdmin()
          ? AdminHold.place(next, caller.username()) : next;
    };
    Bucket updated = changing(caller, name, () -> registry.update(caller.username(), name,
        ifMatch(exchange), next -> access.quotaFor(caller, next.ownerProject(),
            projectBucketLimit), change));
    respondWith(exchange, 200, updated);
  }

  private void suspend(Exchange exchange, String name) throws IOException {
    AdminCaller caller = access.authenticate(exchange);
    Bucket suspended = changing(caller, name, () -> registry.suspend(caller.username(), name,
        ifMatch(exchange), current -> {
          access.requireManage(caller, current);
          return caller.isRegistryAdmin() ? AdminHold.place(current, caller.username())
              : current;
        }));
    respondWith(exchange, 200, suspended);
  }

  private void resume(Exchange exchange, String name) throws IOException {
    AdminCaller caller = access.authenticate(exchange);
    Bucket resumed = changing(caller, name, () -> registry.resume(caller.username(), name,
        ifMatch(exchange), current -> {
          access.requireManage(caller, current);
          if (AdminHold.isHeld(current)) {
            access.requireRegistryAdminForHold(caller, current,
                List.of(AdminHold.FIELD, "status"));
          }
          return AdminHold.lift(current);
        }));
    respondWith(exchange, 200, resumed);
  }

  /**
   * Runs {@code change} of bucket {@code name}, refusing a name that is not registered as
   * {@link AdminAccess#notRegistered} does: the registry finds the bucket before the change's
   * own check of the caller runs.
   */
  private Bucket changing(AdminCaller caller, String name, Supplier<Bucket> change) {
    try {
      return change.get();
    } catch (BucketNotFoundException missing) {
      throw access.notRegistered(caller, name);
    }
  }

  /**
   * The resource paths of the bindings one bucket has and the other has not, and of those that
   * govern an added binding's prefix now: the data plane takes the longest matching prefix, so
   * binding {@code q/a} carves those keys out of whoever {@code q/} is bound to.
   */
  private static List<String> changedBindingPaths(Bucket current, Bucket next) {
    Set<PrefixBinding> before = Set.copyOf(current.prefixBindings());
    Set<PrefixBinding> after = Set.copyOf(next.prefixBindings());
    List<PrefixBinding> changed = new ArrayList<>();
    after.stream().filter(binding -> !before.contains(binding)).forEach(added -> {
      changed.add(added);
      if (added.prefix() == null) {
        return; // the validator reports it
      }
      PrefixBinding.governing(current.prefixBindings(), added.prefix()).ifPresent(changed::add);
    });
    before.stream().filter(binding -> !after.contains(binding)).forEach(changed::add);
    return resourcePathsOf(changed);
  }

  private static List<String> resourcePathsOf(Collection<PrefixBinding> bindings) {
    return bindings.stream().map(PrefixBinding::resourcePath).toList();
  }

  /**
   * Takes {@code create_secret} and {@code secret_payload} out of a creation body: the keys go to
   * the secrets backend, never into the bucket. Field names only appear in errors, never values.
   */
  private static Optional<SecretPayload> takeSecretToCreate(ObjectNode body) {
    JsonNode flag = body.remove("create_secret");
    JsonNode payload = body.remove("secret_payload");
    if (flag != null && !flag.isBoolean()) {
      throw ApiException.badRequest("create_secret must be true or false");
    }
    if (flag == null || !flag.booleanValue()) {
      if (payload != null) {
        throw ApiException.badRequest("secret_payload is only accepted with create_secret: true");
      }
      return Optional.empty();
    }
    if (payload == null || !payload.isObject()) {
      throw ApiException.badRequest("create_secret needs secret_payload: an object of the"
          + " secret's fields, such as access_key_id and secret_access_key (docs/secrets.md)");
    }
    if (body.path("auth_mode").asText("").equals("public")) {
      // The secret's reference would be refused next, naming a field the caller never set.
      throw ApiException.badRequest("create_secret is for a bucket whose keys the secrets"
          + " backend keeps (auth_mode static, or role for the keys that assume it); a public"
          + " bucket has none");
    }
    if (body.hasNonNull("secret_version")) {
      throw ApiException.badRequest("secret_version cannot be given with create_secret: the"
          + " bucket reads the secret it creates as its latest version");
    }
    Map<String, String> fields = new LinkedHashMap<>();
    List<FieldError> errors = new ArrayList<>();
    payload.fields().forEachRemaining(field -> {
      if (field.getValue().isTextual()) {
        fields.put(field.getKey(), field.getValue().textValue());
      } else {
        errors.add(new FieldError("secret_payload", "secret_payload field "
            + SecretProvisioning.shown(field.getKey()) + " must be a string"));
      }
    });
    SecretProvisioning.problems(fields)
        .forEach(problem -> errors.add(new FieldError("secret_payload", problem)));
    if (!errors.isEmpty()) {
      throw new ApiException(400, "invalid_request", "secret_payload cannot be stored", errors);
    }
    return Optional.of(SecretPayload.of(fields));
  }

  private Undo createSecret(Bucket bucket, SecretPayload payload) {
    try {
      return provisioning.create(bucket, payload);
    } catch (IllegalArgumentException unwritable) {
      // A reference the backend reads but cannot write: a Vault path outside KV version 2, a
      // Secret Manager reference that pins a version.
      throw ApiException.badRequest(unwritable.getMessage());
    }
  }

  private Bucket referenced(Bucket candidate) {
    try {
      return provisioning.withReference(candidate);
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(e.getMessage());
    }
  }

  private void refuseSecretMaterial(JsonNode body) {
    List<FieldError> found = secrets.scan(body);
    if (!found.isEmpty()) {
      throw new ApiException(400, "invalid_request",
          "the body carries secret material; secrets never enter the registry", found);
    }
  }

  private static Bucket bind(JsonNode json) {
    // The model copies its lists and maps, which hold no null: a null in one failed in the
    // constructor, where Jackson no longer knows the field, and read as a body that is not JSON.
    for (Map.Entry<String, JsonNode> field : json.properties()) {
      if (holdsNull(field.getValue())) {
        throw new ApiException(400, "invalid_request", field.getKey() + " holds a null",
            List.of(new FieldError(field.getKey(), "must not hold null; leave the entry out")));
      }
    }
    try {
      return RegistryJson.mapper().treeToValue(json, Bucket.class);
    } catch (JsonProcessingException e) {
      throw ErrorMapping.toApiException(e);
    }
  }

  /**
   * A list entry or a map value that is null. Fields inside a list's objects are the model's to
   * judge (a binding's null resource_path is "required").
   */
  private static boolean holdsNull(JsonNode field) {
    for (JsonNode entry : field) {
      if (entry.isNull()) {
        return true;
      }
    }
    return false;
  }

  private static void respondWith(Exchange exchange, int status, Bucket bucket) throws IOException {
    exchange.respond(status, RegistryJson.mapper().valueToTree(bucket),
        Map.of("ETag", etag(bucket)));
  }

  private static String etag(Bucket bucket) {
    return "\"" + bucket.revision() + "\"";
  }

  private static RevisionPrecondition ifMatch(Exchange exchange) {
    return IfMatch.of(exchange.headers("If-Match"));
  }

  private static <T> T parameter(Map<String, String> query, String name,
      Function<String, T> parse) {
    String value = query.get(name);
    if (value == null) {
      return null;
    }
    try {
      return parse.apply(value);
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("query parameter " + e.getMessage());
    }
  }

  private static int limit(String value) {
    if (value == null) {
      return DEFAULT_PAGE;
    }
    try {
      int limit = Integer.parseInt(value);
      if (limit >= 1 && limit <= MAX_PAGE) {
        return limit;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw ApiException.badRequest("limit must be a whole number from 1 to " + MAX_PAGE);
  }

  private static String encodePageToken(String lastName) {
    return Base64.getUrlEncoder().withoutPadding()
        .encodeToString(lastName.getBytes(StandardCharsets.UTF_8));
  }

  private static String decodePageToken(String token) {
    try {
      return withoutControlCharacters("page_token",
          new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8));
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("page_token is not one this API issued; "
          + "pass next_page_token from the previous page unchanged");
    }
  }

  /** PostgreSQL text cannot hold NUL: such a value would fail there as an outage, not as input. */
  private static String withoutControlCharacters(String name, String value) {
    if (hasControlCharacter(value)) {
      throw new IllegalArgumentException(name + " has a control character");
    }
    return value;
  }

  private static boolean hasControlCharacter(String value) {
    return value.chars().anyMatch(Character::isISOControl);
  }

  private static List<String> segments(String rawRemainder) {
    List<String> segments = new ArrayList<>();
    for (String raw : rawRemainder.split("/")) {
      if (!raw.isEmpty()) {
        String segment;
        try {
          segment = URLDecoder.decode(raw, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
          throw ApiException.badRequest("the path has malformed percent-encoding");
        }
        if (hasControlCharacter(segment)) {
          throw ApiException.badRequest("the path has a control character; no bucket name has");
        }
        segments.add(segment);
      }
    }
    return segments;
  }
}
