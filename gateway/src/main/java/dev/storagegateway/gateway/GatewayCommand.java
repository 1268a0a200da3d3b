package dev.storagegateway.gateway;

import dev.storagegateway.controlplane.validation.EndpointPolicy;
import dev.storagegateway.controlplane.xds.StorageDns;
import dev.storagegateway.extauthz.HttpForwardsToOption;
import dev.storagegateway.extauthz.PresignedUploadOptions;
import dev.storagegateway.extauthz.check.ProxyForwarding;
import dev.storagegateway.lifecycle.ServerCommandLine;
import dev.storagegateway.lifecycle.ShutdownGate;
import dev.storagegateway.lifecycle.TokenFile;
import dev.storagegateway.registry.Provider;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Runs the whole gateway in one JVM on embedded defaults and prints how to reach it. Production
 * runs the two planes separately ({@code control-plane serve}, {@code extauthz-server}) with real
 * PostgreSQL, Hazelcast discovery, Fence, Arborist and a secrets manager.
 */
@Command(name = "gateway", mixinStandardHelpOptions = true,
    description = "The storage gateway, both planes in one process on embedded defaults.")
public final class GatewayCommand implements Callable<Integer> {
  @Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--data-dir", defaultValue = "${env:GATEWAY_DATA_DIR:-data}",
      description = "PostgreSQL and the file secrets backend live here.")
  Path dataDir;

  @Option(names = "--local-endpoints", defaultValue = "${env:GATEWAY_LOCAL_ENDPOINTS:-true}",
      arity = "1", description = "Accept plain-http bucket endpoints on this machine (a local"
          + " MinIO or S3Proxy); false applies the production rules (https, public addresses).")
  boolean localEndpoints;

  @Option(names = "--port-offset", defaultValue = "${env:GATEWAY_PORT_OFFSET:-0}",
      description = "Added to every port (admin 8080, metrics 8082 and 9003, xDS 18000, gRPC"
          + " 9001, HTTP 9002, registry 5701), to run beside another gateway or a server that"
          + " holds one of them.")
  int portOffset;

  @Mixin
  PresignedUploadOptions presignedUploads = new PresignedUploadOptions();

  @Mixin
  HttpForwardsToOption httpForwardsTo = new HttpForwardsToOption();

  public static void main(String[] args) {
    int exit = ServerCommandLine.of(new GatewayCommand()).execute(args);
    if (exit != 0) {
      System.exit(exit);
    }
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    if (portOffset < 0 || portOffset > EmbeddedGateway.Ports.MAX_OFFSET) {
      throw new ParameterException(spec.commandLine(), "--port-offset takes 0 to "
          + EmbeddedGateway.Ports.MAX_OFFSET + ", not " + portOffset);
    }
    Set<Provider> uploadProviders = presignedUploads.providers();
    Optional<ProxyForwarding> forwarding = httpForwardsTo.forwarding();
    EmbeddedGateway.Ports ports = EmbeddedGateway.Ports.DEFAULTS.shiftedBy(portOffset);
    List<String> taken = ports.taken();
    if (!taken.isEmpty()) {
      // Checked before anything starts, once the options are known good: PostgreSQL and the
      // registry member would otherwise be up before the first port refused, and stopped again.
      spec.commandLine().getErr().printf("cannot start: another process listens on 127.0.0.1"
          + " port %s. Is a gateway running already? Stop it, or run this one beside it with"
          + " --port-offset 100.%n", String.join(", ", taken));
      return 1;
    }
    ShutdownGate shutdown = ShutdownGate.install();
    try (shutdown;
        EmbeddedGateway gateway = EmbeddedGateway.start(dataDir, ports,
        localEndpoints ? EmbeddedGateway.localEndpoints() : EndpointPolicy.strict(),
        StorageDns.CONTROL_PLANE, uploadProviders, forwarding);
        TokenFile adminToken = TokenFile.write(dataDir.resolve("admin-token"),
            gateway.adminToken(Duration.ofHours(12)))) {
      gateway.stopOnMemberLoss(shutdown::stop);
      out.printf("admin API       http://127.0.0.1:%d/admin/buckets%n", gateway.adminPort());
      out.printf("its metrics     http://127.0.0.1:%d/metrics%n",
          gateway.controlPlaneMetricsPort());
      out.printf("xDS (ADS)       127.0.0.1:%d   (envoy/ingress.yaml)%n", gateway.xdsPort());
      out.printf("ext_authz gRPC  127.0.0.1:%d%n", gateway.grpcPort());
      out.printf("HTTP            http://127.0.0.1:%d   (/envoy/..., /nginx/auth, /_s3/...,"
          + " /_sts/, /data/ presigned URLs)%n", gateway.httpPort());
      out.printf("its metrics     http://127.0.0.1:%d/metrics%n", gateway.dataPlaneMetricsPort());
      out.printf("admin token     %s   (readable by you only; valid 12 h or until this"
          + " process stops)%n", adminToken.shellCommand());
      out.flush();
      shutdown.awaitRequest();
    }
    return shutdown.exitCode();
  }

}
