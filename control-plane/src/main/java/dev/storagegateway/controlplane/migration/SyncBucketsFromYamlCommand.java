package dev.storagegateway.controlplane.migration;

import dev.storagegateway.controlplane.migration.PlannedChange.Action;
import dev.storagegateway.registry.Bucket;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code sync-buckets-from-yaml}: registers the buckets of a Fence fence-config.yaml through the
 * admin API. It prints the plan first and can stop there ({@code --dry-run}); it is safe to run
 * again, changing only what fence-config.yaml still says differently.
 */
@Command(
    name = "sync-buckets-from-yaml",
    mixinStandardHelpOptions = true,
    description = {
        "Registers the S3_BUCKETS and GS_BUCKETS of a Fence fence-config.yaml in the gateway's "
            + "bucket registry, through the admin API.",
        "Fence's AWS_CREDENTIALS are never copied: buckets that used them are registered "
            + "suspended, and the plan names the credential to store in the secrets backend "
            + "before resuming each one. Safe to run again.",
        "Exit codes: 0 done, 1 a change or the admin API failed, 2 bad usage or config."})
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
      description = "The gateway's admin API (env GATEWAY_ADMIN_URL; default: ${DEFAULT-VALUE}).")
  private URI adminUrl;

  @Option(names = "--token-file", paramLabel = "FILE",
      description = "A file holding the admin bearer token; else env " + TOKEN_VARIABLE + ".")
  private Path tokenFile;

  @Option(names = "--dry-run", description = "Print the plan and change nothing.")
  private boolean dryRun;

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
    if (!isHttpUrl(adminUrl)) {
      err.println("--admin-url must be an http(s) URL like http://127.0.0.1:8080");
      return BAD_USAGE;
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

    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    AdminApiClient admin = new AdminApiClient(http, adminUrl, token);
    Map<String, Bucket> registry = new LinkedHashMap<>();
    try {
      admin.listBuckets().forEach(bucket -> registry.put(bucket.name(), bucket));
    } catch (AdminApiException | IOException e) {
      err.println("cannot read the registry from " + adminUrl + ": " + describe(e));
      return FAILED;
    }

    SyncPlan plan = SyncPlanner.plan(fence, registry);
    PlanPrinter.print(plan, out);
    if (dryRun) {
      out.println("dry run: nothing was changed");
      return OK;
    }
    return apply(plan, admin, out, err);
  }

  /** Applies every change in order, going on past failures so one run reports all of them. */
  private static int apply(SyncPlan plan, AdminApiClient admin, PrintWriter out, PrintWriter err)
      throws InterruptedException {
    int applied = 0;
    int failed = 0;
    for (PlannedChange change : plan.changes()) {
      if (change.action() != Action.CREATE && change.action() != Action.UPDATE) {
        continue;
      }
      try {
        Bucket result = change.action() == Action.CREATE
            ? admin.create(change.desired())
            : admin.patch(change.bucketName(), change.expectedRevision(), change.patch());
        applied++;
        out.println((change.action() == Action.CREATE ? "created " : "updated ") + result.name()
            + " (revision " + result.revision() + ", " + result.status().wireName() + ")");
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
      return FAILED;
    }
    out.println(applied == 0 ? "nothing to change" : "applied " + applied + " changes");
    return OK;
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

  private static String describe(Exception e) {
    return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
  }
}
