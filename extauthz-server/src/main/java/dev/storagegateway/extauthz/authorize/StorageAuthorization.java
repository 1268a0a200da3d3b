package dev.storagegateway.extauthz.authorize;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.storagegateway.auth.Arborist;
import dev.storagegateway.auth.ArboristUnavailableException;
import dev.storagegateway.auth.AuthorizationRequest;
import dev.storagegateway.auth.CallerIdentity;
import dev.storagegateway.extauthz.check.CheckDenied;
import dev.storagegateway.extauthz.check.DenialReason;
import dev.storagegateway.registry.Bucket;
import dev.storagegateway.registry.Operation;
import java.util.Optional;

/**
 * Step 4: asks Arborist whether the caller may perform the action on the resource that guards the
 * object, remembering answers briefly (allows and denials in separate bounded caches). When
 * Arborist cannot answer the request is refused with 503; it is never let through.
 */
public final class StorageAuthorization {
  private static final String ANONYMOUS = "";

  private final Arborist arborist;
  private final ArboristActions actions;
  private final Cache<Question, Boolean> allowed;
  private final Cache<Question, Boolean> denied;

  public StorageAuthorization(Arborist arborist, ArboristActions actions,
      DecisionCacheSettings settings, com.github.benmanes.caffeine.cache.Ticker ticker) {
    this.arborist = arborist;
    this.actions = actions;
    this.allowed = Caffeine.newBuilder().maximumSize(settings.maxEntries())
        .expireAfterWrite(settings.allowTtl()).ticker(ticker).recordStats().build();
    this.denied = Caffeine.newBuilder().maximumSize(settings.maxEntries())
        .expireAfterWrite(settings.denyTtl()).ticker(ticker).recordStats().build();
  }

  /**
   * @param keyOrPrefix the object key, listing prefix or {@code ""} that selects the resource
   * @param subject what the refusal calls the object, e.g. {@code "s3://b/k"}
   */
  public void require(Optional<CallerIdentity> caller, Bucket bucket, String keyOrPrefix,
      Operation action, String subject) {
    String resource = ResourcePaths.resourceFor(bucket, keyOrPrefix).orElseThrow(() ->
        new CheckDenied(DenialReason.NO_RESOURCE_BINDING, "no authorization resource covers "
            + subject + "; an administrator must bind its prefix to a resource path"));
    String method = actions.methodFor(action);
    if (!isAllowed(caller, resource, method)) {
      throw new CheckDenied(DenialReason.FORBIDDEN, (caller.isPresent()
          ? "user '" + caller.get().username() + "'" : "anonymous access")
          + " may not " + method + " on " + subject + (caller.isPresent() ? ""
          : "; send a Gen3 access token as 'Authorization: Bearer <token>'"));
    }
  }

  public Cache<Question, Boolean> allowCache() {
    return allowed;
  }

  public Cache<Question, Boolean> denyCache() {
    return denied;
  }

  private boolean isAllowed(Optional<CallerIdentity> caller, String resource, String method) {
    Question question = new Question(caller.map(StorageAuthorization::askedAs).orElse(ANONYMOUS),
        resource, method);
    if (allowed.getIfPresent(question) != null) {
      return true;
    }
    if (denied.getIfPresent(question) != null) {
      return false;
    }
    boolean answer;
    try {
      answer = arborist.isAllowed(
          new AuthorizationRequest(caller.orElse(null), resource, actions.service(), method));
    } catch (ArboristUnavailableException e) {
      throw new CheckDenied(DenialReason.AUTHORIZATION_UNAVAILABLE,
          "the gateway cannot check permissions right now (authorization service unreachable);"
              + " retry later");
    }
    (answer ? allowed : denied).put(question, Boolean.TRUE);
    return answer;
  }

  /**
   * Who Arborist is asked about. It decides from a token itself (scopes included), so a token is
   * its own key; a caller without one (gateway session credentials) is asked about by username,
   * under a prefix no JWT can start with.
   */
  private static String askedAs(CallerIdentity caller) {
    return caller.hasAccessToken() ? caller.accessToken() : "user_id:" + caller.username();
  }

  /** One question put to Arborist; {@code caller} says who it is about, empty for anonymous. */
  public record Question(String caller, String resource, String method) {
    @Override
    public String toString() {
      return "Question[" + resource + " " + method + "]";
    }
  }
}
