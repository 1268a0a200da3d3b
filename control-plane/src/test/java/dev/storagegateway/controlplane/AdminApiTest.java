package dev.storagegateway.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.storagegateway.auth.LocalTokenIssuer;
import dev.storagegateway.controlplane.admin.AdminPermission;
import dev.storagegateway.registry.Bucket;
import dev.storagegateway.registry.RegistryCluster;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The admin API of one replica over a real PostgreSQL and a real Hazelcast member. */
class AdminApiTest {
  private static final AtomicInteger NEXT = new AtomicInteger();

  @TempDir
  static Path dataDirectory;
  static TestRegistryCluster cluster;
  static AdminHttp http;
  static String admin;

  @BeforeAll
  static void start() {
    cluster = new TestRegistryCluster(dataDirectory.resolve("pg"), 1);
    http = new AdminHttp(cluster.adminUrl(0));
    admin = cluster.token("admin");
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  static String uniqueName() {
    return "bucket-" + NEXT.incrementAndGet() + "-" + System.nanoTime() % 100000;
  }

  static String roleBucket(String name) {
    return """
        {"name": "%s", "provider": "aws", "region": "us-east-1", "auth_mode": "role",
         "role_arn": "arn:aws:iam::123456789012:role/gen3-data",
         "labels": {"team": "genomics"},
         "prefix_bindings": [{"prefix": "", "resource_path": "/programs/DEV/projects/test"}]}
        """.formatted(name);
  }

  @Test
  void createsReadsAndListsABucket() {
    String name = uniqueName();
    AdminHttp.Response created = http.post("/admin/buckets", admin, roleBucket(name));

    assertThat(created.status()).as(created.body()).isEqualTo(201);
    assertThat(created.header("ETag")).isEqualTo("\"1\"");
    assertThat(created.header("Location")).isEqualTo("/admin/buckets/" + name);
    JsonNode body = created.json();
    assertThat(body.path("id").asText()).hasSize(36);
    assertThat(body.path("status").asText()).isEqualTo("active");
    assertThat(body.path("revision").asLong()).isEqualTo(1);
    assertThat(body.path("allowed_ops")).hasSize(5);
    assertThat(body.path("upload_allowed").asBoolean()).isFalse();

    AdminHttp.Response read = http.get("/admin/buckets/" + name, admin);
    assertThat(read.status()).isEqualTo(200);
    assertThat(read.json()).isEqualTo(body);

    AdminHttp.Response listed =
        http.get("/admin/buckets?provider=aws&status=active&limit=1000", admin);
    assertThat(listed.status()).isEqualTo(200);
    assertThat(listed.json().path("buckets").findValuesAsText("name")).contains(name);

    Bucket replicated = cluster.replicated(name);
    assertThat(replicated.revision()).isEqualTo(1);
    assertThat(cluster.queryLong(
        "SELECT count(*) FROM audit_events WHERE action = 'bucket.create' AND actor = 'admin'"
            + " AND bucket_name = '" + name + "' AND before IS NULL AND after IS NOT NULL"))
        .isEqualTo(1);
  }

  @Test
  void paginatesInNameOrder() {
    String project = "/programs/DEV/projects/page" + NEXT.incrementAndGet();
    List<String> names = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      String name = "page-" + NEXT.get() + "-" + i;
      names.add(name);
      String json = roleBucket(name).replace("\"labels\"",
          "\"owner_project\": \"" + project + "\", \"labels\"");
      assertThat(http.post("/admin/buckets", admin, json).status()).isEqualTo(201);
    }
    List<String> seen = new ArrayList<>();
    String token = null;
    int pages = 0;
    do {
      String query = "/admin/buckets?limit=2&owner_project=" + project
          + (token == null ? "" : "&page_token=" + token);
      JsonNode page = http.get(query, admin).json();
      page.path("buckets").forEach(b -> seen.add(b.path("name").asText()));
      token = page.path("next_page_token").isNull() ? null : page.path("next_page_token").asText();
      pages++;
    } while (token != null);
    assertThat(seen).containsExactlyElementsOf(names);
    assertThat(pages).isEqualTo(3);
  }

  @Test
  void duplicateNameIsAConflictAndChangesNothing() {
    String name = uniqueName();
    http.post("/admin/buckets", admin, roleBucket(name));
    long audits = cluster.count("audit_events");

    AdminHttp.Response again = http.post("/admin/buckets", admin, roleBucket(name));

    assertThat(again.status()).isEqualTo(409);
    assertThat(again.errorCode()).isEqualTo("conflict");
    assertThat(again.errorMessage()).contains(name);
    assertThat(cluster.count("audit_events")).isEqualTo(audits);
  }

  @Test
  void mergePatchWithIfMatchAndStaleRevision() {
    String name = uniqueName();
    http.post("/admin/buckets", admin, roleBucket(name));

    AdminHttp.Response patched = http.patch("/admin/buckets/" + name, admin,
        "{\"labels\": {\"team\": null, \"tier\": \"hot\"}, \"upload_allowed\": true}",
        "If-Match", "\"1\"");
    assertThat(patched.status()).as(patched.body()).isEqualTo(200);
    assertThat(patched.header("ETag")).isEqualTo("\"2\"");
    assertThat(patched.json().path("labels").toString()).isEqualTo("{\"tier\":\"hot\"}");
    assertThat(patched.json().path("upload_allowed").asBoolean()).isTrue();
    assertThat(patched.json().path("role_arn").asText()).endsWith("gen3-data");

    AdminHttp.Response stale = http.patch("/admin/buckets/" + name, admin,
        "{\"region\": \"us-west-2\"}", "If-Match", "\"1\"");
    assertThat(stale.status()).isEqualTo(412);
    assertThat(stale.errorMessage()).contains("revision 2");
    assertThat(http.get("/admin/buckets/" + name, admin).json().path("region").asText())
        .isEqualTo("us-east-1");

    AdminHttp.Response unchanged = http.patch("/admin/buckets/" + name, admin,
        "{\"region\": \"us-east-1\"}");
    assertThat(unchanged.header("ETag")).as("a patch that changes nothing keeps the revision")
        .isEqualTo("\"2\"");

    for (String method : List.of("PATCH", "DELETE")) {
      AdminHttp.Response refused = method.equals("PATCH")
          ? http.patch("/admin/buckets/" + name, cluster.token("reader"),
              "{\"region\": \"us-west-2\"}", "If-Match", "\"1\"")
          : http.delete("/admin/buckets/" + name, cluster.token("reader"), "If-Match", "\"1\"");
      assertThat(refused.status()).as(method + " by someone who may not manage it")
          .isEqualTo(403);
      assertThat(refused.body()).doesNotContain("revision 2");
    }
    assertThat(http.patch("/admin/buckets/" + name, admin, "{\"labels\": {\"any\": \"rev\"}}",
        "If-Match", "*").status()).as("If-Match: * matches any revision").isEqualTo(200);
  }

  @Test
  void ifMatchComparesStronglyAndReadsAList() {
    String name = uniqueName();
    http.post("/admin/buckets", admin, roleBucket(name));

    AdminHttp.Response weak = http.patch("/admin/buckets/" + name, admin,
        "{\"region\": \"us-west-2\"}", "If-Match", "W/\"1\"");
    assertThat(weak.status()).as("RFC 9110: a weak tag never matches in If-Match")
        .isEqualTo(412);
    assertThat(weak.errorMessage()).isEqualTo("bucket '" + name + "' is at revision 1 (ETag"
        + " \"1\"), which If-Match W/\"1\" does not name (a weak W/ tag never matches: If-Match"
        + " compares strongly); fetch it again and reapply your change");
    for (String foreignTag : List.of("\"xyzzy\"", "\"01\"")) {
      AdminHttp.Response foreign = http.patch("/admin/buckets/" + name, admin,
          "{\"region\": \"us-west-2\"}", "If-Match", foreignTag);
      assertThat(foreign.status()).as("a well-formed tag this API never sends: " + foreignTag)
          .isEqualTo(412);
    }
    assertThat(http.get("/admin/buckets/" + name, admin).json().path("revision").asLong())
        .isEqualTo(1);

    AdminHttp.Response listed = http.patch("/admin/buckets/" + name, admin,
        "{\"region\": \"us-west-2\"}", "If-Match", "\"7\",\tW/\"2\", \"1\"");
    assertThat(listed.status()).as(listed.body()).isEqualTo(200);
    assertThat(listed.header("ETag")).isEqualTo("\"2\"");
  }

  @Test
  void headAnswersAsGetWithoutTheBody() {
    String name = uniqueName();
    http.post("/admin/buckets", admin, roleBucket(name));
    AdminHttp.Response get = http.get("/admin/buckets/" + name, admin);

    AdminHttp.Response head = http.send("HEAD", "/admin/buckets/" + name, admin, null, null);

    assertThat(head.status()).isEqualTo(200);
    assertThat(head.body()).isEmpty();
    assertThat(head.header("ETag")).isEqualTo(get.header("ETag"));
    assertThat(head.header("Content-Length"))
        .isEqualTo(Integer.toString(get.body().getBytes(StandardCharsets.UTF_8).length));
    assertThat(http.send("HEAD", "/admin/buckets/no-such-bucket", admin, null, null).status())
        .isEqualTo(404);
    assertThat(http.send("HEAD", "/admin/openapi.yaml", null, null, null).status())
        .isEqualTo(200);
    AdminHttp.Response postHealth = http.send("POST", "/healthz", null, null, null);
    assertThat(postHealth.status()).isEqualTo(405);
    assertThat(postHealth.header("Allow")).isEqualTo("GET, HEAD");
  }

  @Test
  void patchCannotChangeFixedFieldsOrBreakTheRules() {
    String name = uniqueName();
    http.post("/admin/buckets", admin, roleBucket(name));
    String before = http.get("/admin/buckets/" + name, admin).body();

    AdminHttp.Response rename = http.patch("/admin/buckets/" + name, admin,
        "{\"name\": \"other-name\"}");
    assertThat(rename.status()).isEqualTo(400);
    assertThat(rename.json().path("error").path("details").get(0).path("field").asText())
        .isEqualTo("name");

    AdminHttp.Response broken = http.patch("/admin/buckets/" + name, admin,
        "{\"auth_mode\": \"static\", \"role_arn\": null}");
    assertThat(broken.status()).isEqualTo(400);
    assertThat(broken.json().path("error").path("details").findValuesAsText("field"))
        .contains("secret_ref");

    AdminHttp.Response badIfMatch = http.patch("/admin/buckets/" + name, admin, "{}",
        "If-Match", "yesterday");
    assertThat(badIfMatch.status()).isEqualTo(400);

    // Merge-patch's null would remove the field, and with it every limit on the operations.
    AdminHttp.Response widened = http.patch("/admin/buckets/" + name, admin,
        "{\"allowed_ops\": null}");
    assertThat(widened.status()).isEqualTo(400);
    assertThat(widened.errorMessage()).isEqualTo("allowed_ops: cannot be removed: without it the"
        + " bucket allows every operation; list the operations it allows");

    assertThat(http.get("/admin/buckets/" + name, admin).body()).isEqualTo(before);
  }

  @Test
  void deleteSuspendsAndResumeReactivates() {
    String name = uniqueName();
    http.post("/admin/buckets", admin, roleBucket(name));

    AdminHttp.Response suspended = http.delete("/admin/buckets/" + name, admin);
    assertThat(suspended.status()).isEqualTo(200);
    assertThat(suspended.json().path("status").asText()).isEqualTo("suspended");
    assertThat(cluster.queryLong("SELECT count(*) FROM buckets WHERE name = '" + name + "'"))
        .isEqualTo(1);
    assertThat(cluster.replicated(name).isActive()).isFalse();

    AdminHttp.Response resumed =
        http.send("POST", "/admin/buckets/" + name + "/resume", admin, null, null);
    assertThat(resumed.status()).isEqualTo(200);
    assertThat(resumed.json().path("status").asText()).isEqualTo("active");
    assertThat(resumed.json().path("revision").asLong()).isEqualTo(3);
    assertThat(cluster.queryLong("SELECT count(*) FROM audit_events WHERE bucket_name = '" + name
        + "' AND action IN ('bucket.suspend', 'bucket.resume')")).isEqualTo(2);
  }

  @Test
  void aSuspendedBucketMissingItsSecretCannotBeResumed() {
    String name = uniqueName();
    AdminHttp.Response created = http.post("/admin/buckets", admin, """
        {"name": "%s", "provider": "aws", "auth_mode": "static", "status": "suspended"}
        """.formatted(name));
    assertThat(created.status()).as(created.body()).isEqualTo(201);

    AdminHttp.Response resumed =
        http.send("POST", "/admin/buckets/" + name + "/resume", admin, null, null);

    assertThat(resumed.status()).isEqualTo(400);
    assertThat(resumed.json().path("error").path("details").findValuesAsText("field"))
        .contains("secret_ref");
    assertThat(http.get("/admin/buckets/" + name, admin).json().path("status").asText())
        .isEqualTo("suspended");
  }

  @Test
  void unknownBucketsAndRoutes() {
    assertThat(http.get("/admin/buckets/no-such-bucket", admin).status()).isEqualTo(404);
    assertThat(http.patch("/admin/buckets/no-such-bucket", admin, "{}").status()).isEqualTo(404);
    assertThat(http.delete("/admin/buckets/no-such-bucket", admin).status()).isEqualTo(404);
    assertThat(http.get("/admin/bucketsx", admin).status()).isEqualTo(404);
    AdminHttp.Response put = http.send("PUT", "/admin/buckets", admin, "application/json", "{}");
    assertThat(put.status()).isEqualTo(405);
    assertThat(put.header("Allow")).isEqualTo("GET, HEAD, POST");
    assertThat(put.errorMessage())
        .isEqualTo("PUT is not supported here; allowed: GET, HEAD, POST");
    AdminHttp.Response post = http.post("/admin/buckets/no-such-bucket", admin, "{}");
    assertThat(post.status()).isEqualTo(405);
    assertThat(post.header("Allow")).isEqualTo("GET, HEAD, PATCH, DELETE");
  }

  @Test
  void anOwnersRequestAsksArboristEachQuestionOnce() {
    String owner = cluster.token("owner");
    String mine = uniqueName();
    cluster.arborist.takeAsked();

    assertThat(http.post("/admin/buckets", owner, ownedBy(staticBucket(mine,
        "\"create_secret\": true, \"secret_payload\": " + KEYS))).status()).isEqualTo(201);

    // Whether the owner administers the registry is needed by four checks, the owner's mapping
    // by two (bindings, project quota); each is one call to Arborist.
    assertThat(cluster.arborist.takeAsked()).containsExactlyInAnyOrder(
        "auth/request owner " + AdminPermission.gen3Default().resourcePath(),
        "auth/request owner " + TestRegistryCluster.OWNER_PROJECT,
        "auth/mapping owner");
  }

  @Test
  void projectOwnersManageOnlyTheirProjectsBuckets() {
    String owner = cluster.token("owner");
    String mine = uniqueName();
    String json = ownedBy(staticBucket(mine, "\"create_secret\": true, \"secret_payload\": "
        + KEYS));
    assertThat(http.post("/admin/buckets", owner, json).status()).isEqualTo(201);
    assertThat(http.patch("/admin/buckets/" + mine, owner, "{\"region\": \"us-west-2\"}").status())
        .isEqualTo(200);
    assertThat(http.get("/admin/buckets?owner_project=" + TestRegistryCluster.OWNER_PROJECT, owner)
        .json().path("buckets").findValuesAsText("name")).contains(mine);

    AdminHttp.Response moveAway = http.patch("/admin/buckets/" + mine, owner,
        "{\"owner_project\": \"/programs/DEV/projects/other\"}");
    assertThat(moveAway.status()).isEqualTo(403);

    String theirs = uniqueName();
    http.post("/admin/buckets", admin, roleBucket(theirs));
    assertThat(http.get("/admin/buckets/" + theirs, owner).status()).isEqualTo(403);
    assertThat(http.patch("/admin/buckets/" + theirs, owner,
        "{\"region\": \"us-west-2\"}").status()).isEqualTo(403);
    AdminHttp.Response listAll = http.get("/admin/buckets", owner);
    assertThat(listAll.status()).isEqualTo(403);
    assertThat(listAll.errorMessage()).contains("owner_project");

    String reader = cluster.token("reader");
    assertThat(http.post("/admin/buckets", reader, json.replace(mine, uniqueName())).status())
        .isEqualTo(403);
  }

  /**
   * Whoever may not manage a bucket is answered alike whether it exists or not, so that asking
   * tells no one which names other projects registered; a registry admin learns it is missing.
   */
  @Test
  void aCallerWhoMayNotManageABucketCannotTellWhetherItExists() {
    String theirs = uniqueName();
    assertThat(http.post("/admin/buckets", admin, roleBucket(theirs)).status()).isEqualTo(201);
    String missing = uniqueName();
    List<BucketCall> calls = List.of(new BucketCall("GET", ""), new BucketCall("HEAD", ""),
        new BucketCall("PATCH", ""), new BucketCall("DELETE", ""),
        new BucketCall("POST", "/resume"), new BucketCall("POST", "/validate"),
        new BucketCall("POST", "/rotate"), new BucketCall("GET", "/credential-health"),
        new BucketCall("GET", "/audit"));

    for (String caller : List.of("owner", "reader")) {
      String token = cluster.token(caller);
      for (BucketCall call : calls) {
        AdminHttp.Response existing = call.on(theirs, token);
        AdminHttp.Response absent = call.on(missing, token);
        String shown = caller + " " + call;
        assertThat(existing.status()).as(shown).isEqualTo(403);
        assertThat(absent.status()).as(shown).isEqualTo(403);
        assertThat(absent.body()).as(shown).isEqualTo(existing.body())
            .doesNotContain(missing, "registered");
      }
    }
    for (BucketCall call : calls) {
      assertThat(call.on(missing, admin).status()).as(call.toString()).isEqualTo(404);
    }
    assertThat(calls.get(0).on(missing, admin).errorMessage())
        .isEqualTo("bucket '" + missing + "' is not registered");
  }

  /** Every change, by whom, in order; paged as listings are; secrets named, never shown. */
  @Test
  void aBucketsAuditTrailIsReadInOrderByThoseWhoMayManageIt() throws Exception {
    String name = uniqueName();
    assertThat(http.post("/admin/buckets", admin, roleBucket(name)).status()).isEqualTo(201);
    assertThat(http.patch("/admin/buckets/" + name, admin, "{\"labels\": {\"team\": \"x\"}}")
        .status()).isEqualTo(200);
    assertThat(http.delete("/admin/buckets/" + name, admin).status()).isEqualTo(200);

    AdminHttp.Response first = http.get("/admin/buckets/" + name + "/audit?limit=2", admin);
    assertThat(first.status()).as(first.body()).isEqualTo(200);
    JsonNode page = new ObjectMapper().readTree(first.body());
    assertThat(page.path("events")).extracting(event -> event.path("action").asText())
        .containsExactly("bucket.create", "bucket.update");
    assertThat(page.path("events").get(0).path("actor").asText()).isEqualTo("admin");
    assertThat(page.path("events").get(0).path("before").isNull()).isTrue();
    assertThat(page.path("events").get(1).path("before").path("labels").path("team").asText())
        .isEqualTo("genomics");
    assertThat(page.path("events").get(1).path("after").path("labels").path("team").asText())
        .isEqualTo("x");
    AdminHttp.Response rest = http.get("/admin/buckets/" + name + "/audit?page_token="
        + page.path("next_page_token").asText(), admin);
    JsonNode last = new ObjectMapper().readTree(rest.body());
    assertThat(last.path("events")).extracting(event -> event.path("action").asText())
        .containsExactly("bucket.suspend");
    assertThat(last.path("next_page_token").isNull()).isTrue();

    assertThat(http.get("/admin/buckets/" + name + "/audit?page_token=bm9wZQ", admin).status())
        .isEqualTo(400);
    assertThat(http.get("/admin/buckets/" + name + "/audit", cluster.token("reader")).status())
        .isEqualTo(403);
  }

  /** A request about one bucket: {@code suffix} after its path names the action, if any. */
  private record BucketCall(String method, String suffix) {
    AdminHttp.Response on(String bucket, String token) {
      String body = method.equals("PATCH") ? "{\"region\": \"us-west-2\"}" : null;
      return http.send(method, "/admin/buckets/" + bucket + suffix, token,
          body == null ? null : "application/merge-patch+json", body);
    }
  }

  /** An owner manages the projects beneath theirs, and their quota counts them: so does a list. */
  @Test
  void aProjectsListingHoldsTheProjectsBeneathItAndNoSiblingSharingItsName() {
    Map<String, String> projects = new LinkedHashMap<>();
    projects.put(uniqueName(), TestRegistryCluster.OWNER_PROJECT);
    projects.put(uniqueName(), TestRegistryCluster.OWNER_PROJECT + "/sub");
    projects.put(uniqueName(), TestRegistryCluster.OWNER_PROJECT + "-sibling");
    projects.forEach((name, project) -> assertThat(http.post("/admin/buckets", admin,
        roleBucket(name).replace("\"labels\"", "\"owner_project\": \"" + project
            + "\", \"labels\"")).status()).isEqualTo(201));

    List<String> listed = http.get("/admin/buckets?limit=1000&owner_project="
        + TestRegistryCluster.OWNER_PROJECT, cluster.token("owner")).json().path("buckets")
        .findValuesAsText("name");

    List<String> names = List.copyOf(projects.keySet());
    assertThat(listed).contains(names.get(0), names.get(1)).doesNotContain(names.get(2));
  }

  @Test
  void projectOwnersHandOverKeysButNeverSetWhatRequestsAreSignedWith() throws IOException {
    String owner = cluster.token("owner");
    record Refused(String body, List<String> fields) {}
    List<Refused> borrowing = List.of(
        new Refused(roleBucket(uniqueName()), List.of("provider", "auth_mode", "role_arn")),
        new Refused(staticBucket(uniqueName(),
            "\"secret_ref\": \"buckets/another-projects-bucket.json\""),
            List.of("provider", "auth_mode", "secret_ref")),
        new Refused("""
            {"name": "%s", "provider": "gcp", "region": "us-east1",
             "auth_mode": "workload_identity",
             "gcp_service_account": "reader@another-project.iam.gserviceaccount.com"}
            """.formatted(uniqueName()), List.of("provider", "auth_mode", "gcp_service_account")),
        // The data plane's own identity, or its network position, for any bucket name.
        new Refused("""
            {"name": "%s", "provider": "aws", "region": "us-east-1",
             "auth_mode": "workload_identity"}
            """.formatted(uniqueName()), List.of("provider", "auth_mode")),
        new Refused(publicBucket(uniqueName()), List.of("provider", "auth_mode")),
        // Keys of its own, but signing with the data plane's role all the same.
        new Refused("""
            {"name": "%s", "provider": "aws", "region": "us-east-1",
             "auth_mode": "workload_identity", "create_secret": true, "secret_payload": %s}
            """.formatted(uniqueName(), KEYS), List.of("auth_mode")),
        // Keys of its own, but at a reference another bucket's default would take.
        new Refused(staticBucket(uniqueName(), "\"secret_ref\": \"buckets/future.json\","
            + " \"create_secret\": true, \"secret_payload\": " + KEYS), List.of("secret_ref")));
    long rows = cluster.count("buckets");
    for (Refused attempt : borrowing) {
      AdminHttp.Response refused = http.post("/admin/buckets", owner, ownedBy(attempt.body()));
      assertThat(refused.status()).as(refused.body()).isEqualTo(403);
      assertThat(refused.errorMessage()).contains("create_secret", "registry admin");
      assertThat(refused.json().path("error").path("details").findValuesAsText("field"))
          .containsExactlyElementsOf(attempt.fields());
    }
    assertThat(cluster.count("buckets")).isEqualTo(rows);
    AdminHttp.Response noAuthMode = http.post("/admin/buckets", owner, ownedBy(
        "{\"name\": \"" + uniqueName() + "\", \"provider\": \"aws\", \"region\":"
            + " \"us-east-1\", \"create_secret\": true, \"secret_payload\": " + KEYS + "}"));
    assertThat(noAuthMode.status()).as("a missing field, not a permission").isEqualTo(400);
    assertThat(noAuthMode.errorMessage()).contains("auth_mode");

    String handedOver = uniqueName();
    AdminHttp.Response created = http.post("/admin/buckets", owner, ownedBy(staticBucket(
        handedOver, "\"create_secret\": true, \"secret_payload\": " + KEYS)));
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    AdminHttp.Response repointed = http.patch("/admin/buckets/" + handedOver, owner,
        "{\"secret_ref\": \"buckets/another-projects-bucket.json\"}");
    assertThat(repointed.status()).as(repointed.body()).isEqualTo(403);
    assertThat(repointed.json().path("error").path("details").findValuesAsText("field"))
        .containsExactly("secret_ref");

    String granted = uniqueName();
    assertThat(http.post("/admin/buckets", admin, ownedBy(roleBucket(granted))).status())
        .isEqualTo(201);
    assertThat(http.patch("/admin/buckets/" + granted, owner, "{\"region\": \"us-west-2\","
        + " \"labels\": {\"team\": \"imaging\"}, \"upload_allowed\": true}").status())
        .isEqualTo(200);
    record Swap(String patch, List<String> fields) {}
    for (Swap swap : List.of(
        new Swap("{\"role_arn\": \"arn:aws:iam::210987654321:role/theirs\"}",
            List.of("role_arn")),
        new Swap("{\"external_id\": \"guessed-external-id\"}", List.of("external_id")),
        new Swap("{\"auth_mode\": \"public\", \"role_arn\": null}",
            List.of("auth_mode", "role_arn")),
        new Swap("{\"provider\": \"s3_compatible\", \"endpoint\": \"https://s3.example.org\"}",
            List.of("provider", "endpoint")),
        new Swap("{\"requester_pays\": true, \"labels\": {\"gcp_billing_project\":"
            + " \"another-project\"}}", List.of("requester_pays", "labels.gcp_billing_project")))) {
      AdminHttp.Response refused = http.patch("/admin/buckets/" + granted, owner, swap.patch());
      assertThat(refused.status()).as(refused.body()).isEqualTo(403);
      assertThat(refused.json().path("error").path("details").findValuesAsText("field"))
          .containsExactlyElementsOf(swap.fields());
    }
    assertThat(http.patch("/admin/buckets/" + granted, admin,
        "{\"auth_mode\": \"public\", \"role_arn\": null}").status()).isEqualTo(200);
  }

  /** An incident's suspension must hold against the owner whose bucket it is. */
  @Test
  void aRegistryAdminsSuspensionHoldsUntilAnAdminResumesIt() {
    String owner = cluster.token("owner");
    String name = uniqueName();
    String path = "/admin/buckets/" + name;
    assertThat(http.post("/admin/buckets", admin, ownedBy(roleBucket(name))).status())
        .isEqualTo(201);
    assertThat(http.delete(path, owner).status()).isEqualTo(200);
    AdminHttp.Response ownResume = http.send("POST", path + "/resume", owner, null, null);
    assertThat(ownResume.status()).as(ownResume.body()).isEqualTo(200);
    assertThat(ownResume.json().path("labels").has("admin_hold")).isFalse();

    AdminHttp.Response held = http.delete(path, admin);
    assertThat(held.status()).as(held.body()).isEqualTo(200);
    assertThat(held.json().path("labels").path("admin_hold").asText()).isEqualTo("admin");
    record Attempt(String method, String suffix, String body, List<String> fields) {}
    for (Attempt attempt : List.of(
        new Attempt("POST", "/resume", null, List.of("labels.admin_hold", "status")),
        new Attempt("PATCH", "", "{\"status\": \"active\"}", List.of("status")),
        new Attempt("PATCH", "", "{\"labels\": {\"admin_hold\": null}}",
            List.of("labels.admin_hold")))) {
      AdminHttp.Response refused = http.send(attempt.method(), path + attempt.suffix(), owner,
          attempt.body() == null ? null : "application/merge-patch+json", attempt.body());
      assertThat(refused.status()).as(refused.body()).isEqualTo(403);
      assertThat(refused.json().path("error").path("details").findValuesAsText("field"))
          .containsExactlyElementsOf(attempt.fields());
    }
    assertThat(http.send("POST", path + "/resume", owner, null, null).errorMessage())
        .contains("suspended by a registry admin");
    assertThat(http.patch(path, owner, "{\"region\": \"us-west-2\"}").status()).isEqualTo(200);
    assertThat(cluster.replicated(name).isActive()).isFalse();

    AdminHttp.Response halfResumed = http.patch(path, admin, "{\"status\": \"active\"}");
    assertThat(halfResumed.status()).as(halfResumed.body()).isEqualTo(400);
    assertThat(halfResumed.json().path("error").path("details").findValuesAsText("field"))
        .containsExactly("labels.admin_hold");
    AdminHttp.Response resumed = http.send("POST", path + "/resume", admin, null, null);
    assertThat(resumed.status()).as(resumed.body()).isEqualTo(200);
    assertThat(resumed.json().path("status").asText()).isEqualTo("active");
    assertThat(resumed.json().path("labels").has("admin_hold")).isFalse();

    AdminHttp.Response selfHeld = http.post("/admin/buckets", owner, ownedBy(staticBucket(
        uniqueName(), "\"status\": \"suspended\", \"labels\": {\"admin_hold\": \"owner\"},"
            + " \"create_secret\": true, \"secret_payload\": " + KEYS)));
    assertThat(selfHeld.status()).as(selfHeld.body()).isEqualTo(403);
    assertThat(selfHeld.json().path("error").path("details").findValuesAsText("field"))
        .containsExactly("labels.admin_hold");

    AdminHttp.Response patchedAway = http.patch(path, admin, "{\"status\": \"suspended\"}");
    assertThat(patchedAway.json().path("labels").path("admin_hold").asText()).isEqualTo("admin");
    assertThat(http.send("POST", path + "/resume", owner, null, null).status()).isEqualTo(403);
  }

  /** Every bucket puts routes in every Envoy's configuration; owners cannot add them unbounded. */
  @Test
  void aProjectsOwnersRegisterAtMostTheLimitARegistryAdminMore() {
    String owner = cluster.token("crowded");
    String project = TestRegistryCluster.CROWDED_PROJECT;
    AdminHttp.Response created;
    int registered = 0;
    do {
      created = http.post("/admin/buckets", owner, staticBucket(uniqueName(),
          "\"owner_project\": \"" + project + "\", \"create_secret\": true,"
              + " \"secret_payload\": " + KEYS));
      registered++;
    } while (created.status() == 201 && registered <= TestRegistryCluster.PROJECT_BUCKET_LIMIT);

    assertThat(created.status()).as(created.body()).isEqualTo(403);
    assertThat(created.errorMessage()).contains("--project-bucket-limit", project);
    assertThat(cluster.queryLong("SELECT count(*) FROM buckets WHERE owner_project = '"
        + project + "'")).isEqualTo(TestRegistryCluster.PROJECT_BUCKET_LIMIT);
    assertThat(http.post("/admin/buckets", admin, roleBucket(uniqueName()).replaceFirst("\\{",
        "{\"owner_project\": \"" + project + "\", ")).status()).isEqualTo(201);
  }

  /**
   * The limit is counted under a per-project lock in the creating transaction (in PostgreSQL, so
   * across replicas too): racing creations cannot all see room for themselves. Nor can a bucket
   * be moved into a full project, or created on an invented path beneath it.
   */
  @Test
  void racingCreationsAndAMoveStopAtTheProjectLimit() throws Exception {
    String owner = cluster.token("thronged");
    String project = TestRegistryCluster.THRONGED_PROJECT;
    int attempts = TestRegistryCluster.PROJECT_BUCKET_LIMIT + 6;
    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<Future<Integer>> statuses = new ArrayList<>();
    try {
      CountDownLatch start = new CountDownLatch(1);
      for (int i = 0; i < attempts; i++) {
        statuses.add(pool.submit(() -> {
          start.await();
          return http.post("/admin/buckets", owner, staticBucket(uniqueName(),
              "\"owner_project\": \"" + project + "\", \"create_secret\": true,"
                  + " \"secret_payload\": " + KEYS)).status();
        }));
      }
      start.countDown();
      List<Integer> answered = new ArrayList<>();
      for (Future<Integer> status : statuses) {
        answered.add(status.get(60, TimeUnit.SECONDS));
      }
      assertThat(answered).filteredOn(status -> status == 201)
          .hasSize(TestRegistryCluster.PROJECT_BUCKET_LIMIT);
      assertThat(answered).filteredOn(status -> status == 403).hasSize(attempts
          - TestRegistryCluster.PROJECT_BUCKET_LIMIT);
    } finally {
      pool.shutdownNow();
    }
    assertThat(cluster.queryLong("SELECT count(*) FROM buckets WHERE owner_project = '"
        + project + "'")).isEqualTo(TestRegistryCluster.PROJECT_BUCKET_LIMIT);

    // A grant covers what lies beneath its path, so an owner may name a sub-path; it counts too.
    AdminHttp.Response beneath = http.post("/admin/buckets", owner, staticBucket(uniqueName(),
        "\"owner_project\": \"" + project + "/invented\", \"create_secret\": true,"
            + " \"secret_payload\": " + KEYS));
    assertThat(beneath.status()).as(beneath.body()).isEqualTo(403);
    assertThat(beneath.errorMessage()).contains(project, "beneath it");

    String elsewhere = uniqueName();
    assertThat(http.post("/admin/buckets", owner, staticBucket(elsewhere, "\"owner_project\": \""
        + TestRegistryCluster.THRONGED_OVERFLOW_PROJECT + "\", \"create_secret\": true,"
        + " \"secret_payload\": " + KEYS)).status()).isEqualTo(201);
    AdminHttp.Response moved = http.patch("/admin/buckets/" + elsewhere, owner,
        "{\"owner_project\": \"" + project + "\"}");
    assertThat(moved.status()).as(moved.body()).isEqualTo(403);
    assertThat(moved.errorMessage()).contains("--project-bucket-limit", project);
    assertThat(http.get("/admin/buckets/" + elsewhere, owner).json().path("owner_project")
        .asText()).isEqualTo(TestRegistryCluster.THRONGED_OVERFLOW_PROJECT);
  }

  /**
   * A binding decides whose users reach the objects under its prefix: an owner binds prefixes to
   * paths they administer only, and cannot take another project's prefix of a shared bucket.
   */
  @Test
  void anOwnerBindsPrefixesOnlyToPathsTheyAdminister() {
    String owner = cluster.token("owner");
    String other = "/programs/DEV/projects/other";
    AdminHttp.Response foreign = http.post("/admin/buckets", owner, staticBucket(uniqueName(),
        "\"owner_project\": \"" + TestRegistryCluster.OWNER_PROJECT + "\", \"create_secret\":"
            + " true, \"secret_payload\": " + KEYS + ", \"prefix_bindings\": [{\"prefix\": \"\","
            + " \"resource_path\": \"" + other + "\"}]"));
    assertThat(foreign.status()).as(foreign.body()).isEqualTo(403);
    assertThat(foreign.errorMessage()).contains(other);

    String shared = uniqueName();
    assertThat(http.post("/admin/buckets", admin, ownedBy(roleBucket(shared)).replace(
        "\"prefix_bindings\": [", "\"prefix_bindings\": [{\"prefix\": \"b/\","
            + " \"resource_path\": \"" + other + "\"}, ")).status()).isEqualTo(201);
    String path = "/admin/buckets/" + shared;
    AdminHttp.Response taken = http.patch(path, owner, "{\"prefix_bindings\": [{\"prefix\": \"\","
        + " \"resource_path\": \"" + TestRegistryCluster.OWNER_PROJECT + "\"}]}");
    assertThat(taken.status()).as(taken.body()).isEqualTo(403);
    assertThat(http.get(path, owner).json().path("prefix_bindings").toString()).contains(other);
    // The longest prefix decides: b/x bound to the owner's project would take b/x... from other.
    AdminHttp.Response carved = http.patch(path, owner, "{\"prefix_bindings\": [{\"prefix\":"
        + " \"b/\", \"resource_path\": \"" + other + "\"}, {\"prefix\": \"\", \"resource_path\":"
        + " \"" + TestRegistryCluster.OWNER_PROJECT + "\"}, {\"prefix\": \"b/x\","
        + " \"resource_path\": \"" + TestRegistryCluster.OWNER_PROJECT + "\"}]}");
    assertThat(carved.status()).as(carved.body()).isEqualTo(403);
    assertThat(carved.errorMessage()).contains(other, "longer prefix");
    AdminHttp.Response noPrefix = http.patch(path, admin, "{\"prefix_bindings\": [{\"prefix\":"
        + " \"\", \"resource_path\": \"" + other + "\"}, {\"resource_path\": \"" + other + "\"}]}");
    assertThat(noPrefix.status()).as(noPrefix.body()).isEqualTo(400);

    AdminHttp.Response own = http.patch(path, owner, "{\"prefix_bindings\": [{\"prefix\": \"b/\","
        + " \"resource_path\": \"" + other + "\"}, {\"prefix\": \"\", \"resource_path\": \""
        + TestRegistryCluster.OWNER_PROJECT + "\"}, {\"prefix\": \"mine/\", \"resource_path\":"
        + " \"" + TestRegistryCluster.OWNER_PROJECT + "/mine\"}], \"region\": \"us-west-2\"}");
    assertThat(own.status()).as(own.body()).isEqualTo(200);
  }

  /** Labels were free-form before the hold: one named admin_hold on an active bucket is inert. */
  @Test
  void anOwnerClearsAnAdminHoldLabelLeftOnAnActiveBucket() {
    String owner = cluster.token("owner");
    String name = uniqueName();
    assertThat(http.post("/admin/buckets", admin, ownedBy(roleBucket(name))).status())
        .isEqualTo(201);
    cluster.execute("UPDATE buckets SET labels = '{\"admin_hold\": \"before the rule\"}'"
        + " WHERE name = '" + name + "'");

    AdminHttp.Response other = http.patch("/admin/buckets/" + name, owner,
        "{\"region\": \"us-west-2\"}");
    assertThat(other.status()).as(other.body()).isEqualTo(400);
    assertThat(other.json().path("error").path("details").findValuesAsText("field"))
        .containsExactly("labels.admin_hold");
    AdminHttp.Response cleared = http.patch("/admin/buckets/" + name, owner,
        "{\"region\": \"us-west-2\", \"labels\": {\"admin_hold\": null}}");
    assertThat(cleared.status()).as(cleared.body()).isEqualTo(200);
  }

  private static final String KEYS = "{\"access_key_id\": \"owner-key-id\","
      + " \"secret_access_key\": \"owner-secret\"}";

  private static String ownedBy(String body) {
    return body.replaceFirst("\\{", "{\"owner_project\": \"" + TestRegistryCluster.OWNER_PROJECT
        + "\", ");
  }

  private static String publicBucket(String name) {
    return """
        {"name": "%s", "provider": "aws", "region": "us-east-1", "auth_mode": "public"}
        """.formatted(name);
  }

  private static String staticBucket(String name, String credentials) {
    return """
        {"name": "%s", "provider": "aws", "region": "us-east-1", "auth_mode": "static", %s}
        """.formatted(name, credentials);
  }

  @Test
  void tokensAreCheckedBeforeAnythingElse() {
    String name = uniqueName();
    LocalTokenIssuer stranger = new LocalTokenIssuer(URI.create("http://evil.example/user"));
    LocalTokenIssuer sameIssuerOtherKey = new LocalTokenIssuer(cluster.issuer.issuer());
    String valid = cluster.token("admin");
    String[] parts = valid.split("\\.");
    String tampered =
        parts[0] + "." + parts[1].substring(0, parts[1].length() - 2) + "AA." + parts[2];

    record Case(String token, String scheme) {}
    List<Case> cases = List.of(
        new Case(null, null),
        new Case(valid, "Basic"),
        new Case("not-a-jwt", "Bearer"),
        new Case(tampered, "Bearer"),
        new Case(stranger.mint("admin", Duration.ofMinutes(10)), "Bearer"),
        new Case(sameIssuerOtherKey.mint("admin", Duration.ofMinutes(10)), "Bearer"));
    long rows = cluster.count("buckets");
    for (Case c : cases) {
      String[] headers = c.token() == null ? new String[0]
          : new String[] {"Authorization", c.scheme() + " " + c.token()};
      AdminHttp.Response response = http.send("POST", "/admin/buckets", null, "application/json",
          roleBucket(name), headers);
      assertThat(response.status()).as("%s -> %s", c, response.body()).isEqualTo(401);
      assertThat(response.errorCode()).isEqualTo("unauthenticated");
      assertThat(response.header("WWW-Authenticate")).startsWith("Bearer");
      if (c.token() != null) {
        assertThat(response.body()).doesNotContain(c.token());
      }
    }
    assertThat(cluster.count("buckets")).isEqualTo(rows);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "{not json",
      "[1, 2]",
      "{\"name\": \"x-bucket\", \"provider\": \"aws\", \"auth_mode\": \"public\", "
          + "\"colour\": \"red\"}",
      "{\"name\": \"x-bucket\", \"provider\": \"azure_blob\", \"auth_mode\": \"public\"}",
      "{\"name\": \"x-bucket\", \"provider\": \"aws\", \"auth_mode\": \"public\", \"revision\": 9}",
      "{\"name\": \"x-bucket\", \"provider\": \"aws\", \"auth_mode\": \"public\", "
          + "\"requester_pays\": \"maybe\"}",
      "{\"name\": \"X_Bucket\", \"provider\": \"aws\", \"auth_mode\": \"public\"}",
      "{\"name\": \"x-bucket\", \"provider\": \"s3_compatible\", \"auth_mode\": \"public\", "
          + "\"endpoint\": \"http://s3.example.org\"}",
      "{\"name\": \"x-bucket\", \"provider\": \"s3_compatible\", \"auth_mode\": \"public\", "
          + "\"endpoint\": \"https://metadata.example\"}",
      "{\"name\": \"x-bucket\", \"provider\": \"aws\", \"auth_mode\": \"role\", "
          + "\"role_arn\": \"arn:aws:iam::1:role/x\"}",
      "{\"name\": \"x-bucket\", \"provider\": \"aws\", \"auth_mode\": \"public\", "
          + "\"aws_secret_access_key\": \"abc\"}",
      ""
  })
  void badBodiesAreRefusedWithAMessageAndChangeNothing(String body) {
    long rows = cluster.count("buckets");
    long audits = cluster.count("audit_events");
    int mapSize = RegistryCluster.buckets(cluster.replica(0).member()).size();

    AdminHttp.Response response = http.post("/admin/buckets", admin, body);

    assertThat(response.status()).as(response.body()).isEqualTo(400);
    assertThat(response.errorCode()).isEqualTo("invalid_request");
    assertThat(response.errorMessage()).isNotBlank();
    assertThat(cluster.count("buckets")).isEqualTo(rows);
    assertThat(cluster.count("audit_events")).isEqualTo(audits);
    assertThat(RegistryCluster.buckets(cluster.replica(0).member()).size()).isEqualTo(mapSize);
  }

  /**
   * A value of another JSON type is refused with the type the field takes, not converted: a
   * bucket named 123 or 1500.0, or {@code "true"} read as true, is a guess. A field given twice
   * is refused too: two readers of the same body could take different ones.
   */
  @Test
  void valuesOfTheWrongTypeAndRepeatedFieldsAreRefusedNotConverted() {
    long rows = cluster.count("buckets");
    String base =
        "\"provider\": \"aws\", \"region\": \"us-east-1\", \"auth_mode\": \"public\"";
    Map<String, String> attempts = Map.of(
        "{\"name\": 123, " + base + "}", "name: must be a string",
        "{\"name\": \"typed-a\", " + base + ", \"upload_allowed\": \"true\"}",
        "upload_allowed: must be true or false",
        "{\"name\": \"typed-b\", " + base + ", \"requester_pays\": 1}",
        "requester_pays: must be true or false",
        "{\"name\": \"typed-c\", " + base + ", \"labels\": {\"team\": 1}}",
        "labels.team: must be a string",
        "{\"name\": \"typed-d\", " + base + ", \"name\": \"typed-e\"}",
        "the body gives field 'name' twice");
    for (Map.Entry<String, String> attempt : attempts.entrySet()) {
      AdminHttp.Response response = http.post("/admin/buckets", admin, attempt.getKey());

      assertThat(response.status()).as(response.body()).isEqualTo(400);
      assertThat(response.errorMessage()).as(attempt.getKey()).isEqualTo(attempt.getValue());
    }
    assertThat(cluster.count("buckets")).isEqualTo(rows);
  }

  /**
   * DNS that does not answer is not a name that does not exist: the registration is refused as
   * "try again" (503 with Retry-After), not as a broken definition, and nothing is written.
   */
  @Test
  void anEndpointWhoseNameDoesNotAnswerInTimeGets503AndChangesNothing() {
    // Its own caller: the lookups it leaves running hold that caller's share for a while.
    String caller = cluster.token("slow-dns-admin");
    long rows = cluster.count("buckets");
    long audits = cluster.count("audit_events");
    String name = uniqueName();
    String body = "{\"name\": \"" + name + "\", \"provider\": \"s3_compatible\","
        + " \"auth_mode\": \"public\", \"endpoint\": \"https://s3"
        + TestRegistryCluster.UNANSWERED_ZONE + "\"}";

    AdminHttp.Response response = http.post("/admin/buckets", caller, body);

    assertThat(response.status()).as(response.body()).isEqualTo(503);
    assertThat(response.errorCode()).isEqualTo("unavailable");
    assertThat(response.errorMessage()).contains("endpoint host 's3"
        + TestRegistryCluster.UNANSWERED_ZONE + "' did not resolve within 2 s",
        "nothing was changed");
    assertThat(response.header("Retry-After")).isEqualTo("5");
    assertThat(cluster.count("buckets")).isEqualTo(rows);
    assertThat(cluster.count("audit_events")).isEqualTo(audits);
    assertThat(http.get("/admin/buckets/" + name, caller).status()).isEqualTo(404);

    AdminHttp.Response alsoBroken = http.post("/admin/buckets", caller,
        body.replace("\"public\"", "\"role\""));
    assertThat(alsoBroken.status()).as("the errors that could be checked come first")
        .isEqualTo(400);
    assertThat(alsoBroken.errorMessage()).contains("role_arn");
  }

  @Test
  void fieldErrorsNameTheField() {
    AdminHttp.Response azure = http.post("/admin/buckets", admin,
        "{\"name\": \"x-bucket\", \"provider\": \"azure_blob\", \"auth_mode\": \"public\"}");
    assertThat(azure.errorMessage()).contains("provider").contains("not supported yet");

    AdminHttp.Response unknown = http.post("/admin/buckets", admin,
        "{\"name\": \"x-bucket\", \"provider\": \"aws\", \"auth_mode\": \"public\", "
            + "\"colour\": \"red\"}");
    assertThat(unknown.json().path("error").path("details").get(0).path("field").asText())
        .isEqualTo("colour");

    for (String field : List.of("prefix_bindings", "allowed_ops")) {
      AdminHttp.Response nullEntry = http.post("/admin/buckets", admin,
          "{\"name\": \"x-bucket\", \"provider\": \"aws\", \"auth_mode\": \"public\", \""
              + field + "\": [null]}");
      assertThat(nullEntry.status()).isEqualTo(400);
      assertThat(nullEntry.errorMessage()).as(field).contains(field).doesNotContain("JSON");
    }
    AdminHttp.Response nullInABinding = http.post("/admin/buckets", admin,
        "{\"name\": \"x-bucket\", \"provider\": \"aws\", \"auth_mode\": \"public\","
            + " \"prefix_bindings\": [{\"prefix\": \"a/\", \"resource_path\": null}]}");
    assertThat(nullInABinding.body()).contains("prefix_bindings[0].resource_path is required");

    AdminHttp.Response wrongType = http.post("/admin/buckets", admin,
        "{\"name\": \"x-bucket\", \"provider\": \"aws\", \"auth_mode\": \"public\", "
            + "\"labels\": [\"a\"]}");
    assertThat(wrongType.json().path("error").path("details").get(0).path("field").asText())
        .isEqualTo("labels");
  }

  @Test
  void wrongMediaTypeAndOversizedBodies() {
    AdminHttp.Response text =
        http.send("POST", "/admin/buckets", admin, "text/plain", roleBucket(uniqueName()));
    assertThat(text.status()).isEqualTo(415);
    AdminHttp.Response none =
        http.send("POST", "/admin/buckets", admin, null, roleBucket(uniqueName()));
    assertThat(none.status()).isEqualTo(415);

    String huge = "{\"name\": \"" + uniqueName() + "\", \"labels\": {\"x\": \""
        + "a".repeat(70_000) + "\"}}";
    AdminHttp.Response tooLarge = http.post("/admin/buckets", admin, huge);
    assertThat(tooLarge.status()).isEqualTo(413);
    assertThat(tooLarge.errorCode()).isEqualTo("payload_too_large");
  }

  @Test
  void badQueryParametersAreRefused() {
    assertThat(http.get("/admin/buckets?limit=0", admin).status()).isEqualTo(400);
    assertThat(http.get("/admin/buckets?limit=lots", admin).status()).isEqualTo(400);
    assertThat(http.get("/admin/buckets?status=deleted", admin).status()).isEqualTo(400);
    assertThat(http.get("/admin/buckets?page_token=!!!", admin).status()).isEqualTo(400);
    assertThat(http.get("/admin/buckets?colour=red", admin).status()).isEqualTo(400);
  }

  /** PostgreSQL refuses NUL in text; that must read as bad input, not as a database outage. */
  @Test
  void aNulCharacterIsBadInputNotAnOutage() {
    for (String path : List.of("/admin/buckets/%00", "/admin/buckets/a%00b/validate",
        "/admin/buckets?page_token=AA", "/admin/buckets?owner_project=%00")) {
      AdminHttp.Response answer = http.get(path, admin);
      assertThat(answer.status()).as(path + ": " + answer.body()).isEqualTo(400);
    }
    AdminHttp.Response patch = http.patch("/admin/buckets/%00", admin, "{\"labels\": {}}");
    assertThat(patch.status()).as(patch.body()).isEqualTo(400);
  }

  /**
   * PostgreSQL writes a lone UTF-16 surrogate as '?', so the row and the signed entry would
   * differ (and two prefixes differing only there collide in the row), and refuses U+0000.
   */
  @Test
  void textThatCannotBeStoredAsSentIsRefusedAndChangesNothing() {
    long buckets = cluster.count("buckets");
    String name = uniqueName();
    for (String refused : List.of(
        roleBucket(name).replace("\"genomics\"", "\"a\\ud800b\""),
        roleBucket(name).replace("\"prefix\": \"\"", "\"prefix\": \"q\\ud800\""),
        roleBucket(name).replace("\"genomics\"", "\"geno\\u0000mics\""))) {
      AdminHttp.Response answer = http.post("/admin/buckets", admin, refused);
      assertThat(answer.status()).as(refused).isEqualTo(400);
      assertThat(answer.errorMessage()).containsAnyOf("body's labels", "body's prefix_bindings")
          .contains("cannot be stored");
    }
    assertThat(http.post("/admin/buckets", admin,
            roleBucket(name).replace("\"team\"", "\"te\\udc00am\"")).status())
        .as("in a name, which Jackson refuses itself").isEqualTo(400);
    assertThat(http.post("/admin/buckets", admin,
            roleBucket(name).replace("\"genomics\"", "\"\\ud83e\\uddec\""))
        .status()).as("a surrogate pair, which is Unicode").isEqualTo(201);
    assertThat(cluster.count("buckets")).isEqualTo(buckets + 1);
  }

  /**
   * A path longer than PostgreSQL's index takes read as a database outage (503); and an owner's
   * malformed path went to Arborist, whose error would read as its outage.
   */
  @Test
  void anOverlongOrMalformedOwnerProjectIsBadInputForAdminsAndOwnersAlike() {
    long buckets = cluster.count("buckets");
    String overlong = TestRegistryCluster.OWNER_PROJECT + "/x".repeat(300);
    String body = roleBucket(uniqueName()).replaceFirst("\\{",
        "{\"owner_project\": \"" + overlong + "\", ");
    AdminHttp.Response byAdmin = http.post("/admin/buckets", admin, body);
    assertThat(byAdmin.status()).as(byAdmin.body()).isEqualTo(400);
    assertThat(byAdmin.errorMessage()).contains("owner_project", "at most 512 characters");

    String owner = cluster.token("owner");
    cluster.arborist.takeAsked();
    for (String project : List.of(overlong, TestRegistryCluster.OWNER_PROJECT + "/a b")) {
      AdminHttp.Response byOwner = http.post("/admin/buckets", owner, staticBucket(uniqueName(),
          "\"owner_project\": \"" + project + "\", \"create_secret\": true,"
              + " \"secret_payload\": " + KEYS));
      assertThat(byOwner.status()).as(byOwner.body()).isEqualTo(400);
      assertThat(byOwner.errorMessage()).contains("owner_project must be an Arborist resource");
      assertThat(cluster.arborist.takeAsked()).as("Arborist is not asked about it")
          .noneMatch(question -> question.contains("/x/x") || question.contains("a b"));
    }
    assertThat(http.get("/admin/buckets?owner_project=" + "/x".repeat(300), owner).status())
        .isEqualTo(400);
    assertThat(cluster.count("buckets")).isEqualTo(buckets);

    String stored = uniqueName();
    assertThat(http.post("/admin/buckets", owner, ownedBy(staticBucket(stored,
        "\"create_secret\": true, \"secret_payload\": " + KEYS))).status()).isEqualTo(201);
    cluster.execute("UPDATE buckets SET owner_project = '" + overlong + "' WHERE name = '"
        + stored + "'");
    assertThat(http.get("/admin/buckets/" + stored, owner).status())
        .as("a path stored before the cap is judged as it stands, not as if just sent")
        .isEqualTo(200);
  }

  @Test
  void servesTheOpenApiDocumentKeptInTheRepository() throws IOException {
    AdminHttp.Response served = http.get("/admin/openapi.yaml", null);
    assertThat(served.status()).isEqualTo(200);
    try (InputStream in = getClass().getResourceAsStream("/openapi.yaml")) {
      assertThat(served.body()).isEqualTo(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
    assertThat(served.body()).contains("/admin/buckets/{name}/resume");
  }

  @Test
  void theEmbeddedIssuersKeysArePublishedWhereFencePublishesThem() {
    AdminHttp.Response keys = http.get("/user/.well-known/jwks", null);
    assertThat(keys.status()).isEqualTo(200);
    assertThat(keys.body()).contains("\"kty\":\"RSA\"").doesNotContain("\"d\":");
    // A data plane trusts the issuer with nothing but this URL.
    dev.storagegateway.auth.Gen3TokenVerifier dataPlane =
        dev.storagegateway.auth.Gen3TokenVerifier.forIssuer(
            new dev.storagegateway.auth.TokenVerifierSettings(cluster.issuer.issuer(),
                cluster.adminUrl(0).resolve("/user/.well-known/jwks"), null, null));
    assertThat(dataPlane.verify(cluster.token("reader")).username()).isEqualTo("reader");
  }
}
