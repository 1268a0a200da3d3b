package dev.storagegateway.extauthz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.storagegateway.auth.Gen3TokenVerifier;
import dev.storagegateway.auth.LocalTokenIssuer;
import dev.storagegateway.auth.PolicyFileArborist;
import dev.storagegateway.credentials.CredentialsConfig;
import dev.storagegateway.credentials.CredentialsRuntime;
import dev.storagegateway.extauthz.authorize.BucketLookup;
import dev.storagegateway.servertls.ServerTls;
import dev.storagegateway.testpeers.SelfSignedCertificate;
import io.envoyproxy.envoy.service.auth.v3.AttributeContext;
import io.envoyproxy.envoy.service.auth.v3.AuthorizationGrpc;
import io.envoyproxy.envoy.service.auth.v3.CheckRequest;
import io.envoyproxy.envoy.service.auth.v3.CheckResponse;
import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ext_authz service over TLS, as an Envoy with a TLS transport socket on its ext_authz
 * cluster reaches it: the answer comes back to a client that trusts the certificate, never to
 * one speaking plaintext; with a client CA only to clients presenting a certificate it signed;
 * and a certificate replaced on disk is served without a restart. The HTTP port (checks, the STS
 * endpoint, presigned URLs) over HTTPS the same way.
 */
class DataPlaneTlsTest {
  @TempDir
  Path folder;

  private static final CheckRequest ANONYMOUS_GET = CheckRequest.newBuilder()
      .setAttributes(AttributeContext.newBuilder()
          .setRequest(AttributeContext.Request.newBuilder()
              .setHttp(AttributeContext.HttpRequest.newBuilder()
                  .setId("tls-test").setMethod("GET").setPath("/absent/key").setHost("s3.test")
                  .setScheme("http").setProtocol("HTTP/1.1")
                  .putHeaders(":authority", "s3.test").putHeaders(":method", "GET")
                  .putHeaders(":path", "/absent/key"))))
      .build();

  @Test
  void answersOnlyOverTls() throws Exception {
    SelfSignedCertificate server = SelfSignedCertificate.forLoopback(folder.resolve("server"));
    ServerTls tls = new ServerTls("--grpc-tls", server.certificate(), server.privateKey(),
        Optional.empty());

    try (RunningPlane plane = RunningPlane.start(folder, tls)) {
      CheckResponse answer = check(plane.port(), trusting(server.certificate()).build());
      assertThat(answer.getDeniedResponse().getBody()).contains("<Code>NoSuchBucket</Code>");

      assertThatThrownBy(() -> check(plane.port(), InsecureChannelCredentials.create()))
          .isInstanceOf(StatusRuntimeException.class);
    }
  }

  @Test
  void withAClientCaAnswersOnlyClientsPresentingACertificateItSigned() throws Exception {
    SelfSignedCertificate server = SelfSignedCertificate.forLoopback(folder.resolve("server"));
    SelfSignedCertificate envoy = SelfSignedCertificate.forLoopback(folder.resolve("envoy"));
    SelfSignedCertificate stranger = SelfSignedCertificate.forLoopback(folder.resolve("other"));
    ServerTls tls = new ServerTls("--grpc-tls", server.certificate(), server.privateKey(),
        Optional.of(envoy.certificate()));

    try (RunningPlane plane = RunningPlane.start(folder, tls)) {
      assertThat(check(plane.port(), trusting(server.certificate())
          .keyManager(envoy.certificate().toFile(), envoy.privateKey().toFile()).build())
          .hasDeniedResponse()).isTrue();

      assertThatThrownBy(() -> check(plane.port(), trusting(server.certificate()).build()))
          .as("no client certificate").isInstanceOf(StatusRuntimeException.class);
      assertThatThrownBy(() -> check(plane.port(), trusting(server.certificate())
          .keyManager(stranger.certificate().toFile(), stranger.privateKey().toFile()).build()))
          .as("a certificate the client CA did not sign")
          .isInstanceOf(StatusRuntimeException.class);
    }
  }

  @Test
  @Timeout(120)
  void aCertificateReplacedOnDiskIsServedOnBothPortsWithoutARestart() throws Exception {
    SelfSignedCertificate first = SelfSignedCertificate.forLoopback(folder.resolve("first"));
    SelfSignedCertificate renewed = SelfSignedCertificate.forLoopback(folder.resolve("renewed"));
    Path certificate = Files.copy(first.certificate(), folder.resolve("tls.crt"));
    Path key = Files.copy(first.privateKey(), folder.resolve("tls.key"));
    DataPlaneSettings settings = DataPlaneSettings.loopback()
        .withGrpcTls(new ServerTls("--grpc-tls", certificate, key, Optional.empty()))
        .withHttpTls(new ServerTls("--http-tls", certificate, key, Optional.empty()));

    try (RunningPlane plane = RunningPlane.start(folder, settings)) {
      URI health = URI.create("https://127.0.0.1:" + plane.httpPort() + "/healthz");
      assertThat(check(plane.port(), trusting(first.certificate()).build())
          .hasDeniedResponse()).isTrue();
      assertThat(get(first.clientContext(null), health).statusCode()).isEqualTo(200);

      replace(key, renewed.privateKey());
      replace(certificate, renewed.certificate());

      // grpc-java's key manager, which the HTTPS port uses too, reads the files again once a
      // minute at the most often.
      long deadline = System.nanoTime() + ServerTls.RELOAD_EVERY.plusSeconds(20).toNanos();
      while (true) {
        try {
          assertThat(check(plane.port(), trusting(renewed.certificate()).build())
              .hasDeniedResponse()).isTrue();
          assertThat(get(renewed.clientContext(null), health).statusCode()).isEqualTo(200);
          break;
        } catch (StatusRuntimeException | IOException stillTheFirst) {
          if (System.nanoTime() > deadline) {
            throw stillTheFirst;
          }
          Thread.sleep(1000);
        }
      }
    }
  }

  @Test
  void aCertificateThatCannotBeReadFailsTheStart() {
    ServerTls tls = new ServerTls("--grpc-tls", folder.resolve("absent.crt"),
        folder.resolve("absent.key"), Optional.empty());

    assertThatThrownBy(() -> RunningPlane.start(folder, tls))
        .hasMessageContaining("cannot read the --grpc-tls file " + folder.resolve("absent.crt"));
  }

  @Test
  void aKeyThatIsNotPkcs8FailsTheStartNamingTheFiles() throws Exception {
    SelfSignedCertificate server = SelfSignedCertificate.forLoopback(folder.resolve("server"));
    Path pkcs1 = Files.writeString(folder.resolve("rsa.key"),
        "-----BEGIN RSA PRIVATE KEY-----\n"
        + "MIIBOgIBAAJBAKj34GkxFhD90vcNLYLInFEX6Ppy1tPf9Cnzj4p4WGeKLs1Pt8Qu\n"
        + "-----END RSA PRIVATE KEY-----\n");
    ServerTls tls = new ServerTls("--grpc-tls", server.certificate(), pkcs1, Optional.empty());

    assertThatThrownBy(() -> RunningPlane.start(folder, tls))
        .hasMessageContaining(pkcs1.toString())
        .hasMessageContaining("PKCS#8 ('BEGIN PRIVATE KEY'");
  }

  @Test
  void aKeyOfAnotherCertificateOrACertificateFileWithoutOneFailsTheStart() throws Exception {
    SelfSignedCertificate server = SelfSignedCertificate.forLoopback(folder.resolve("server"));
    SelfSignedCertificate other = SelfSignedCertificate.forLoopback(folder.resolve("other"));
    Path empty = Files.writeString(folder.resolve("empty.crt"), "");

    assertThatThrownBy(() -> RunningPlane.start(folder, new ServerTls("--grpc-tls",
        server.certificate(), other.privateKey(), Optional.empty())))
        .hasMessageContaining(other.privateKey() + " is not the key of " + server.certificate());
    assertThatThrownBy(() -> RunningPlane.start(folder, DataPlaneSettings.loopback()
        .withHttpTls(new ServerTls("--http-tls", server.certificate(), server.privateKey(),
            Optional.of(empty)))))
        .hasMessageContaining("--http-tls files")
        .hasMessageContaining(empty + " holds no certificate");
    assertThatThrownBy(() -> RunningPlane.start(folder, new ServerTls("--grpc-tls", empty,
        server.privateKey(), Optional.empty())))
        .hasMessageContaining(empty + " holds no certificate");

    SelfSignedCertificate rsa = SelfSignedCertificate.rsaForLoopback(folder.resolve("rsa"));
    assertThatThrownBy(() -> RunningPlane.start(folder, new ServerTls("--grpc-tls",
        server.certificate(), rsa.privateKey(), Optional.empty())))
        .as("an RSA key for an EC certificate")
        .hasMessageContaining(rsa.privateKey() + " is not the key of " + server.certificate());
    try (RunningPlane plane = RunningPlane.start(folder, new ServerTls("--grpc-tls",
        rsa.certificate(), rsa.privateKey(), Optional.empty()))) {
      assertThat(check(plane.port(), trusting(rsa.certificate()).build()).hasDeniedResponse())
          .as("an RSA pair").isTrue();
    }
  }

  @Test
  void theHttpPortAnswersOnlyOverHttpsAndWithAClientCaOnlyCertifiedClients() throws Exception {
    SelfSignedCertificate server = SelfSignedCertificate.forLoopback(folder.resolve("server"));
    SelfSignedCertificate envoy = SelfSignedCertificate.forLoopback(folder.resolve("envoy"));
    SelfSignedCertificate stranger = SelfSignedCertificate.forLoopback(folder.resolve("other"));
    ServerTls tls = new ServerTls("--http-tls", server.certificate(), server.privateKey(),
        Optional.empty());

    try (RunningPlane plane = RunningPlane.start(folder,
        DataPlaneSettings.loopback().withHttpTls(tls))) {
      URI health = URI.create("https://127.0.0.1:" + plane.httpPort() + "/healthz");
      assertThat(get(server.clientContext(null), health).statusCode()).isEqualTo(200);
      assertThatThrownBy(() -> get(null, URI.create("http://127.0.0.1:" + plane.httpPort()
          + "/healthz"))).as("plain HTTP").isInstanceOf(IOException.class)
          .isNotInstanceOf(HttpTimeoutException.class);
      assertThatThrownBy(() -> get(stranger.clientContext(null), health))
          .as("a client that does not trust the certificate").isInstanceOf(IOException.class);
    }

    ServerTls mutual = new ServerTls("--http-tls", server.certificate(), server.privateKey(),
        Optional.of(envoy.certificate()));
    try (RunningPlane plane = RunningPlane.start(folder,
        DataPlaneSettings.loopback().withHttpTls(mutual))) {
      URI health = URI.create("https://127.0.0.1:" + plane.httpPort() + "/healthz");
      assertThat(get(server.clientContext(envoy), health).statusCode()).isEqualTo(200);
      assertThatThrownBy(() -> get(server.clientContext(null), health))
          .as("no client certificate").isInstanceOf(IOException.class);
      assertThatThrownBy(() -> get(server.clientContext(stranger), health))
          .as("a certificate the client CA did not sign").isInstanceOf(IOException.class);
    }
  }

  private static HttpResponse<String> get(SSLContext tls, URI uri)
      throws IOException, InterruptedException {
    HttpClient.Builder client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5));
    if (tls != null) {
      client.sslContext(tls);
    }
    return client.build().send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static void replace(Path target, Path source) throws IOException {
    Path staged = Files.copy(source, target.resolveSibling(target.getFileName() + ".new"));
    Files.move(staged, target, StandardCopyOption.REPLACE_EXISTING,
        StandardCopyOption.ATOMIC_MOVE);
  }

  private static TlsChannelCredentials.Builder trusting(Path certificate) throws IOException {
    return TlsChannelCredentials.newBuilder().trustManager(certificate.toFile());
  }

  private static CheckResponse check(int port, ChannelCredentials credentials)
      throws InterruptedException {
    ManagedChannel channel = Grpc.newChannelBuilderForAddress("127.0.0.1", port, credentials)
        .build();
    try {
      return AuthorizationGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS)
          .check(ANONYMOUS_GET);
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  /** A data plane with no buckets, which answers every Check with a refusal. */
  private record RunningPlane(DataPlane plane, CredentialsRuntime credentials)
      implements AutoCloseable {
    static RunningPlane start(Path folder, ServerTls tls) {
      return start(folder, DataPlaneSettings.loopback().withGrpcTls(tls));
    }

    static RunningPlane start(Path folder, DataPlaneSettings settings) {
      LocalTokenIssuer issuer = new LocalTokenIssuer(URI.create("https://fence.example.org/user"));
      PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      CredentialsRuntime credentials = CredentialsRuntime.open(CredentialsConfig.fromOptions(
          "file", null, folder, Map.of()), meters, settings.leaseGrace());
      try {
        return new RunningPlane(DataPlane.start(settings, BucketLookup.of(Map.of()),
            Gen3TokenVerifier.withKeys(issuer.publicJwks(), issuer.issuer(), null, null),
            PolicyFileArborist.fromYaml("authz: {}"), credentials.provider(), meters,
            () -> true), credentials);
      } catch (RuntimeException e) {
        credentials.close();
        throw e;
      }
    }

    int port() {
      return plane.grpcPort();
    }

    int httpPort() {
      return plane.httpPort();
    }

    @Override
    public void close() throws InterruptedException {
      plane.close();
      credentials.close();
    }
  }
}
