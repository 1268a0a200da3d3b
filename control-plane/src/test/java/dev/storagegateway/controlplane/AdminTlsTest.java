package dev.storagegateway.controlplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.storagegateway.controlplane.admin.AdminListener;
import dev.storagegateway.servertls.ServerTls;
import dev.storagegateway.testpeers.SelfSignedCertificate;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The admin API over HTTPS ({@code --admin-tls-cert}): administrators' tokens, and the keys
 * {@code create_secret} carries, reach it only inside TLS; it asks no client certificate, since
 * callers are identified by their tokens.
 */
class AdminTlsTest {
  @TempDir
  Path folder;

  @Test
  void answersOverHttpsOnlyAndAsksNoClientCertificate() throws Exception {
    SelfSignedCertificate certificate = SelfSignedCertificate.forLoopback(folder.resolve("tls"));
    SelfSignedCertificate other = SelfSignedCertificate.forLoopback(folder.resolve("other"));
    AdminListener listener = new AdminListener(new InetSocketAddress("127.0.0.1", 0),
        Optional.of(new ServerTls("--admin-tls", certificate.certificate(),
            certificate.privateKey(), Optional.empty())));

    try (TestRegistryCluster cluster = new TestRegistryCluster(folder.resolve("pg"), 0)) {
      ControlPlane replica = cluster.startReplica(listener);
      String token = cluster.token("admin");
      URI buckets = URI.create("https://127.0.0.1:" + replica.adminPort() + "/admin/buckets");

      HttpResponse<String> listed = get(certificate.clientContext(null), buckets, token);
      assertThat(listed.statusCode()).isEqualTo(200);
      assertThat(listed.body()).contains("\"buckets\"");
      assertThatThrownBy(() -> get(null, URI.create("http://127.0.0.1:" + replica.adminPort()
          + "/admin/buckets"), token)).as("plain HTTP").isInstanceOf(IOException.class)
          .isNotInstanceOf(HttpTimeoutException.class);
      assertThatThrownBy(() -> get(other.clientContext(null), buckets, token))
          .as("a client that does not trust the certificate").isInstanceOf(IOException.class);
    }
  }

  @Test
  void refusesAClientCaItWouldNotUse() {
    Path file = folder.resolve("x.pem");
    assertThatThrownBy(() -> new AdminListener(new InetSocketAddress("127.0.0.1", 0),
        Optional.of(new ServerTls("--admin-tls", file, file, Optional.of(file)))))
        .hasMessageContaining("asks no client certificates");
  }

  private static HttpResponse<String> get(SSLContext tls, URI uri, String token)
      throws IOException, InterruptedException {
    HttpClient.Builder client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5));
    if (tls != null) {
      client.sslContext(tls);
    }
    return client.build().send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
            .header("Authorization", "Bearer " + token).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
