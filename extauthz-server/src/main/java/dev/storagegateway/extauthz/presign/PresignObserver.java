package dev.storagegateway.extauthz.presign;

import dev.storagegateway.extauthz.check.IncomingRequest;

/** Told about every call of the presigned-URL API: metrics and the access log listen here. */
@FunctionalInterface
public interface PresignObserver {
  void answered(IncomingRequest request, PresignOutcome outcome, long nanos);

  static PresignObserver all(PresignObserver... observers) {
    PresignObserver[] copy = observers.clone();
    return (request, outcome, nanos) -> {
      for (PresignObserver observer : copy) {
        observer.answered(request, outcome, nanos);
      }
    };
  }
}
