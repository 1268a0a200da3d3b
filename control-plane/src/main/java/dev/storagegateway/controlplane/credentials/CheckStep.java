package dev.storagegateway.controlplane.credentials;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One step of a credential check and how it went: {@code rules} (the registry's rules as they
 * are now), {@code resolve} (read the secret, call STS, mint a token) and {@code access}
 * (HeadBucket or a one-object list against the bucket).
 * {@code detail} says what failed in words an operator can act on; it never carries material.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CheckStep(String step, Outcome outcome, String detail) {

  public enum Outcome { ok, failed, skipped }

  static CheckStep ok(String step, String detail) {
    return new CheckStep(step, Outcome.ok, detail);
  }

  static CheckStep failed(String step, String detail) {
    return new CheckStep(step, Outcome.failed, detail);
  }

  static CheckStep skipped(String step, String detail) {
    return new CheckStep(step, Outcome.skipped, detail);
  }
}
