package dev.storagegateway.extauthz.authorize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.storagegateway.auth.Arborist;
import dev.storagegateway.auth.ArboristRefusedTokenException;
import dev.storagegateway.auth.ArboristUnavailableException;
import dev.storagegateway.auth.AuthMapping;
import dev.storagegateway.auth.AuthorizationRequest;
import dev.storagegateway.auth.CallerIdentity;
import dev.storagegateway.auth.Grant;
import dev.storagegateway.extauthz.check.CheckDenied;
import dev.storagegateway.extauthz.check.DenialReason;
import dev.storagegateway.extauthz.parse.AccessScope;
import dev.storagegateway.registry.Bucket;
import dev.storagegateway.registry.Operation;
import dev.storagegateway.registry.PrefixBinding;
import dev.storagegateway.registry.Provider;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class StorageAuthorizationTest {
  private static final Bucket BUCKET = Bucket.builder().name("b").provider(Provider.AWS)
      .prefixBindings(List.of(new PrefixBinding("", "/programs/DEV"))).build();
  private static final Optional<CallerIdentity> ALICE =
      Optional.of(new CallerIdentity("1", "alice", "token-a"));

  private final List<AuthorizationRequest> asked = new ArrayList<>();
  private final AtomicBoolean answer = new AtomicBoolean(true);
  /** Resources Arborist refuses whatever {@link #answer} says. */
  private final Set<String> refused = new HashSet<>();
  private final AtomicBoolean reachable = new AtomicBoolean(true);
  /** The resources of each question about several at once. */
  private final List<List<String>> together = new ArrayList<>();
  /** What Arborist's whole mapping of the caller holds, and how often it was asked for. */
  private final AtomicReference<AuthMapping> mapping = new AtomicReference<>(AuthMapping.NONE);
  private final AtomicInteger mappings = new AtomicInteger();
  /** Whether Arborist refuses the token itself, as its 401 says. */
  private final AtomicBoolean tokenRefused = new AtomicBoolean();
  private final AtomicLong nanos = new AtomicLong();
  private final StorageAuthorization authorization = new StorageAuthorization(new Arborist() {
    @Override
    public boolean isAllowed(AuthorizationRequest request) {
      if (!reachable.get()) {
        throw new ArboristUnavailableException("down");
      }
      if (tokenRefused.get()) {
        throw new ArboristRefusedTokenException("Arborist refused the token: token is expired");
      }
      asked.add(request);
      return answer.get() && !refused.contains(request.resourcePath());
    }

    @Override
    public boolean isAllowedOnEvery(CallerIdentity caller, Collection<String> resourcePaths,
        String service, String method) {
      together.add(List.copyOf(resourcePaths));
      return resourcePaths.stream().allMatch(path ->
          isAllowed(new AuthorizationRequest(caller, path, service, method)));
    }

    @Override
    public AuthMapping mappingFor(CallerIdentity caller) {
      mappings.incrementAndGet();
      return mapping.get();
    }
  }, ArboristActions.FENCE, new DecisionCacheSettings(Duration.ofSeconds(30),
      Duration.ofSeconds(5), 100), (Ticker) nanos::get);

  @Test
  void readsAndListingsAskReadStorageAndChangesAskWriteStorageOncePerResource() {
    for (Operation action : Operation.values()) {
      authorization.require(ALICE, BUCKET, "k-" + action, action);
    }
    // READ, WRITE, then LIST, DELETE and MULTIPART are answered from the cache: the question is
    // the resource and the method, not the key.
    assertThat(asked).extracting(AuthorizationRequest::method)
        .containsExactly("read-storage", "write-storage");
    assertThat(asked).allSatisfy(request -> {
      assertThat(request.service()).isEqualTo("fence");
      assertThat(request.resourcePath()).isEqualTo("/programs/DEV");
    });
  }

  /** A bucket may bind 256 prefixes: one question each would outlast Envoy's timeout. */
  @Test
  void aListingOverManyBindingsAsksAboutThemAllAtOnceAndRemembersTheAllow() {
    Bucket wide = BUCKET.toBuilder().prefixBindings(List.of(new PrefixBinding("", "/programs/DEV"),
        new PrefixBinding("a/", "/programs/A"), new PrefixBinding("b/", "/programs/B"),
        new PrefixBinding("c/", "/programs/C"))).build();

    authorization.require(ALICE, wide, new AccessScope.Listing(""), Operation.LIST);
    authorization.require(ALICE, wide, new AccessScope.Listing(""), Operation.LIST);

    assertThat(together).containsExactly(List.of("/programs/A", "/programs/B", "/programs/C"));
    refused.add("/programs/B");
    nanos.addAndGet(Duration.ofSeconds(31).toNanos());
    assertThatThrownBy(() -> authorization.require(ALICE, wide, new AccessScope.WholeBucket(
        "delete one object at a time"), Operation.DELETE))
        .hasMessage("user 'alice' may not write-storage on every object of s3://b/, and this"
            + " request names its objects only in its body; delete one object at a time");
  }

  /**
   * HeadBucket and GetBucketLocation ask whether the caller may read anywhere in the bucket: the
   * root's resource alone, then one mapping for the other bindings, however many.
   */
  @Test
  void readingSomeObjectAsksTheRootThenOneMapping() {
    List<PrefixBinding> bindings = new ArrayList<>(List.of(new PrefixBinding("", "/programs/DEV")));
    for (int i = 0; i < 200; i++) {
      bindings.add(new PrefixBinding("p" + i + "/", "/programs/P" + i));
    }
    Bucket wide = BUCKET.toBuilder().prefixBindings(bindings).build();
    refused.add("/programs/DEV");
    mapping.set(AuthMapping.of(List.of(new Grant("/programs/P150", "fence", "read-storage"))));

    authorization.require(ALICE, wide, AccessScope.SomeObject.INSTANCE, Operation.READ);

    assertThat(asked).extracting(AuthorizationRequest::resourcePath)
        .containsExactly("/programs/DEV");
    assertThat(mappings).hasValue(1);
    mapping.set(AuthMapping.NONE);
    assertThatThrownBy(() -> authorization.require(Optional.of(new CallerIdentity("2", "bob",
        "token-b")), wide, AccessScope.SomeObject.INSTANCE, Operation.READ))
        .hasMessage("user 'bob' may not read-storage on any object of s3://b/");
  }

  /** Arborist's own verdict on the token: 401 to fetch a new one, and no denial remembered. */
  @Test
  void aTokenArboristRefusesIsA401AndNothingIsRemembered() {
    tokenRefused.set(true);
    assertThatThrownBy(() -> authorization.require(ALICE, BUCKET, "k", Operation.READ))
        .isInstanceOfSatisfying(CheckDenied.class, denied -> {
          assertThat(denied.denial().reason()).isEqualTo(DenialReason.INVALID_TOKEN);
          assertThat(denied.getMessage()).isEqualTo("Arborist refused the token: token is"
              + " expired; fetch a new Gen3 access token");
        });
    tokenRefused.set(false);
    authorization.require(ALICE, BUCKET, "k", Operation.READ);
    assertThat(authorization.denyCache().estimatedSize()).isZero();
  }

  @Test
  void allowsAreRememberedLongerThanDenials() {
    authorization.require(ALICE, BUCKET, "k", Operation.READ);
    authorization.require(ALICE, BUCKET, "k", Operation.READ);
    assertThat(asked).hasSize(1);
    nanos.addAndGet(Duration.ofSeconds(31).toNanos());
    answer.set(false);
    assertThatThrownBy(() -> authorization.require(ALICE, BUCKET, "k", Operation.READ))
        .isInstanceOfSatisfying(CheckDenied.class, denied ->
            assertThat(denied.denial().reason()).isEqualTo(DenialReason.FORBIDDEN));
    answer.set(true);
    assertThatThrownBy(() -> authorization.require(ALICE, BUCKET, "k", Operation.READ))
        .isInstanceOf(CheckDenied.class);
    assertThat(asked).hasSize(2);
    nanos.addAndGet(Duration.ofSeconds(6).toNanos());
    authorization.require(ALICE, BUCKET, "k", Operation.READ);
    assertThat(asked).hasSize(3);
  }

  @Test
  void anonymousCallersAreAskedAsAnonymousAndToldHowToIdentify() {
    answer.set(false);
    assertThatThrownBy(() -> authorization.require(Optional.empty(), BUCKET, "k", Operation.READ))
        .hasMessageContaining("anonymous access may not read-storage on s3://b/k")
        .hasMessageContaining("Authorization: Bearer");
    assertThat(asked.get(0).isAnonymous()).isTrue();
  }

  @Test
  void anUnreachableArboristIsA503AndNothingIsRemembered() {
    reachable.set(false);
    assertThatThrownBy(() -> authorization.require(ALICE, BUCKET, "k", Operation.READ))
        .isInstanceOfSatisfying(CheckDenied.class, denied -> {
          assertThat(denied.denial().reason()).isEqualTo(DenialReason.AUTHORIZATION_UNAVAILABLE);
          assertThat(denied.denial().status()).isEqualTo(503);
        });
    reachable.set(true);
    authorization.require(ALICE, BUCKET, "k", Operation.READ);
    assertThat(asked).hasSize(1);
  }

  /** S3Proxy serves and deletes the object {@code r} for {@code r/}. */
  @Test
  void aKeyEndingInASlashAlsoNeedsTheBindingOfTheKeyWithoutIt() {
    Bucket bucket = Bucket.builder().name("b").provider(Provider.AWS).prefixBindings(List.of(
        new PrefixBinding("", "/programs/ROOT"), new PrefixBinding("r/", "/programs/R"))).build();
    refused.add("/programs/ROOT");
    authorization.require(ALICE, bucket, "r/x/", Operation.READ);
    assertThatThrownBy(() -> authorization.require(ALICE, bucket, "r/", Operation.DELETE))
        .isInstanceOfSatisfying(CheckDenied.class, denied -> {
          assertThat(denied.denial().reason()).isEqualTo(DenialReason.FORBIDDEN);
          assertThat(denied.denial().message()).isEqualTo("user 'alice' may not write-storage"
              + " on s3://b/r, which some storage services (S3Proxy) serve for s3://b/r/ as"
              + " they drop its trailing '/'");
        });
    assertThat(asked).extracting(AuthorizationRequest::resourcePath)
        .containsExactly("/programs/R", "/programs/R", "/programs/ROOT");

    // A listing of r/ shows no object r, so it needs R alone, whose allow is remembered.
    asked.clear();
    authorization.require(ALICE, bucket, new AccessScope.Listing("r/"), Operation.LIST);
    assertThat(asked).isEmpty();

    refused.clear();
    authorization.require(ALICE, bucket, "r/", Operation.READ);

    refused.add("/programs/ROOT");
    assertThatThrownBy(() -> authorization.require(Optional.empty(), bucket, "r/",
        Operation.READ))
        .hasMessageStartingWith("anonymous access may not read-storage on s3://b/r,")
        .hasMessageEndingWith("; send a Gen3 access token as 'Authorization: Bearer <token>'");
  }

  @Test
  void aKeyEndingInASlashWhoseKeyWithoutItIsUncoveredIsRefused() {
    Bucket partial = Bucket.builder().name("p").provider(Provider.AWS)
        .prefixBindings(List.of(new PrefixBinding("a/", "/programs/A"))).build();
    assertThatThrownBy(() -> authorization.require(ALICE, partial, "a/", Operation.READ))
        .isInstanceOfSatisfying(CheckDenied.class, denied -> {
          assertThat(denied.denial().reason()).isEqualTo(DenialReason.NO_RESOURCE_BINDING);
          assertThat(denied.denial().message()).startsWith("no authorization resource covers"
              + " s3://p/a, which some storage services (S3Proxy) serve for s3://p/a/");
        });
  }

  @Test
  void anUncoveredKeyIsRefusedWithoutAskingArborist() {
    Bucket partial = Bucket.builder().name("p").provider(Provider.AWS)
        .prefixBindings(List.of(new PrefixBinding("a/", "/programs/A"))).build();
    assertThatThrownBy(() -> authorization.require(ALICE, partial, "b/x", Operation.READ))
        .isInstanceOfSatisfying(CheckDenied.class, denied -> {
          assertThat(denied.denial().message()).contains("s3://p/b/x");
          assertThat(denied.denial().reason()).isEqualTo(DenialReason.NO_RESOURCE_BINDING);
        });
    assertThat(asked).isEmpty();
  }
}
