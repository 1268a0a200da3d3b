package dev.storagegateway.registry;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.StreamSerializer;
import java.io.IOException;

/**
 * Hazelcast wire form of a {@link SignedBucket}: its registry JSON and its signature, each as a
 * length and bytes. The JSON is the one format of the API, the database cache and the cluster.
 *
 * <p>Reading never parses, judges or throws: any member can write these bytes, and
 * {@code IMap.entrySet()} stops at the first value whose serializer throws. A length that is
 * negative or beyond {@link #MAX_PART_BYTES} (Hazelcast's own {@code readByteArray} allocates
 * whatever length it is given before it looks at what is left), or a value cut short, reads as
 * an empty entry, which no member believes.
 */
public final class SignedBucketSerializer implements StreamSerializer<SignedBucket> {
  static final int TYPE_ID = 1002;
  /** A registry entry is a few KB; the API refuses bodies far smaller than this. */
  static final int MAX_PART_BYTES = 1 << 20;
  private static final SignedBucket MALFORMED = new SignedBucket(new byte[0], new byte[0]);

  @Override
  public void write(ObjectDataOutput out, SignedBucket bucket) throws IOException {
    out.writeByteArray(bucket.json());
    out.writeByteArray(bucket.signature());
  }

  @Override
  public SignedBucket read(ObjectDataInput in) {
    try {
      byte[] json = readPart(in);
      byte[] signature = readPart(in);
      return json == null || signature == null ? MALFORMED : new SignedBucket(json, signature);
    } catch (IOException | RuntimeException e) {
      return MALFORMED;
    }
  }

  /** One {@code writeByteArray} part, or null when its length cannot be right. */
  private static byte[] readPart(ObjectDataInput in) throws IOException {
    int length = in.readInt();
    if (length < 0 || length > MAX_PART_BYTES) {
      return null;
    }
    byte[] part = new byte[length];
    in.readFully(part);
    return part;
  }

  @Override
  public int getTypeId() {
    return TYPE_ID;
  }
}
