package dev.storagegateway.auth;

/**
 * No authorization answer could be had. Callers must fail closed and answer 503: treating this as
 * "allowed" would open every bucket whenever Arborist is down.
 */
public class ArboristUnavailableException extends RuntimeException {

  public ArboristUnavailableException(String message) {
    super(message);
  }

  public ArboristUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
