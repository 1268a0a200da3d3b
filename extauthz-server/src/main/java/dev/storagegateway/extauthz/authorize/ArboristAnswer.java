package dev.storagegateway.extauthz.authorize;

import dev.storagegateway.auth.ArboristRefusedTokenException;
import dev.storagegateway.auth.ArboristUnavailableException;
import dev.storagegateway.extauthz.check.CheckDenied;
import dev.storagegateway.extauthz.check.DenialReason;
import java.util.function.Supplier;

/** What Arborist answers a question, or the refusal when it has no answer or refuses the token. */
final class ArboristAnswer {
  private ArboristAnswer() {
  }

  static <T> T to(Supplier<T> question) {
    try {
      return question.get();
    } catch (ArboristUnavailableException e) {
      throw new CheckDenied(DenialReason.AUTHORIZATION_UNAVAILABLE,
          "the gateway cannot check permissions right now (authorization service unreachable);"
              + " retry later");
    } catch (ArboristRefusedTokenException e) {
      throw new CheckDenied(DenialReason.INVALID_TOKEN, e.getMessage()
          + "; fetch a new Gen3 access token");
    }
  }
}
