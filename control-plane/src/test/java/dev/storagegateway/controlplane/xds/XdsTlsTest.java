package dev.storagegateway.controlplane.xds;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.core.HazelcastInstance;
import dev.storagegateway.controlplane.validation.BucketValidator;
import dev.storagegateway.controlplane.validation.EndpointPolicy;
import dev.storagegateway.registry.ClusterSettings;
import dev.storagegateway.registry.RegistryCluster;
import dev.storagegateway.registry.ReplicatedBucketView;
import dev.storagegateway.registry.signing.RegistryTrust;
import dev.storagegateway.servertls.ServerTls;
import dev.storagegateway.testpeers.SelfSignedCertificate;
import io.grpc.InsecureChannelCredentials;
import io.grpc.TlsChannelCredentials;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * xDS over TLS, as an Envoy whose xds_cluster has a TLS transport socket reaches it: the
 * configuration goes to a client that trusts the certificate, never to one speaking plaintext;
 * with a client CA only to clients presenting a certificate it signed. (Reloading renewed files
 * is the shared {@link ServerTls}'s, tested with the data plane.)
 */
class XdsTlsTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  @TempDir
  Path folder;
  private HazelcastInstance member;
  private ReplicatedBucketView view;

  @BeforeEach
  void startRegistry() throws IOException {
    member = RegistryCluster.start(new ClusterSettings("xds-tls-" + UUID.randomUUID(),
        "127.0.0.1", freePort(), List.of(), null, false), null, RegistryTrust.unverified());
    view = ReplicatedBucketView.of(member);
  }

  @AfterEach
  void stopRegistry() {
    view.close();
    member.shutdown();
  }

  private XdsServer start(ServerTls tls) {
    return XdsServer.start(XdsSettings.defaults(new InetSocketAddress("127.0.0.1", 0), null)
            .withStorageDns(StorageDns.ENVOY, XdsSettings.DEFAULT_STORAGE_DNS_REFRESH)
            .withTls(tls), view,
        new BucketValidator(EndpointPolicy.strict(), "file"), new SimpleMeterRegistry());
  }

  @Test
  void servesOnlyOverTls() throws Exception {
    SelfSignedCertificate server = SelfSignedCertificate.forLoopback(folder.resolve("server"));

    try (XdsServer xds = start(new ServerTls("--xds-tls", server.certificate(),
            server.privateKey(), Optional.empty()));
        EnvoyAdsClient plaintext = new EnvoyAdsClient("plain-1", "ingress")
            .connect(xds.port(), InsecureChannelCredentials.create());
        EnvoyAdsClient envoy = new EnvoyAdsClient("tls-1", "ingress")
            .connect(xds.port(), TlsChannelCredentials.newBuilder()
                .trustManager(server.certificate().toFile()).build())) {
      envoy.await(client -> !client.listeners().isEmpty(), WAIT);
      plaintext.await(EnvoyAdsClient::failed, WAIT);
      assertThat(plaintext.received()).isEmpty();
    }
  }

  @Test
  void withAClientCaServesOnlyEnvoysPresentingACertificateItSigned() throws Exception {
    SelfSignedCertificate server = SelfSignedCertificate.forLoopback(folder.resolve("server"));
    SelfSignedCertificate envoyIdentity =
        SelfSignedCertificate.forLoopback(folder.resolve("envoy"));
    SelfSignedCertificate stranger = SelfSignedCertificate.forLoopback(folder.resolve("other"));

    try (XdsServer xds = start(new ServerTls("--xds-tls", server.certificate(),
            server.privateKey(), Optional.of(envoyIdentity.certificate())));
        EnvoyAdsClient anonymous = new EnvoyAdsClient("anonymous-1", "ingress")
            .connect(xds.port(), TlsChannelCredentials.newBuilder()
                .trustManager(server.certificate().toFile()).build());
        EnvoyAdsClient other = new EnvoyAdsClient("stranger-1", "ingress")
            .connect(xds.port(), TlsChannelCredentials.newBuilder()
                .trustManager(server.certificate().toFile())
                .keyManager(stranger.certificate().toFile(), stranger.privateKey().toFile())
                .build());
        EnvoyAdsClient envoy = new EnvoyAdsClient("envoy-1", "ingress")
            .connect(xds.port(), TlsChannelCredentials.newBuilder()
                .trustManager(server.certificate().toFile())
                .keyManager(envoyIdentity.certificate().toFile(),
                    envoyIdentity.privateKey().toFile())
                .build())) {
      envoy.await(client -> !client.listeners().isEmpty(), WAIT);
      anonymous.await(EnvoyAdsClient::failed, WAIT);
      other.await(EnvoyAdsClient::failed, WAIT);
      assertThat(anonymous.received()).isEmpty();
      assertThat(other.received()).isEmpty();
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
