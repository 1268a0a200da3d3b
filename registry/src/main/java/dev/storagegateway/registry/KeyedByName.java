package dev.storagegateway.registry;

import com.hazelcast.internal.serialization.impl.SerializationConstants;
import com.hazelcast.map.IMap;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.DataSerializable;
import com.hazelcast.query.Predicate;
import com.hazelcast.query.impl.QueryableEntry;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry map's entries whose key is a bucket name, judged where the entry is held, before
 * the key is sent anywhere. Listing the map reads every key it lists, and a key no gateway can
 * read (which any member of the cluster can put) would fail the listing, and with it the start of
 * every new member. Values are not judged here: a reader refuses them one by one.
 *
 * <p>It reads Hazelcast's internal forms ({@link QueryableEntry}, the String type id), which a
 * Hazelcast upgrade may change: {@code RogueMemberTest} puts such keys.
 */
public final class KeyedByName<K, V> implements Predicate<K, V>, DataSerializable {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(KeyedByName.class);

  /**
   * The map's entries keyed by a name; every entry while a member of an earlier release, which
   * has no {@code KeyedByName}, holds partitions (a rolling update): the query runs in this
   * call, before any value is read, and fails there. Values deserialize as the set is walked.
   */
  public static <K, V> Set<Map.Entry<K, V>> entriesOf(IMap<K, V> map) {
    try {
      return map.entrySet(new KeyedByName<>());
    } catch (RuntimeException e) {
      unfiltered(e);
      return map.entrySet();
    }
  }

  /** The map's names, as {@link #entriesOf} lists its entries. */
  public static <K, V> Set<K> namesOf(IMap<K, V> map) {
    try {
      return map.keySet(new KeyedByName<>());
    } catch (RuntimeException e) {
      unfiltered(e);
      return map.keySet();
    }
  }

  private static void unfiltered(RuntimeException e) {
    LOG.warn("the registry map's names cannot be listed where they are held ({}); listing every"
        + " key (a member of an earlier release?)", e.getClass().getSimpleName());
  }

  @Override
  public boolean apply(Map.Entry<K, V> entry) {
    if (!(entry instanceof QueryableEntry<K, V> stored)
        || stored.getKeyData().getType() != SerializationConstants.CONSTANT_TYPE_STRING) {
      return false;
    }
    // A key can be written as raw bytes claiming to be a String: read it here, where a failure
    // drops the entry, rather than in the listing, where it would fail the whole listing.
    try {
      return stored.getKey() instanceof String;
    } catch (RuntimeException | OutOfMemoryError unreadable) {
      return false;
    }
  }

  @Override
  public void writeData(ObjectDataOutput out) {
    // Nothing to send: the predicate has no state.
  }

  @Override
  public void readData(ObjectDataInput in) {
    // Nothing to read.
  }
}
