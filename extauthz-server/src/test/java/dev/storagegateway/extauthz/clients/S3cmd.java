package dev.storagegateway.extauthz.clients;

import dev.storagegateway.testpeers.CommandLine;
import dev.storagegateway.testpeers.CommandLine.Result;
import dev.storagegateway.testpeers.Peers;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * s3cmd with {@code s3cfg} (no keys in it) and the keys exported by the helper, exactly as the
 * README runs it: {@code eval "$(gen3-gateway-credentials --endpoint ... --env)"}, then
 * {@code s3cmd -c ~/.s3cfg-gen3 ...}. s3cmd has no credential_process, and its own web identity
 * support only knows AWS's STS. Keys written into the configuration file instead are "refreshed"
 * from the EC2 metadata service before every request (s3cmd 2.3), which replaces them on EC2 and
 * stalls elsewhere; keys from the environment are left alone.
 */
final class S3cmd implements S3Program {
  private final CommandLine s3cmd;

  private S3cmd(CommandLine s3cmd) {
    this.s3cmd = s3cmd;
  }

  static S3cmd withExportedKeys(UserHome home, ClientConfigurations configurations) {
    Peers.require(!CommandLine.onPath("s3cmd").isEmpty(), "s3cmd (apt-get install s3cmd)");
    Path config = home.write(".s3cfg-gen3", configurations.s3cfg());
    String likeTheReadme = "eval \"$('" + ClientConfigurations.helper() + "' --endpoint '"
        + configurations.endpoint() + "' --env)\" && exec s3cmd -c '" + config
        + "' --no-progress \"$@\"";
    return new S3cmd(home.commandLine(List.of("sh", "-c", likeTheReadme, "s3cmd"), Map.of()));
  }

  @Override
  public Result listBuckets() {
    return s3cmd.run("ls");
  }

  @Override
  public Result put(Path file, String bucket, String key) {
    return s3cmd.run("put", file.toString(), url(bucket, key));
  }

  /** s3cmd uploads in 15 MB parts above 15 MB by default. */
  @Override
  public Result putInParts(Path file, String bucket, String key) {
    return s3cmd.run("put", "--multipart-chunk-size-mb=5", file.toString(), url(bucket, key));
  }

  @Override
  public Result list(String bucket, String prefix) {
    return s3cmd.run("ls", url(bucket, prefix));
  }

  @Override
  public Result get(String bucket, String key, Path file) {
    return s3cmd.run("get", "--force", url(bucket, key), file.toString());
  }

  @Override
  public Result delete(String bucket, String key) {
    return s3cmd.run("del", url(bucket, key));
  }

  private static String url(String bucket, String key) {
    return "s3://" + bucket + "/" + key;
  }
}
