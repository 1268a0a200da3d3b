package dev.storagegateway.extauthz.clients;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storagegateway.testpeers.RepositoryFiles;
import java.io.IOException;
import java.nio.file.Files;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The README shows the client configurations verbatim: the very files {@link UnmodifiedClientsTest}
 * runs the clients with, so what users copy is what was tested.
 */
class ClientConfigurationDocsTest {
  @ParameterizedTest
  @ValueSource(strings = {ClientConfigurations.WEB_IDENTITY_ENV, ClientConfigurations.AWS_CONFIG,
      ClientConfigurations.RCLONE_CONF, ClientConfigurations.S3CFG})
  void theReadmeShowsTheShippedFileVerbatim(String name) throws IOException {
    String readme = Files.readString(RepositoryFiles.find("README.md"));
    assertThat(readme).as("README.md shows " + ClientConfigurations.FOLDER + "/" + name)
        .contains("\n" + ClientConfigurations.shipped(name) + "```\n");
  }
}
