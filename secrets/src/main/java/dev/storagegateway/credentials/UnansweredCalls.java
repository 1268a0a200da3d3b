package dev.storagegateway.credentials;

import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import javax.net.ssl.SSLException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * Why a call to a cloud service (through the AWS SDK or Google's clients) got no answer, in words
 * an operator can act on. Never the clients' messages themselves: they and the HTTP clients under
 * them name addresses, and a project owner who set a bucket's endpoint must not learn the
 * gateway's network from a validation.
 */
public final class UnansweredCalls {
  /** How the SDK's default credentials chain says it found no identity (SDK 2.x). */
  private static final String NO_CREDENTIALS = "Unable to load credentials";

  private UnansweredCalls() {
  }

  public static String describe(Exception e) {
    if (e instanceof SdkClientException && e.getMessage() != null
        && e.getMessage().startsWith(NO_CREDENTIALS)) {
      return "the gateway has no AWS identity of its own to call with: the SDK's default chain"
          + " (environment variables, web identity token, profile, container or instance"
          + " credentials) found none";
    }
    if (e instanceof ApiCallTimeoutException || e instanceof ApiCallAttemptTimeoutException) {
      return "no answer in time";
    }
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof UnknownHostException) {
        return "the host name does not resolve";
      }
      if (cause instanceof SSLException) {
        return "the TLS handshake failed (a certificate the JVM does not trust, or no TLS on"
            + " that port)";
      }
      if (cause instanceof ConnectException) {
        return "the connection was refused";
      }
      if (cause instanceof InterruptedIOException) {
        return "no answer in time";
      }
    }
    return e.getClass().getSimpleName();
  }
}
