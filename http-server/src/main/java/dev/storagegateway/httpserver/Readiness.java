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
}
