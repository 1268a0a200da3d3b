package dev.storagegateway.registry;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.StreamSerializer;
import java.io.IOException;

/**
 * Hazelcast wire form of a {@link Bucket}: its registry JSON. One format for the API, the cache
 * and the cluster keeps mixed-version replicas readable as long as the JSON is.
 */
public final class BucketSerializer implements StreamSerializer<Bucket> {
  static final int TYPE_ID = 1001;

  @Override
  public void write(ObjectDataOutput out, Bucket bucket) throws IOException {
    out.writeByteArray(RegistryJson.mapper().writeValueAsBytes(bucket));
  }

  @Override
  public Bucket read(ObjectDataInput in) throws IOException {
    return RegistryJson.mapper().readValue(in.readByteArray(), Bucket.class);
  }

  @Override
  public int getTypeId() {
    return TYPE_ID;
  }
}
