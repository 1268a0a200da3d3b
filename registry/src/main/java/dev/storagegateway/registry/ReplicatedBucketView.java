package dev.storagegateway.registry;

import com.hazelcast.core.EntryAdapter;
import com.hazelcast.core.EntryEvent;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.map.MapEvent;
import com.hazelcast.map.listener.EntryLoadedListener;
import com.hazelcast.map.listener.EntryMergedListener;
import dev.storagegateway.registry.signing.RegistryTrust;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
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
 * <p>Only entries the member's {@link RegistryTrust} believes are held (ADR 0014). Each is
 * verified once, as it arrives; a refused one leaves what the view held for its name in place,
 * and a revision older than the highest believed for its name is refused too, even after the
 * name was removed, so that a signed revision from before a suspension cannot come back. What
 * the map holds against the control plane's word (a refused value, an older revision, a removal
 * of any kind, which no control plane makes) is reported to the dispute listener, so that a
 * control plane can put the database's row back.
 *
 * <p>Keys and values are read as {@code Object}: a member that is not a gateway can put anything
 * in the map, and a value of another type must be refused here, not fail a cast.
 */
public final class ReplicatedBucketView implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ReplicatedBucketView.class);
  /** A writer that floods the map with refused values must not flood the log as well. */
  private static final long REFUSAL_LOG_SPACING = TimeUnit.SECONDS.toNanos(10);

  private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();
  /** The highest revision believed per name; kept when the name is removed. */
  private final ConcurrentHashMap<String, Long> highest = new ConcurrentHashMap<>();
  private final IMap<Object, Object> source;
  private final RegistryTrust trust;
  private final Consumer<String> disputes;
  private final UUID listenerId;
  private final List<Runnable> changeListeners = new CopyOnWriteArrayList<>();
  private final List<Consumer<String>> bucketListeners = new CopyOnWriteArrayList<>();
  private final AtomicLong version = new AtomicLong();
  private final AtomicLong refused = new AtomicLong();
  private final AtomicLong nextRefusalLog = new AtomicLong(System.nanoTime());

  private ReplicatedBucketView(HazelcastInstance member, Consumer<String> disputes) {
    this.source = member.getMap(RegistryCluster.BUCKETS_MAP);
    this.trust = RegistryCluster.trust(member);
    this.disputes = disputes;
    this.listenerId = source.addEntryListener(new ChangeListener(), true);
    try {
      copy();
    } catch (RuntimeException | OutOfMemoryError e) {
      source.removeEntryListener(listenerId);
      throw e;
    }
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

  /**
   * Runs {@code listener} with the name of each bucket this view changes, after the change (on
   * Hazelcast's event thread): work about that bucket alone need not look at every bucket.
   */
  public void onBucketChange(Consumer<String> listener) {
    bucketListeners.add(listener);
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
   * Copies the map. Verifying is the bulk of it (about 0.1 ms a bucket), and no lookup is answered
   * before it ends, so it takes every core. Only entries keyed by a name are listed ({@link
   * KeyedByName}): a key no gateway can read would fail the listing itself. Hazelcast's {@code
   * entrySet} stops at the first value it cannot deserialize (a type no gateway writes, or one
   * claiming a size its reader would allocate); then the entries are read one by one and such an
   * entry is refused alone.
   */
  private void copy() {
    try {
      KeyedByName.entriesOf(source).parallelStream()
          .forEach(entry -> apply(entry.getKey(), entry.getValue()));
    } catch (RuntimeException | OutOfMemoryError e) {
      LOG.error("the registry map holds an entry no gateway wrote ({}); reading it entry by"
          + " entry", e.getClass().getSimpleName());
      KeyedByName.namesOf(source).parallelStream().forEach(this::copyOne);
    }
  }

  private void copyOne(Object key) {
    Object value;
    try {
      value = source.get(key);
    } catch (RuntimeException | OutOfMemoryError e) {
      refuse(key, "it cannot be read (" + e.getClass().getSimpleName() + ")");
      return;
    }
    if (value != null) {
      apply(key, value);
    }
  }

  /**
   * The control plane signs each bucket and keys it by its name. An entry under another key did
   * not come from it: held under its name, it would stand in for that bucket where the control
   * plane's publications, which go by key, never reach it.
   */
  private boolean apply(Object key, Object value) {
    if (!(value instanceof SignedBucket signed)) {
      refuse(key, "it is not a registry entry");
      return false;
    }
    if (!signed.isBelievedBy(trust)) {
      refuse(key, "its signature is not one of the registry public keys'");
      return false;
    }
    Optional<Bucket> believed = signed.parse();
    if (believed.isEmpty()) {
      refuse(key, trust.verifiesSignatures()
          ? "it verifies but does not read as a bucket of this version (a newer control plane's?)"
          : "it does not read as a bucket");
      return false;
    }
    Bucket incoming = believed.get();
    if (!incoming.name().equals(key)) {
      refuse(key, "it holds bucket '" + LoggedText.of(incoming.name(), 100)
          + "': the control plane keys each bucket by its name");
      return false;
    }
    AtomicBoolean taken = new AtomicBoolean();
    highest.compute(incoming.name(), (name, seen) -> {
      if (seen != null && incoming.revision() < seen) {
        return seen;
      }
      buckets.put(name, incoming);
      taken.set(true);
      return incoming.revision();
    });
    if (!taken.get()) {
      disputes.accept(incoming.name());
      return false;
    }
    version.incrementAndGet();
    return true;
  }

  private void remove(Object key) {
    if (key instanceof String name) {
      highest.compute(name, (removed, seen) -> {
        buckets.remove(removed);
        return seen;
      });
      version.incrementAndGet();
      disputes.accept(name);
    }
  }

  private void refuse(Object key, String why) {
    long count = refused.incrementAndGet();
    String name = String.valueOf(key);
    if (key instanceof String) {
      disputes.accept(name);
    }
    long now = System.nanoTime();
    long due = nextRefusalLog.get();
    if (now - due >= 0 && nextRefusalLog.compareAndSet(due, now + REFUSAL_LOG_SPACING)) {
      LOG.error("the registry map's entry '{}' is ignored: {}. Something other than a control"
          + " plane wrote the registry cluster's map; this member keeps what it held for that"
          + " name ({} refused since start, at most one logged every 10 s)",
          LoggedText.of(name, 100), why, count);
    }
  }

  private void changed(List<String> names) {
    changeListeners.forEach(Runnable::run);
    names.forEach(name -> bucketListeners.forEach(listener -> listener.accept(name)));
  }

  /**
   * Every event that brings a value (added, updated, loaded, merged after a split brain) is
   * judged as the copy judges it. No control plane removes, evicts or clears (a bucket is
   * suspended, never deleted), and none of these carries a signature: the buckets leave this
   * view, so requests for them fail closed, and the control plane hears of each name to put it
   * back.
   */
  private final class ChangeListener extends EntryAdapter<Object, Object>
      implements EntryLoadedListener<Object, Object>, EntryMergedListener<Object, Object> {

    @Override
    public void entryLoaded(EntryEvent<Object, Object> event) {
      onEntryEvent(event);
    }

    @Override
    public void entryMerged(EntryEvent<Object, Object> event) {
      onEntryEvent(event);
    }

    @Override
    public void onEntryEvent(EntryEvent<Object, Object> event) {
      Object key;
      try {
        key = event.getKey();
      } catch (RuntimeException | OutOfMemoryError e) {
        refuse("(unreadable)", "its key cannot be read (" + e.getClass().getSimpleName() + ")");
        return;
      }
      switch (event.getEventType()) {
        case REMOVED, EVICTED, EXPIRED -> left(key);
        default -> arrived(key, event);
      }
    }

    @Override
    public void onMapEvent(MapEvent event) {
      emptied();
    }

    private void arrived(Object key, EntryEvent<Object, Object> event) {
      Object value;
      try {
        value = event.getValue();
      } catch (RuntimeException | OutOfMemoryError e) {
        refuse(key, "it cannot be read (" + e.getClass().getSimpleName() + ")");
        return;
      }
      if (apply(key, value)) {
        // Taken only under its own name, so the key is that name.
        changed(List.of((String) key));
      }
    }

    private void left(Object key) {
      remove(key);
      changed(key instanceof String name ? List.of(name) : List.of());
    }

    private void emptied() {
      List<String> names = List.copyOf(buckets.keySet());
      names.forEach(ReplicatedBucketView.this::remove);
      changed(names);
    }
  }
}
