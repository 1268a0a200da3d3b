package dev.storagegateway.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Gen3TokenVerifier against keys fetched over HTTP, as from a real Fence. */
class RemoteKeysTest {

  private final TestSigningKey firstKey = TestSigningKey.generate("key-2024");
  private final TestSigningKey rotatedKey = TestSigningKey.generate("key-2025");
  private JwksServer fence;

  @AfterEach
  void stopFence() {
    if (fence != null) {
      fence.close();
    }
  }

  @Test
  void fetchesKeysFromTheIssuersWellKnownJwksAndCachesThem() throws Exception {
    fence = new JwksServer("/user/.well-known/jwks", firstKey.publicJwks());
    Gen3TokenVerifier verifier = Gen3TokenVerifier.forIssuer(fence.issuer(), null, null);
    String token = firstKey.sign(TestSigningKey.accessClaims(fence.issuer().toString()).build());

    assertThat(verifier.verify(token).subject()).isEqualTo("42");
    assertThat(verifier.verify(token).subject()).isEqualTo("42");
    assertThat(fence.fetches()).isEqualTo(1);
  }

  @Test
  void unknownKeyIdTriggersARefetchThatPicksUpRotatedKeys() throws Exception {
    fence = new JwksServer("/user/.well-known/jwks", firstKey.publicJwks());
    String issuer = fence.issuer().toString();
    Gen3TokenVerifier verifier = Gen3TokenVerifier.forIssuer(fence.issuer(), null, null);
    verifier.verify(firstKey.sign(TestSigningKey.accessClaims(issuer).build()));
    assertThat(fence.fetches()).isEqualTo(1);

    fence.publish(rotatedKey.publicJwks());
    CallerIdentity caller =
        verifier.verify(rotatedKey.sign(TestSigningKey.accessClaims(issuer).build()));

    assertThat(caller.subject()).isEqualTo("42");
    assertThat(fence.fetches()).isEqualTo(2);
  }

  @Test
  void refetchesForMadeUpKeyIdsAreRateLimited() throws Exception {
    fence = new JwksServer("/user/.well-known/jwks", firstKey.publicJwks());
    String issuer = fence.issuer().toString();
    Gen3TokenVerifier verifier = Gen3TokenVerifier.forIssuer(fence.issuer(), null, null);
    verifier.verify(firstKey.sign(TestSigningKey.accessClaims(issuer).build()));

    String firstForged =
        TestSigningKey.generate("made-up").sign(TestSigningKey.accessClaims(issuer).build());
    assertThatThrownBy(() -> verifier.verify(firstForged))
        .isInstanceOf(InvalidTokenException.class)
        .hasMessageContaining("is not published by the issuer");
    for (int i = 0; i < 5; i++) {
      String forged =
          TestSigningKey.generate("made-up-" + i).sign(TestSigningKey.accessClaims(issuer).build());
      assertThatThrownBy(() -> verifier.verify(forged))
          .isInstanceOf(IdentityProviderUnavailableException.class)
          .hasMessageContaining("is not among the issuer's keys fetched moments ago");
    }

    assertThat(fence.fetches()).isEqualTo(2);
  }

  /**
   * A made-up kid just before the issuer publishes a new key: tokens signed with it are told to
   * retry (503) for the few seconds until the keys may be fetched again, then verify.
   */
  @Test
  void aKeyPublishedJustAfterAMadeUpKidIsTrustedSecondsLater() throws Exception {
    fence = new JwksServer("/user/.well-known/jwks", firstKey.publicJwks());
    String issuer = fence.issuer().toString();
    Gen3TokenVerifier verifier = Gen3TokenVerifier.forIssuer(fence.issuer(), null, null);
    verifier.verify(firstKey.sign(TestSigningKey.accessClaims(issuer).build()));
    String forged =
        TestSigningKey.generate("made-up").sign(TestSigningKey.accessClaims(issuer).build());
    assertThatThrownBy(() -> verifier.verify(forged)).isInstanceOf(InvalidTokenException.class);

    fence.publish(rotatedKey.publicJwks());
    String rotated = rotatedKey.sign(TestSigningKey.accessClaims(issuer).build());
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (true) {
      try {
        assertThat(verifier.verify(rotated).subject()).isEqualTo("42");
        break;
      } catch (IdentityProviderUnavailableException retry) {
        assertThat(System.nanoTime()).as("trusted within 20 s").isLessThan(deadline);
        Thread.sleep(250);
      }
    }
  }

  @Test
  void jwksUrlCanBeOverridden() throws Exception {
    fence = new JwksServer("/user/jwt/keys", firstKey.publicJwks());
    URI legacyKeys = URI.create(fence.issuer() + "/jwt/keys");
    Gen3TokenVerifier verifier =
        Gen3TokenVerifier.forIssuer(
            new TokenVerifierSettings(fence.issuer(), legacyKeys, null, Duration.ofSeconds(5)));
    String token = firstKey.sign(TestSigningKey.accessClaims(fence.issuer().toString()).build());

    assertThat(verifier.verify(token).subject()).isEqualTo("42");
  }

  /**
   * Every attempt, not only the first two: the key library fetches at most twice in 30 s, and its
   * refusals that follow while the issuer is down meant "not published" (401, which clients do
   * not retry) instead of the outage (503).
   */
  @Test
  void unreachableKeysMakeTheIdentityProviderUnavailableNotTheTokenInvalid() throws Exception {
    fence = new JwksServer("/user/.well-known/jwks", firstKey.publicJwks());
    URI issuer = fence.issuer();
    fence.close();
    fence = null;
    Gen3TokenVerifier verifier = Gen3TokenVerifier.forIssuer(issuer, null, null);
    String token = firstKey.sign(TestSigningKey.accessClaims(issuer.toString()).build());

    for (int i = 0; i < 5; i++) {
      assertThatThrownBy(() -> verifier.verify(token)).as("attempt " + i)
          .isInstanceOf(IdentityProviderUnavailableException.class)
          .hasMessageContaining(issuer + "/.well-known/jwks")
          .message()
          .doesNotContain(token);
    }
  }

  @Test
  void defaultJwksUrlIsFencesWellKnownPath() {
    assertThat(TokenVerifierSettings.forIssuer(URI.create("https://host/user/")).jwksUrl())
        .isEqualTo(URI.create("https://host/user/.well-known/jwks"));
  }
}
