package dev.storagegateway.extauthz.clients;

import dev.storagegateway.testpeers.CommandLine;
import dev.storagegateway.testpeers.CommandLine.Result;
import dev.storagegateway.testpeers.Peers;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The aws cli's {@code aws s3} commands. Version 1 is configured with {@code web-identity.env}
 * alone: it reads {@code AWS_ENDPOINT_URL} and trades the token at the gateway's STS endpoint
 * itself. Version 2.9 ignores {@code AWS_ENDPOINT_URL*} and {@code endpoint_url}, so it gets the
 * {@code gen3} profile of {@code aws-config} ({@code credential_process}) and
 * {@code --endpoint-url}.
 */
final class AwsCli implements S3Program {
  private static final Map<Integer, Optional<Path>> BY_MAJOR_VERSION = new ConcurrentHashMap<>();

  private final CommandLine aws;

  private AwsCli(CommandLine aws) {
    this.aws = aws;
  }

  /**
   * @param caBundle the CA of the gateway's https endpoint ({@code AWS_CA_BUNDLE}): over https,
   *     aws cli v1 sends uploads aws-chunked with a checksum trailer
   */
  static AwsCli v1WithWebIdentity(UserHome home, ClientConfigurations configurations,
      Path caBundle) {
    Path executable = installed(1, "aws cli v1 (pip install awscli; 1.29 or later)");
    Map<String, String> environment =
        new HashMap<>(configurations.webIdentityEnvironment(home.path()));
    environment.put("AWS_CA_BUNDLE", caBundle.toString());
    return new AwsCli(home.commandLine(List.of(executable.toString()), environment));
  }

  /** Version 1 with the {@code gen3} profile of {@code aws-config}, as a user of both has it. */
  static AwsCli v1WithCredentialProcess(UserHome home, ClientConfigurations configurations) {
    Path executable = installed(1, "aws cli v1 (pip install awscli; 1.29 or later)");
    home.write(".aws/config", configurations.awsConfig());
    return new AwsCli(home.commandLine(List.of(executable.toString(), "--profile", "gen3"),
        Map.of()));
  }

  static AwsCli v2WithCredentialProcess(UserHome home, ClientConfigurations configurations) {
    Path executable = installed(2, "aws cli v2 (apt-get install awscli)");
    home.write(".aws/config", configurations.awsConfig());
    return new AwsCli(home.commandLine(List.of(executable.toString(), "--profile", "gen3",
        "--endpoint-url", configurations.endpoint().toString()), Map.of()));
  }

  @Override
  public Result listBuckets() {
    return aws.run("s3", "ls");
  }

  @Override
  public Result put(Path file, String bucket, String key) {
    return aws.run("s3", "cp", "--no-progress", file.toString(), url(bucket, key));
  }

  /** {@code aws s3 cp} uploads in 8 MiB parts above 8 MiB by default. */
  @Override
  public Result putInParts(Path file, String bucket, String key) {
    return put(file, bucket, key);
  }

  @Override
  public Result list(String bucket, String prefix) {
    return aws.run("s3", "ls", url(bucket, prefix));
  }

  @Override
  public Result get(String bucket, String key, Path file) {
    return aws.run("s3", "cp", "--no-progress", url(bucket, key), file.toString());
  }

  @Override
  public Result delete(String bucket, String key) {
    return aws.run("s3", "rm", url(bucket, key));
  }

  /** {@code aws s3 presign}: a GET URL, valid for an hour. */
  Result presign(String bucket, String key) {
    return aws.run("s3", "presign", url(bucket, key));
  }

  private static String url(String bucket, String key) {
    return "s3://" + bucket + "/" + key;
  }

  /** The first {@code aws} on PATH of that major version: v1 (pip) and v2 (apt) coexist. */
  private static Path installed(int majorVersion, String missing) {
    Optional<Path> found = BY_MAJOR_VERSION.computeIfAbsent(majorVersion,
        major -> CommandLine.onPath("aws").stream()
            .filter(aws -> version(aws).startsWith("aws-cli/" + major + "."))
            .findFirst());
    Peers.require(found.isPresent(), missing);
    return found.orElseThrow();
  }

  private static String version(Path aws) {
    try {
      Process process = new ProcessBuilder(aws.toString(), "--version")
          .redirectErrorStream(true).start();
      String printed = new String(process.getInputStream().readAllBytes()).strip();
      return process.waitFor() == 0 ? printed : "";
    } catch (Exception e) {
      return "";
    }
  }
}
