package dev.storagegateway.extauthz.authorize;

import dev.storagegateway.registry.Operation;
import java.util.Objects;

/**
 * The Arborist action each class of operation needs, as Fence asks it: {@code read-storage} for
 * reads and listings, {@code write-storage} for everything that changes objects, both of service
 * {@code fence}.
 */
public record ArboristActions(String service, String readMethod, String writeMethod) {
  public static final ArboristActions FENCE =
      new ArboristActions("fence", "read-storage", "write-storage");

  public ArboristActions {
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(readMethod, "readMethod");
    Objects.requireNonNull(writeMethod, "writeMethod");
  }

  public String methodFor(Operation action) {
    return switch (action) {
      case READ, LIST -> readMethod;
      case WRITE, DELETE, MULTIPART -> writeMethod;
    };
  }
}
