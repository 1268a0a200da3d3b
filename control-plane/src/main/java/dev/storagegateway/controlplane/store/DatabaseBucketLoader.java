package dev.storagegateway.controlplane.store;

import com.hazelcast.map.MapLoader;
import dev.storagegateway.registry.Bucket;
import java.util.Collection;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Fills the registry map from PostgreSQL when the cluster starts, and loads any single bucket
 * the map does not hold yet. Writes never come through here: the registry commits to the
 * database first and then publishes to the map (see {@code BucketRegistry}).
 */
public final class DatabaseBucketLoader implements MapLoader<String, Bucket> {
  private final Transactions transactions;
  private final BucketStore store;

  public DatabaseBucketLoader(Transactions transactions, BucketStore store) {
    this.transactions = transactions;
    this.store = store;
  }

  @Override
  public Bucket load(String name) {
    return transactions.inTransaction(connection -> store.find(connection, name).orElse(null));
  }

  @Override
  public Map<String, Bucket> loadAll(Collection<String> names) {
    return transactions.inTransaction(connection -> store.findAll(connection, names)).stream()
        .collect(Collectors.toMap(Bucket::name, Function.identity()));
  }

  @Override
  public Iterable<String> loadAllKeys() {
    return transactions.inTransaction(store::names);
  }
}
