package dev.storagegateway.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.hazelcast.config.SerializationConfig;
import com.hazelcast.config.SerializerConfig;
import com.hazelcast.internal.serialization.InternalSerializationService;
import com.hazelcast.internal.serialization.impl.DefaultSerializationServiceBuilder;
import dev.storagegateway.registry.signing.RegistryKeys;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class BucketJsonTest {
  private static Bucket sample() {
    Instant at = Instant.parse("2026-11-25T12:00:00.123456Z");
    return Bucket.builder()
        .id(UUID.fromString("7f1c3e9a-1d2b-4c5d-8e9f-0a1b2c3d4e5f"))
        .name("gen3-data")
        .provider(Provider.S3_COMPATIBLE)
        .endpoint("https://s3.example.org")
        .authMode(AuthMode.STATIC)
        .secretsBackend("vault")
        .secretRef("secret/data/gen3/buckets/gen3-data")
        .status(BucketStatus.ACTIVE)
        .labels(Map.of("team", "genomics"))
        .allowedOps(EnumSet.of(Operation.READ, Operation.LIST))
        .prefixBindings(List.of(new PrefixBinding("", "/programs/DEV")))
        .createdAt(at)
        .updatedAt(at)
        .revision(3)
        .build();
  }

  @Test
  void jsonUsesSnakeCaseWireNamesAndRoundTrips() throws Exception {
    Bucket bucket = sample();
    JsonNode json = RegistryJson.mapper().valueToTree(bucket);

    assertThat(json.path("provider").asText()).isEqualTo("s3_compatible");
    assertThat(json.path("auth_mode").asText()).isEqualTo("static");
    assertThat(json.path("allowed_ops").toString()).isEqualTo("[\"read\",\"list\"]");
    assertThat(json.path("prefix_bindings").get(0).path("resource_path").asText())
        .isEqualTo("/programs/DEV");
    assertThat(json.path("created_at").asText()).isEqualTo("2026-11-25T12:00:00.123456Z");
    assertThat(json.has("active")).isFalse();
    assertThat(RegistryJson.mapper().treeToValue(json, Bucket.class)).isEqualTo(bucket);
  }

  @Test
  void absentCollectionsGetDefaults() throws Exception {
    Bucket bucket = RegistryJson.mapper().readValue(
        "{\"name\": \"b\", \"provider\": \"aws\", \"auth_mode\": \"public\"}", Bucket.class);
    assertThat(bucket.allowedOps()).containsExactlyInAnyOrder(Operation.values());
    assertThat(bucket.labels()).isEmpty();
    assertThat(bucket.prefixBindings()).isEmpty();
  }

  @Test
  void unknownFieldsAndValuesAreRefusedByName() {
    assertThatThrownBy(() -> RegistryJson.mapper().readValue("{\"colour\": \"red\"}", Bucket.class))
        .isInstanceOf(UnrecognizedPropertyException.class);
    assertThatThrownBy(
            () -> RegistryJson.mapper().readValue("{\"provider\": \"azure_blob\"}", Bucket.class))
        .isInstanceOf(ValueInstantiationException.class)
        .hasRootCauseMessage("provider 'azure_blob' is not supported yet; "
            + "use one of [aws, gcp, s3_compatible, minio]");
    assertThatThrownBy(
            () -> RegistryJson.mapper().readValue("{\"auth_mode\": \"magic\"}", Bucket.class))
        .hasRootCauseMessage("auth_mode 'magic' is not one of "
            + "[role, static, workload_identity, public]");
  }

  @Test
  void hazelcastWireFormIsTheRegistryJsonAndItsSignature() {
    InternalSerializationService serialization = new DefaultSerializationServiceBuilder()
        .setConfig(new SerializationConfig().addSerializerConfig(
            new SerializerConfig().setTypeClass(SignedBucket.class)
                .setImplementation(new SignedBucketSerializer())))
        .build();
    RegistryKeys keys = RegistryKeys.generate();
    Bucket bucket = sample();
    SignedBucket signed = SignedBucket.sign(bucket, keys.signer());

    SignedBucket copy = serialization.toObject(serialization.toData(signed));

    assertThat(copy).isEqualTo(signed);
    assertThat(copy.readWith(keys.trust())).contains(bucket);
    assertThat(copy.toString()).startsWith("with signature {");
  }
}
