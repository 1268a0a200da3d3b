package dev.storagegateway.httpserver;

import java.util.Optional;

/**
 * What a plane's {@code GET /readyz} answers: 200, or 503 with the reason, for the person reading
 * {@code kubectl describe pod}.
 */
@FunctionalInterface
public interface Readiness {
  /** Ready from the start: the plane is up when its server is. */
  Readiness ALWAYS = Optional::empty;

  /** Empty when ready; otherwise why not, in words. */
  Optional<String> whyNotReady();

  /** The status and text {@code /readyz} answers, from one reading. */
  default ProbeAnswer answer() {
    Optional<String> whyNot = whyNotReady();
    return new ProbeAnswer(whyNot.isEmpty() ? 200 : 503,
        whyNot.map(why -> "not ready: " + why).orElse("ready") + "\n");
  }

  /** A probe's plain-text answer. */
  record ProbeAnswer(int status, String text) {}
}
