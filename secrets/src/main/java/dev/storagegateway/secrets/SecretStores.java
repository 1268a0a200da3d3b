package dev.storagegateway.secrets;

import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/** The backends this process is configured for, one store each. */
public final class SecretStores implements AutoCloseable {
  private final Map<SecretsBackend, SecretStore> stores;

  private SecretStores(Map<SecretsBackend, SecretStore> stores) {
    this.stores = stores;
  }

  public static SecretStores of(SecretStore... stores) {
    Map<SecretsBackend, SecretStore> byBackend = new EnumMap<>(SecretsBackend.class);
    for (SecretStore store : stores) {
      if (byBackend.put(store.backend(), store) != null) {
        throw new IllegalArgumentException("two stores for " + store.backend().wireName());
      }
    }
    return new SecretStores(byBackend);
  }

  /**
   * The store of {@code backend}.
   *
   * @throws SecretsBackendNotConfiguredException when this process is not configured for it
   */
  public SecretStore store(SecretsBackend backend) {
    return find(backend).orElseThrow(() -> new SecretsBackendNotConfiguredException(backend));
  }

  public Optional<SecretStore> find(SecretsBackend backend) {
    return Optional.ofNullable(stores.get(backend));
  }

  @Override
  public void close() {
    stores.values().forEach(store -> {
      if (store instanceof AutoCloseable closeable) {
        try {
          closeable.close();
        } catch (Exception e) {
          throw new IllegalStateException("closing the " + store.backend().wireName()
              + " store failed", e);
        }
      }
    });
  }
}
