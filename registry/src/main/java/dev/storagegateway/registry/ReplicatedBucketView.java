package dev.storagegateway.registry;

import com.hazelcast.core.EntryEvent;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryLoadedListener;
import com.hazelcast.map.listener.EntryRemovedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
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
 */
public final class ReplicatedBucketView implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ReplicatedBucketView.class);
  private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();
  private final IMap<String, Bucket> source;
  private final UUID listenerId;
  private final List<Runnable> changeListeners = new CopyOnWriteArrayList<>();
  private final AtomicLong version = new AtomicLong();

  private ReplicatedBucketView(IMap<String, Bucket> source) {
    this.source = source;
    this.listenerId = source.addEntryListener(new ChangeListener(), true);
    source.entrySet().forEach(entry -> apply(entry.getKey(), entry.getValue()));
  }

  /** Subscribes first, then copies, so no change made in between is lost. */
  public static ReplicatedBucketView of(IMap<String, Bucket> source) {
    return new ReplicatedBucketView(source);
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

  @Override
  public void close() {
    source.removeEntryListener(listenerId);
  }

  /**
   * The control plane keys every bucket by its name. An entry under another key did not come
   * from it: held under its name, it would stand in for that bucket where the control plane's
   * publications and removals, which go by key, never reach it.
   */
  private void apply(String key, Bucket incoming) {
    if (!key.equals(incoming.name())) {
      LOG.error("the registry map holds bucket '{}' under the key '{}'; ignored: the control"
          + " plane keys each bucket by its name, so something else wrote the map",
          LoggedText.of(incoming.name(), 100), LoggedText.of(key, 100));
      return;
    }
    buckets.merge(incoming.name(), incoming,
        (held, offered) -> offered.revision() >= held.revision() ? offered : held);
    version.incrementAndGet();
  }

  private final class ChangeListener implements EntryAddedListener<String, Bucket>,
      EntryUpdatedListener<String, Bucket>, EntryLoadedListener<String, Bucket>,
      EntryRemovedListener<String, Bucket> {

    @Override
    public void entryAdded(EntryEvent<String, Bucket> event) {
      apply(event.getKey(), event.getValue());
      changed();
    }

    @Override
    public void entryUpdated(EntryEvent<String, Bucket> event) {
      apply(event.getKey(), event.getValue());
      changed();
    }

    @Override
    public void entryLoaded(EntryEvent<String, Bucket> event) {
      apply(event.getKey(), event.getValue());
      changed();
    }

    @Override
    public void entryRemoved(EntryEvent<String, Bucket> event) {
      buckets.remove(event.getKey());
      version.incrementAndGet();
      changed();
    }

    private void changed() {
      changeListeners.forEach(Runnable::run);
    }
  }
}
