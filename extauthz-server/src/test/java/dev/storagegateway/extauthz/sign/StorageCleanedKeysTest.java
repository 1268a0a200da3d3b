package dev.storagegateway.extauthz.sign;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storagegateway.credentials.AwsKeys;
import dev.storagegateway.extauthz.check.HeaderMutations;
import dev.storagegateway.extauthz.check.IncomingRequest;
import dev.storagegateway.extauthz.parse.QueryParameters;
import dev.storagegateway.extauthz.parse.S3Operation;
import dev.storagegateway.extauthz.parse.S3Request;
import dev.storagegateway.registry.Bucket;
import dev.storagegateway.registry.Provider;
import dev.storagegateway.registry.address.ReachableAddresses;
import dev.storagegateway.testpeers.S3ProxyServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Why the gateway refuses or double-checks keys that S3Proxy cleans, with requests signed exactly
 * as {@link UpstreamSigner} signs them: S3Proxy merges {@code //} (so the parser refuses empty
 * segments, {@code ObjectKeys}) and drops a trailing {@code /} (so a key ending in one also needs
 * the binding of the key without it, {@code StorageAuthorization}; a listing's prefix is left
 * alone).
 */
class StorageCleanedKeysTest {
  private static final String KEY_ID = "AKIACLEANED00001";
  private static final String SECRET = "cleaned-secret";

  @Test
  void s3ProxyServesAKeyWithADoubleSlashFromTheKeyWithoutIt() throws Exception {
    try (S3ProxyServer storage = S3ProxyServer.start(KEY_ID, SECRET);
        S3Client direct = directClient(storage)) {
      direct.createBucket(b -> b.bucket("data"));
      direct.putObject(b -> b.bucket("data").key("notes/restricted/x.txt"),
          RequestBody.fromString("behind the restricted binding"));

      HttpResponse<String> answer = sendSigned(storage, "GET", "notes//restricted/x.txt");

      assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
      assertThat(answer.body()).isEqualTo("behind the restricted binding");
    }
  }

  /** Whoever may read or delete under a binding "plain/" reaches the object "plain". */
  @Test
  void s3ProxyReadsAndDeletesTheKeyWithoutATrailingSlash() throws Exception {
    try (S3ProxyServer storage = S3ProxyServer.start(KEY_ID, SECRET);
        S3Client direct = directClient(storage)) {
      direct.createBucket(b -> b.bucket("data"));
      direct.putObject(b -> b.bucket("data").key("plain"),
          RequestBody.fromString("under the root binding"));

      HttpResponse<String> read = sendSigned(storage, "GET", "plain/");
      assertThat(read.statusCode()).as(read.body()).isEqualTo(200);
      assertThat(read.body()).isEqualTo("under the root binding");

      HttpResponse<String> deleted = sendSigned(storage, "DELETE", "plain/");
      assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(204);
      assertThat(direct.listObjectsV2(b -> b.bucket("data")).contents()).isEmpty();
    }
  }

  /**
   * A listing's prefix is a query parameter, which S3Proxy leaves as it is: listing "plain/"
   * shows nothing of the object "plain", so a listing needs no '/'-less twin's binding.
   */
  @Test
  void s3ProxyListsAPrefixEndingInASlashAsItIs() throws Exception {
    try (S3ProxyServer storage = S3ProxyServer.start(KEY_ID, SECRET);
        S3Client direct = directClient(storage)) {
      direct.createBucket(b -> b.bucket("data"));
      direct.putObject(b -> b.bucket("data").key("plain"),
          RequestBody.fromString("under the root binding"));

      assertThat(direct.listObjectsV2(b -> b.bucket("data").prefix("plain/")).contents())
          .isEmpty();
      assertThat(direct.listObjects(b -> b.bucket("data").prefix("plain/")).contents())
          .isEmpty();
      assertThat(direct.listObjectsV2(b -> b.bucket("data").prefix("plain")).contents())
          .singleElement().satisfies(object -> assertThat(object.key()).isEqualTo("plain"));
    }
  }

  private static S3Client directClient(S3ProxyServer storage) {
    return S3Client.builder().endpointOverride(storage.endpoint())
        .region(Region.US_EAST_1).forcePathStyle(true)
        .credentialsProvider(StaticCredentialsProvider.create(
            AwsBasicCredentials.create(KEY_ID, SECRET))).build();
  }

  /** {@code key} is sent as it is, which suits the keys here: no character needs encoding. */
  private static HttpResponse<String> sendSigned(S3ProxyServer storage, String method, String key)
      throws Exception {
    String path = "/data/" + key;
    S3Operation operation = method.equals("GET") ? S3Operation.GET_OBJECT
        : S3Operation.DELETE_OBJECT;
    S3Request parsed = new S3Request(method, "data", key, operation, path, "",
        QueryParameters.parse(""), Optional.empty(), false);
    Bucket bucket = Bucket.builder().name("data").provider(Provider.S3_COMPATIBLE)
        .region("us-east-1").endpoint(storage.endpoint().toString()).build();
    HeaderMutations signed = new UpstreamSigner(Clock.systemUTC(),
        new GoogleTokenUse(ReachableAddresses.allowing(List.of())))
        .sign(new IncomingRequest("r", method, "gateway.example.org", path, Map.of(), Map.of()),
            parsed, bucket, new AwsKeys(KEY_ID, SECRET, null, null));

    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(storage.endpoint() + path))
        .method(method, HttpRequest.BodyPublishers.noBody());
    signed.set().forEach((name, value) -> {
      if (!name.equals("host")) {
        request.header(name, value);
      }
    });
    return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
