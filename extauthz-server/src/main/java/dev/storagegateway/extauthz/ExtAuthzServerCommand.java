package dev.storagegateway.extauthz;

import dev.storagegateway.credentials.CredentialsConfig;
import dev.storagegateway.credentials.CredentialsRuntime;
import dev.storagegateway.registry.ClusterSettings;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Entry point of the data plane. It joins the registry cluster as a lite member and keeps the
 * replicated registry, and opens the credentials layer with the read-only identity of this
 * process, subscribed to the cluster's credential invalidations; the ext_authz Check pipeline
 * is served on top of both.
 */
@Command(name = "extauthz-server", mixinStandardHelpOptions = true,
    description = "The storage gateway's data plane.")
public final class ExtAuthzServerCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--cluster-name", defaultValue = "${env:GATEWAY_CLUSTER_NAME:-storage-gateway}")
  String clusterName;

  @Option(names = "--cluster-address", defaultValue = "${env:GATEWAY_CLUSTER_ADDRESS:-127.0.0.1}")
  String clusterAddress;

  @Option(names = "--cluster-port", defaultValue = "${env:GATEWAY_CLUSTER_PORT:-5701}")
  int clusterPort;

  @Option(names = "--cluster-member", split = ",", defaultValue = "${env:GATEWAY_CLUSTER_MEMBERS}",
      description = "Seed members host[:port] of the registry cluster (the control plane).")
  List<String> clusterMembers = new ArrayList<>();

  @Option(names = "--cluster-kubernetes-service",
      defaultValue = "${env:GATEWAY_CLUSTER_KUBERNETES_SERVICE}")
  String kubernetesService;

  @Option(names = "--data-dir", defaultValue = "${env:GATEWAY_DATA_DIR:-data}",
      description = "Where the embedded default keeps its files; the file secrets backend is"
          + " <data-dir>/secrets unless --secrets-dir says otherwise.")
  Path dataDir;

  @Option(names = "--default-secrets-backend",
      defaultValue = "${env:GATEWAY_DEFAULT_SECRETS_BACKEND:-file}",
      description = "Backend of buckets that name none; must match the control plane's.")
  String defaultSecretsBackend;

  @Option(names = "--secrets-backends", defaultValue = "${env:GATEWAY_SECRETS_BACKENDS}",
      description = "Comma-separated backends to open besides the default one (docs/secrets.md).")
  String secretsBackends;

  @Option(names = "--secrets-dir", defaultValue = "${env:GATEWAY_SECRETS_DIR}")
  Path secretsDir;

  public static void main(String[] args) {
    int exit = new CommandLine(new ExtAuthzServerCommand()).execute(args);
    if (exit != 0) {
      System.exit(exit);
    }
  }

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    ClusterSettings cluster = new ClusterSettings(clusterName, clusterAddress, clusterPort,
        clusterMembers, kubernetesService, true);
    try (CredentialsRuntime credentials = CredentialsRuntime.open(credentialsConfig(),
            new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        DataPlaneRegistry registry = DataPlaneRegistry.join(cluster)) {
      credentials.joinInvalidations(registry.member());
      out.printf("joined registry cluster '%s' as a lite member; %d buckets replicated%n",
          clusterName, registry.size());
      out.flush();
      CountDownLatch stopped = new CountDownLatch(1);
      Runtime.getRuntime().addShutdownHook(new Thread(stopped::countDown, "shutdown"));
      stopped.await();
    }
    return 0;
  }

  private CredentialsConfig credentialsConfig() {
    try {
      return CredentialsConfig.fromOptions(defaultSecretsBackend, secretsBackends,
          secretsDir != null ? secretsDir : dataDir.resolve("secrets"), System.getenv());
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
  }

}
