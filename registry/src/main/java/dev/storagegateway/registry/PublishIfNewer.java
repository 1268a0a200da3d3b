package dev.storagegateway.registry;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.DataSerializable;
import java.io.IOException;
import java.util.Map;

/**
 * Puts a committed bucket into the registry map unless the map already holds a newer revision.
 * Two replicas committing revisions 5 and 6 of one bucket may publish them in either order; the
 * map, and every view fed by it, must end on 6.
 */
public final class PublishIfNewer
    implements EntryProcessor<String, Bucket, Boolean>, DataSerializable {
  private Bucket bucket;

  /** For Hazelcast's deserialization only. */
  public PublishIfNewer() {}

  public PublishIfNewer(Bucket bucket) {
    this.bucket = bucket;
  }

  @Override
  public Boolean process(Map.Entry<String, Bucket> entry) {
    Bucket current = entry.getValue();
    // Equal revisions are set again: the entry may just have been loaded from the database
    // without an event, and the write must reach the listeners.
    if (current == null || bucket.revision() >= current.revision()) {
      entry.setValue(bucket);
      return true;
    }
    return false;
  }

  @Override
  public void writeData(ObjectDataOutput out) throws IOException {
    out.writeObject(bucket);
  }

  @Override
  public void readData(ObjectDataInput in) throws IOException {
    bucket = in.readObject();
  }
}
