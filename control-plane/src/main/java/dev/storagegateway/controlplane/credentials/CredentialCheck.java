package dev.storagegateway.controlplane.credentials;

import dev.storagegateway.controlplane.validation.BucketValidator;
import dev.storagegateway.controlplane.validation.EndpointLookupUnavailableException;
import dev.storagegateway.controlplane.validation.InvalidBucketException;
import dev.storagegateway.controlplane.validation.LookupShare;
import dev.storagegateway.credentials.AccessPurpose;
import dev.storagegateway.credentials.BucketCredentials;
import dev.storagegateway.credentials.BucketCredentialsProvider;
import dev.storagegateway.credentials.CredentialKey;
import dev.storagegateway.credentials.CredentialsUnavailableException;
import dev.storagegateway.registry.Bucket;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Validates one bucket's credentials end to end: hold the bucket to the registry's rules as they
 * are now (they may have grown stricter since it was written), resolve its credentials fresh
 * from their source (the cached copy on this replica is dropped first, so the check sees what
 * the backend holds now), then prove them against the bucket.
 */
public final class CredentialCheck {
  /**
   * How long the fresh read may take: a check runs on its own (an admin's request, the drift
   * check), so it waits for a slow source (a Vault engine creating a user, a chain of roles)
   * that a storage request would not.
   */
  private static final Duration LOAD_WAIT = Duration.ofSeconds(30);

  private final BucketValidator rules;
  private final BucketCredentialsProvider credentials;
  private final BucketAccessProbe probe;
  private final Clock clock;

  public CredentialCheck(BucketValidator rules, BucketCredentialsProvider credentials,
      BucketAccessProbe probe, Clock clock) {
    this.rules = rules;
    this.credentials = credentials;
    this.probe = probe;
    this.clock = clock;
  }

  /**
   * Checks the bucket, reading its credentials afresh from their sources.
   *
   * @param lookups whose share of the bounded lookups the endpoint's name takes
   */
  public CredentialCheckResult check(Bucket bucket, AccessPurpose purpose,
      LookupShare lookups) {
    return check(bucket, purpose, lookups, new HashSet<>());
  }

  /**
   * As {@link #check(Bucket, AccessPurpose, LookupShare)}, reading afresh only the sources not
   * in {@code readAfresh}, and adding them to it: a run over many buckets that share one role
   * or one secret reads each once (5,000 buckets under one role were 5,000 AssumeRole calls).
   */
  public CredentialCheckResult check(Bucket bucket, AccessPurpose purpose,
      LookupShare lookups, Set<CredentialKey> readAfresh) {
    List<CheckStep> steps = new ArrayList<>();
    try {
      rules.validate(bucket, lookups);
      steps.add(CheckStep.ok("rules", "meets the registry's current rules"));
    } catch (InvalidBucketException broken) {
      // An endpoint the rules no longer admit is not sent the bucket's credentials by the check.
      steps.add(CheckStep.failed("rules", "breaks the registry's current rules, which a change"
          + " must fix first: " + broken.getMessage()));
      steps.add(CheckStep.skipped("resolve", "the bucket breaks the registry's rules"));
      steps.add(CheckStep.skipped("access", "the bucket breaks the registry's rules"));
      return new CredentialCheckResult(bucket.name(), clock.instant(), steps);
    } catch (EndpointLookupUnavailableException unknown) {
      // Not a broken rule: where the endpoint points is not known now, so it is not sent the
      // credentials either. The next check, or a retry, finds out.
      steps.add(CheckStep.failed("rules", "could not be checked now: " + unknown.getMessage()));
      steps.add(CheckStep.skipped("resolve", "the rules could not be checked"));
      steps.add(CheckStep.skipped("access", "the rules could not be checked"));
      return new CredentialCheckResult(bucket.name(), clock.instant(), steps);
    }
    BucketCredentials resolved = null;
    try {
      credentials.cache().invalidate(credentials.sources().keysOf(bucket).stream()
          .filter(readAfresh::add).toList());
      BucketCredentials found = credentials.credentialsFor(bucket, purpose, LOAD_WAIT);
      resolved = found;
      steps.add(CheckStep.ok("resolve", credentials.sources().keyOf(bucket)
          .map(source -> "resolved " + found.describe() + " from " + source)
          .orElse(found.describe())));
    } catch (CredentialsUnavailableException | IllegalArgumentException e) {
      steps.add(CheckStep.failed("resolve", e.getMessage()));
    }
    if (resolved == null) {
      steps.add(CheckStep.skipped("access", "no credentials to try"));
    } else {
      steps.add(probe.probe(bucket, resolved, lookups));
    }
    return new CredentialCheckResult(bucket.name(), clock.instant(), steps);
  }
}
