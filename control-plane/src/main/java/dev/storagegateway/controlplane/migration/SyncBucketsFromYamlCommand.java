package dev.storagegateway.controlplane.migration;

import dev.storagegateway.controlplane.migration.PlannedChange.Action;
import dev.storagegateway.registry.Bucket;
import dev.storagegateway.registry.address.IpAddresses;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code sync-buckets-from-yaml}: registers the buckets of a Fence fence-config.yaml through the
 * admin API and moves the {@code AWS_CREDENTIALS} keys they use into the control plane's secrets
 * backend. It prints the plan first and can stop there ({@code --dry-run}); it is safe to run
 * again, changing only what fence-config.yaml still says differently and never writing a secret
 * twice.
 */
@Command(
    name = "sync-buckets-from-yaml",
    mixinStandardHelpOptions = true,
    description = {
        "Registers the S3_BUCKETS and GS_BUCKETS of a Fence fence-config.yaml in the gateway's "
            + "bucket registry, through the admin API.",
        "Keys move from AWS_CREDENTIALS into the control plane's secrets backend: a new bucket "
            + "whose Fence credential is defined is created active, and the control plane writes "
            + "the keys as it creates it (create_secret), under the bucket's default reference. "
            + "Each bucket gets its own secret, also when buckets share a credential: each can "
            + "then be rotated alone, but a shared key that changes must be updated in every "
            + "copy. The gcp-secret-manager and kubernetes backends have no default reference: "
            + "use --no-copy-credentials with them.",
        "A bucket stays suspended, and the plan names the credential to store by hand, when its "
            + "credential is not defined or incomplete, with --no-copy-credentials, and when an "
            + "earlier run registered it without a secret (the admin API writes secrets only when "
            + "it creates a bucket): store the keys in the backend, set secret_ref, then resume.",
        "Keys are never printed: the plan names the credential and at most the last 4 characters "
            + "of its access key id. fence-config.yaml keeps its copy of the keys: remove "
            + "AWS_CREDENTIALS once the buckets validate. Safe to run again.",
        "Exit codes: 0 done, 1 a change, a validation or the admin API failed, "
            + "2 bad usage or config."})
public final class SyncBucketsFromYamlCommand implements Callable<Integer> {
  static final int OK = 0;
  static final int FAILED = 1;
  static final int BAD_USAGE = 2;
  static final String TOKEN_VARIABLE = "GATEWAY_ADMIN_TOKEN";

  @Spec
  private CommandSpec spec;

  @Option(names = "--config", required = true, paramLabel = "FILE",
      description = "The Fence fence-config.yaml to migrate.")
  private Path config;

  @Option(names = "--admin-url", paramLabel = "URL",
      defaultValue = "${env:GATEWAY_ADMIN_URL:-http://127.0.0.1:8080}",
      description = "The gateway's admin API.")
  private URI adminUrl;

  @Option(names = "--allow-plain-http",
      description = "Send the token and the buckets' keys over plain http to a host other than"
          + " this machine (a Service inside the cluster); refused otherwise.")
  private boolean allowPlainHttp;

  @Option(names = "--admin-ca-file", paramLabel = "FILE",
      defaultValue = "${env:GATEWAY_ADMIN_CA_FILE}",
      description = "Trust this CA bundle (PEM) for an https --admin-url, instead of the JVM's"
          + " (env GATEWAY_ADMIN_CA_FILE): the admin API's certificate is usually from a CA of"
          + " the cluster's own.")
  private Path adminCaFile;

  @Option(names = "--token-file", paramLabel = "FILE",
      description = "A file holding the admin bearer token; else env " + TOKEN_VARIABLE + ".")
  private Path tokenFile;

  @Option(names = "--dry-run", description = "Print the plan and change nothing.")
  private boolean dryRun;

  @Option(names = "--no-copy-credentials",
      description = "Copy no keys: register every bucket that uses AWS_CREDENTIALS suspended and "
          + "without a secret, for keys that reach the secrets backend another way.")
  private boolean noCopyCredentials;

  @Option(names = "--validate",
      description = "After the changes, check every bucket whose secret this run wrote (POST "
          + "/admin/buckets/{name}/validate: resolve its keys, then HeadBucket) and print the "
          + "outcome.")
  private boolean validate;

  private final Map<String, String> environment;

  public SyncBucketsFromYamlCommand() {
    this(System.getenv());
  }

  /** Tests pass their own environment rather than depend on the machine's. */
  SyncBucketsFromYamlCommand(Map<String, String> environment) {
    this.environment = environment;
  }

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();

    FenceConfig fence;
    try {
      fence = FenceConfig.read(config);
    } catch (IOException e) {
      err.println("cannot read " + config + ": " + describe(e));
      return BAD_USAGE;
    } catch (IllegalArgumentException e) {
      err.println(config + ": " + e.getMessage());
      return BAD_USAGE;
    }
    if (fence.s3Buckets().isEmpty() && fence.gsBuckets().isEmpty()
        && fence.unreadableBuckets().isEmpty()) {
      // Every bucket an earlier run migrated would be listed as gone, for a file that may be
      // another service's configuration.
      err.println(config + ": names no bucket in S3_BUCKETS or GS_BUCKETS; give the"
          + " fence-config.yaml whose buckets to register");
      return BAD_USAGE;
    }
    if (!isHttpUrl(adminUrl)) {
      err.println("--admin-url must be an http(s) URL like http://127.0.0.1:8080");
      return BAD_USAGE;
    }
    // The admin token goes with every request, and the buckets' keys with create_secret.
    if ("http".equalsIgnoreCase(adminUrl.getScheme())
        && !IpAddresses.isThisMachine(adminUrl.getHost())) {
      if (!allowPlainHttp) {
        err.println("--admin-url " + adminUrl.getHost() + " is plain http to another machine,"
            + " which would carry the admin token and the buckets' keys in the clear: use https,"
            + " a port-forward to 127.0.0.1, or --allow-plain-http on a network you trust");
        return BAD_USAGE;
      }
      err.println("warning: sending the admin token and the buckets' keys over plain http to "
          + adminUrl.getHost());
    }
    String token;
    try {
      token = token();
    } catch (IOException e) {
      err.println("cannot read the token file " + tokenFile + ": " + describe(e));
      return BAD_USAGE;
    }
    if (token == null) {
      err.println("no admin token: pass --token-file FILE or set " + TOKEN_VARIABLE);
      return BAD_USAGE;
    }

    HttpClient.Builder client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10));
    if (adminCaFile != null) {
      try {
        client.sslContext(trusting(adminCaFile));
      } catch (IOException | GeneralSecurityException e) {
        err.println("--admin-ca-file " + adminCaFile + " is not a CA bundle (PEM certificates): "
            + describe(e));
        return BAD_USAGE;
      }
    }
    HttpClient http = client.build();
    AdminApiClient admin = new AdminApiClient(http, adminUrl, token);
    Map<String, Bucket> registry = new LinkedHashMap<>();
    try {
      admin.listBuckets().forEach(bucket -> registry.put(bucket.name(), bucket));
    } catch (AdminApiException | IOException e) {
      err.println("cannot read the registry from " + adminUrl + ": " + describe(e));
      return FAILED;
    }

    SyncPlan plan = SyncPlanner.plan(fence, registry, !noCopyCredentials);
    if (!fence.unreadSettings().isEmpty()) {
      out.println("settings the sync does not read, left out (is one misspelt?): "
          + String.join(", ", fence.unreadSettings()));
    }
    PlanPrinter.print(plan, out);
    if (dryRun) {
      out.println("dry run: nothing was changed");
      return OK;
    }
    Applied applied = apply(plan, fence, admin, out, err);
    boolean healthy = !validate || validate(applied.secretsWritten(), admin, out, err);
    remindOfPlaintextKeys(fence, out);
    if (!fence.unreadableBuckets().isEmpty()) {
      err.println(fence.unreadableBuckets().size() + " bucket entries of " + config + " could"
          + " not be read and were left out: fix them and run again");
    }
    return applied.complete() && healthy && fence.unreadableBuckets().isEmpty() ? OK : FAILED;
  }

  /** Whether every change was made, and the buckets created with their secret. */
  private record Applied(boolean complete, List<String> secretsWritten) {}

  /** Applies every change in order, going on past failures so one run reports all of them. */
  private static Applied apply(SyncPlan plan, FenceConfig fence, AdminApiClient admin,
      PrintWriter out, PrintWriter err) throws InterruptedException {
    int applied = 0;
    int failed = 0;
    List<String> secretsWritten = new ArrayList<>();
    for (PlannedChange change : plan.changes()) {
      if (change.action() != Action.CREATE && change.action() != Action.UPDATE) {
        continue;
      }
      try {
        Bucket result = send(change, fence, admin);
        applied++;
        if (change.secretWrite() != null) {
          secretsWritten.add(result.name());
        }
        out.println((change.action() == Action.CREATE ? "created " : "updated ") + result.name()
            + " (revision " + result.revision() + ", " + result.status().wireName()
            + (change.secretWrite() == null ? "" : ", secret written to " + result.secretRef())
            + ")");
      } catch (AdminApiException | IOException e) {
        failed++;
        err.println("failed to " + PlanPrinter.name(change.action()) + " " + change.bucketName()
            + ": " + describe(e)
            + (e instanceof AdminApiException api && api.status() == 412
                ? " (it changed since it was read; run again to re-plan)"
                : ""));
      }
    }
    if (failed > 0) {
      err.println(failed + " of " + (applied + failed) + " changes failed; "
          + "fix the cause and run again: changes already made are not repeated");
    } else {
      out.println(applied == 0 ? "nothing to change" : "applied " + applied + " changes");
    }
    return new Applied(failed == 0, secretsWritten);
  }

  private static Bucket send(PlannedChange change, FenceConfig fence, AdminApiClient admin)
      throws IOException, InterruptedException {
    if (change.action() == Action.UPDATE) {
      return admin.patch(change.bucketName(), change.expectedRevision(), change.patch());
    }
    if (change.secretWrite() == null) {
      return admin.create(change.desired());
    }
    // The planner plans a write only for a usable credential. Its keys are looked up now, for
    // the one request body that carries them.
    FenceCredential credential =
        fence.credential(change.secretWrite().fenceCredential()).orElseThrow();
    return admin.createWithSecret(change.desired(), credential.keys());
  }

  /** @return whether every bucket whose secret was written is healthy */
  private static boolean validate(List<String> secretsWritten, AdminApiClient admin,
      PrintWriter out, PrintWriter err) throws InterruptedException {
    if (secretsWritten.isEmpty()) {
      out.println("nothing to validate: this run wrote no secrets");
    }
    boolean allHealthy = true;
    for (String name : secretsWritten) {
      try {
        BucketValidation result = admin.validate(name);
        if (result.healthy()) {
          out.println("validated " + name + ": healthy");
        } else {
          allHealthy = false;
          err.println("validated " + name + ": unhealthy, " + result.failure()
              .map(step -> "the " + step.step() + " step failed: " + step.detail())
              .orElse("though no step says why"));
        }
      } catch (AdminApiException | IOException e) {
        allHealthy = false;
        err.println("cannot validate " + name + ": " + describe(e));
      }
    }
    return allHealthy;
  }

  /** The copy leaves the originals behind, and only the operator can take them out of Fence. */
  private void remindOfPlaintextKeys(FenceConfig fence, PrintWriter out) {
    if (fence.awsCredentials().isEmpty()) {
      return;
    }
    out.println("reminder: " + config + " still holds the keys of AWS_CREDENTIALS ("
        + String.join(", ", fence.awsCredentials().keySet()) + ") in plaintext; remove them "
        + "once the buckets validate (POST /admin/buckets/{name}/validate) and Fence no longer "
        + "needs them");
  }

  // Never an option: a token on the command line would show in argv and shell history.
  private String token() throws IOException {
    String token = tokenFile != null
        ? Files.readString(tokenFile)
        : environment.get(TOKEN_VARIABLE);
    return token == null || token.isBlank() ? null : token.strip();
  }

  private static boolean isHttpUrl(URI url) {
    return url.getHost() != null
        && ("http".equalsIgnoreCase(url.getScheme()) || "https".equalsIgnoreCase(url.getScheme()));
  }

  /** TLS that trusts the certificates in {@code bundle} and nothing else. */
  private static SSLContext trusting(Path bundle) throws IOException, GeneralSecurityException {
    KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
    trusted.load(null, null);
    try (InputStream in = Files.newInputStream(bundle)) {
      int index = 0;
      for (Certificate certificate : CertificateFactory.getInstance("X.509")
          .generateCertificates(in)) {
        trusted.setCertificateEntry("ca-" + index++, certificate);
      }
      if (index == 0) {
        throw new CertificateException("it holds no certificate");
      }
    }
    TrustManagerFactory trust =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(trusted);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, trust.getTrustManagers(), null);
    return context;
  }

  private static String describe(Exception e) {
    return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
  }
}
