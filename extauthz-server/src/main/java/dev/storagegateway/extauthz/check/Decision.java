package dev.storagegateway.extauthz.check;

/**
 * The pipeline's answer: forward with these header changes, refuse, or send the gateway's own
 * answer instead of forwarding.
 */
public sealed interface Decision permits Decision.Allowed, Decision.Denied, Decision.Answered {

  record Allowed(HeaderMutations mutations) implements Decision {}

  record Denied(Denial denial) implements Decision {}

  /** Only ever decided for a proxy that can deliver it (see {@link Delivery}). */
  record Answered(Answer answer) implements Decision {}
}
