package dev.storagegateway.registry;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceAware;
import com.hazelcast.map.EntryProcessor;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.DataSerializable;
import dev.storagegateway.registry.signing.RegistrySigner;
import dev.storagegateway.registry.signing.RegistryTrust;
import java.io.IOException;
import java.util.Map;

/**
 * Puts a committed bucket into the registry map unless the map already holds a newer revision.
 * Two replicas committing revisions 5 and 6 of one bucket may publish them in either order; the
 * map, and every view fed by it, must end on 6. A held value that the member running this
 * (the entry's owner, a control plane) does not believe counts as no value: whatever revision it
 * claims, it is replaced. One it cannot even read (a type no gateway writes) cannot be replaced
 * from here, since Hazelcast reads the old value to set a new one: the caller deletes it first.
 */
public final class PublishIfNewer implements EntryProcessor<String, SignedBucket,
    PublishIfNewer.Outcome>, DataSerializable, HazelcastInstanceAware {
  /** What became of the publication. */
  public enum Outcome {
    PUBLISHED,
    /** The map holds a newer revision, signed by a key this member believes. */
    NEWER_HELD,
    /** The map holds a value this member cannot read; nothing was written. */
    UNREADABLE_HELD
  }

  private SignedBucket bucket;
  private long revision;
  private transient RegistryTrust trust;

  /** For Hazelcast's deserialization only. */
  public PublishIfNewer() {}

  public PublishIfNewer(Bucket committed, RegistrySigner signer) {
    this.bucket = SignedBucket.sign(committed, signer);
    this.revision = committed.revision();
  }

  @Override
  public void setHazelcastInstance(HazelcastInstance member) {
    trust = RegistryCluster.trust(member);
  }

  @Override
  public Outcome process(Map.Entry<String, SignedBucket> entry) {
    // Read as an Object: a member that is not a gateway may have put a value of another type.
    Object current;
    try {
      current = ((Map.Entry<?, ?>) entry).getValue();
    } catch (RuntimeException | OutOfMemoryError e) {
      // OutOfMemoryError: a value of one of Hazelcast's own types claiming a length its reader
      // allocates before it looks (a long[] of 2^31 elements); nothing was allocated.
      return Outcome.UNREADABLE_HELD;
    }
    long held = current instanceof SignedBucket signed
        ? signed.readWith(trust).map(Bucket::revision).orElse(-1L) : -1;
    // Equal revisions are set again: the entry may just have been loaded from the database
    // without an event, and the write must reach the listeners.
    if (revision >= held) {
      entry.setValue(bucket);
      return Outcome.PUBLISHED;
    }
    return Outcome.NEWER_HELD;
  }

  @Override
  public void writeData(ObjectDataOutput out) throws IOException {
    out.writeObject(bucket);
    out.writeLong(revision);
  }

  @Override
  public void readData(ObjectDataInput in) throws IOException {
    bucket = in.readObject();
    revision = in.readLong();
  }
}
