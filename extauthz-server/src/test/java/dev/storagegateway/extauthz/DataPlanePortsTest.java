package dev.storagegateway.extauthz;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.storagegateway.auth.Gen3TokenVerifier;
import dev.storagegateway.auth.LocalTokenIssuer;
import dev.storagegateway.auth.PolicyFileArborist;
import dev.storagegateway.credentials.CredentialsConfig;
import dev.storagegateway.credentials.CredentialsRuntime;
import dev.storagegateway.extauthz.authorize.BucketLookup;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A port the data plane cannot have: the error names it and the options that set it. */
class DataPlanePortsTest {
  @TempDir
  Path secrets;

  @Test
  void aHeldHttpPortIsNamedWithTheOptionsThatSetIt() throws Exception {
    DataPlaneSettings loopback = DataPlaneSettings.loopback();
    LocalTokenIssuer issuer = new LocalTokenIssuer(URI.create("https://fence.example.org/user"));
    PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    try (ServerSocket held = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        CredentialsRuntime credentials = CredentialsRuntime.open(CredentialsConfig.fromOptions(
            "file", null, secrets, Map.of()), meters, loopback.leaseGrace())) {
      InetSocketAddress taken = new InetSocketAddress("127.0.0.1", held.getLocalPort());
      DataPlaneSettings settings = new DataPlaneSettings(loopback.grpcAddress(),
          loopback.grpcTls(), taken, loopback.httpTls(), loopback.httpForwardsTo(),
          loopback.metricsAddress(), loopback.virtualHostDomains(), loopback.arboristActions(),
          loopback.decisionCache(), loopback.grpcThreads(), loopback.httpThreads(),
          loopback.maxRememberedTokens(), loopback.maxPresignedUrlLifetime(),
          loopback.storageAddresses(), loopback.presignedUploadProviders(),
          loopback.indexd());

      assertThatThrownBy(() -> DataPlane.start(settings, BucketLookup.of(Map.of()),
          Gen3TokenVerifier.withKeys(issuer.publicJwks(), issuer.issuer(), null, null),
          PolicyFileArborist.fromYaml("authz: {}"), credentials.provider(), meters, () -> true))
          .isInstanceOf(UncheckedIOException.class)
          .hasMessageStartingWith("cannot listen for HTTP on " + taken
              + " (--http-address, --http-port): ");
    }
  }
}
