package dev.storagegateway.controlplane.store;

import com.hazelcast.map.MapLoader;
import dev.storagegateway.registry.Bucket;
import dev.storagegateway.registry.SignedBucket;
import dev.storagegateway.registry.signing.RegistrySigner;
import java.util.Collection;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Fills the registry map from PostgreSQL when the cluster starts, and loads any single bucket
 * the map does not hold yet, each signed as the registry publishes it. Writes never come through
 * here: the registry commits to the database first and then publishes to the map (see
 * {@code BucketRegistry}).
 */
public final class DatabaseBucketLoader implements MapLoader<String, SignedBucket> {
  private final Transactions transactions;
  private final BucketStore store;
  private final RegistrySigner signer;

  public DatabaseBucketLoader(Transactions transactions, BucketStore store,
      RegistrySigner signer) {
    this.transactions = transactions;
    this.store = store;
    this.signer = signer;
  }

  @Override
  public SignedBucket load(String name) {
    return transactions.inTransaction(connection -> store.find(connection, name))
        .map(bucket -> SignedBucket.sign(bucket, signer))
        .orElse(null);
  }

  @Override
  public Map<String, SignedBucket> loadAll(Collection<String> names) {
    return transactions.inTransaction(connection -> store.findAll(connection, names)).stream()
        .collect(Collectors.toMap(Bucket::name, bucket -> SignedBucket.sign(bucket, signer)));
  }

  @Override
  public Iterable<String> loadAllKeys() {
    return transactions.inTransaction(store::names);
  }
}
