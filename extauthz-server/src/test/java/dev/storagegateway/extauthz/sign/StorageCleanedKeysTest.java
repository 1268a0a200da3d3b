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
 * Why the parser refuses keys with empty segments ({@code ObjectKeys}): S3Proxy merges
 * {@code //}, so a request signed the way the gateway signs it, for a key whose binding is that
 * of {@code notes/}, reads the object under {@code notes/restricted/}.
 */
class StorageCleanedKeysTest {
  private static final String KEY_ID = "AKIACLEANED00001";
  private static final String SECRET = "cleaned-secret";

  @Test
  void s3ProxyServesAKeyWithADoubleSlashFromTheKeyWithoutIt() throws Exception {
    try (S3ProxyServer storage = S3ProxyServer.start(KEY_ID, SECRET);
        S3Client direct = S3Client.builder().endpointOverride(storage.endpoint())
            .region(Region.US_EAST_1).forcePathStyle(true)
            .credentialsProvider(StaticCredentialsProvider.create(
                AwsBasicCredentials.create(KEY_ID, SECRET))).build()) {
      direct.createBucket(b -> b.bucket("data"));
      direct.putObject(b -> b.bucket("data").key("notes/restricted/x.txt"),
          RequestBody.fromString("behind the restricted binding"));
      String path = "/data/notes//restricted/x.txt";
      S3Request read = new S3Request("GET", "data", "notes//restricted/x.txt",
          S3Operation.GET_OBJECT, path, "", QueryParameters.parse(""), Optional.empty(), false);
      Bucket bucket = Bucket.builder().name("data").provider(Provider.S3_COMPATIBLE)
          .region("us-east-1").endpoint(storage.endpoint().toString()).build();
      HeaderMutations signed = new UpstreamSigner(Clock.systemUTC(),
          new GoogleTokenUse(ReachableAddresses.allowing(List.of())))
          .sign(new IncomingRequest("r", "GET", "gateway.example.org", path, Map.of(), Map.of()),
              read, bucket, new AwsKeys(KEY_ID, SECRET, null, null));

      HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(storage.endpoint() + path));
      signed.set().forEach((name, value) -> {
        if (!name.equals("host")) {
          request.header(name, value);
        }
      });
      HttpResponse<String> answer = HttpClient.newHttpClient()
          .send(request.build(), HttpResponse.BodyHandlers.ofString());

      assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
      assertThat(answer.body()).isEqualTo("behind the restricted binding");
    }
  }
}
