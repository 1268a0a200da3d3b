package dev.storagegateway.controlplane.admin;

import dev.storagegateway.auth.Arborist;
import dev.storagegateway.auth.AuthMapping;
import dev.storagegateway.auth.AuthorizationRequest;
import dev.storagegateway.auth.CallerIdentity;
import dev.storagegateway.auth.Gen3TokenVerifier;
import dev.storagegateway.controlplane.registry.ProjectQuota;
import dev.storagegateway.controlplane.validation.ArboristPath;
import dev.storagegateway.controlplane.validation.FieldError;
import dev.storagegateway.registry.AdminHold;
import dev.storagegateway.registry.Bucket;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Who may call the admin API: a verified Gen3 access token, then Arborist. Registry admins hold
 * the admin permission on the registry's resource; a project owner holds it on the project's
 * resource path and manages only buckets whose {@code owner_project} is that project, and never
 * changes what their requests are signed with or where they go ({@link AdminOnlyFields}), nor
 * resumes a bucket a registry admin suspended ({@link AdminHold}).
 */
final class AdminAccess {
  private static final String BEARER = "Bearer ";

  private final Gen3TokenVerifier verifier;
  private final Arborist arborist;
  private final AdminPermission permission;

  AdminAccess(Gen3TokenVerifier verifier, Arborist arborist, AdminPermission permission) {
    this.verifier = verifier;
    this.arborist = arborist;
    this.permission = permission;
  }

  AdminCaller authenticate(Exchange exchange) {
    String header = exchange.header("Authorization").orElseThrow(() -> new ApiException(401,
        "unauthenticated", "send a Gen3 access token as 'Authorization: Bearer <token>'"));
    if (!header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      throw new ApiException(401, "unauthenticated",
          "the Authorization header must use the Bearer scheme with a Gen3 access token");
    }
    CallerIdentity caller = verifier.verify(header.substring(BEARER.length()).trim());
    exchange.identified(caller.username());
    return new AdminCaller(caller, () -> allowedOn(caller, permission.resourcePath()),
        () -> arborist.mappingFor(caller));
  }

  /**
   * Refuses unless the caller administers the registry or owns {@code ownerProject}, which the
   * caller sent: its shape is checked first (400), since Arborist may answer a malformed path
   * with an error, which would read as its outage (503).
   */
  void requireManage(AdminCaller caller, String ownerProject) {
    requireShapeOfSent(caller, ownerProject);
    requireManaging(caller, ownerProject);
  }

  /** As {@link #requireManage(AdminCaller, String)} for a stored bucket, judged as it stands. */
  void requireManage(AdminCaller caller, Bucket bucket) {
    requireManaging(caller, bucket.ownerProject());
  }

  /**
   * The bucket named {@code name}, {@code found} or not, if the caller may manage it. Only a
   * registry admin learns that a name is not registered (404): anyone else is refused as for a
   * bucket of a project they do not own, byte for byte, so that asking does not tell which
   * names other projects registered. 403 rather than 404, as listing every bucket is refused.
   */
  Bucket requireManaged(AdminCaller caller, String name, Optional<Bucket> found) {
    Bucket bucket = found.orElseThrow(() -> notRegistered(caller, name));
    requireManage(caller, bucket);
    return bucket;
  }

  /** What {@code caller} is answered for a bucket name that is not registered. */
  ApiException notRegistered(AdminCaller caller, String name) {
    return caller.isRegistryAdmin()
        ? ApiException.notFound("bucket '" + name + "' is not registered")
        : cannotManage();
  }

  private static void requireShapeOfSent(AdminCaller caller, String ownerProject) {
    if (!caller.isRegistryAdmin() && ownerProject != null && !ArboristPath.isValid(ownerProject)) {
      throw new ApiException(400, "invalid_request", "owner_project must be " + ArboristPath.SHAPE,
          List.of(new FieldError("owner_project", "must be " + ArboristPath.SHAPE)));
    }
  }

  private void requireManaging(AdminCaller caller, String ownerProject) {
    if (caller.isRegistryAdmin() || (ownerProject != null && allowedOn(caller, ownerProject))) {
      return;
    }
    throw cannotManage();
  }

  private ApiException cannotManage() {
    return ApiException.forbidden("managing this bucket needs '" + permission.method() + "' on "
        + permission.resourcePath() + " or on the project its owner_project names");
  }

  /**
   * Refuses a caller who does not administer the registry when {@code fields} (of {@link
   * AdminOnlyFields}) is not empty.
   */
  void requireRegistryAdminFor(AdminCaller caller, List<String> fields) {
    requireRegistryAdminFor(caller, fields, "setting " + String.join(", ", fields) + " needs '"
        + permission.method() + "' on " + permission.resourcePath() + ": they decide what the"
        + " bucket's requests are signed with, where they go and who pays, and the gateway"
        + " reaches every project's credentials. A project owner registers a bucket by handing"
        + " its keys over (auth_mode static, create_secret: true); a registry admin sets the rest");
  }

  /**
   * Refuses a caller who does not administer the registry when {@code fields} (of {@link
   * AdminHold#adminOnlyChanges}) is not empty: a registry admin's suspension stays until an admin
   * ends it.
   */
  void requireRegistryAdminForHold(AdminCaller caller, Bucket bucket, List<String> fields) {
    requireRegistryAdminFor(caller, fields, fields.contains("status")
        ? "bucket '" + bucket.name() + "' was suspended by a registry admin (" + AdminHold.FIELD
            + "): only a registry admin can resume it"
        : AdminHold.FIELD + " marks a registry admin's suspension, which only a registry admin"
            + " places or lifts");
  }

  private void requireRegistryAdminFor(AdminCaller caller, List<String> fields,
      String refusal) {
    if (fields.isEmpty() || caller.isRegistryAdmin()) {
      return;
    }
    throw new ApiException(403, "forbidden", refusal, fields.stream()
        .map(field -> new FieldError(field, "only a registry admin may change this")).toList());
  }

  /**
   * Refuses a caller who does not administer the registry unless it also administers every
   * resource path in {@code paths}: a prefix binding decides whose users reach the objects under
   * its prefix, so binding a prefix to a project, or taking it away, is that project's decision.
   */
  void requireBindingsOf(AdminCaller caller, Collection<String> paths) {
    if (paths.isEmpty() || caller.isRegistryAdmin()) {
      return;
    }
    if (caller.identity().isNarrowed()) {
      // Arborist's mapping goes by the user alone, and asking about each of up to a body's
      // worth of paths would be a call apiece.
      throw new ApiException(403, "forbidden", "prefix bindings decide whose users reach the"
          + " objects under each prefix; this token is narrowed by "
          + String.join(" and ", caller.identity().narrowedBy()) + ", so it cannot set them: use"
          + " an access token Fence issued to you (an API key's)",
          List.of(new FieldError("prefix_bindings", "cannot be set with a narrowed token")));
    }
    AuthMapping mapping = caller.mapping();
    List<String> foreign = paths.stream().distinct()
        .filter(path -> !mapping.allows(path, permission.service(), permission.method()))
        .sorted().toList();
    if (!foreign.isEmpty()) {
      throw new ApiException(403, "forbidden", "a prefix binding decides whose users reach the"
          + " objects under its prefix: binding a prefix to " + String.join(", ", foreign)
          + ", unbinding one from it, or binding a longer prefix inside one bound to it, needs '"
          + permission.method() + "' there (or on " + permission.resourcePath() + ")",
          List.of(new FieldError("prefix_bindings", "names a resource path you do not"
              + " administer")));
    }
  }

  void requireList(AdminCaller caller, String ownerProjectFilter) {
    requireShapeOfSent(caller, ownerProjectFilter);
    if (caller.isRegistryAdmin()
        || (ownerProjectFilter != null && allowedOn(caller, ownerProjectFilter))) {
      return;
    }
    throw ApiException.forbidden("listing buckets needs '" + permission.method() + "' on "
        + permission.resourcePath()
        + "; a project owner lists their buckets with ?owner_project=<project resource path>");
  }

  /**
   * The quota a creation or move by {@code caller} into {@code ownerProject} counts against:
   * none for registry admins, otherwise {@code limit} buckets beneath the deepest project path
   * the caller is granted over {@code ownerProject}.
   *
   * @param limit buckets per project, or 0 for no limit
   */
  ProjectQuota quotaFor(AdminCaller caller, String ownerProject, int limit) {
    if (limit <= 0 || ownerProject == null || caller.isRegistryAdmin()) {
      return ProjectQuota.NONE;
    }
    // From the user's mapping even for a narrowed token: it only chooses what is counted.
    String root = caller.mapping().grantingPath(ownerProject, permission.service(),
        permission.method()).orElse(ownerProject);
    return new ProjectQuota(root, limit);
  }

  private boolean allowedOn(AdminCaller caller, String resourcePath) {
    return allowedOn(caller.identity(), resourcePath);
  }

  private boolean allowedOn(CallerIdentity caller, String resourcePath) {
    return arborist.isAllowed(new AuthorizationRequest(
        caller, resourcePath, permission.service(), permission.method()));
  }
}
