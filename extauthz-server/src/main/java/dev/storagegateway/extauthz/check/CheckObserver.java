package dev.storagegateway.extauthz.check;

/** Told about every decision: metrics and the access log listen here. */
@FunctionalInterface
public interface CheckObserver {
  CheckObserver NONE = (request, outcome, nanos) -> { };

  void decided(IncomingRequest request, CheckOutcome outcome, long nanos);

  static CheckObserver all(CheckObserver... observers) {
    CheckObserver[] copy = observers.clone();
    return (request, outcome, nanos) -> {
      for (CheckObserver observer : copy) {
        observer.decided(request, outcome, nanos);
      }
    };
  }
}
