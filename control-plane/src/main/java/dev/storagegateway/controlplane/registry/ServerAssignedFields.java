package dev.storagegateway.controlplane.registry;

import java.util.List;

/**
 * The bucket fields the registry assigns ({@link BucketRegistry}), by their JSON names: a
 * creation body may not set them and a change cannot alter them. openapi.yaml's {@code Bucket}
 * is {@code BucketInput} with exactly these added.
 */
public final class ServerAssignedFields {
  public static final List<String> NAMES = List.of("id", "created_at", "updated_at", "revision");

  private ServerAssignedFields() {
  }
}
