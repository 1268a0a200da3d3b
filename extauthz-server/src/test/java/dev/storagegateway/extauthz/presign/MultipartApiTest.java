package dev.storagegateway.extauthz.presign;

import static dev.storagegateway.extauthz.presign.PresignApiClient.error;
import static dev.storagegateway.extauthz.presign.PresignApiClient.field;
import static dev.storagegateway.extauthz.presign.PresignApiClient.put;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.storagegateway.extauthz.GatewayFixture;
import dev.storagegateway.registry.AuthMode;
import dev.storagegateway.registry.Provider;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fence's multipart API: a three-part upload started, its parts sent to presigned URLs with a plain
 * HTTP client, and completed, all against S3Proxy; bad part numbers and bodies are refused.
 */
class MultipartApiTest {
  @TempDir
  static Path folder;

  private static GatewayFixture gateway;
  private static PresignApiClient client;
  private static final ObjectMapper JSON = new ObjectMapper();
  /** S3's smallest part but the last. */
  private static final int PART_BYTES = 5 * 1024 * 1024;

  @BeforeAll
  static void start() {
    gateway = GatewayFixture.start(folder);
    client = new PresignApiClient(gateway);
  }

  @AfterAll
  static void stop() throws InterruptedException {
    gateway.close();
  }

  private static String body(Object... fieldsAndValues) {
    ObjectNode body = JSON.createObjectNode();
    for (int i = 0; i < fieldsAndValues.length; i += 2) {
      body.set((String) fieldsAndValues[i], JSON.valueToTree(fieldsAndValues[i + 1]));
    }
    return body.toString();
  }

  @Test
  void aThreePartUploadCompletedThroughTheApi() throws Exception {
    HttpResponse<String> init = client.api("POST", "/data/multipart/init", "alice",
        body("bucket", "data", "key", "multipart/big.bin", "expires_in", 600));
    assertThat(init.statusCode()).as(init.body()).isEqualTo(201);
    String uploadId = field(init, "uploadId");

    byte[][] parts = {filled(PART_BYTES, 'a'), filled(PART_BYTES, 'b'), filled(1000, 'c')};
    ArrayNode completed = JSON.createArrayNode();
    for (int i = 0; i < parts.length; i++) {
      String url = field(client.api("POST", "/data/multipart/upload", "alice",
          body("bucket", "data", "key", "multipart/big.bin", "uploadId", uploadId,
              "partNumber", i + 1)),
          "presigned_url");
      HttpResponse<String> sent = put(url, parts[i]);
      assertThat(sent.statusCode()).as(sent.body()).isEqualTo(200);
      completed.addObject().put("PartNumber", i + 1)
          .put("ETag", sent.headers().firstValue("etag").orElseThrow());
    }

    ObjectNode complete = (ObjectNode) JSON.readTree(body("bucket", "data",
        "key", "multipart/big.bin", "uploadId", uploadId));
    complete.set("parts", completed);
    HttpResponse<String> done =
        client.api("POST", "/data/multipart/complete", "alice", complete.toString());
    assertThat(done.statusCode()).as(done.body()).isEqualTo(200);
    assertThat(JSON.readTree(done.body()).get("message").asText()).isEqualTo("OK");

    try (var s3 = gateway.directClient()) {
      byte[] stored = s3.getObjectAsBytes(g -> g.bucket("data").key("multipart/big.bin"))
          .asByteArray();
      assertThat(stored).hasSize(2 * PART_BYTES + 1000);
      assertThat(stored[0]).isEqualTo((byte) 'a');
      assertThat(stored[PART_BYTES]).isEqualTo((byte) 'b');
      assertThat(stored[stored.length - 1]).isEqualTo((byte) 'c');
    }
  }

  /**
   * The gateway's own calls accept a requester-pays bucket's charges with the header, the part
   * URLs in their signed query; S3Proxy verifies the signatures over both.
   */
  @Test
  void aRequesterPaysBucketsUploadAcceptsTheCharges() throws Exception {
    gateway.put(gateway.bucket("data-twin", "gateway.json", GatewayFixture.PROJECT)
        .provider(Provider.AWS).requesterPays(true).build());
    try {
      HttpResponse<String> init = client.api("POST", "/data/multipart/init", "alice",
          body("bucket", "data-twin", "key", "paid.bin"));
      assertThat(init.statusCode()).as(init.body()).isEqualTo(201);
      String uploadId = field(init, "uploadId");
      String url = field(client.api("POST", "/data/multipart/upload", "alice",
          body("bucket", "data-twin", "key", "paid.bin", "uploadId", uploadId, "partNumber", 1)),
          "presigned_url");
      assertThat(url).contains("x-amz-request-payer=requester");
      HttpResponse<String> sent = put(url, filled(1000, 'p'));
      assertThat(sent.statusCode()).as(sent.body()).isEqualTo(200);

      ObjectNode complete = (ObjectNode) JSON.readTree(body("bucket", "data-twin",
          "key", "paid.bin", "uploadId", uploadId));
      complete.putArray("parts").addObject().put("PartNumber", 1)
          .put("ETag", sent.headers().firstValue("etag").orElseThrow());
      HttpResponse<String> done =
          client.api("POST", "/data/multipart/complete", "alice", complete.toString());
      assertThat(done.statusCode()).as(done.body()).isEqualTo(200);
      try (var s3 = gateway.directClient()) {
        assertThat(s3.getObjectAsBytes(g -> g.bucket("data-twin").key("paid.bin"))
            .asByteArray()).hasSize(1000);
      }
    } finally {
      gateway.put(gateway.bucket("data-twin", "gateway.json", GatewayFixture.PROJECT).build());
    }
  }

  @Test
  void aReaderCannotStartAnUpload() throws Exception {
    HttpResponse<String> init = client.api("POST", "/data/multipart/init", "bob",
        body("bucket", "data", "key", "multipart/bob.bin"));
    assertThat(init.statusCode()).isEqualTo(403);
    assertThat(error(init).get("message").asText()).contains("bob", "write-storage");
  }

  @Test
  void badPartNumbersAreRefused() throws Exception {
    for (Object bad : new Object[] {0, 10_001, -1, "1", 1.5}) {
      HttpResponse<String> answer = client.api("POST", "/data/multipart/upload", "alice",
          body("bucket", "data", "key", "multipart/x.bin", "uploadId", "some-upload",
              "partNumber", bad));
      assertThat(answer.statusCode()).as(String.valueOf(bad)).isEqualTo(400);
      assertThat(error(answer).get("message").asText()).contains("partNumber", "1 to 10000");
    }
    HttpResponse<String> badPart = client.api("POST", "/data/multipart/complete", "alice",
        "{\"bucket\":\"data\",\"key\":\"k\",\"uploadId\":\"u\","
            + "\"parts\":[{\"PartNumber\":0,\"ETag\":\"e\"}]}");
    assertThat(badPart.statusCode()).isEqualTo(400);
    assertThat(error(badPart).get("message").asText()).contains("PartNumber");
  }

  @Test
  void malformedBodiesAreRefused() throws Exception {
    for (String bad : new String[] {"", "not json", "[1,2]", "{\"bucket\":\"data\"}",
        "{\"bucket\":7,\"key\":\"k\"}", "{\"bucket\":\"data\",\"key\":\"k\",\"uploadId\":\"u\"}",
        "{\"bucket\":\"data\",\"key\":\"k\",\"uploadId\":\"u\",\"parts\":[{\"PartNumber\":1}]}"}) {
      for (String endpoint : new String[] {"init", "upload", "complete"}) {
        if (endpoint.equals("init") && bad.contains("uploadId")) {
          continue; // a valid start: init needs no upload id
        }
        HttpResponse<String> answer =
            client.api("POST", "/data/multipart/" + endpoint, "alice", bad);
        assertThat(answer.statusCode()).as(endpoint + " " + bad).isEqualTo(400);
        error(answer);
      }
    }
  }

  /**
   * A body is read and parsed only for a caller whose token verified: megabytes of JSON cost
   * memory that an anonymous sender could otherwise claim on every HTTP thread at once.
   */
  @Test
  void withoutATokenTheBodyIsNotReadAndAnyBodyIsRefusedTheSameWay() throws Exception {
    String unparsable = "{\"parts\": [" + "{\"PartNumber\": 1, \"ETag\": \"e\"},".repeat(20_000);
    for (String endpoint : new String[] {"init", "upload", "complete"}) {
      HttpResponse<String> answer =
          client.api("POST", "/data/multipart/" + endpoint, null, unparsable);
      assertThat(answer.statusCode()).as(endpoint).isEqualTo(401);
      assertThat(error(answer).get("message").asText()).contains("Gen3 access token");
    }
  }

  @Test
  void aBodyAboveAMebibyteOrListingMorePartsThanAnUploadHasIsRefused() throws Exception {
    HttpResponse<String> large = client.api("POST", "/data/multipart/complete", "alice",
        "{\"bucket\":\"data\",\"key\":\"k\",\"uploadId\":\"u\",\"pad\":\""
            + "x".repeat(PresignedUrlApi.MAX_REQUEST_BYTES) + "\"}");
    assertThat(large.statusCode()).isEqualTo(413);
    assertThat(error(large).get("message").asText()).contains("larger than");

    HttpResponse<String> tooMany = client.api("POST", "/data/multipart/complete", "alice",
        "{\"bucket\":\"data\",\"key\":\"k\",\"uploadId\":\"u\",\"parts\":["
            + "{\"PartNumber\":1,\"ETag\":\"e\"},".repeat(10_000)
            + "{\"PartNumber\":2,\"ETag\":\"e\"}]}");
    assertThat(tooMany.statusCode()).isEqualTo(400);
    assertThat(error(tooMany).get("message").asText()).contains("10001 parts", "at most 10000");
  }

  @Test
  void theStoragesRefusalOfAnUnknownUploadIsPassedOn() throws Exception {
    HttpResponse<String> answer = client.api("POST", "/data/multipart/complete", "alice",
        "{\"bucket\":\"data\",\"key\":\"k\",\"uploadId\":\"no-such-upload\","
            + "\"parts\":[{\"PartNumber\":1,\"ETag\":\"\\\"abc\\\"\"}]}");
    assertThat(answer.statusCode()).as(answer.body()).isBetween(400, 499);
    assertThat(error(answer).get("message").asText()).contains("CompleteMultipartUpload");
  }

  /** The gateway's own calls to a storage it cannot reach answer 502, not an internal error. */
  @Test
  void anUnreachableStorageIsABadGateway() throws Exception {
    int closed;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closed = socket.getLocalPort();
    }
    gateway.put(gateway.bucket("unreachable", "gateway.json", GatewayFixture.PROJECT)
        .endpoint("http://127.0.0.1:" + closed).build());

    HttpResponse<String> init = client.api("POST", "/data/multipart/init", "alice",
        body("bucket", "unreachable", "key", "multipart/nowhere.bin"));

    assertThat(init.statusCode()).as(init.body()).isEqualTo(502);
    assertThat(error(init).get("message").asText())
        .contains("did not answer CreateMultipartUpload", "retry later");
  }

  @Test
  void aPublicBucketTakesNoMultipartUpload() throws Exception {
    gateway.put(gateway.bucket("public-uploads", null, GatewayFixture.PROJECT)
        .authMode(AuthMode.PUBLIC).secretsBackend(null).secretRef(null).build());

    for (String endpoint : new String[] {"init", "upload", "complete"}) {
      HttpResponse<String> answer = client.api("POST", "/data/multipart/" + endpoint, "alice",
          "{\"bucket\":\"public-uploads\",\"key\":\"k\",\"uploadId\":\"u\","
              + "\"partNumber\":1,\"parts\":[{\"PartNumber\":1,\"ETag\":\"e\"}]}");
      assertThat(answer.statusCode()).as(endpoint + ": " + answer.body()).isEqualTo(400);
      assertThat(error(answer).get("message").asText()).contains("is public", "one PUT");
    }
  }

  private static byte[] filled(int size, char value) {
    byte[] bytes = new byte[size];
    Arrays.fill(bytes, (byte) value);
    return bytes;
  }
}
