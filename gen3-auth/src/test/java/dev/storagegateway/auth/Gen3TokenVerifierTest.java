package dev.storagegateway.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.junit.jupiter.api.Test;

class Gen3TokenVerifierTest {

  private static final String ISSUER = "https://commons.example.org/user";

  private final TestSigningKey fenceKey = TestSigningKey.generate("fence-key-1");
  private final Gen3TokenVerifier verifier =
      Gen3TokenVerifier.withKeys(fenceKey.publicJwks(), URI.create(ISSUER), null, null);

  @Test
  void acceptsAValidAccessToken() {
    String token = fenceKey.sign(TestSigningKey.accessClaims(ISSUER).build());

    CallerIdentity caller = verifier.verify(token);

    assertThat(caller.subject()).isEqualTo("42");
    assertThat(caller.username()).isEqualTo("alice@example.org");
    assertThat(caller.accessToken()).isEqualTo(token);
  }

  @Test
  void saysWhoIssuedTheTokenForWhomAndUntilWhen() {
    Instant expiry = Instant.now().plusSeconds(600)
        .truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    String token = fenceKey.sign(claimsExpiringAt(expiry));

    VerifiedToken verified = verifier.verifyToken(token);

    assertThat(verified.issuer()).isEqualTo(ISSUER);
    assertThat(verified.audience()).as("by default, the issuer: Fence puts it in every aud")
        .isEqualTo(ISSUER);
    assertThat(verified.expiresAt()).isEqualTo(expiry);
    assertThat(verified.acceptedUntil())
        .isEqualTo(expiry.plus(TokenVerifierSettings.DEFAULT_CLOCK_SKEW));
  }

  /**
   * The JOSE library's decoder skips characters outside base64url and a last character's unused
   * bits: each of these verified as the token itself, a new key in every cache keyed by token.
   */
  @Test
  void acceptsEachTokenInOneSpellingOnly() {
    String token = fenceKey.sign(TestSigningKey.accessClaims(ISSUER).build());
    String signature = token.substring(token.lastIndexOf('.') + 1);
    // RS256 signatures are 256 bytes: 342 characters, the last one carrying 4 unused bits.
    char last = signature.charAt(signature.length() - 1);
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    char sameBitsUsed = alphabet.charAt(alphabet.indexOf(last) ^ 1);

    assertThat(verifier.verify(token).username()).isEqualTo("alice@example.org");
    assertThat(verifier.verifyToken(token + "\n").caller().accessToken())
        .as("a token file ends in a newline").isEqualTo(token);
    for (String variant : List.of(token + "!!!", token.replace(".", ". "),
        token.substring(0, token.length() - 1) + sameBitsUsed, token + "=",
        token.substring(0, token.length() - 10) + "*#$%" + token.substring(token.length() - 10))) {
      assertThatThrownBy(() -> verifier.verify(variant)).as(variant.length() > 100
              ? variant.substring(variant.length() - 100) : variant)
          .isInstanceOf(InvalidTokenException.class);
    }
    String oversized = token + "A".repeat(Gen3TokenVerifier.MAX_TOKEN_CHARS);
    assertThatThrownBy(() -> verifier.verify(oversized))
        .isInstanceOf(InvalidTokenException.class).hasMessageContaining("is longer than");
  }

  @Test
  void saysWhichClaimsNarrowTheTokenBelowItsUser() {
    String own = fenceKey.sign(TestSigningKey.accessClaims(ISSUER).build());
    String viaClient = fenceKey.sign(TestSigningKey.accessClaims(ISSUER)
        .claim("azp", "some-client").claim("scope", List.of("user", "data")).build());

    assertThat(verifier.verify(own).isNarrowed()).isFalse();
    assertThat(verifier.verify(viaClient).narrowedBy())
        .containsExactly("azp", "a scope without openid");
  }

  /** Fence's data endpoints require the data scope; the verifier says whether a token has it. */
  @Test
  void saysWhetherTheTokenGrantsData() {
    String withData = fenceKey.sign(TestSigningKey.accessClaims(ISSUER).build());
    String without = fenceKey.sign(TestSigningKey.accessClaims(ISSUER)
        .claim("scope", List.of("openid", "user")).build());
    String none = fenceKey.sign(TestSigningKey.accessClaims(ISSUER).claim("scope", null).build());

    assertThat(verifier.verifyToken(withData).grantsData()).isTrue();
    assertThat(verifier.verifyToken(without).grantsData()).isFalse();
    assertThat(verifier.verifyToken(none).grantsData()).isFalse();
  }

  @Test
  void identityNeverPrintsTheToken() {
    String token = fenceKey.sign(TestSigningKey.accessClaims(ISSUER).build());

    CallerIdentity caller = verifier.verify(token);

    assertThat(caller.toString()).contains("42", "alice@example.org").doesNotContain(token);
    assertThat(new AuthorizationRequest(caller, "/programs", "fence", "read-storage").toString())
        .doesNotContain(token);
  }

  @Test
  void usernameFallsBackToSubjectWithoutContext() {
    String token =
        fenceKey.sign(TestSigningKey.accessClaims(ISSUER).claim("context", null).build());

    assertThat(verifier.verify(token).username()).isEqualTo("42");
    assertThat(verifier.verifyToken(token).namesUser()).isFalse();
    assertThat(verifier.verifyToken(fenceKey.sign(TestSigningKey.accessClaims(ISSUER).build()))
        .namesUser()).isTrue();
  }

  @Test
  void rejectsAnExpiredToken() {
    String token = fenceKey.sign(claimsExpiringAt(Instant.now().minusSeconds(120)));

    assertRejected(token, "token expired");
  }

  @Test
  void toleratesExpiryWithinTheClockSkew() {
    String token = fenceKey.sign(claimsExpiringAt(Instant.now().minusSeconds(30)));

    assertThat(verifier.verify(token).subject()).isEqualTo("42");
  }

  @Test
  void clockSkewIsConfigurable() {
    Gen3TokenVerifier strict =
        Gen3TokenVerifier.withKeys(
            fenceKey.publicJwks(), URI.create(ISSUER), null, Duration.ZERO);
    String token = fenceKey.sign(claimsExpiringAt(Instant.now().minusSeconds(30)));

    assertThatThrownBy(() -> strict.verify(token)).hasMessage("token expired");
  }

  @Test
  void rejectsATokenNotValidYet() {
    String token =
        fenceKey.sign(
            TestSigningKey.accessClaims(ISSUER)
                .notBeforeTime(Date.from(Instant.now().plusSeconds(300)))
                .build());

    assertRejected(token, "token is not valid yet (nbf)");
  }

  @Test
  void rejectsAnotherIssuer() {
    String token =
        fenceKey.sign(TestSigningKey.accessClaims("https://elsewhere.example.org/user").build());

    assertRejected(token, "token issuer 'https://elsewhere.example.org/user' is not trusted");
  }

  @Test
  void issuerMustMatchExactly() {
    String token = fenceKey.sign(TestSigningKey.accessClaims(ISSUER + "/").build());

    assertRejected(token, "token issuer '" + ISSUER + "/' is not trusted");
  }

  @Test
  void rejectsAnotherAudience() {
    String token =
        fenceKey.sign(TestSigningKey.accessClaims(ISSUER).audience("some-other-service").build());

    assertRejected(token, "token audience does not include '" + ISSUER + "'");
  }

  @Test
  void audienceIsConfigurable() {
    Gen3TokenVerifier custom =
        Gen3TokenVerifier.withKeys(fenceKey.publicJwks(), URI.create(ISSUER), "my-commons", null);
    String token =
        fenceKey.sign(TestSigningKey.accessClaims(ISSUER).audience(List.of("my-commons")).build());

    assertThat(custom.verify(token).subject()).isEqualTo("42");
    assertThatThrownBy(() -> verifier.verify(token))
        .hasMessage("token audience does not include '" + ISSUER + "'");
  }

  @Test
  void rejectsARefreshToken() {
    String token =
        fenceKey.sign(TestSigningKey.accessClaims(ISSUER).claim("pur", "refresh").build());

    assertRejected(token, "token purpose must be 'access'");
  }

  @Test
  void rejectsATokenWithoutSubject() {
    String token = fenceKey.sign(TestSigningKey.accessClaims(ISSUER).subject(null).build());

    assertRejected(token, "token has no subject (sub)");
  }

  @Test
  void rejectsATokenWithoutExpiry() {
    String token = fenceKey.sign(TestSigningKey.accessClaims(ISSUER).expirationTime(null).build());

    assertRejected(token, "token has no expiry (exp)");
  }

  @Test
  void rejectsATamperedPayload() {
    String[] parts = fenceKey.sign(TestSigningKey.accessClaims(ISSUER).build()).split("\\.");
    String promoted =
        Base64URL.encode(TestSigningKey.accessClaims(ISSUER).subject("1").build().toString())
            .toString();
    String token = parts[0] + "." + promoted + "." + parts[2];

    assertRejected(token, "token signature is invalid");
  }

  @Test
  void rejectsASignatureByAnotherKeyClaimingTheSameKeyId() {
    TestSigningKey impostor = TestSigningKey.generate("fence-key-1");
    String token = impostor.sign(TestSigningKey.accessClaims(ISSUER).build());

    assertRejected(token, "token signature is invalid");
  }

  @Test
  void rejectsAKeyIdTheIssuerDoesNotPublish() {
    TestSigningKey stranger = TestSigningKey.generate("stranger");
    String token = stranger.sign(TestSigningKey.accessClaims(ISSUER).build());

    assertRejected(token, "token signing key 'stranger' is not published by the issuer");
  }

  @Test
  void rejectsAnUnsecuredToken() {
    String header = Base64URL.encode("{\"alg\":\"none\",\"typ\":\"JWT\"}").toString();
    String payload =
        Base64URL.encode(TestSigningKey.accessClaims(ISSUER).build().toString()).toString();
    String token = header + "." + payload + ".";

    assertRejected(token, "token algorithm 'none' is not accepted; Gen3 tokens are RS256");
  }

  @Test
  void rejectsHs256SignedWithThePublicKeyAsSecret() throws JOSEException {
    // The key-confusion attack: a verifier that lets the token pick the algorithm would check
    // this HMAC with the (public) RSA key bytes and accept it.
    byte[] publicKeyBytes = fenceKey.key.toRSAPublicKey().getEncoded();
    SignedJWT forged =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("fence-key-1").build(),
            TestSigningKey.accessClaims(ISSUER).build());
    forged.sign(new MACSigner(publicKeyBytes));

    assertRejected(
        forged.serialize(), "token algorithm 'HS256' is not accepted; Gen3 tokens are RS256");
  }

  @Test
  void rejectsSomethingThatIsNotAJwt() {
    assertRejected("not-a-token", "token is not a JWT");
    assertRejected("a.b.c", "token is not a JWT");
  }

  @Test
  void rejectsClaimsThatAreNotAnObject() {
    String header = Base64URL.encode("{\"alg\":\"RS256\",\"kid\":\"fence-key-1\"}").toString();
    String token = header + "." + Base64URL.encode("[1,2]") + ".c2lnbmF0dXJl";

    assertRejected(token, "token is not a JWT");
  }

  @Test
  void quotesUntrustedValuesSafely() {
    String hostile = "https://evil.example/\n" + "x".repeat(500);
    String token = fenceKey.sign(TestSigningKey.accessClaims(hostile).build());

    assertThatThrownBy(() -> verifier.verify(token))
        .isInstanceOf(InvalidTokenException.class)
        .message()
        .doesNotContain("\n")
        .hasSizeLessThan(120);
  }

  private JWTClaimsSet claimsExpiringAt(Instant expiry) {
    return TestSigningKey.accessClaims(ISSUER)
        .issueTime(Date.from(expiry.minusSeconds(1200)))
        .expirationTime(Date.from(expiry))
        .build();
  }

  private void assertRejected(String token, String reason) {
    assertThatThrownBy(() -> verifier.verify(token))
        .isInstanceOf(InvalidTokenException.class)
        .hasMessage(reason)
        .message()
        .doesNotContain(token);
  }
}
