package dev.storagegateway.controlplane.registry;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.storagegateway.registry.AuthMode;
import dev.storagegateway.registry.Bucket;
import dev.storagegateway.registry.Provider;
import dev.storagegateway.registry.RegistryJson;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The one list of server-assigned fields against the published API and the bucket's JSON. */
class ServerAssignedFieldsTest {
  @Test
  void areWhatTheOpenApiBucketAddsToItsInput() throws IOException {
    JsonNode schemas;
    try (InputStream in = getClass().getResourceAsStream("/openapi.yaml")) {
      schemas = new YAMLMapper().readTree(in).path("components").path("schemas");
    }
    JsonNode added = schemas.path("Bucket").path("allOf").get(1);

    assertThat(names(added.path("properties"))).containsExactlyElementsOf(
        ServerAssignedFields.NAMES);
    assertThat(added.path("required")).extracting(JsonNode::asText)
        .containsExactlyElementsOf(ServerAssignedFields.NAMES);
    assertThat(names(schemas.path("BucketInput").path("properties")))
        .doesNotContainAnyElementsOf(ServerAssignedFields.NAMES);
  }

  @Test
  void areNamedAsTheBucketsJsonNamesThem() {
    Instant now = Instant.parse("2030-01-01T00:00:00Z");
    JsonNode json = RegistryJson.mapper().valueToTree(Bucket.builder().id(UUID.randomUUID())
        .name("named").provider(Provider.AWS).authMode(AuthMode.PUBLIC).createdAt(now)
        .updatedAt(now).revision(1).build());

    assertThat(names(json)).containsAll(ServerAssignedFields.NAMES);
  }

  private static List<String> names(JsonNode object) {
    List<String> names = new ArrayList<>();
    object.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
