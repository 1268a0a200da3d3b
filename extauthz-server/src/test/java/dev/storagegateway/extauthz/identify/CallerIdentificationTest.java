package dev.storagegateway.extauthz.identify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.storagegateway.auth.Gen3TokenVerifier;
import dev.storagegateway.auth.LocalTokenIssuer;
import dev.storagegateway.extauthz.check.CheckDenied;
import dev.storagegateway.extauthz.check.DenialReason;
import dev.storagegateway.extauthz.check.IncomingRequest;
import dev.storagegateway.extauthz.identify.sigv4.SigV4Verifier;
import dev.storagegateway.extauthz.sts.GatewaySessions;
import dev.storagegateway.extauthz.sts.SessionKeyRing;
import dev.storagegateway.extauthz.sts.SessionKeySource;
import dev.storagegateway.testpeers.ManualClock;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CallerIdentificationTest {
  private final LocalTokenIssuer issuer =
      new LocalTokenIssuer(URI.create("https://fence.test/user"));
  private final ManualClock clock = new ManualClock(Instant.now());
  private final CallerIdentification identification = new CallerIdentification(
      Gen3TokenVerifier.withKeys(issuer.publicJwks(), issuer.issuer(), null, Duration.ZERO),
      new SigV4Verifier(new GatewaySessions(SessionKeySource.fixed(
          SessionKeyRing.generated(new SecureRandom())), clock, new SecureRandom()), clock),
      clock, 100);

  private static IncomingRequest request(String authorization, String target) {
    Map<String, String> headers = new HashMap<>();
    if (authorization != null) {
      headers.put("authorization", authorization);
    }
    return new IncomingRequest("r", "GET", "gw", target, headers, Map.of());
  }

  @Test
  void noAuthorizationIsAnonymous() {
    assertThat(identification.identify(request(null, "/b/k"))).isEmpty();
  }

  @Test
  void aBearerTokenIdentifiesItsUserAndIsVerifiedOnce() {
    String token = issuer.mint("alice", Duration.ofMinutes(20));
    assertThat(identification.identify(request("Bearer " + token, "/b/k")).orElseThrow().username())
        .isEqualTo("alice");
    assertThat(identification.identify(request("bearer " + token, "/b/k"))).isPresent();
    assertThat(identification.cache().stats().hitCount()).isEqualTo(1);
  }

  @Test
  void aRememberedTokenStopsWorkingWhenItExpires() throws InterruptedException {
    // The verifier reads real time and exp is whole seconds, so the token lives two to three more
    // seconds: room for a slow first verification, and a short wait for the expiry.
    String token = issuer.mint("alice", Instant.now().minusSeconds(57), Duration.ofSeconds(60));
    assertThat(identification.identify(request("Bearer " + token, "/b/k"))).isPresent();
    Thread.sleep(3_100);
    clock.advance(Duration.ofSeconds(4));
    assertRefused(request("Bearer " + token, "/b/k"), DenialReason.EXPIRED_TOKEN, "expired");
  }

  @Test
  void badTokensAndOtherSchemesAreRefusedWithWhatToSend() {
    assertRefused(request("Bearer nope", "/b/k"), DenialReason.INVALID_TOKEN, "not a JWT");
    assertRefused(request("Bearer ", "/b/k"), DenialReason.INVALID_TOKEN, "empty");
    assertRefused(request("Basic YTpi", "/b/k"), DenialReason.INVALID_TOKEN, "Bearer");
    assertRefused(request("AWS4-HMAC-SHA256 Credential=x", "/b/k"),
        DenialReason.MALFORMED_AUTHORIZATION, "Credential=");
    assertRefused(request("AWS AKIA:sig", "/b/k"), DenialReason.UNSUPPORTED_CALLER_SIGNATURE,
        "version 2");
    assertRefused(request(null, "/b/k?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Signature=abc"),
        DenialReason.MALFORMED_PRESIGNED_QUERY, "X-Amz-Credential");
    assertRefused(request(null, "/b/k?x-amz-signature=abc&x-amz-credential=a"),
        DenialReason.MALFORMED_PRESIGNED_QUERY, "names as written");
    assertRefused(request(null, "/b/k?AWSAccessKeyId=AKIA&Signature=abc&Expires=1"),
        DenialReason.UNSUPPORTED_CALLER_SIGNATURE, "signature_version s3v4");
    assertRefused(request("Bearer x", "/b/k?X-Amz-Signature=abc"),
        DenialReason.MALFORMED_REQUEST, "Only one auth mechanism");
  }

  /**
   * A token a user granted an OAuth client without the data scope reads no data through Fence's
   * data endpoints, and none through the gateway: refused, and not remembered.
   */
  @Test
  void aTokenWithoutTheDataScopeIsRefused() throws Exception {
    RSAKey key = new RSAKeyGenerator(2048).keyID("no-data").generate();
    CallerIdentification strict = new CallerIdentification(Gen3TokenVerifier.withKeys(
        new JWKSet(key.toPublicJWK()), issuer.issuer(), null, Duration.ZERO),
        new SigV4Verifier(new GatewaySessions(SessionKeySource.generated(), clock,
            new SecureRandom()), clock), clock, 100);
    Instant now = Instant.now();
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256)
        .keyID(key.getKeyID()).build(), new JWTClaimsSet.Builder()
        .issuer(issuer.issuer().toString()).audience(issuer.issuer().toString()).subject("42")
        .issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(600)))
        .claim("pur", "access").claim("context", Map.of("user", Map.of("name", "alice")))
        .claim("scope", List.of("openid", "user")).build());
    jwt.sign(new RSASSASigner(key));

    assertThatThrownBy(() -> strict.identify(request("Bearer " + jwt.serialize(), "/b/k")))
        .isInstanceOfSatisfying(CheckDenied.class, denied -> assertThat(denied.denial().reason())
            .isEqualTo(DenialReason.INVALID_TOKEN))
        .hasMessageContaining("lacks the 'data' scope");
    assertThat(strict.cache().estimatedSize()).isZero();
  }

  @Test
  void aTamperedTokenIsRefusedAndNotRemembered() {
    String token = issuer.mint("alice", Duration.ofMinutes(20));
    String tampered = token.substring(0, token.length() - 4)
        + (token.endsWith("AAAA") ? "BBBB" : "AAAA");
    assertRefused(request("Bearer " + tampered, "/b/k"), DenialReason.INVALID_TOKEN, "signature");
    assertThat(identification.cache().estimatedSize()).isZero();
  }

  private void assertRefused(IncomingRequest request, DenialReason reason, String text) {
    assertThatThrownBy(() -> identification.identify(request))
        .isInstanceOfSatisfying(CheckDenied.class, denied -> {
          assertThat(denied.denial().reason()).isEqualTo(reason);
          assertThat(denied.getMessage()).contains(text);
        });
  }
}
