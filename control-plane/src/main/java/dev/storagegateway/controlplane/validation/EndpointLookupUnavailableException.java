package dev.storagegateway.controlplane.validation;

/**
 * A bucket breaks no rule that could be checked, but its endpoint's name could not be looked up
 * now (its DNS did not answer in time, or too many lookups were running), so whether it points
 * into the internal network is not known. Nothing is wrong with the definition as far as is
 * known: the same request may pass in a few seconds.
 */
public final class EndpointLookupUnavailableException extends RuntimeException {
  public EndpointLookupUnavailableException(String message) {
    super(message);
  }
}
