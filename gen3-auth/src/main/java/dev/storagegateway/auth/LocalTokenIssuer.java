package dev.storagegateway.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * Mints Gen3-shaped access tokens for a gateway that runs without Fence, so that clients and the
 * rest of the gateway handle exactly the tokens a real commons would issue.
 *
 * <p>The RSA key pair lives only in this object: a restart invalidates every token it minted. Since
 * there is no user database, {@code sub} is the username itself.
 */
public final class LocalTokenIssuer {

  private final URI issuer;
  private final RSAKey signingKey;
  private final JWSSigner signer;

  /**
   * @param issuer the {@code iss} of minted tokens, for example {@code http://localhost:8080/user}
   */
  public LocalTokenIssuer(URI issuer) {
    this.issuer = Objects.requireNonNull(issuer, "issuer");
    try {
      signingKey =
          new RSAKeyGenerator(2048)
              .keyID(UUID.randomUUID().toString())
              .keyUse(KeyUse.SIGNATURE)
              .algorithm(JWSAlgorithm.RS256)
              .generate();
      signer = new RSASSASigner(signingKey);
    } catch (JOSEException e) {
      throw new IllegalStateException("cannot generate an RSA signing key", e);
    }
  }

  public URI issuer() {
    return issuer;
  }

  /** The verification key, as Fence would publish it at {@code /.well-known/jwks}. */
  public JWKSet publicJwks() {
    return new JWKSet(signingKey.toPublicJWK());
  }

  /**
   * @return a signed RS256 access token for {@code username}, valid from now for {@code lifetime}
   */
  public String mint(String username, Duration lifetime) {
    return mint(username, Instant.now(), lifetime);
  }

  /**
   * @return a signed RS256 access token for {@code username}, issued at {@code issuedAt} and
   *     valid for {@code lifetime} from then (tests use a past instant for an expired token)
   */
  public String mint(String username, Instant issuedAt, Duration lifetime) {
    Objects.requireNonNull(username, "username");
    if (lifetime.isNegative() || lifetime.isZero()) {
      throw new IllegalArgumentException("lifetime must be positive: " + lifetime);
    }
    Instant now = issuedAt.truncatedTo(ChronoUnit.SECONDS);
    JWTClaimsSet claims =
        new JWTClaimsSet.Builder()
            .issuer(issuer.toString())
            // As Fence: the issuer, then the scopes (fence/jwt/token.py).
            .audience(List.of(issuer.toString(), "openid", "user", "data"))
            .subject(username)
            .issueTime(Date.from(now))
            .expirationTime(Date.from(now.plus(lifetime)))
            .jwtID(UUID.randomUUID().toString())
            .claim("scope", List.of("openid", "user", "data"))
            .claim("pur", "access")
            // As Fence's tokens for users themselves: no OAuth client narrows what they allow.
            .claim("azp", "")
            .claim("context", Map.of("user", Map.of("name", username)))
            .build();
    JWSHeader header =
        new JWSHeader.Builder(JWSAlgorithm.RS256)
            .keyID(signingKey.getKeyID())
            .type(JOSEObjectType.JWT)
            .build();
    SignedJWT jwt = new SignedJWT(header, claims);
    try {
      jwt.sign(signer);
    } catch (JOSEException e) {
      throw new IllegalStateException("cannot sign an access token", e);
    }
    return jwt.serialize();
  }
}
