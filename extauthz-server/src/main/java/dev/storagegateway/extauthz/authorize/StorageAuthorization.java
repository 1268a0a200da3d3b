package dev.storagegateway.extauthz.authorize;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.storagegateway.auth.Arborist;
import dev.storagegateway.auth.AuthMapping;
import dev.storagegateway.auth.AuthorizationRequest;
import dev.storagegateway.auth.CallerIdentity;
import dev.storagegateway.extauthz.check.CheckDenied;
import dev.storagegateway.extauthz.check.DenialReason;
import dev.storagegateway.extauthz.parse.AccessScope;
import dev.storagegateway.registry.Bucket;
import dev.storagegateway.registry.Operation;
import dev.storagegateway.registry.PrefixBinding;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

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
  /** Whole mappings, for questions about any of a bucket's bindings. */
  private final CallerGrants grants;

  public StorageAuthorization(Arborist arborist, ArboristActions actions,
      DecisionCacheSettings settings, com.github.benmanes.caffeine.cache.Ticker ticker) {
    this.arborist = arborist;
    this.actions = actions;
    this.allowed = Caffeine.newBuilder().executor(Runnable::run).maximumSize(settings.maxEntries())
        .expireAfterWrite(settings.allowTtl()).ticker(ticker).recordStats().build();
    this.denied = Caffeine.newBuilder().executor(Runnable::run).maximumSize(settings.maxEntries())
        .expireAfterWrite(settings.denyTtl()).ticker(ticker).recordStats().build();
    this.grants = new CallerGrants(arborist, settings, ticker);
  }

  /**
   * Requires {@code action} on the objects {@code scope} names: the resource of their binding;
   * for a {@link AccessScope.Listing} also those of the bindings under its prefix; for
   * {@link AccessScope.WholeBucket} the resources of every binding, one of them covering the
   * bucket's root; for {@link AccessScope.SomeObject} the resource of any one binding; for
   * {@link AccessScope.IssuedUploadSession} nothing, as the session is
   * Cloud Storage's own credential and the gateway adds none. Refusals name the objects as
   * people do ({@code s3://b/k}, {@code gs://b/k}), a string built only when refusing.
   */
  public void require(Optional<CallerIdentity> caller, Bucket bucket, AccessScope scope,
      Operation action) {
    if (scope instanceof AccessScope.Objects objects) {
      require(caller, bucket, objects.keyOrPrefix(), action);
    } else if (scope instanceof AccessScope.Listing listing) {
      requireListing(caller, bucket, listing.prefix(), action);
    } else if (scope instanceof AccessScope.WholeBucket whole) {
      requireWholeBucket(caller, bucket, action, whole.remedy());
    } else if (scope instanceof AccessScope.SomeObject) {
      requireSomeObject(caller, bucket, action);
    } else if (!(scope instanceof AccessScope.IssuedUploadSession)) {
      // A scope added without its rule is refused, never let through.
      throw new IllegalStateException("no authorization rule for " + scope);
    }
  }

  /**
   * Requires {@code action} on one object, or with {@code ""} on the bucket itself. A key that
   * ends in '/' also needs the binding of the key without it, where that is another: S3Proxy
   * drops the '/', so a GET or DELETE of {@code restricted/}, which the binding of
   * {@code restricted/} governs, reads or deletes the object {@code restricted}, which the
   * bucket's root binding governs (StorageCleanedKeysTest).
   *
   * @param key the decoded object key
   */
  public void require(Optional<CallerIdentity> caller, Bucket bucket, String key,
      Operation action) {
    requireBinding(caller, bucket, key, action);
    if (key.length() > 1 && key.endsWith("/")) {
      requireAlsoServed(caller, bucket, key, key.substring(0, key.length() - 1), action);
    }
  }

  /**
   * Requires {@code action} on every one of {@code resources}, as Fence authorizes a file it knows
   * by GUID: the file's indexd record lists them ({@code authz}), not the bucket's bindings.
   *
   * @param subject the resources, for the refusal, e.g.
   *     {@code "every authz resource of file dg.4503/..."}
   */
  public void requireEvery(Optional<CallerIdentity> caller, List<String> resources,
      Operation action, String subject) {
    requireEvery(caller, resources, actions.methodFor(action), subject);
  }

  /**
   * Requires Arborist's {@code method} (of the storage service, {@code fence} by default) on
   * every one of {@code resources}: Fence's upload flow asks {@code create} and
   * {@code file_upload}, which are not storage reads or writes.
   */
  public void requireEvery(Optional<CallerIdentity> caller, List<String> resources,
      String method, String subject) {
    if (!allowsEvery(caller, resources, method)) {
      throw new CheckDenied(DenialReason.FORBIDDEN, who(caller) + " may not " + method
          + " on " + subject + " " + resources + tokenHint(caller));
    }
  }

  /** Whether {@code method} is allowed on every one of {@code resources}, refusing nothing. */
  public boolean allowsEvery(Optional<CallerIdentity> caller, List<String> resources,
      String method) {
    if (resources.isEmpty()) {
      // Every one of none would let anyone through.
      throw new IllegalArgumentException("no resources to ask " + method + " on");
    }
    return isAllowedOnEvery(caller, new LinkedHashSet<>(resources), method);
  }

  /** The method {@code action} needs, as configured ({@code write-storage} for uploads). */
  public String methodFor(Operation action) {
    return actions.methodFor(action);
  }

  private void requireAlsoServed(Optional<CallerIdentity> caller, Bucket bucket, String key,
      String served, Operation action) {
    if (ResourcePaths.resourceFor(bucket, served)
        .equals(ResourcePaths.resourceFor(bucket, key))) {
      return;
    }
    requireBinding(caller, bucket, served, action, ", which some storage services (S3Proxy)"
        + " serve for " + subject(bucket, key) + " as they drop its trailing '/'");
  }

  /** @param keyOrPrefix the object key, listing prefix or {@code ""} that selects the resource */
  private void requireBinding(Optional<CallerIdentity> caller, Bucket bucket, String keyOrPrefix,
      Operation action) {
    requireBinding(caller, bucket, keyOrPrefix, action, "");
  }

  /** @param why why {@code keyOrPrefix} is asked about, when it is not what the request names */
  private void requireBinding(Optional<CallerIdentity> caller, Bucket bucket, String keyOrPrefix,
      Operation action, String why) {
    String resource = ResourcePaths.resourceFor(bucket, keyOrPrefix).orElseThrow(() ->
        new CheckDenied(DenialReason.NO_RESOURCE_BINDING, "no authorization resource covers "
            + subject(bucket, keyOrPrefix) + why
            + "; an administrator must bind its prefix to a resource path"));
    String method = actions.methodFor(action);
    if (!isAllowed(caller, resource, method)) {
      throw new CheckDenied(DenialReason.FORBIDDEN, who(caller) + " may not " + method + " on "
          + subject(bucket, keyOrPrefix) + why + tokenHint(caller));
    }
  }

  private static String subject(Bucket bucket, String keyOrPrefix) {
    return bucket.provider().objectUri(bucket.name(), keyOrPrefix);
  }

  /**
   * A listing shows the names of every object under its prefix, so a caller must be allowed on
   * each binding down there too: a binding guards its objects' names as well as their contents.
   */
  private void requireListing(Optional<CallerIdentity> caller, Bucket bucket, String prefix,
      Operation action) {
    requireBinding(caller, bucket, prefix, action);
    String covering = ResourcePaths.resourceFor(bucket, prefix).orElseThrow();
    String method = actions.methodFor(action);
    Set<String> beneath = new LinkedHashSet<>();
    for (PrefixBinding binding : bucket.prefixBindings()) {
      if (binding.prefix().startsWith(prefix)) {
        beneath.add(binding.resourcePath());
      }
    }
    beneath.remove(covering);
    if (!isAllowedOnEvery(caller, beneath, method)) {
      // The refusal names the listing, not a binding: the names of restricted prefixes are
      // among what the bindings guard.
      throw new CheckDenied(DenialReason.FORBIDDEN, who(caller) + " may not " + method
          + " on every object a listing of " + subject(bucket, prefix) + " would show; list"
          + " a prefix you may read");
    }
  }

  private static String who(Optional<CallerIdentity> caller) {
    return caller.isPresent() ? "user '" + caller.get().username() + "'" : "anonymous access";
  }

  private static String tokenHint(Optional<CallerIdentity> caller) {
    return caller.isPresent() ? ""
        : "; send a Gen3 access token as 'Authorization: Bearer <token>'";
  }

  private void requireWholeBucket(Optional<CallerIdentity> caller, Bucket bucket,
      Operation action, String remedy) {
    String subject = subject(bucket, "");
    String root = ResourcePaths.resourceFor(bucket, "").orElseThrow(() -> new CheckDenied(
        DenialReason.NO_RESOURCE_BINDING, "this request names its objects only in its body, so"
            + " it may touch any object of " + subject + ", but no authorization resource"
            + " covers the whole bucket; " + remedy));
    // The root first: a caller refused there is refused as for any other request.
    requireBinding(caller, bucket, "", action);
    Set<String> others = new LinkedHashSet<>();
    for (PrefixBinding binding : bucket.prefixBindings()) {
      others.add(binding.resourcePath());
    }
    others.remove(root);
    if (!isAllowedOnEvery(caller, others, actions.methodFor(action))) {
      throw new CheckDenied(DenialReason.FORBIDDEN, who(caller)
          + " may not " + actions.methodFor(action) + " on every object of " + subject
          + ", and this request names its objects only in its body; " + remedy);
    }
  }

  /** The root's resource first: most callers allowed anywhere in a bucket are allowed there. */
  private void requireSomeObject(Optional<CallerIdentity> caller, Bucket bucket,
      Operation action) {
    Set<String> resources = new LinkedHashSet<>();
    ResourcePaths.resourceFor(bucket, "").ifPresent(resources::add);
    for (PrefixBinding binding : bucket.prefixBindings()) {
      resources.add(binding.resourcePath());
    }
    String subject = subject(bucket, "");
    if (resources.isEmpty()) {
      throw new CheckDenied(DenialReason.NO_RESOURCE_BINDING, "no authorization resource covers"
          + " any object of " + subject + "; an administrator must bind a prefix to a resource"
          + " path");
    }
    String method = actions.methodFor(action);
    if (!isAllowedOnAny(caller, List.copyOf(resources), method)) {
      throw new CheckDenied(DenialReason.FORBIDDEN, who(caller) + " may not " + method
          + " on any object of " + subject + tokenHint(caller));
    }
  }

  /**
   * The first resource asked alone, as any single check asks it. Beyond it, the caller's whole
   * mapping, one Arborist call however many bindings: asking each in turn took a call per
   * binding, and 256 of them outlast Envoy's timeout. Arborist does not answer a token narrowed
   * by its claims from its user's mapping, so such a token is asked about binding by binding.
   */
  private boolean isAllowedOnAny(Optional<CallerIdentity> caller, List<String> resources,
      String method) {
    if (isAllowed(caller, resources.get(0), method)) {
      return true;
    }
    List<String> others = resources.subList(1, resources.size());
    if (caller.isPresent() && !caller.get().narrowedBy().isEmpty()) {
      return others.stream().anyMatch(resource -> isAllowed(caller, resource, method));
    }
    if (others.isEmpty()) {
      return false;
    }
    AuthMapping mapping = grants.of(caller);
    return others.stream().anyMatch(resource -> mapping.allows(resource, actions.service(),
        method));
  }

  /**
   * The callers' whole mappings, remembered once for the pipeline: HeadBucket's question and
   * ListBuckets' are answered from the same mapping.
   */
  public CallerGrants grants() {
    return grants;
  }

  public Cache<Question, Boolean> allowCache() {
    return allowed;
  }

  public Cache<Question, Boolean> denyCache() {
    return denied;
  }

  private boolean isAllowed(Optional<CallerIdentity> caller, String resource, String method) {
    Question question = question(caller, resource, method);
    if (allowed.getIfPresent(question) != null) {
      return true;
    }
    if (denied.getIfPresent(question) != null) {
      return false;
    }
    boolean answer = ArboristAnswer.to(() -> arborist.isAllowed(
        new AuthorizationRequest(caller.orElse(null), resource, actions.service(), method)));
    (answer ? allowed : denied).put(question, Boolean.TRUE);
    return answer;
  }

  /**
   * Whether every resource allows the method, asking Arborist once about all it has no cached
   * answer for (a bucket may bind 256 prefixes: one question each would outlast Envoy's
   * timeout). Arborist's single answer covers them together, so only an allow is remembered,
   * for each; a denial cannot say which resource refused.
   */
  private boolean isAllowedOnEvery(Optional<CallerIdentity> caller, Set<String> resources,
      String method) {
    List<String> unanswered = new ArrayList<>();
    for (String resource : resources) {
      Question question = question(caller, resource, method);
      if (denied.getIfPresent(question) != null) {
        return false;
      }
      if (allowed.getIfPresent(question) == null) {
        unanswered.add(resource);
      }
    }
    if (unanswered.size() <= 1) {
      return unanswered.isEmpty() || isAllowed(caller, unanswered.get(0), method);
    }
    boolean answer = ArboristAnswer.to(() -> arborist.isAllowedOnEvery(caller.orElse(null),
        unanswered, actions.service(), method));
    if (answer) {
      unanswered.forEach(resource -> allowed.put(question(caller, resource, method), true));
    }
    return answer;
  }

  private static Question question(Optional<CallerIdentity> caller, String resource,
      String method) {
    return new Question(caller.map(StorageAuthorization::askedAs).orElse(ANONYMOUS), resource,
        method);
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
