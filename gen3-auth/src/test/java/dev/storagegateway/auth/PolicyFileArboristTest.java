package dev.storagegateway.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicyFileArboristTest {

  private static final String USER_YAML =
      """
      authz:
        resources:
        - name: programs
          subresources:
          - name: DEV
            subresources:
            - name: projects
              subresources:
              - name: test
              - name: other
          - name: DEVX
        - name: open
        - name: data_file
        policies:
        - id: dev_reader
          resource_paths: [/programs/DEV]
          role_ids: [reader]
        - id: open_reader
          resource_paths: [/open]
          role_ids: [reader]
        - id: uploader
          resource_paths: [/data_file]
          role_ids: [file_uploader]
        - id: test_admin
          resource_paths: [/programs/DEV/projects/test]
          role_ids: [admin]
        - id: devx_writer
          resource_paths: [/programs/DEVX]
          role_ids: [writer]
        roles:
        - id: reader
          permissions:
          - id: read-storage
            action: {service: fence, method: read-storage}
        - id: writer
          permissions:
          - {id: write-storage, action: {service: fence, method: write-storage}}
        - id: file_uploader
          permissions:
          - {id: file_upload, action: {service: fence, method: file_upload}}
        - id: admin
          permissions:
          - {id: everything, action: {service: '*', method: '*'}}
        groups:
        - name: devx_team
          policies: [devx_writer]
          users: [carol@example.org]
        anonymous_policies: [open_reader]
        all_users_policies: [uploader]
      users:
        alice@example.org:
          admin: false
          policies: [dev_reader]
        bob@example.org:
          policies: [test_admin]
        carol@example.org: {}
      clients:
        some-client:
          policies: [dev_reader]
      """;

  private final PolicyFileArborist arborist = PolicyFileArborist.fromYaml(USER_YAML);

  @Test
  void aPolicyCoversItsResourceAndEverythingBeneath() {
    assertThat(allowed("alice@example.org", "/programs/DEV", "fence", "read-storage")).isTrue();
    assertThat(allowed("alice@example.org", "/programs/DEV/projects/test", "fence", "read-storage"))
        .isTrue();
    assertThat(
            allowed(
                "alice@example.org", "/programs/DEV/projects/test/file", "fence", "read-storage"))
        .isTrue();
  }

  @Test
  void aPolicyDoesNotCoverSiblingsSharingAPrefixOrAncestors() {
    assertThat(allowed("alice@example.org", "/programs/DEVX", "fence", "read-storage")).isFalse();
    assertThat(allowed("alice@example.org", "/programs", "fence", "read-storage")).isFalse();
  }

  @Test
  void aPolicyGrantsOnlyItsRolesActions() {
    assertThat(allowed("alice@example.org", "/programs/DEV", "fence", "write-storage")).isFalse();
    assertThat(allowed("alice@example.org", "/programs/DEV", "indexd", "read-storage")).isFalse();
  }

  @Test
  void wildcardServiceAndMethodMatchAnything() {
    assertThat(allowed("bob@example.org", "/programs/DEV/projects/test", "indexd", "delete"))
        .isTrue();
    assertThat(
            allowed("bob@example.org", "/programs/DEV/projects/test/x", "fence", "write-storage"))
        .isTrue();
    assertThat(allowed("bob@example.org", "/programs/DEV/projects/other", "fence", "read-storage"))
        .isFalse();
  }

  @Test
  void anonymousCallersGetOnlyTheAnonymousPolicies() {
    assertThat(arborist.isAllowed(request(null, "/open/dataset", "fence", "read-storage")))
        .isTrue();
    assertThat(arborist.isAllowed(request(null, "/data_file", "fence", "file_upload"))).isFalse();
    assertThat(arborist.isAllowed(request(null, "/programs/DEV", "fence", "read-storage")))
        .isFalse();
  }

  @Test
  void anyAuthenticatedCallerGetsAllUsersAndAnonymousPolicies() {
    assertThat(allowed("dave@example.org", "/data_file", "fence", "file_upload")).isTrue();
    assertThat(allowed("dave@example.org", "/open", "fence", "read-storage")).isTrue();
    assertThat(allowed("dave@example.org", "/programs/DEV", "fence", "read-storage")).isFalse();
  }

  @Test
  void groupMembersGetTheGroupsPolicies() {
    assertThat(allowed("carol@example.org", "/programs/DEVX", "fence", "write-storage")).isTrue();
    assertThat(allowed("alice@example.org", "/programs/DEVX", "fence", "write-storage")).isFalse();
  }

  /**
   * The file has no token policies to apply: going by the user alone, an OAuth client holding a
   * user's limited token could do all the user may.
   */
  @Test
  void aTokenNarrowedByItsClaimsIsAllowedNothing() {
    CallerIdentity viaClient = new CallerIdentity("42", "alice@example.org", "token",
        List.of("azp"));

    assertThat(arborist.isAllowed(request(viaClient, "/programs/DEV", "fence", "read-storage")))
        .isFalse();
    assertThat(arborist.isAllowed(request(viaClient, "/open", "fence", "read-storage")))
        .isFalse();
    assertThat(arborist.mappingFor(viaClient).size()).isZero();
  }

  @Test
  void usersAreMatchedByUsernameNotSubject() {
    CallerIdentity alice = new CallerIdentity("42", "alice@example.org", "token");
    CallerIdentity subjectOnly = new CallerIdentity("alice@example.org", "someone-else", "token");

    assertThat(arborist.isAllowed(request(alice, "/programs/DEV", "fence", "read-storage")))
        .isTrue();
    assertThat(arborist.isAllowed(request(subjectOnly, "/programs/DEV", "fence", "read-storage")))
        .isFalse();
  }

  @Test
  void aMappingAnswersEveryQuestionAsIsAllowedDoes() {
    String[][] questions = {
      {"/programs/DEV/projects/test", "fence", "read-storage"},
      {"/programs/DEV/projects/test/x", "indexd", "delete"},
      {"/programs/DEV/projects/other", "fence", "read-storage"},
      {"/programs/DEV/projects/other", "fence", "write-storage"},
      {"/programs/DEVX", "fence", "write-storage"},
      {"/programs", "fence", "read-storage"},
      {"/open/dataset", "fence", "read-storage"},
      {"/data_file", "fence", "file_upload"},
    };
    for (String username :
        new String[] {"alice@example.org", "bob@example.org", "carol@example.org", "dave"}) {
      CallerIdentity caller = new CallerIdentity("sub", username, "token");
      AuthMapping mapping = arborist.mappingFor(caller);
      for (String[] q : questions) {
        assertThat(mapping.allows(q[0], q[1], q[2]))
            .as(username + " " + String.join(" ", q))
            .isEqualTo(arborist.isAllowed(request(caller, q[0], q[1], q[2])));
      }
    }
  }

  @Test
  void theAnonymousMappingHoldsTheAnonymousPoliciesOnly() {
    AuthMapping anonymous = arborist.mappingFor(null);

    assertThat(anonymous.allows("/open/dataset", "fence", "read-storage")).isTrue();
    assertThat(anonymous.allows("/data_file", "fence", "file_upload")).isFalse();
    assertThat(anonymous.allows("/programs/DEV", "fence", "read-storage")).isFalse();
  }

  @Test
  void aCallerWithoutATokenIsMappedByUsername() {
    AuthMapping alice = arborist.mappingFor(CallerIdentity.withoutToken("42", "alice@example.org"));

    assertThat(alice.allows("/programs/DEV/projects/test", "fence", "read-storage")).isTrue();
    assertThat(alice.allows("/data_file", "fence", "file_upload")).isTrue();
  }

  @Test
  void loadsFromAFile(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("user.yaml"), USER_YAML);

    PolicyFileArborist fromFile = PolicyFileArborist.load(file);

    assertThat(fromFile.isAllowed(request(null, "/open", "fence", "read-storage"))).isTrue();
  }

  @Test
  void rejectsAUserReferencingAnUnknownPolicy(@TempDir Path dir) throws Exception {
    Path file =
        Files.writeString(
            dir.resolve("user.yaml"),
            USER_YAML.replace("policies: [dev_reader]", "policies: [dev_raeder]"));

    assertThatThrownBy(() -> PolicyFileArborist.load(file))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(file + ": user 'alice@example.org' references unknown policy 'dev_raeder'");
  }

  @Test
  void rejectsAPolicyReferencingAnUnknownRole() {
    assertThatThrownBy(
            () -> PolicyFileArborist.fromYaml(USER_YAML.replace("[writer]", "[writers]")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("policy 'devx_writer' references unknown role 'writers'");
  }

  @Test
  void rejectsUnknownPoliciesInGroupsAndSpecialLists() {
    assertThatThrownBy(
            () -> PolicyFileArborist.fromYaml(USER_YAML.replace("[devx_writer]", "[nope]")))
        .hasMessageContaining("group 'devx_team' references unknown policy 'nope'");
    assertThatThrownBy(
            () -> PolicyFileArborist.fromYaml(USER_YAML.replace("[open_reader]", "[nope]")))
        .hasMessageContaining("anonymous_policies references unknown policy 'nope'");
    assertThatThrownBy(() -> PolicyFileArborist.fromYaml(USER_YAML.replace("[uploader]", "[nope]")))
        .hasMessageContaining("all_users_policies references unknown policy 'nope'");
  }

  @Test
  void rejectsAPolicyOnAnUndeclaredResource() {
    assertThatThrownBy(() -> PolicyFileArborist.fromYaml(USER_YAML.replace("[/open]", "[/opne]")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(
            "policy 'open_reader' names resource '/opne', which authz.resources does not declare");
  }

  @Test
  void rejectsAFileThatIsNotAUserYaml(@TempDir Path dir) throws Exception {
    Path broken = Files.writeString(dir.resolve("broken.yaml"), "authz: [unclosed");
    Path noAuthz = Files.writeString(dir.resolve("empty.yaml"), "users: {}\n");
    Path misshapen = Files.writeString(dir.resolve("misshapen.yaml"), "authz:\n  policies: 3\n");

    assertThatThrownBy(() -> PolicyFileArborist.load(broken))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(broken + ": not a valid user.yaml");
    assertThatThrownBy(() -> PolicyFileArborist.load(noAuthz))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(noAuthz + ": no authz section");
    assertThatThrownBy(() -> PolicyFileArborist.load(misshapen))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            misshapen + ": not a valid user.yaml: unexpected value at authz.policies (line 2)");
  }

  private boolean allowed(String username, String resource, String service, String method) {
    CallerIdentity caller = new CallerIdentity("sub-" + username, username, "token");
    return arborist.isAllowed(request(caller, resource, service, method));
  }

  private static AuthorizationRequest request(
      CallerIdentity caller, String resource, String service, String method) {
    return new AuthorizationRequest(caller, resource, service, method);
  }
}
