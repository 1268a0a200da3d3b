package dev.storagegateway.auth;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Answers as Arborist would, from a Gen3 {@code user.yaml} instead of a running Arborist, for a
 * gateway that stands alone.
 *
 * <p>The semantics are Arborist's. A policy on a resource also covers everything beneath it, and a
 * service or method of {@code *} matches any. Anonymous callers get the anonymous policies only. An
 * authenticated caller gets those, the {@code all_users_policies}, the policies listed under its
 * username in {@code users}, and those of every group that lists it. Every reference is checked
 * when the file is loaded, so a typo fails at startup rather than silently denying.
 */
public final class PolicyFileArborist implements Arborist {

  private static final ObjectMapper YAML =
      YAMLMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

  private final String source;
  private final List<Grant> anonymousGrants;
  private final List<Grant> loggedInGrants;
  private final Map<String, List<Grant>> grantsByUsername;

  private PolicyFileArborist(
      String source, UserYaml.Authz authz, Map<String, UserYaml.User> users) {
    this.source = source;
    Map<String, List<Grant>> grantsByPolicy = grantsByPolicy(authz);
    anonymousGrants = grantsOf(authz.anonymousPolicies(), "anonymous_policies", grantsByPolicy);
    loggedInGrants = grantsOf(authz.allUsersPolicies(), "all_users_policies", grantsByPolicy);

    Map<String, List<Grant>> byUsername = new HashMap<>();
    users.forEach(
        (username, user) -> {
          List<String> policies = user == null ? List.of() : user.policies();
          byUsername
              .computeIfAbsent(username, name -> new ArrayList<>())
              .addAll(grantsOf(policies, "user '" + username + "'", grantsByPolicy));
        });
    for (UserYaml.Group group : authz.groups()) {
      require(group != null && group.name() != null, "a group has no name");
      List<Grant> grants =
          grantsOf(group.policies(), "group '" + group.name() + "'", grantsByPolicy);
      for (String username : group.users()) {
        byUsername.computeIfAbsent(username, name -> new ArrayList<>()).addAll(grants);
      }
    }
    grantsByUsername =
        byUsername.entrySet().stream()
            .collect(
                Collectors.toUnmodifiableMap(Map.Entry::getKey, e -> List.copyOf(e.getValue())));
  }

  /** Reads a {@code user.yaml}; a malformed one fails with a message naming the file. */
  public static PolicyFileArborist load(Path file) {
    try {
      return parse(Files.readString(file), file.toString());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read policy file " + file, e);
    }
  }

  /** Builds from the text of a {@code user.yaml}, such as a built-in default. */
  public static PolicyFileArborist fromYaml(String yaml) {
    return parse(yaml, "inline policy");
  }

  @Override
  public boolean isAllowed(AuthorizationRequest request) {
    return grantsFor(request.caller()).anyMatch(grant -> grant.covers(request));
  }

  @Override
  public AuthMapping mappingFor(CallerIdentity caller) {
    return AuthMapping.of(grantsFor(caller).toList());
  }

  @Override
  public String toString() {
    return "PolicyFileArborist[" + source + "]";
  }

  /**
   * A token narrowed by its claims ({@link CallerIdentity#narrowedBy}) is allowed nothing: the
   * file has no clients or token policies to apply, and going by its user alone would let an OAuth
   * client holding a user's limited token do all the user may.
   */
  private Stream<Grant> grantsFor(CallerIdentity caller) {
    if (caller == null) {
      return anonymousGrants.stream();
    }
    if (caller.isNarrowed()) {
      return Stream.empty();
    }
    List<Grant> own = grantsByUsername.getOrDefault(caller.username(), List.of());
    return Stream.of(anonymousGrants, loggedInGrants, own).flatMap(List::stream);
  }

  private static PolicyFileArborist parse(String yaml, String source) {
    UserYaml file;
    try {
      file = YAML.readValue(yaml, UserYaml.class);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(source + ": not a valid user.yaml: " + describe(e), e);
    }
    if (file == null || file.authz() == null) {
      throw new IllegalArgumentException(source + ": no authz section");
    }
    return new PolicyFileArborist(source, file.authz(), file.users());
  }

  /** Says where in the YAML the problem is, rather than which Java type failed to bind. */
  private static String describe(JsonProcessingException e) {
    String line = e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")";
    if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
      StringBuilder where = new StringBuilder();
      for (JsonMappingException.Reference step : mapping.getPath()) {
        if (step.getFieldName() != null) {
          where.append(where.isEmpty() ? "" : ".").append(step.getFieldName());
        } else {
          where.append('[').append(step.getIndex()).append(']');
        }
      }
      return "unexpected value at " + where + line;
    }
    return e.getOriginalMessage() + line;
  }

  private Map<String, List<Grant>> grantsByPolicy(UserYaml.Authz authz) {
    Set<String> resourcePaths = new HashSet<>();
    authz.resources().forEach(resource -> collectPaths("", resource, resourcePaths));

    Map<String, List<UserYaml.Permission>> permissionsByRole = new HashMap<>();
    for (UserYaml.Role role : authz.roles()) {
      require(role != null && role.id() != null, "a role has no id");
      for (UserYaml.Permission permission : role.permissions()) {
        UserYaml.Action action = permission == null ? null : permission.action();
        require(
            action != null && action.service() != null && action.method() != null,
            "role '" + role.id() + "' has a permission without action service and method");
      }
      require(
          permissionsByRole.put(role.id(), role.permissions()) == null,
          "role '" + role.id() + "' is defined twice");
    }

    Map<String, List<Grant>> grantsByPolicy = new HashMap<>();
    for (UserYaml.Policy policy : authz.policies()) {
      require(policy != null && policy.id() != null, "a policy has no id");
      List<Grant> grants = new ArrayList<>();
      for (String path : policy.resourcePaths()) {
        require(
            resourcePaths.contains(path),
            "policy '%s' names resource '%s', which authz.resources does not declare"
                .formatted(policy.id(), path));
        for (String roleId : policy.roleIds()) {
          List<UserYaml.Permission> permissions = permissionsByRole.get(roleId);
          require(
              permissions != null,
              "policy '" + policy.id() + "' references unknown role '" + roleId + "'");
          permissions.forEach(
              p -> grants.add(new Grant(path, p.action().service(), p.action().method())));
        }
      }
      require(
          grantsByPolicy.put(policy.id(), List.copyOf(grants)) == null,
          "policy '" + policy.id() + "' is defined twice");
    }
    return grantsByPolicy;
  }

  private void collectPaths(String parent, UserYaml.Resource resource, Set<String> paths) {
    require(
        resource != null && resource.name() != null,
        "a resource under '" + (parent.isEmpty() ? "/" : parent) + "' has no name");
    String path = parent + "/" + resource.name();
    paths.add(path);
    resource.subresources().forEach(child -> collectPaths(path, child, paths));
  }

  private List<Grant> grantsOf(
      List<String> policyIds, String holder, Map<String, List<Grant>> grantsByPolicy) {
    List<Grant> grants = new ArrayList<>();
    for (String policyId : policyIds) {
      List<Grant> granted = grantsByPolicy.get(policyId);
      require(granted != null, holder + " references unknown policy '" + policyId + "'");
      grants.addAll(granted);
    }
    return List.copyOf(grants);
  }

  private void require(boolean condition, String problem) {
    if (!condition) {
      throw new IllegalArgumentException(source + ": " + problem);
    }
  }
}
