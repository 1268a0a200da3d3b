package dev.storagegateway.registry;

import com.hazelcast.internal.serialization.impl.SerializationConstants;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.DataSerializable;
import com.hazelcast.query.Predicate;
import com.hazelcast.query.impl.QueryableEntry;
import java.util.Map;

/**
 * The registry map's entries whose key is a bucket name, judged on the key's serialized form on
 * the members that hold it, before anything is deserialized. Listing the map reads every key, and
 * a key of a type no gateway knows (which any member of the cluster can put) would fail the
 * listing, and with it the start of every new member; filtered this way, such keys are never
 * sent. Values are not judged here: a reader refuses them one by one.
 */
public final class KeyedByName<K, V> implements Predicate<K, V>, DataSerializable {
  private static final long serialVersionUID = 1L;

  @Override
  public boolean apply(Map.Entry<K, V> entry) {
    if (entry instanceof QueryableEntry<K, V> stored) {
      return stored.getKeyData().getType() == SerializationConstants.CONSTANT_TYPE_STRING;
    }
    return entry.getKey() instanceof String;
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
