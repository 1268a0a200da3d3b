package dev.storagegateway.extauthz.clients;

import dev.storagegateway.testpeers.CommandLine;
import dev.storagegateway.testpeers.CommandLine.Result;
import dev.storagegateway.testpeers.Peers;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * rclone with the {@code gen3} remote of {@code rclone.conf}: {@code env_auth} and
 * {@code profile = gen3} make its AWS SDK (Go, v1) run the {@code credential_process} of that
 * profile in {@code ~/.aws/config}. That SDK has no STS endpoint override, so web identity
 * variables would send the token to AWS's own STS: the profile is the way.
 */
final class Rclone implements S3Program {
  private final CommandLine rclone;

  private Rclone(CommandLine rclone) {
    this.rclone = rclone;
  }

  static Rclone withCredentialProcess(UserHome home, ClientConfigurations configurations) {
    Peers.require(!CommandLine.onPath("rclone").isEmpty(), "rclone (apt-get install rclone)");
    home.write(".aws/config", configurations.awsConfig());
    home.write(".config/rclone/rclone.conf", configurations.rcloneConf());
    // A refusal is final: without these, rclone would try each command three times over.
    return new Rclone(home.commandLine(
        List.of("rclone", "--retries", "1", "--low-level-retries", "1"), Map.of()));
  }

  @Override
  public Result listBuckets() {
    return rclone.run("lsd", "gen3:");
  }

  @Override
  public Result put(Path file, String bucket, String key) {
    return rclone.run("copyto", file.toString(), remote(bucket, key));
  }

  /** rclone uploads in parts only above 200 MiB by default. */
  @Override
  public Result putInParts(Path file, String bucket, String key) {
    return rclone.run("copyto", "--s3-upload-cutoff", "5M", "--s3-chunk-size", "5M",
        file.toString(), remote(bucket, key));
  }

  @Override
  public Result list(String bucket, String prefix) {
    return rclone.run("ls", remote(bucket, prefix));
  }

  @Override
  public Result get(String bucket, String key, Path file) {
    return rclone.run("copyto", remote(bucket, key), file.toString());
  }

  @Override
  public Result delete(String bucket, String key) {
    return rclone.run("deletefile", remote(bucket, key));
  }

  private static String remote(String bucket, String key) {
    return "gen3:" + bucket + "/" + key;
  }
}
