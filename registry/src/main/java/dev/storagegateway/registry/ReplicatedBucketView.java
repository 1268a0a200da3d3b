package dev.storagegateway.registry;

import com.hazelcast.core.EntryEvent;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryLoadedListener;
import com.hazelcast.map.listener.EntryRemovedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import dev.storagegateway.registry.signing.RegistryTrust;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole registry held in this process and kept current by the cluster's change events, so a
 * lookup by bucket name is a local hash-map read with no network I/O.
 *
 * <p>Hazelcast's own near cache would fit too, but it fills on first read and is invalidated,
 * not updated, by a change: the first request after every change would go to the network. This
 * view is pushed the new value instead. Events for one key arrive in order; the revision check
 * also guards the start, when the initial copy and early events overlap.
 *
 * <p>Only entries the member's {@link RegistryTrust} believes are held. Each is verified once,
 * as it arrives; a refused one leaves what the view held for its name in place. What the map
 * holds against the control plane's word (a refused value, an older revision than the view's,
 * a removal, which no control plane makes) is reported to the dispute listener, so that a
 * control plane can put the database's row back.
 */
public final class ReplicatedBucketView implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ReplicatedBucketView.class);
  /** A writer that floods the map with refused values must not flood the log as well. */
  private static final long REFUSAL_LOG_SPACING = TimeUnit.SECONDS.toNanos(10);

  private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();
  private final IMap<String, SignedBucket> source;
  private final RegistryTrust trust;
  private final Consumer<String> disputes;
  private final UUID listenerId;
  private final List<Runnable> changeListeners = new CopyOnWriteArrayList<>();
  private final AtomicLong version = new AtomicLong();
  private final AtomicLong refused = new AtomicLong();
  private final AtomicLong nextRefusalLog = new AtomicLong(System.nanoTime());

  private ReplicatedBucketView(HazelcastInstance member, Consumer<String> disputes) {
    this.source = RegistryCluster.buckets(member);
    this.trust = RegistryCluster.trust(member);
    this.disputes = disputes;
    this.listenerId = source.addEntryListener(new ChangeListener(), true);
    // Verifying is the bulk of the copy (about 0.1 ms a bucket), and no lookup is answered
    // before it ends, so it takes every core.
    source.entrySet().parallelStream().forEach(entry -> apply(entry.getKey(), entry.getValue()));
  }

  /** Subscribes first, then copies, so no change made in between is lost. */
  public static ReplicatedBucketView of(HazelcastInstance member) {
    return new ReplicatedBucketView(member, name -> { });
  }

  /**
   * As {@link #of(HazelcastInstance)}, telling {@code disputes} (on Hazelcast's event thread, or
   * during this call for the initial copy) each name whose map entry stands against what the view
   * believes.
   */
  public static ReplicatedBucketView of(HazelcastInstance member, Consumer<String> disputes) {
    return new ReplicatedBucketView(member, disputes);
  }

  public Optional<Bucket> find(String name) {
    return Optional.ofNullable(buckets.get(name));
  }

  public Collection<Bucket> all() {
    return Collections.unmodifiableCollection(buckets.values());
  }

  /** Runs {@code listener} after every change this view applies (on Hazelcast's event thread). */
  public void onChange(Runnable listener) {
    changeListeners.add(listener);
  }

  public int size() {
    return buckets.size();
  }

  /**
   * A number that grows with every change this view applies, read before {@link #all()} so that
   * what is derived from the registry can be kept until it changes.
   */
  public long version() {
    return version.get();
  }

  /** How many map values this view has refused since it started. */
  public long refusedEntries() {
    return refused.get();
  }

  @Override
  public void close() {
    source.removeEntryListener(listenerId);
  }

  /**
   * The control plane signs each bucket and keys it by its name. An entry under another key did
   * not come from it: held under its name, it would stand in for that bucket where the control
   * plane's publications, which go by key, never reach it.
   */
  private boolean apply(String key, SignedBucket value) {
    Optional<Bucket> believed = value.readWith(trust);
    if (believed.isEmpty()) {
      refuse(key, trust.verifiesSignatures()
          ? "its signature is not one of the registry public keys', or it is not a bucket"
          : "it is not a bucket");
      return false;
    }
    Bucket incoming = believed.get();
    if (!key.equals(incoming.name())) {
      refuse(key, "it holds bucket '" + LoggedText.of(incoming.name(), 100)
          + "': the control plane keys each bucket by its name");
      return false;
    }
    Bucket held = buckets.merge(incoming.name(), incoming,
        (current, offered) -> offered.revision() >= current.revision() ? offered : current);
    version.incrementAndGet();
    if (held != incoming) {
      disputes.accept(key);
    }
    return true;
  }

  private void refuse(String key, String why) {
    long count = refused.incrementAndGet();
    disputes.accept(key);
    long now = System.nanoTime();
    long due = nextRefusalLog.get();
    if (now - due >= 0 && nextRefusalLog.compareAndSet(due, now + REFUSAL_LOG_SPACING)) {
      LOG.error("the registry map's entry '{}' is ignored: {}. Something other than a control"
          + " plane wrote the registry cluster's map; this member keeps what it held for that"
          + " name ({} refused since start, at most one logged every 10 s)",
          LoggedText.of(key, 100), why, count);
    }
  }

  private final class ChangeListener implements EntryAddedListener<String, SignedBucket>,
      EntryUpdatedListener<String, SignedBucket>, EntryLoadedListener<String, SignedBucket>,
      EntryRemovedListener<String, SignedBucket> {

    @Override
    public void entryAdded(EntryEvent<String, SignedBucket> event) {
      changed(apply(event.getKey(), event.getValue()));
    }

    @Override
    public void entryUpdated(EntryEvent<String, SignedBucket> event) {
      changed(apply(event.getKey(), event.getValue()));
    }

    @Override
    public void entryLoaded(EntryEvent<String, SignedBucket> event) {
      changed(apply(event.getKey(), event.getValue()));
    }

    /**
     * No control plane removes an entry (a bucket is suspended, never deleted), and a removal
     * carries no signature: the bucket leaves this view, so requests for it fail closed, and the
     * control plane hears of it to put it back.
     */
    @Override
    public void entryRemoved(EntryEvent<String, SignedBucket> event) {
      buckets.remove(event.getKey());
      version.incrementAndGet();
      disputes.accept(event.getKey());
      changed(true);
    }

    private void changed(boolean applied) {
      if (applied) {
        changeListeners.forEach(Runnable::run);
      }
    }
  }
}
