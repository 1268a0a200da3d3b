package dev.storagegateway.extauthz.clients;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storagegateway.extauthz.GatewayFixture;
import dev.storagegateway.testpeers.CommandLine.Result;
import dev.storagegateway.testpeers.NginxServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Unmodified S3 clients end to end: a real nginx running the shipped configuration (plus a TLS
 * listener), the data plane, and S3Proxy, which verifies every signature the gateway makes. Each
 * client is configured only as the README shows (the files in {@code deploy/clients}): the
 * gateway's endpoint and a Gen3 token in {@code ~/.gen3/access_token}, which the client (or the
 * credential_process helper) trades at the gateway's STS endpoint for temporary keys. alice may
 * read and write the fixture's {@code data} bucket, bob may only read it, and nobody may read
 * {@code data-other}. The AWS SDK for Java v2 is the subject of
 * {@code http.NginxSessionCredentialsTest}.
 */
class UnmodifiedClientsTest {
  private static final int MIB = 1024 * 1024;

  enum Client { AWS_CLI_V1, AWS_CLI_V2, RCLONE, S3CMD, BOTO3 }

  @TempDir
  static Path folder;

  private static GatewayFixture gateway;
  private static NginxServer nginx;
  private static GatewayAccessLog accessLog;
  private static Path small;
  /** Above every client's multipart threshold, and at least three parts for each. */
  private static Path large;
  private static final Set<String> tokens = ConcurrentHashMap.newKeySet();

  @BeforeAll
  static void start() throws IOException {
    accessLog = GatewayAccessLog.attach();
    gateway = GatewayFixture.start(folder);
    nginx = NginxServer.startWithTls(folder.resolve("nginx"),
        new InetSocketAddress("127.0.0.1", gateway.plane().httpPort()),
        gateway.s3proxyEndpoint());
    small = randomFile("small.bin", 1000);
    large = randomFile("large.bin", 21 * MIB);
  }

  @AfterAll
  static void stop() throws InterruptedException, IOException {
    try {
      if (nginx != null) {
        nginx.close();
        String logs = nginx.logs() + Files.readString(nginx.payloadLog());
        assertThat(tokens.stream().anyMatch(logs::contains)).as("a Gen3 token in nginx's logs")
            .isFalse();
      }
    } finally {
      if (gateway != null) {
        gateway.close();
      }
      accessLog.close();
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Client.class)
  void listsPutsGetsDeletesAndUploadsInParts(Client client) {
    S3Program alice = configured(client, "alice");
    String prefix = "clients/" + name(client) + "/";

    assertThat(bucketNames(succeeded(alice.listBuckets())))
        .contains("data", "data-twin", "elsewhere", "readonly")
        .doesNotContain("data-other", "suspended");

    int beforePut = accessLog.size();
    succeeded(alice.put(small, "data", prefix + "small.bin"));
    if (client == Client.RCLONE) {
      assertThat(accessLog.answeredSince(beforePut, "alice")).as("rclone creates its bucket"
          + " before writing, and the gateway answers that itself").contains("CreateBucket");
    }
    assertThat(succeeded(alice.list("data", prefix))).contains("small.bin");
    Path smallCopy = folder.resolve(name(client) + "-small.copy");
    succeeded(alice.get("data", prefix + "small.bin", smallCopy));
    assertThat(smallCopy).hasSameBinaryContentAs(small);

    int mark = accessLog.size();
    succeeded(alice.putInParts(large, "data", prefix + "large.bin"));
    List<String> operations = accessLog.allowedSince(mark, "alice");
    assertThat(operations).contains("CreateMultipartUpload", "CompleteMultipartUpload");
    assertThat(operations).filteredOn("UploadPart"::equals).hasSizeGreaterThanOrEqualTo(3);
    Path largeCopy = folder.resolve(name(client) + "-large.copy");
    succeeded(alice.get("data", prefix + "large.bin", largeCopy));
    assertThat(largeCopy).hasSameBinaryContentAs(large);

    succeeded(alice.delete("data", prefix + "small.bin"));
    assertThat(succeeded(alice.list("data", prefix))).contains("large.bin")
        .doesNotContain("small.bin");
    succeeded(alice.delete("data", prefix + "large.bin"));
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Client.class)
  void isRefusedWithAccessDeniedWhereArboristSaysNo(Client client) {
    S3Program bob = configured(client, "bob");
    assertRefused(bob.put(small, "data", "clients/" + name(client) + "/by-bob.bin"),
        "user 'bob' may not write-storage");
    S3Program alice = configured(client, "alice");
    assertRefused(alice.list("data-other", ""), "user 'alice' may not read-storage");
  }

  /**
   * carol may write only under {@code restricted/} of {@code data}. rclone sends CreateBucket
   * before it writes, which the gateway answers for a caller allowed on any part of the bucket:
   * asked about the bucket's root, it refused her upload.
   */
  @ParameterizedTest(name = "{0}")
  @EnumSource(Client.class)
  void aUserAllowedUnderOnePrefixOnlyWritesThere(Client client) {
    S3Program carol = configured(client, "carol");
    String key = "restricted/clients/" + name(client) + "/by-carol.bin";

    succeeded(carol.put(small, "data", key));
    Path copy = folder.resolve(name(client) + "-carol.copy");
    succeeded(carol.get("data", key, copy));
    assertThat(copy).hasSameBinaryContentAs(small);
    succeeded(carol.delete("data", key));
    // rclone asks with a HEAD first, whose refusal has no body to quote.
    Result outside = carol.put(small, "data", "clients/" + name(client) + "/by-carol.bin");
    assertThat(outside.succeeded()).as("%s", outside).isFalse();
  }

  /**
   * aws cli v1 presigns with signature version 2 unless the profile says s3v4, which the shipped
   * profile does; the gateway refuses version 2.
   */
  @Test
  void awsCliV1PresignsWithTheShippedProfileAUrlThatWorksThroughTheProxy() throws Exception {
    AwsCli alice = AwsCli.v1WithCredentialProcess(
        UserHome.create(newFolder("aws-cli-v1-presign"), token("alice")),
        ClientConfigurations.forGateway(nginx.endpoint()));
    succeeded(alice.put(small, "data", "clients/presigned/small.bin"));

    String url = succeeded(alice.presign("data", "clients/presigned/small.bin")).strip();
    assertThat(url).contains("X-Amz-Algorithm=AWS4-HMAC-SHA256");
    HttpResponse<byte[]> fetched = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofByteArray());
    assertThat(fetched.statusCode()).as(new String(fetched.body())).isEqualTo(200);
    assertThat(fetched.body()).isEqualTo(Files.readAllBytes(small));
  }

  @Test
  void awsCliV1UploadsOverHttpsAreAwsChunkedWithAChecksumTrailerAndArriveIntact()
      throws IOException {
    S3Program alice = configured(Client.AWS_CLI_V1, "alice");
    String prefix = "clients/aws-chunked/";
    succeeded(alice.put(small, "data", prefix + "small.bin"));
    succeeded(alice.putInParts(large, "data", prefix + "large.bin"));

    String declaration =
        "\"aws-chunked\" \"STREAMING-UNSIGNED-PAYLOAD-TRAILER\" \"x-amz-checksum-crc32\" 200";
    assertThat(payloadDeclarations("PUT /data/" + prefix + "small.bin ", 1))
        .singleElement().asString().endsWith(declaration);
    assertThat(payloadDeclarations("PUT /data/" + prefix + "large.bin ", 3))
        .hasSizeGreaterThanOrEqualTo(3).allSatisfy(line -> assertThat(line).endsWith(declaration));

    Path smallCopy = folder.resolve("aws-chunked-small.copy");
    Path largeCopy = folder.resolve("aws-chunked-large.copy");
    succeeded(alice.get("data", prefix + "small.bin", smallCopy));
    succeeded(alice.get("data", prefix + "large.bin", largeCopy));
    assertThat(smallCopy).hasSameBinaryContentAs(small);
    assertThat(largeCopy).hasSameBinaryContentAs(large);
  }

  // ---------------------------------------------------------------- helpers

  /**
   * aws cli v1 talks to nginx's TLS listener, where it sends uploads aws-chunked; the others use
   * plain http, where nothing needs a CA bundle.
   */
  private static S3Program configured(Client client, String user) {
    UserHome home = UserHome.create(newFolder(name(client) + "-" + user), token(user));
    ClientConfigurations http = ClientConfigurations.forGateway(nginx.endpoint());
    return switch (client) {
      case AWS_CLI_V1 -> AwsCli.v1WithWebIdentity(home,
          ClientConfigurations.forGateway(nginx.tlsEndpoint()), nginx.tlsCertificate());
      case AWS_CLI_V2 -> AwsCli.v2WithCredentialProcess(home, http);
      case RCLONE -> Rclone.withCredentialProcess(home, http);
      case S3CMD -> S3cmd.withExportedKeys(home, http);
      case BOTO3 -> Boto3.withWebIdentity(home, http);
    };
  }

  private static String token(String user) {
    String token = gateway.tokenFor(user);
    tokens.add(token);
    return token;
  }

  private static String name(Client client) {
    return client.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  private static String succeeded(Result result) {
    assertThat(result.succeeded()).as("%s", result).isTrue();
    return result.output();
  }

  private static void assertRefused(Result result, String message) {
    assertThat(result.succeeded()).as("%s", result).isFalse();
    assertThat(result.output()).as("%s", result).contains("AccessDenied", message);
  }

  /** The last word of each line, less {@code s3://}: how every client prints a bucket's name. */
  private static List<String> bucketNames(String listing) {
    return listing.lines().filter(line -> !line.isBlank())
        .map(line -> line.strip().split("\\s+"))
        .map(words -> words[words.length - 1].replaceFirst("^s3://", ""))
        .toList();
  }

  /**
   * The payload log's lines that start with {@code start}, once there are {@code atLeast}: nginx
   * writes a line when it has answered, which may be just after the client has exited.
   */
  private static List<String> payloadDeclarations(String start, int atLeast) throws IOException {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
    while (true) {
      List<String> lines = Files.readAllLines(nginx.payloadLog()).stream()
          .filter(line -> line.startsWith(start)).toList();
      if (lines.size() >= atLeast || Instant.now().isAfter(deadline)) {
        return lines;
      }
      sleep(50);
    }
  }

  private static Path newFolder(String prefix) {
    try {
      return Files.createTempDirectory(folder, prefix + "-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path randomFile(String name, int size) throws IOException {
    byte[] content = new byte[size];
    new Random(size).nextBytes(content);
    return Files.write(folder.resolve(name), content);
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
