package dev.storagegateway.controlplane.migration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storagegateway.controlplane.TestRegistryCluster;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** sync-buckets-from-yaml against a real control-plane replica, PostgreSQL and Hazelcast. */
class SyncAgainstTheAdminServerTest {
  @TempDir
  Path directory;

  @Test
  void migratesARealFenceConfigIdempotentlyWithoutCopyingSecrets() throws Exception {
    try (TestRegistryCluster cluster = new TestRegistryCluster(directory.resolve("pg"), 1)) {
      Path token = Files.writeString(directory.resolve("token"), cluster.token("admin"));
      String[] args = {"--config", FenceFixtures.fenceConfig().toString(),
          "--admin-url", cluster.adminUrl(0).toString(), "--token-file", token.toString()};

      String dryRun = run(args, "--dry-run");
      assertThat(cluster.count("buckets")).isZero();
      assertThat(dryRun).contains("to create");

      String first = run(args);
      long created = cluster.count("buckets");
      assertThat(created).isPositive();
      assertThat(first).contains("need a secret");

      String second = run(args);
      assertThat(cluster.count("buckets")).isEqualTo(created);
      assertThat(second).contains("0 to create, 0 to update");

      String everything = dryRun + first + second + cluster.dumpAllRows();
      FenceFixtures.assertNoSecretIn(everything);
    }
  }

  private static String run(String[] args, String... extra) {
    StringWriter out = new StringWriter();
    CommandLine command = new CommandLine(new SyncBucketsFromYamlCommand(Map.of()));
    command.setOut(new PrintWriter(out, true));
    command.setErr(new PrintWriter(out, true));
    String[] all = new String[args.length + extra.length];
    System.arraycopy(args, 0, all, 0, args.length);
    System.arraycopy(extra, 0, all, args.length, extra.length);
    int exit = command.execute(all);
    assertThat(exit).as(out.toString()).isZero();
    return out.toString();
  }
}
