package dev.storagegateway.registry;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.StreamSerializer;
import java.io.IOException;

/**
 * Hazelcast wire form of a {@link SignedBucket}: its registry JSON and its signature, as bytes.
 * The JSON is the one format of the API, the database cache and the cluster, which keeps
 * mixed-version replicas readable as long as the JSON is. Reading never parses or judges the
 * value (see {@link SignedBucket}).
 */
public final class SignedBucketSerializer implements StreamSerializer<SignedBucket> {
  static final int TYPE_ID = 1002;

  @Override
  public void write(ObjectDataOutput out, SignedBucket bucket) throws IOException {
    out.writeByteArray(bucket.json());
    out.writeByteArray(bucket.signature());
  }

  @Override
  public SignedBucket read(ObjectDataInput in) throws IOException {
    byte[] json = in.readByteArray();
    byte[] signature = in.readByteArray();
    return new SignedBucket(json == null ? new byte[0] : json,
        signature == null ? new byte[0] : signature);
  }

  @Override
  public int getTypeId() {
    return TYPE_ID;
  }
}
