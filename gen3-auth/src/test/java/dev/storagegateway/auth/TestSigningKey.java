package dev.storagegateway.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** An RSA key that signs whatever claims a test needs, including ones Fence would never issue. */
final class TestSigningKey {

  final RSAKey key;

  private TestSigningKey(RSAKey key) {
    this.key = key;
  }

  static TestSigningKey generate(String keyId) {
    try {
      return new TestSigningKey(
          new RSAKeyGenerator(2048)
              .keyID(keyId)
              .keyUse(KeyUse.SIGNATURE)
              .algorithm(JWSAlgorithm.RS256)
              .generate());
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  JWKSet publicJwks() {
    return new JWKSet(key.toPublicJWK());
  }

  String sign(JWTClaimsSet claims) {
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), claims);
    try {
      jwt.sign(new RSASSASigner(key));
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
    return jwt.serialize();
  }

  /** Claims of a valid Fence access token for user 42, "alice@example.org". */
  static JWTClaimsSet.Builder accessClaims(String issuer) {
    Instant now = Instant.now();
    return new JWTClaimsSet.Builder()
        .issuer(issuer)
        .audience(List.of(issuer, "openid", "user", "data"))
        .subject("42")
        .issueTime(Date.from(now))
        .expirationTime(Date.from(now.plus(Duration.ofMinutes(20))))
        .jwtID(UUID.randomUUID().toString())
        .claim("scope", List.of("openid", "user", "data"))
        .claim("pur", "access")
        .claim("azp", "")
        .claim("context", Map.of("user", Map.of("name", "alice@example.org", "is_admin", false)));
  }
}
