package dev.storagegateway.extauthz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.storagegateway.extauthz.check.ProxyForwarding;
import dev.storagegateway.registry.Provider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

class ConfigFileDefaultsTest {
  @TempDir
  Path folder;

  private ExtAuthzServerCommand parse(Map<String, String> env, String yaml, String... args)
      throws Exception {
    Path file = Files.writeString(folder.resolve("gateway.yaml"), yaml);
    ExtAuthzServerCommand command = new ExtAuthzServerCommand();
    CommandLine line = new CommandLine(command);
    line.setDefaultValueProvider(ConfigFileDefaults.load(file, env));
    line.parseArgs(args);
    return command;
  }

  @Test
  void theFileFillsOptionsAndListsBecomeCommaSeparated() throws Exception {
    ExtAuthzServerCommand command = parse(Map.of(), """
        grpc-port: 9100
        virtual-host-domain: [s3.example.org, storage.example.org]
        allow-cache-ttl: PT1M
        cluster-member: [registry-0:5701, registry-1:5701]
        default-secrets-backend: vault
        """);
    assertThat(command.grpcPort).isEqualTo(9100);
    assertThat(command.virtualHostDomains).containsExactly("s3.example.org", "storage.example.org");
    assertThat(command.allowCacheTtl).hasSeconds(60);
    assertThat(command.httpPort).isEqualTo(9002);
    assertThat(command.metricsPort).isEqualTo(9003);
    assertThat(command.cluster.settings(true).members())
        .containsExactly("registry-0:5701", "registry-1:5701");
    assertThat(command.secrets.defaultBackend()).isEqualTo("vault");
  }

  @Test
  void sessionOptionsComeFromTheFileAndDefaultToAnHourAndTwelve() throws Exception {
    ExtAuthzServerCommand defaults = parse(Map.of(), "");
    assertThat(defaults.sessionDuration).hasHours(1);
    assertThat(defaults.maxSessionDuration).hasHours(12);
    assertThat(defaults.sessionKeysSecret).isNull();
    ExtAuthzServerCommand command = parse(Map.of(), """
        session-keys-secret: storage-gateway/session-keys
        session-keys-backend: aws-secrets-manager
        session-duration: PT30M
        max-session-duration: PT4H
        """);
    assertThat(command.sessionKeysSecret).isEqualTo("storage-gateway/session-keys");
    assertThat(command.sessionKeysBackend).isEqualTo("aws-secrets-manager");
    assertThat(command.sessionDuration).hasMinutes(30);
    assertThat(command.maxSessionDuration).hasHours(4);
  }

  @Test
  void thePresignedUrlCapDefaultsToFencesHourAndComesFromTheFile() throws Exception {
    assertThat(parse(Map.of(), "").maxPresignedUrlTtl).hasHours(1);
    assertThat(parse(Map.of(), "max-presigned-url-ttl: PT15M\n").maxPresignedUrlTtl)
        .hasMinutes(15);
  }

  @Test
  void uploadUrlsDefaultToAmazonS3AndCloudStorageAndTheFileMayAddProviders() throws Exception {
    assertThat(parse(Map.of(), "").presignedUploads.providers())
        .containsExactlyInAnyOrder(Provider.AWS, Provider.GCP);
    assertThat(parse(Map.of(), "presigned-upload-providers: [aws, minio]\n")
        .presignedUploads.providers()).containsExactlyInAnyOrder(Provider.AWS, Provider.MINIO);
    assertThatThrownBy(() -> parse(Map.of(), "presigned-upload-providers: [aws, azure]\n")
        .presignedUploads.providers())
        .isInstanceOf(ParameterException.class)
        .hasMessageContaining("--presigned-upload-providers", "'azure'", "minio");
  }

  @Test
  void theCommandLineAndTheEnvironmentWinOverTheFile() throws Exception {
    ExtAuthzServerCommand command = parse(Map.of("GATEWAY_HTTP_PORT", "9300"), """
        grpc-port: 9100
        http-port: 9200
        """, "--grpc-port", "9101");
    assertThat(command.grpcPort).isEqualTo(9101);
    // The file yields to a set variable; picocli's own ${env:...} default then reads the real
    // environment, where the test's variable is not set, so the built-in default shows.
    assertThat(command.httpPort).isEqualTo(9002);
  }

  @Test
  void whereTheHttpModesProxiesForwardIsReadAndChecked() throws Exception {
    assertThat(parse(Map.of(), "").httpForwardsTo.forwarding()).isEmpty();
    assertThat(parse(Map.of(), "http-forwards-to: MinIO.storage.svc.:9000\n")
        .httpForwardsTo.forwarding())
        .get().extracting(ProxyForwarding::target).isEqualTo("minio.storage.svc:9000");
    assertThat(parse(Map.of(), "", "--http-forwards-to", "bucket-endpoint")
        .httpForwardsTo.forwarding())
        .get().extracting(ProxyForwarding::target).isEqualTo("bucket-endpoint");
    ExtAuthzServerCommand wrong =
        parse(Map.of(), "", "--http-forwards-to", "http://minio.storage.svc:9000");
    assertThatThrownBy(wrong.httpForwardsTo::forwarding).isInstanceOf(ParameterException.class)
        .hasMessageContaining("--http-forwards-to takes the host and port of the storage")
        .hasMessageEndingWith("not 'http://minio.storage.svc:9000'");
  }

  /** In a pod the file is a mounted ConfigMap, named by the environment. */
  @Test
  void theFileIsNamedByConfigOrElseByGatewayConfig() {
    Map<String, String> environment = Map.of("GATEWAY_CONFIG", "/etc/storage-gateway/dp.yaml");

    assertThat(ExtAuthzServerCommand.configFile(new String[0], environment))
        .isEqualTo(Path.of("/etc/storage-gateway/dp.yaml"));
    assertThat(ExtAuthzServerCommand.configFile(new String[] {"--config", "mine.yaml"},
        environment)).isEqualTo(Path.of("mine.yaml"));
    assertThat(ExtAuthzServerCommand.configFile(new String[] {"--config=mine.yaml"},
        environment)).isEqualTo(Path.of("mine.yaml"));
    assertThat(ExtAuthzServerCommand.configFile(new String[0], Map.of())).isNull();
    assertThat(ExtAuthzServerCommand.configFile(new String[0], Map.of("GATEWAY_CONFIG", "")))
        .isNull();
  }

  /** A key given twice was its last value, without a word; a missing file said only its name. */
  @Test
  void aKeyGivenTwiceAndAFileThatIsNotThereAreNamed() throws Exception {
    Path twice = Files.writeString(folder.resolve("twice.yaml"), "grpc-port: 1\ngrpc-port: 2\n");
    assertThatThrownBy(() -> ConfigFileDefaults.load(twice, Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cannot read config file " + twice)
        .hasMessageContaining("Duplicate field 'grpc-port'");
    Path absent = folder.resolve("absent.yaml");
    assertThatThrownBy(() -> ConfigFileDefaults.load(absent, Map.of()))
        .hasMessage("config file " + absent + " does not exist");
  }

  @Test
  void unknownKeysAndNestedValuesAreNamed() throws Exception {
    Path file = Files.writeString(folder.resolve("bad.yaml"), "grpc-prot: 1\n");
    ConfigFileDefaults defaults = ConfigFileDefaults.load(file, Map.of());
    assertThat(defaults.unknownKeys(new CommandLine(new ExtAuthzServerCommand())
        .getCommandSpec().options())).containsExactly("grpc-prot");
    Path nested = Files.writeString(folder.resolve("nested.yaml"), "grpc-port: {a: 1}\n");
    assertThatThrownBy(() -> ConfigFileDefaults.load(nested, Map.of()))
        .hasMessageContaining("'grpc-port' must be a value");
    Path list = Files.writeString(folder.resolve("list.yaml"), "- a\n");
    assertThatThrownBy(() -> ConfigFileDefaults.load(list, Map.of()))
        .hasMessageContaining("must be a mapping");
  }
}
