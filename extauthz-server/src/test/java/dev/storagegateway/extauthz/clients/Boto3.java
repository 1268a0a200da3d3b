package dev.storagegateway.extauthz.clients;

import dev.storagegateway.testpeers.CommandLine;
import dev.storagegateway.testpeers.CommandLine.Result;
import dev.storagegateway.testpeers.Peers;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A boto3 program ({@code clients/boto3_s3.py}, which calls {@code boto3.client("s3")} with no
 * arguments) configured with {@code web-identity.env} alone.
 */
final class Boto3 implements S3Program {
  private static Boolean installed;

  private final CommandLine program;

  private Boto3(CommandLine program) {
    this.program = program;
  }

  static Boto3 withWebIdentity(UserHome home, ClientConfigurations configurations) {
    if (installed == null) {
      installed = home.commandLine(List.of("python3", "-c", "import boto3"), Map.of()).run()
          .succeeded();
    }
    Peers.require(installed, "python3 with boto3 (pip install boto3)");
    return new Boto3(home.commandLine(List.of("python3", script().toString()),
        configurations.webIdentityEnvironment(home.path())));
  }

  @Override
  public Result listBuckets() {
    return program.run("list-buckets");
  }

  @Override
  public Result put(Path file, String bucket, String key) {
    return program.run("put", file.toString(), bucket, key);
  }

  /** upload_file, in 8 MiB parts above 8 MiB. */
  @Override
  public Result putInParts(Path file, String bucket, String key) {
    return program.run("upload", file.toString(), bucket, key);
  }

  @Override
  public Result list(String bucket, String prefix) {
    return program.run("list", bucket, prefix);
  }

  @Override
  public Result get(String bucket, String key, Path file) {
    return program.run("get", bucket, key, file.toString());
  }

  @Override
  public Result delete(String bucket, String key) {
    return program.run("delete", bucket, key);
  }

  private static Path script() {
    try {
      return Path.of(Boto3.class.getResource("/clients/boto3_s3.py").toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
