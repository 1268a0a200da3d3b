package dev.storagegateway.controlplane.credentials;

import dev.storagegateway.controlplane.registry.Undo;
import dev.storagegateway.secrets.SecretStore;
import dev.storagegateway.secrets.SecretsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A secret that {@code create_secret} wrote for a bucket, deleted should the bucket's row then
 * fail to commit: no bucket would name it, and the keys would stay in the backend unseen. Its
 * log lines name the backend and the reference, never the value.
 */
final class CreatedSecret implements Undo {
  private static final Logger LOG = LoggerFactory.getLogger(CreatedSecret.class);

  private final SecretStore store;
  private final String reference;
  private final String bucket;

  CreatedSecret(SecretStore store, String reference, String bucket) {
    this.store = store;
    this.reference = reference;
    this.bucket = bucket;
  }

  @Override
  public void run() {
    try {
      store.delete(reference);
      LOG.info("deleted secret '{}' in {}: bucket '{}', which it was written for, failed to"
          + " register", reference, store.backend().wireName(), bucket);
    } catch (RuntimeException e) {
      // A backend's own exceptions never carry a value; of others only the type is shown.
      LOG.warn("secret '{}' in {} was written for bucket '{}', which failed to register, and"
          + " could not be deleted ({}): delete it in the backend", reference,
          store.backend().wireName(), bucket, e instanceof SecretsException
              ? e.getMessage() : e.getClass().getSimpleName());
    }
  }

  @Override
  public void leave(String why) {
    LOG.warn("secret '{}' in {} was written for bucket '{}', whose registration failed, and is"
        + " left in place: {}. Unless a bucket's secret_ref names it, delete it in the backend",
        reference, store.backend().wireName(), bucket, why);
  }
}
