package dev.storagegateway.auth;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * The parts of a Gen3 {@code user.yaml} that decide authorization, as Jackson binds them. Sections
 * the gateway has no use for (clients, cloud providers, legacy {@code projects}) are ignored.
 */
record UserYaml(Authz authz, Map<String, User> users) {

  UserYaml {
    users = users == null ? Map.of() : users;
  }

  record Authz(
      List<Resource> resources,
      List<Policy> policies,
      List<Role> roles,
      List<Group> groups,
      @JsonProperty("anonymous_policies") List<String> anonymousPolicies,
      @JsonProperty("all_users_policies") List<String> allUsersPolicies) {

    Authz {
      resources = orEmpty(resources);
      policies = orEmpty(policies);
      roles = orEmpty(roles);
      groups = orEmpty(groups);
      anonymousPolicies = orEmpty(anonymousPolicies);
      allUsersPolicies = orEmpty(allUsersPolicies);
    }
  }

  record Resource(String name, List<Resource> subresources) {
    Resource {
      subresources = orEmpty(subresources);
    }
  }

  record Policy(
      String id,
      @JsonProperty("resource_paths") List<String> resourcePaths,
      @JsonProperty("role_ids") List<String> roleIds) {
    Policy {
      resourcePaths = orEmpty(resourcePaths);
      roleIds = orEmpty(roleIds);
    }
  }

  record Role(String id, List<Permission> permissions) {
    Role {
      permissions = orEmpty(permissions);
    }
  }

  record Permission(String id, Action action) {}

  record Action(String service, String method) {}

  record Group(String name, List<String> policies, List<String> users) {
    Group {
      policies = orEmpty(policies);
      users = orEmpty(users);
    }
  }

  record User(List<String> policies) {
    User {
      policies = orEmpty(policies);
    }
  }

  private static <T> List<T> orEmpty(List<T> list) {
    return list == null ? List.of() : list;
  }
}
