package dev.storagegateway.controlplane.credentials;

import com.hazelcast.core.EntryAdapter;
import com.hazelcast.core.EntryEvent;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.map.MapEvent;
import com.hazelcast.map.listener.EntryMergedListener;
import dev.storagegateway.registry.Bucket;
import dev.storagegateway.registry.LoggedText;
import dev.storagegateway.registry.RegistryCluster;
import dev.storagegateway.registry.signing.RegistrySigner;
import dev.storagegateway.registry.signing.RegistryTrust;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The latest credential check of every active bucket, from validate calls and the drift check
 * on any control plane. The checks live in the registry cluster's map {@value #MAP}, so every
 * replica answers the same, and a validate through one clears
 * StorageGatewayBucketCredentialsUnhealthy, which takes the worst replica's gauge, on all of
 * them. Each replica mirrors the map and exports it as the
 * {@code gateway_bucket_credentials_healthy} and {@code gateway_bucket_credentials_checked_seconds}
 * gauges per bucket. A bucket that is no longer active is forgotten, gauges and all: the drift
 * check no longer looks at it, and its last failure would keep the alert firing.
 *
 * <p>The map lives on control planes only (data planes are lite members, which hold no
 * partitions), and so only as long as one of them runs. Checks carry no secret: their messages
 * name what failed, never material.
 */
public final class CredentialHealth {
  public static final String MAP = "credential-health";
  private static final Logger LOG = LoggerFactory.getLogger(CredentialHealth.class);

  private final IMap<Object, Object> shared;
  private final Map<String, CredentialCheckResult> latest = new ConcurrentHashMap<>();
  private final Map<String, List<Meter>> gauges = new ConcurrentHashMap<>();
  private final RegistrySigner signer;
  private final RegistryTrust trust;
  private final MeterRegistry meters;
  private final Function<String, Optional<Bucket>> registered;

  /**
   * @param member a control plane's registry cluster member, started by {@link RegistryCluster}
   * @param signer signs the checks this replica records
   * @param registered the bucket of that name as this replica's view of the registry holds it
   */
  public CredentialHealth(HazelcastInstance member, RegistrySigner signer, MeterRegistry meters,
      Function<String, Optional<Bucket>> registered) {
    this.shared = member.getMap(MAP);
    this.signer = signer;
    this.trust = RegistryCluster.trust(member);
    this.meters = meters;
    this.registered = registered;
    // Listening first, then copying, misses no change (copyOne says how the two may cross).
    shared.addEntryListener(new SharedChecks(), true);
    copyShared();
  }

  /**
   * @param checked the bucket as the check read it: the registry's view may not hold a change
   *     that was just made, so it decides only when it holds a later revision (the bucket was
   *     suspended while the check ran, and {@link #forgetIfInactive} has already been called)
   */
  public void record(Bucket checked, CredentialCheckResult result) {
    if (showIfActive(checked, result)) {
      // Not waited for, and outside the lock, which Hazelcast's event threads take: a cluster
      // that is slow to answer must hold up neither the validate nor the registry's events.
      shared.setAsync(result.bucket(), SignedCheckResult.sign(result, signer))
          .whenComplete((ignored, failure) -> {
            if (failure != null) {
              LOG.warn("the credential check of bucket {} could not be shared with the other"
                  + " control planes ({}); they show it after the next check", result.bucket(),
                  failure.toString());
            }
          });
    }
  }

  /**
   * Shown here at once, so a read right after a validate through this replica sees it; the
   * map's event, shortly after, shows the same.
   */
  private synchronized boolean showIfActive(Bucket checked, CredentialCheckResult result) {
    String bucket = result.bucket();
    Bucket current = registered.apply(bucket)
        .filter(held -> held.revision() > checked.revision()).orElse(checked);
    if (!current.isActive()) {
      forget(bucket);
      return false;
    }
    show(bucket, result);
    return true;
  }

  /**
   * Forgets {@code bucket} if it is no longer active; called with each bucket the registry
   * changes, on Hazelcast's event thread, so it looks at that bucket alone. Every control plane
   * hears the change and forgets it in the map too, so a check recorded by one whose view was
   * behind is gone once that one's view catches up.
   */
  public synchronized void forgetIfInactive(String bucket) {
    if (registered.apply(bucket).filter(Bucket::isActive).isEmpty()) {
      forget(bucket);
    }
  }

  public Optional<CredentialCheckResult> of(String bucket) {
    return Optional.ofNullable(latest.get(bucket));
  }

  public List<CredentialCheckResult> all() {
    return latest.values().stream()
        .sorted(Comparator.comparing(CredentialCheckResult::bucket))
        .toList();
  }

  private void forget(String bucket) {
    hide(bucket);
    // Asynchronous: this runs on Hazelcast's event thread, which must not wait on the cluster.
    shared.removeAsync(bucket);
  }

  private synchronized void show(String bucket, CredentialCheckResult result) {
    if (latest.put(bucket, result) == null) {
      gauges.put(bucket, List.of(
          Gauge.builder("gateway.bucket.credentials.healthy", latest,
                  all -> Optional.ofNullable(all.get(bucket)).map(r -> r.healthy() ? 1.0 : 0.0)
                      .orElse(Double.NaN))
              .description("1 when the bucket's credentials passed their latest check, 0 when"
                  + " not")
              .tag("bucket", bucket)
              .register(meters),
          Gauge.builder("gateway.bucket.credentials.checked", latest,
                  all -> Optional.ofNullable(all.get(bucket))
                      .map(r -> r.checkedAt().getEpochSecond() * 1.0).orElse(Double.NaN))
              .description("when the bucket's credentials were last checked, in Unix seconds")
              .baseUnit("seconds")
              .tag("bucket", bucket)
              .register(meters)));
    }
  }

  private synchronized void hide(String bucket) {
    latest.remove(bucket);
    Optional.ofNullable(gauges.remove(bucket)).ifPresent(forgotten ->
        forgotten.forEach(meters::remove));
  }

  private void copyShared() {
    try {
      shared.forEach(this::copyOne);
    } catch (RuntimeException unreadable) {
      // One value that cannot be read ends the whole copy (ADR 0014): read the rest one by one.
      copySharedOneByOne();
    }
  }

  private void copySharedOneByOne() {
    Set<Object> keys;
    try {
      keys = shared.keySet();
    } catch (RuntimeException unreadable) {
      LOG.warn("the credential checks in the registry cluster cannot be listed; this replica"
          + " shows each as it is recorded from now on");
      return;
    }
    for (Object key : keys) {
      try {
        copyOne(key, shared.get(key));
      } catch (RuntimeException e) {
        LOG.warn("the credential check under {} in the registry cluster cannot be read; it is"
            + " ignored", key instanceof String name ? LoggedText.of(name, 100)
            : "a key that is not a name");
      }
    }
  }

  /**
   * As {@link #showShared}, for the copy at start, which may read a check just before its
   * removal is heard and would show it again after: a bucket not active here is left out.
   */
  private void copyOne(Object key, Object value) {
    if (key instanceof String bucket && registered.apply(bucket).filter(Bucket::isActive)
        .isPresent()) {
      showShared(key, value);
    }
  }

  /** A value this replica does not believe is left out, as if the bucket had no check. */
  private void showShared(Object key, Object value) {
    if (!(key instanceof String bucket)) {
      return;
    }
    Optional<CredentialCheckResult> believed = value instanceof SignedCheckResult signed
        ? signed.readWith(trust, bucket) : Optional.empty();
    if (believed.isPresent()) {
      show(bucket, believed.get());
    } else {
      // What was shown stays: a forged value over a failed check leaves its gauge at 0 here.
      LOG.warn("the credential check under {} in the registry cluster is not one a control plane"
          + " this replica trusts signed for that bucket; it is ignored",
          LoggedText.of(bucket, 100));
    }
  }

  /**
   * Follows the map in the order its changes came, the same order on every replica; every event
   * goes through {@link #onEntryEvent}, as the registry view's do.
   */
  private final class SharedChecks extends EntryAdapter<Object, Object>
      implements EntryMergedListener<Object, Object> {

    @Override
    public void entryMerged(EntryEvent<Object, Object> event) {
      onEntryEvent(event);
    }

    @Override
    public void onEntryEvent(EntryEvent<Object, Object> event) {
      switch (event.getEventType()) {
        case REMOVED, EVICTED, EXPIRED -> gone(event);
        default -> arrived(event);
      }
    }

    /** Cleared or evicted whole. */
    @Override
    public void onMapEvent(MapEvent event) {
      List.copyOf(latest.keySet()).forEach(CredentialHealth.this::hide);
    }

    private void arrived(EntryEvent<Object, Object> event) {
      try {
        showShared(event.getKey(), event.getValue());
      } catch (RuntimeException unreadable) {
        LOG.warn("a credential check in the registry cluster cannot be read; it is ignored");
      }
    }

    private void gone(EntryEvent<Object, Object> event) {
      try {
        if (event.getKey() instanceof String bucket) {
          hide(bucket);
        }
      } catch (RuntimeException unreadable) {
        LOG.warn("a credential check left the registry cluster under a key that cannot be read");
      }
    }
  }
}
