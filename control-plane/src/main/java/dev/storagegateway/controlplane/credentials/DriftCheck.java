package dev.storagegateway.controlplane.credentials;

import com.google.common.util.concurrent.ThreadFactoryBuilder;
import dev.storagegateway.controlplane.registry.BucketRegistry;
import dev.storagegateway.controlplane.store.BucketFilter;
import dev.storagegateway.controlplane.validation.LookupShare;
import dev.storagegateway.credentials.AccessPurpose;
import dev.storagegateway.credentials.CredentialKey;
import dev.storagegateway.registry.Bucket;
import dev.storagegateway.registry.BucketStatus;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Re-validates the credentials of every active bucket on a schedule (nightly by default), so a
 * revoked key or a changed trust policy shows up on a dashboard before users report it. The
 * results are shared ({@link CredentialHealth}), so one control plane runs it: each run probes
 * every bucket's storage and reads every keyed bucket's secret or calls STS, and a run on every
 * replica multiplied that load on the backends by the replica count.
 */
public final class DriftCheck implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DriftCheck.class);
  private static final AccessPurpose PURPOSE = new AccessPurpose("control-plane", "drift-check");
  private static final int PAGE = 200;

  private final BucketRegistry registry;
  private final CredentialCheck check;
  private final CredentialHealth health;
  private final BooleanSupplier runsHere;
  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(
      new ThreadFactoryBuilder().setNameFormat("credential-drift-check").setDaemon(true).build());

  /**
   * @param runsHere whether the scheduled runs are this control plane's to make now (it is the
   *     oldest of the registry cluster's control planes); asked at each run, as planes come and go
   */
  public DriftCheck(BucketRegistry registry, CredentialCheck check, CredentialHealth health,
      BooleanSupplier runsHere) {
    this.registry = registry;
    this.check = check;
    this.health = health;
    this.runsHere = runsHere;
  }

  /** Runs every {@code interval}, the first time after {@code firstDelay}. */
  public void schedule(Duration firstDelay, Duration interval) {
    scheduler.scheduleWithFixedDelay(this::runOnSchedule, firstDelay.toMillis(),
        interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Checks every active bucket now; returns how many failed. */
  public int run() {
    int checked = 0;
    int failed = 0;
    Set<CredentialKey> readAfresh = new HashSet<>();
    String after = null;
    List<Bucket> page;
    do {
      page = registry.list(new BucketFilter(BucketStatus.ACTIVE, null, null), after, PAGE);
      for (Bucket bucket : page) {
        CredentialCheckResult result = check.check(bucket, PURPOSE,
            LookupShare.ownerProject(bucket.ownerProject()), readAfresh);
        health.record(bucket, result);
        checked++;
        if (!result.healthy()) {
          failed++;
          LOG.warn("credential drift: bucket {} failed its check: {}", bucket.name(),
              result.steps());
        }
      }
      after = page.isEmpty() ? after : page.get(page.size() - 1).name();
    } while (page.size() == PAGE);
    LOG.info("credential drift check: {} active buckets checked, {} failed", checked, failed);
    return failed;
  }

  /**
   * What the schedule runs: {@link #run} if the runs are this control plane's, else nothing.
   *
   * @return whether it ran here
   */
  public boolean runOnSchedule() {
    try {
      if (!runsHere.getAsBoolean()) {
        LOG.debug("credential drift check skipped: another control plane runs it");
        return false;
      }
      run();
    } catch (RuntimeException e) {
      // Thrown out of a scheduled task, it would end every later run.
      LOG.error("the credential drift check stopped early; it runs again on schedule", e);
    }
    return true;
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
  }
}
