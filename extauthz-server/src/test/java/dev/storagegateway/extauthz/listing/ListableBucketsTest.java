package dev.storagegateway.extauthz.listing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.storagegateway.auth.Arborist;
import dev.storagegateway.auth.ArboristUnavailableException;
import dev.storagegateway.auth.AuthMapping;
import dev.storagegateway.auth.AuthorizationRequest;
import dev.storagegateway.auth.CallerIdentity;
import dev.storagegateway.auth.Grant;
import dev.storagegateway.extauthz.authorize.ArboristActions;
import dev.storagegateway.extauthz.authorize.BucketLookup;
import dev.storagegateway.extauthz.authorize.CallerGrants;
import dev.storagegateway.extauthz.authorize.DecisionCacheSettings;
import dev.storagegateway.extauthz.check.CheckDenied;
import dev.storagegateway.extauthz.check.DenialReason;
import dev.storagegateway.registry.Bucket;
import dev.storagegateway.registry.BucketStatus;
import dev.storagegateway.registry.Operation;
import dev.storagegateway.registry.PrefixBinding;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ListableBucketsTest {
  private static final Optional<CallerIdentity> ALICE =
      Optional.of(new CallerIdentity("1", "alice", "token-a"));
  private static final ListBucketsPage EVERYTHING = new ListBucketsPage("", null, 10_000);

  private final Map<String, Bucket> registry = new ConcurrentHashMap<>();
  private final List<CallerIdentity> asked = new ArrayList<>();
  private final AtomicBoolean reachable = new AtomicBoolean(true);
  private final AtomicLong nanos = new AtomicLong();
  private final Map<String, AuthMapping> mappings = Map.of(
      "alice", AuthMapping.of(List.of(new Grant("/programs/A", "fence", "read-storage"),
          new Grant("/programs/W", "fence", "write-storage"),
          new Grant("/programs/ANY", "*", "*"))),
      "anonymous", AuthMapping.of(List.of(new Grant("/open", "fence", "read-storage"))));
  private final Arborist arborist = new Arborist() {
    @Override
    public boolean isAllowed(AuthorizationRequest request) {
      throw new AssertionError("a listing must not ask about buckets one by one");
    }

    @Override
    public AuthMapping mappingFor(CallerIdentity caller) {
      if (!reachable.get()) {
        throw new ArboristUnavailableException("down");
      }
      asked.add(caller);
      return mappings.getOrDefault(caller == null ? "anonymous" : caller.username(),
          AuthMapping.NONE);
    }
  };
  private final ListableBuckets listable = new ListableBuckets(BucketLookup.of(registry),
      new CallerGrants(arborist, new DecisionCacheSettings(Duration.ofSeconds(30),
          Duration.ofSeconds(5), 100), (Ticker) nanos::get), ArboristActions.FENCE);

  /**
   * An anonymous GET / costs no login: repeating the pass over the registry for each one let
   * anyone spend a Check thread's time on every request.
   */
  @Test
  void oneCallersListingIsKeptUntilTheRegistryChanges() {
    AtomicLong version = new AtomicLong();
    AtomicLong scans = new AtomicLong();
    BucketLookup versioned = new BucketLookup() {
      @Override
      public Optional<Bucket> find(String name) {
        return Optional.ofNullable(registry.get(name));
      }

      @Override
      public Collection<Bucket> all() {
        scans.incrementAndGet();
        return registry.values();
      }

      @Override
      public OptionalLong version() {
        return OptionalLong.of(version.get());
      }
    };
    ListableBuckets kept = new ListableBuckets(versioned, new CallerGrants(arborist,
        new DecisionCacheSettings(Duration.ofSeconds(30), Duration.ofSeconds(5), 100),
        (Ticker) nanos::get), ArboristActions.FENCE);
    put(bucket("open-a", "/open"));

    for (int i = 0; i < 100; i++) {
      assertThat(kept.list(Optional.empty(), EVERYTHING).buckets()).extracting(Bucket::name)
          .containsExactly("open-a");
    }
    assertThat(scans).hasValue(1);
    assertThat(kept.list(Optional.empty(), new ListBucketsPage("open-b", null, 10)).buckets())
        .as("another page of the same listing").isEmpty();
    assertThat(scans).hasValue(1);

    put(bucket("open-b", "/open"));
    version.incrementAndGet();
    assertThat(kept.list(Optional.empty(), EVERYTHING).buckets()).extracting(Bucket::name)
        .containsExactly("open-a", "open-b");
    assertThat(scans).hasValue(2);

    put(bucket("alices", "/programs/A"));
    version.incrementAndGet();
    assertThat(kept.list(ALICE, EVERYTHING).buckets()).extracting(Bucket::name)
        .as("another caller's listing is its own").containsExactly("alices");
    assertThat(kept.list(Optional.empty(), EVERYTHING).buckets()).extracting(Bucket::name)
        .containsExactly("open-a", "open-b");
  }

  /** Arborist's mapping goes by the user alone: it would list what the token may not reach. */
  @Test
  void aNarrowedTokenIsToldToAddressBucketsByName() {
    put(bucket("alices", "/programs/A"));
    CallerIdentity viaClient = new CallerIdentity("1", "alice", "token-c", List.of("azp"));

    assertThatThrownBy(() -> listable.list(Optional.of(viaClient), EVERYTHING))
        .isInstanceOf(CheckDenied.class)
        .hasMessageContaining("narrowed by azp")
        .extracting(denied -> ((CheckDenied) denied).denial().reason())
        .isEqualTo(DenialReason.FORBIDDEN);
    assertThat(asked).isEmpty();
  }

  @Test
  void aLargeRegistryIsListedWithOneArboristCall() {
    for (int i = 0; i < 20_000; i++) {
      put(bucket(String.format("b%05d", i), i % 2 == 0 ? "/programs/A/p" + i : "/programs/B"));
    }

    ListableBuckets.Listed listed = listable.list(ALICE, EVERYTHING);

    assertThat(asked).hasSize(1);
    assertThat(listed.buckets()).hasSize(10_000).extracting(Bucket::name)
        .isSorted().allSatisfy(name -> assertThat(Integer.parseInt(name.substring(1)) % 2)
            .isZero());
    assertThat(listed.truncated()).isFalse();
  }

  @Test
  void onlyActiveBucketsThatAllowListingAndWhoseSomeBindingIsReadable() {
    put(bucket("whole", "/programs/A"));
    put(bucket("beneath", "/programs/A/projects/x"));
    put(bucket("sibling", "/programs/AB"));
    put(bucket("write-only-grant", "/programs/W"));
    put(bucket("wildcard", "/programs/ANY/x"));
    put(bucket("suspended", "/programs/A").toBuilder().status(BucketStatus.SUSPENDED).build());
    put(bucket("no-listing", "/programs/A").toBuilder()
        .allowedOps(EnumSet.of(Operation.READ)).build());
    put(bucket("prefix-only", "/programs/OTHER").toBuilder().prefixBindings(List.of(
        new PrefixBinding("", "/programs/OTHER"), new PrefixBinding("mine/", "/programs/A")))
        .build());
    put(bucket("unbound", "/programs/A").toBuilder().prefixBindings(List.of()).build());

    assertThat(listable.list(ALICE, EVERYTHING).buckets()).extracting(Bucket::name)
        .containsExactly("beneath", "prefix-only", "whole", "wildcard");
  }

  @Test
  void anonymousCallersGetWhatAnonymousMayList() {
    put(bucket("open", "/open/data"));
    put(bucket("closed", "/programs/A"));

    assertThat(listable.list(Optional.empty(), EVERYTHING).buckets()).extracting(Bucket::name)
        .containsExactly("open");
    assertThat(asked).containsExactly((CallerIdentity) null);
  }

  @Test
  void pagesAreCutInNameOrderAndSayWhereTheNextStarts() {
    for (String name : List.of("d", "b", "e", "a", "c")) {
      put(bucket(name, "/programs/A"));
    }
    ListableBuckets.Listed first = listable.list(ALICE, new ListBucketsPage("", null, 2));
    assertThat(first.buckets()).extracting(Bucket::name).containsExactly("a", "b");
    assertThat(first.continuationToken()).contains(ListBucketsPage.tokenAfter("b"));

    ListableBuckets.Listed last = listable.list(ALICE, new ListBucketsPage("", "c", 2));
    assertThat(last.buckets()).extracting(Bucket::name).containsExactly("d", "e");
    assertThat(last.continuationToken()).isEmpty();
  }

  @Test
  void theMappingIsRememberedPerCallerForTheShorterTtl() {
    put(bucket("a", "/programs/A"));
    listable.list(ALICE, EVERYTHING);
    listable.list(ALICE, EVERYTHING);
    listable.list(Optional.of(CallerIdentity.withoutToken("1", "alice")), EVERYTHING);
    listable.list(Optional.empty(), EVERYTHING);
    assertThat(asked).hasSize(3);

    nanos.addAndGet(Duration.ofSeconds(6).toNanos());
    listable.list(ALICE, EVERYTHING);
    assertThat(asked).hasSize(4);
  }

  @Test
  void whenArboristCannotAnswerTheListingIsRefusedWith503() {
    reachable.set(false);

    assertThatThrownBy(() -> listable.list(ALICE, EVERYTHING))
        .isInstanceOfSatisfying(CheckDenied.class, denied -> {
          assertThat(denied.denial().reason()).isEqualTo(DenialReason.AUTHORIZATION_UNAVAILABLE);
          assertThat(denied.denial().status()).isEqualTo(503);
        });
  }

  private void put(Bucket bucket) {
    registry.put(bucket.name(), bucket);
  }

  private static Bucket bucket(String name, String resourcePath) {
    return Bucket.builder().name(name)
        .prefixBindings(List.of(new PrefixBinding("", resourcePath))).build();
  }
}
