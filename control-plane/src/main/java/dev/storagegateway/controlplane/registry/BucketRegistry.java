package dev.storagegateway.controlplane.registry;

import com.google.common.collect.Lists;
import com.hazelcast.map.IMap;
import dev.storagegateway.controlplane.store.AuditEntry;
import dev.storagegateway.controlplane.store.AuditEvent;
import dev.storagegateway.controlplane.store.AuditTrail;
import dev.storagegateway.controlplane.store.BucketExistsException;
import dev.storagegateway.controlplane.store.BucketFilter;
import dev.storagegateway.controlplane.store.BucketStore;
import dev.storagegateway.controlplane.store.Transactions;
import dev.storagegateway.controlplane.validation.BucketValidator;
import dev.storagegateway.controlplane.validation.LookupShare;
import dev.storagegateway.registry.Bucket;
import dev.storagegateway.registry.BucketStatus;
import dev.storagegateway.registry.KeyedByName;
import dev.storagegateway.registry.LoggedText;
import dev.storagegateway.registry.PublishIfNewer;
import dev.storagegateway.registry.PublishIfNewer.Outcome;
import dev.storagegateway.registry.ReplicatedBucketView;
import dev.storagegateway.registry.SignedBucket;
import dev.storagegateway.registry.signing.RegistrySigner;
import dev.storagegateway.registry.signing.RegistryTrust;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The write path of the registry. Each change is validated, then committed to PostgreSQL
 * together with its audit event, then published to the replicated map, from which every
 * replica's view hears of it. A change that fails at any step before the commit leaves both
 * the database and the map as they were; one the map refuses after the commit is retried
 * ({@link #publishPending}).
 */
public final class BucketRegistry {
  private static final Logger LOG = LoggerFactory.getLogger(BucketRegistry.class);
  /** How often a change without If-Match is applied again when others keep changing the row. */
  private static final int CHANGE_ATTEMPTS = 5;
  /**
   * How long a publication may wait on the cluster. Any member can lock a key, and a locked key
   * parks an entry processor without end: a request must not wait with it.
   */
  private static final Duration PUBLISH_TIMEOUT = Duration.ofSeconds(10);
  /** Disputed names held at most: the values are a writer's to choose, and so is their count. */
  private static final int MAX_DISPUTED = 100_000;

  private final Transactions transactions;
  private final BucketStore store;
  private final AuditTrail audit;
  private final IMap<String, SignedBucket> replicated;
  private final RegistrySigner signer;
  private final BucketValidator validator;
  private final Clock clock;
  private final List<BiConsumer<Bucket, Bucket>> listeners = new CopyOnWriteArrayList<>();
  /** Names whose committed change the cluster refused, with the newest such revision. */
  private final Map<String, Long> unpublished = new ConcurrentHashMap<>();
  /** Names whose map entry a view found standing against the database (see {@link #restore}). */
  private final Set<String> disputed = ConcurrentHashMap.newKeySet();

  /** @param signer signs every entry this registry publishes to {@code replicated} */
  public BucketRegistry(Transactions transactions, BucketStore store, AuditTrail audit,
      IMap<String, SignedBucket> replicated, RegistrySigner signer, BucketValidator validator,
      Clock clock) {
    this.transactions = transactions;
    this.store = store;
    this.audit = audit;
    this.replicated = replicated;
    this.signer = signer;
    this.validator = validator;
    this.clock = clock;
  }

  public Optional<Bucket> find(String name) {
    return transactions.inTransaction(connection -> store.find(connection, name));
  }

  public List<Bucket> list(BucketFilter filter, String afterName, int limit) {
    return transactions.inTransaction(
        connection -> store.list(connection, filter, afterName, limit));
  }

  /** The bucket's audit events after {@code afterId}, oldest first, at most {@code limit}. */
  public List<AuditEntry> history(String name, long afterId, int limit) {
    return transactions.inTransaction(
        connection -> audit.history(connection, name, afterId, limit));
  }

  /** Registers a new bucket: server-assigned id, timestamps and revision 1; active unless said. */
  public Bucket create(String actor, Bucket candidate) {
    return create(actor, candidate, ProjectQuota.NONE, CreationStep.NONE);
  }

  /**
   * Registers a new bucket and runs {@code beforeCommit} inside its transaction, after the row is
   * in: a second request for the same name waits on the row and fails before its step runs, and
   * a failing step leaves nothing behind in the database. A commit that fails after the step
   * has the step's work taken back ({@link #takeBack}).
   *
   * @param quota how many buckets the caller's project subtree may hold with it, or
   *     {@link ProjectQuota#NONE}; counted under a lock, so concurrent creations cannot pass it
   * @throws ProjectFullException when the subtree holds that many already
   */
  public Bucket create(String actor, Bucket candidate, ProjectQuota quota,
      CreationStep beforeCommit) {
    Instant now = now();
    Bucket bucket = candidate.toBuilder()
        .id(UUID.randomUUID())
        .status(candidate.status() == null ? BucketStatus.ACTIVE : candidate.status())
        .createdAt(now)
        .updatedAt(now)
        .revision(1)
        .build();
    validator.validate(bucket, LookupShare.caller(actor));
    AuditEvent event = new AuditEvent(now, actor, "bucket.create", bucket.name(), null, bucket);
    AtomicReference<Undo> undo = new AtomicReference<>(Undo.NOTHING);
    try {
      transactions.inTransaction(connection -> {
        requireRoom(connection, quota);
        store.insert(connection, bucket);
        audit.insert(connection, event);
        if (bucket.secretRef() != null) {
          store.lockSecretReference(connection, bucket.secretRef());
        }
        undo.set(beforeCommit.run(bucket));
        return null;
      });
    } catch (RuntimeException failed) {
      takeBack(bucket, undo.get());
      throw failed;
    }
    publish(bucket, event);
    notifyListeners(null, bucket);
    return bucket;
  }

  /**
   * Runs {@code undo} for a creation whose commit failed, holding the bucket's name and its
   * secret's reference meanwhile (its row inserted again, in a transaction then rolled back).
   * The name found taken, the creation went through after all (its commit's answer was lost) or
   * a retry of it did; another bucket's row naming the secret adopted it (it held the same
   * keys): either way the work stays. Held, a retry or an adopter waits until the work is gone.
   */
  private void takeBack(Bucket bucket, Undo undo) {
    if (undo == Undo.NOTHING) {
      return;
    }
    AtomicBoolean undone = new AtomicBoolean();
    String keptBecause;
    try {
      keptBecause = transactions.rolledBack(connection -> {
        // The name first, then the reference, as a creation takes them: no two wait in a circle.
        try {
          store.insert(connection, bucket);
        } catch (BucketExistsException taken) {
          return "bucket '" + bucket.name() + "' is registered now (the commit's answer was"
              + " lost, or a retry registered it)";
        }
        if (bucket.secretRef() != null) {
          store.lockSecretReference(connection, bucket.secretRef());
        }
        if (bucket.secretRef() != null
            && store.namesSecretBesides(connection, bucket.secretRef(), bucket.name())) {
          return "another bucket's row names secret '" + bucket.secretRef() + "' (it was"
              + " adopted by a creation with the same keys)";
        }
        undo.run();
        undone.set(true);
        return null;
      });
    } catch (RuntimeException unknown) {
      if (!undone.get()) {
        undo.leave("the database cannot say whether bucket '" + bucket.name() + "' was"
            + " registered after all (" + unknown.getClass().getSimpleName() + ")");
      }
      return;
    }
    if (keptBecause != null) {
      LOG.info("bucket '{}' failed to commit, and what its creation wrote outside the database"
          + " stays: {}", bucket.name(), keptBecause);
    }
  }

  /**
   * Applies {@code change} to the current bucket and writes the result if the bucket has not
   * changed meanwhile. The change may throw to refuse (an authorization check, say); it cannot
   * alter id, name, creation time or revision.
   */
  public Bucket update(String actor, String name, RevisionPrecondition expected,
      UnaryOperator<Bucket> change) {
    return update(actor, name, expected, bucket -> ProjectQuota.NONE, change);
  }

  /**
   * As {@link #update(String, String, RevisionPrecondition, UnaryOperator)}, and a change that
   * moves the bucket into a quota's subtree from outside it is refused when the subtree is full.
   *
   * @param quotaOf the quota of the changed bucket's owner_project (asked outside the
   *     transaction: it may call Arborist)
   * @throws ProjectFullException when the subtree moved to is full
   */
  public Bucket update(String actor, String name, RevisionPrecondition expected,
      Function<Bucket, ProjectQuota> quotaOf, UnaryOperator<Bucket> change) {
    return change(actor, "bucket.update", name, expected, change, true, quotaOf);
  }

  /** Suspends without re-validating: taking a bucket out of service must always be possible. */
  public Bucket suspend(String actor, String name, RevisionPrecondition expected,
      UnaryOperator<Bucket> check) {
    return change(actor, "bucket.suspend", name, expected,
        current -> check.apply(current).toBuilder().status(BucketStatus.SUSPENDED).build(), false,
        bucket -> ProjectQuota.NONE);
  }

  /**
   * Resumes after validating the bucket as an active one (e.g. a static bucket needs its secret).
   */
  public Bucket resume(String actor, String name, RevisionPrecondition expected,
      UnaryOperator<Bucket> check) {
    return change(actor, "bucket.resume", name, expected,
        current -> check.apply(current).toBuilder().status(BucketStatus.ACTIVE).build(), true,
        bucket -> ProjectQuota.NONE);
  }

  private Bucket change(String actor, String action, String name, RevisionPrecondition expected,
      UnaryOperator<Bucket> change, boolean validate, Function<Bucket, ProjectQuota> quotaOf) {
    for (int attempt = 1; ; attempt++) {
      Bucket current = find(name).orElseThrow(() -> new BucketNotFoundException(name));
      // The change runs first: it carries the caller's authorization check, and a caller refused
      // there must not learn the current revision from a mismatch. It and the validation call
      // Arborist and resolve the endpoint, so they run outside the transaction, holding neither a
      // row lock nor a connection; the write then goes through only if the row is still the one
      // they saw.
      Bucket applied = change.apply(current);
      if (!expected.admits(current.revision())) {
        throw new RevisionMismatchException(name, expected, current.revision());
      }
      Bucket changed = applied.toBuilder()
          .id(current.id())
          .name(current.name())
          .createdAt(current.createdAt())
          .updatedAt(current.updatedAt())
          .revision(current.revision())
          .build();
      if (changed.equals(current)) {
        // Nothing changed, but sending a change again is how a client would repair one the
        // cluster missed; publishing what the database holds is idempotent.
        publish(current);
        return current;
      }
      Instant now = now();
      Bucket next = changed.toBuilder().updatedAt(now).revision(current.revision() + 1).build();
      if (validate) {
        validator.validate(next, LookupShare.caller(actor));
      }
      AuditEvent event = new AuditEvent(now, actor, action, name, current, next);
      ProjectQuota quota = Objects.equals(next.ownerProject(), current.ownerProject())
          ? ProjectQuota.NONE : quotaOf.apply(next);
      boolean written = transactions.inTransaction(connection -> {
        if (quota.covers(next.ownerProject()) && !quota.covers(current.ownerProject())) {
          requireRoom(connection, quota);
        }
        if (!store.update(connection, next)) {
          return false;
        }
        if (next.secretRef() != null
            && !Objects.equals(next.secretRef(), current.secretRef())) {
          // The row, then the reference, as a creation takes them: a failed creation's
          // take-back of that secret waits for this change, or is waited for and sees it.
          store.lockSecretReference(connection, next.secretRef());
        }
        audit.insert(connection, event);
        return true;
      });
      if (written) {
        publish(next, event);
        notifyListeners(current, next);
        return next;
      }
      // Changed by someone else meanwhile: with If-Match the next round answers 412; without,
      // the change is applied again to what is there now, a few times at most.
      if (attempt == CHANGE_ATTEMPTS) {
        throw new ConcurrentChangeException(name, CHANGE_ATTEMPTS);
      }
    }
  }

  private void requireRoom(Connection connection, ProjectQuota quota) throws SQLException {
    if (quota == ProjectQuota.NONE) {
      return;
    }
    int held = store.countInProjectLocked(connection, quota.root());
    if (held >= quota.limit()) {
      throw new ProjectFullException(quota.root(), held);
    }
  }

  /**
   * Records an action on a bucket that changes no field of it, such as a credential rotation,
   * in the audit trail.
   */
  public void recordAction(String actor, String action, Bucket bucket) {
    AuditEvent event = new AuditEvent(now(), actor, action, bucket.name(), bucket, bucket);
    transactions.inTransaction(connection -> {
      // Behind any change of the bucket: a reader paging the trail never passes an event that
      // commits after a later one.
      store.lockRow(connection, bucket.name());
      audit.insert(connection, event);
      return null;
    });
    audit.log(event);
  }

  /** Called after every committed and published change; {@code before} is null for a creation. */
  public void addChangeListener(BiConsumer<Bucket, Bucket> listener) {
    listeners.add(listener);
  }

  private void notifyListeners(Bucket before, Bucket after) {
    for (BiConsumer<Bucket, Bucket> listener : listeners) {
      try {
        listener.accept(before, after);
      } catch (RuntimeException e) {
        LOG.error("a listener failed on the change of bucket '{}'", after.name(), e);
      }
    }
  }

  private void publish(Bucket committed, AuditEvent event) {
    audit.log(event);
    publish(committed);
  }

  private void publish(Bucket committed) {
    try {
      publishIfNewer(committed);
    } catch (RuntimeException e) {
      // The database already holds the change, but until the map has it every replica serves
      // the previous revision (a suspended bucket stays open): it is retried until it lands.
      unpublished.merge(committed.name(), committed.revision(), Math::max);
      LOG.error("bucket '{}' revision {} committed but not published to the registry cluster;"
          + " retrying", committed.name(), committed.revision(), e);
    }
  }

  /**
   * Puts {@code committed} in the map unless the map holds a newer revision. The database is
   * where revisions are counted, so a newer one in the map was not written by a control plane
   * reading it: the database was restored from a backup while the cluster ran, or something else
   * reached the cluster. Either way every replica keeps serving that entry, so it is loud.
   */
  private void publishIfNewer(Bucket committed) {
    Outcome outcome = submit(committed);
    if (outcome == Outcome.UNREADABLE_HELD) {
      LOG.error("the registry map holds a value for bucket '{}' that no gateway wrote and none"
          + " can read; deleting it to publish revision {}", committed.name(),
          committed.revision());
      await(replicated.deleteAsync(committed.name()), committed);
      outcome = submit(committed);
      if (outcome == Outcome.UNREADABLE_HELD) {
        throw new IllegalStateException("the registry map's value for bucket '"
            + committed.name() + "' is unreadable again");
      }
    }
    // Two commits in a row may reach the map in either order: the database having moved past
    // this revision since is that race, and the later commit's own publication judges the map.
    if (outcome == Outcome.NEWER_HELD && !committedSince(committed)) {
      LOG.error("the registry cluster holds a revision of bucket '{}' newer than the database's"
          + " {}, and keeps serving it: the database was restored while the cluster ran, or"
          + " something other than a control plane wrote the cluster's map. Restart every"
          + " member of the registry cluster to reload it from the database",
          committed.name(), committed.revision());
    }
  }

  private boolean committedSince(Bucket committed) {
    return find(committed.name()).map(Bucket::revision).orElse(Long.MAX_VALUE)
        > committed.revision();
  }

  private Outcome submit(Bucket committed) {
    return await(replicated.submitToKey(committed.name(), new PublishIfNewer(committed, signer)),
        committed);
  }

  /**
   * Waits for a write to {@code committed}'s key. No control plane locks a key, so a lock that
   * held the write up was taken by something else: it is broken, and the write that waited on it
   * goes through then, so the next attempt finds the entry as it should be.
   */
  private <T> T await(CompletionStage<T> operation, Bucket committed) {
    try {
      return operation.toCompletableFuture().get(PUBLISH_TIMEOUT.toMillis(),
          TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while publishing", e);
    } catch (TimeoutException e) {
      if (replicated.isLocked(committed.name())) {
        LOG.error("bucket '{}' is locked in the registry map, which no control plane does;"
            + " breaking the lock", committed.name());
        replicated.forceUnlock(committed.name());
      }
      throw new IllegalStateException("the registry cluster did not take bucket '"
          + committed.name() + "' within " + PUBLISH_TIMEOUT.toSeconds() + " s", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("the registry cluster refused bucket '"
          + committed.name() + "': " + e.getCause().getClass().getSimpleName(), e);
    }
  }

  /**
   * Marks {@code name} for publishing again from the database at the next
   * {@link #restoreDisputed}: the map holds for it a value no member believes, an older revision
   * than a view has seen (a replay), or nothing (a removal). Something other than a control
   * plane wrote the map; the database's row is put back over it. A name the database does not
   * hold is left as it is: every view ignores its refused value. Beyond {@value #MAX_DISPUTED}
   * waiting names a name is dropped; the sweep ({@link #republishUnserved}) finds the database's
   * rows that the view lacks.
   */
  public void restore(String name) {
    if (disputed.size() < MAX_DISPUTED) {
      disputed.add(name);
    }
  }

  /**
   * Marks for {@link #restoreDisputed} every name whose map entry {@code ownKey} does not believe,
   * or believes at an older revision than the database's:
   * entries signed before this control plane's key was rotated, or before signing was switched
   * on. Members keep believing them while the old key is among their public keys; once every
   * entry is signed with the new key, the old one can go.
   *
   * @return how many entries are not signed with {@code ownKey}
   */
  public int restoreNotSignedWith(RegistryTrust ownKey) {
    if (!ownKey.verifiesSignatures()) {
      return 0;
    }
    Map<String, Long> committed = transactions.inTransaction(store::revisions);
    int marked = 0;
    for (List<String> names : Lists.partition(List.copyOf(committed.keySet()), 1_000)) {
      Map<?, ?> held;
      try {
        held = replicated.getAll(Set.copyOf(names));
      } catch (RuntimeException e) {
        // A value no serializer here reads (another member's): each name is looked at alone.
        names.forEach(this::restore);
        marked += names.size();
        continue;
      }
      for (String name : names) {
        // An older revision signed with this key is put right too, not counted: a value
        // replaced without an event (by a member owning the partition) is found here only.
        long believed = held.get(name) instanceof SignedBucket signed
            ? signed.readWith(ownKey).map(Bucket::revision).orElse(-1L) : -1;
        if (believed < 0) {
          restore(name);
          marked++;
        } else if (believed < committed.get(name)) {
          restore(name);
        }
      }
    }
    return marked;
  }

  /**
   * Publishes, from the database's current rows, the changes the registry cluster did not take
   * when they were committed. A name stays pending until a publication at least as new as its
   * failed one succeeds.
   */
  public void publishPending() {
    for (Map.Entry<String, Long> pending : Map.copyOf(unpublished).entrySet()) {
      if (Thread.currentThread().isInterrupted()) {
        return;
      }
      String name = pending.getKey();
      try {
        find(name).ifPresent(this::publishIfNewer);
        unpublished.remove(name, pending.getValue());
        LOG.info("bucket '{}' published to the registry cluster after a failed attempt", name);
      } catch (RuntimeException e) {
        LOG.warn("bucket '{}' is still not published to the registry cluster: {}", name,
            e.getClass().getSimpleName());
      }
    }
  }

  /**
   * Publishes the database's rows of the names marked by {@link #restore}, and says how many in
   * one line: after a key rotation that is every bucket.
   */
  public void restoreDisputed() {
    List<String> published = new ArrayList<>();
    for (String name : List.copyOf(disputed)) {
      if (Thread.currentThread().isInterrupted()) {
        break;
      }
      disputed.remove(name);
      try {
        find(name).ifPresent(committed -> {
          publishIfNewer(committed);
          published.add(committed.name());
        });
      } catch (RuntimeException e) {
        restore(name);
        LOG.warn("bucket '{}' could not be published again over what the registry map held: {}",
            LoggedText.of(name, 100), e.getClass().getSimpleName());
      }
    }
    if (!published.isEmpty()) {
      LOG.warn("{} buckets published again over what the registry map held, such as {}",
          published.size(), published.subList(0, Math.min(5, published.size())));
    }
  }

  /**
   * Publishes again every bucket whose committed revision {@code served} (this replica's view of
   * the map) does not hold: a replica that stopped between a commit the cluster refused and its
   * retry took the pending change with it, and only a replica still running can put it right. A
   * revision the view holds reached the map and its listeners, so it is left alone rather than
   * written, and announced, again; but a name the map's keys lack is marked for
   * {@link #restoreDisputed}: a member that is not a gateway can clear the map without the event
   * that would tell the views.
   */
  public void republishUnserved(ReplicatedBucketView served) {
    Map<String, Long> committed = transactions.inTransaction(store::revisions);
    Set<String> keys = mapKeys();
    committed.forEach((name, revision) -> {
      if (served.find(name).map(held -> held.revision() < revision).orElse(true)) {
        find(name).ifPresent(this::publish);
      } else if (keys != null && !keys.contains(name)) {
        restore(name);
      }
    });
  }

  /** The map's names, or null when they cannot be listed. */
  private Set<String> mapKeys() {
    try {
      return Set.copyOf(KeyedByName.namesOf(replicated));
    } catch (RuntimeException | OutOfMemoryError e) {
      LOG.warn("the registry map's names cannot be listed ({}); the sweep looks at the view"
          + " only this time", e.getClass().getSimpleName());
      return null;
    }
  }

  /** How many buckets have committed changes the registry cluster has not taken yet. */
  public int pendingPublications() {
    return unpublished.size();
  }

  private Instant now() {
    // PostgreSQL keeps microseconds; the map and the database must hold identical values.
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }
}
