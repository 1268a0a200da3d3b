package dev.storagegateway.controlplane.migration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.storagegateway.registry.Bucket;
import dev.storagegateway.registry.RegistryJson;
import java.util.Objects;
import java.util.function.Function;

/**
 * The bucket fields fence-config.yaml decides. A sync compares and patches only these, so what
 * an operator set afterwards (secret, status, prefix bindings, labels) survives every re-run.
 */
enum MigratedField {
  PROVIDER("provider", Bucket::provider),
  REGION("region", Bucket::region),
  ENDPOINT("endpoint", Bucket::endpoint),
  AUTH_MODE("auth_mode", Bucket::authMode),
  ROLE_ARN("role_arn", Bucket::roleArn),
  REQUESTER_PAYS("requester_pays", Bucket::requesterPays),
  UPLOAD_ALLOWED("upload_allowed", Bucket::uploadAllowed);

  private final String wireName;
  private final Function<Bucket, Object> value;

  MigratedField(String wireName, Function<Bucket, Object> value) {
    this.wireName = wireName;
    this.value = value;
  }

  String wireName() {
    return wireName;
  }

  boolean differs(Bucket current, Bucket desired) {
    return !Objects.equals(value.apply(current), value.apply(desired));
  }

  /** The field's value in the registry's JSON shape; null clears it in a merge patch. */
  JsonNode json(Bucket bucket) {
    Object fieldValue = value.apply(bucket);
    return fieldValue == null
        ? NullNode.getInstance()
        : RegistryJson.mapper().valueToTree(fieldValue);
  }

  String display(Bucket bucket) {
    JsonNode json = json(bucket);
    return json.isNull() ? "(none)" : json.asText();
  }
}
