package dev.storagegateway.controlplane.registry;

import java.util.Set;

/**
 * The revisions a change may be applied to: those the caller's If-Match named, or any.
 *
 * @param revisions the revisions named; empty when every tag named was one no revision has (a
 *     weak tag, which RFC 9110's strong comparison never matches, or a tag this API never sends)
 * @param asked the If-Match header as sent, for the refusal's message
 */
public record RevisionPrecondition(Set<Long> revisions, String asked) {
  /** No If-Match, or {@code If-Match: *}: the bucket's absence is a 404 either way. */
  public static final RevisionPrecondition ANY = new RevisionPrecondition(null, "*");

  public RevisionPrecondition {
    revisions = revisions == null ? null : Set.copyOf(revisions);
  }

  public boolean admits(long revision) {
    return revisions == null || revisions.contains(revision);
  }
}
