package dev.storagegateway.controlplane.registry;

import dev.storagegateway.registry.Bucket;

/**
 * Work a creation does inside its transaction, once the bucket's row is in, outside the
 * database (a secret written to its backend); a step that throws fails the creation.
 */
@FunctionalInterface
public interface CreationStep {
  CreationStep NONE = bucket -> Undo.NOTHING;

  /** @return what takes the work back should the creation then fail to commit */
  Undo run(Bucket bucket);
}
