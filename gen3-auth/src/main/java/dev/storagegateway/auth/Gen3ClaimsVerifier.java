package dev.storagegateway.auth;

import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.ExpiredJWTException;
import com.nimbusds.jwt.proc.JWTClaimsSetVerifier;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

/**
 * Checks that a token whose signature has been verified carries the claims of a Fence access token.
 * Each rejection carries the reason the client will be shown, which is why this is written out
 * rather than left to nimbus's generic verifier and its generic messages.
 */
final class Gen3ClaimsVerifier implements JWTClaimsSetVerifier<SecurityContext> {

  private final String issuer;
  private final String audience;
  private final Duration clockSkew;

  Gen3ClaimsVerifier(URI issuer, String audience, Duration clockSkew) {
    this.issuer = issuer.toString();
    this.audience = audience;
    this.clockSkew = clockSkew;
  }

  @Override
  public void verify(JWTClaimsSet claims, SecurityContext context) throws BadJWTException {
    if (!issuer.equals(claims.getIssuer())) {
      throw new BadJWTException(
          "token issuer " + UntrustedText.quote(claims.getIssuer()) + " is not trusted");
    }
    if (!claims.getAudience().contains(audience)) {
      throw new BadJWTException("token audience does not include '" + audience + "'");
    }
    // A refresh or ID token is just as well signed; only the purpose tells them apart.
    if (!"access".equals(claims.getClaim("pur"))) {
      throw new BadJWTException("token purpose must be 'access'");
    }
    Instant now = Instant.now();
    Date expiry = claims.getExpirationTime();
    if (expiry == null) {
      throw new BadJWTException("token has no expiry (exp)");
    }
    if (!now.isBefore(expiry.toInstant().plus(clockSkew))) {
      throw new ExpiredJWTException("token expired");
    }
    Date notBefore = claims.getNotBeforeTime();
    if (notBefore != null && now.plus(clockSkew).isBefore(notBefore.toInstant())) {
      throw new BadJWTException("token is not valid yet (nbf)");
    }
    if (claims.getSubject() == null || claims.getSubject().isBlank()) {
      throw new BadJWTException("token has no subject (sub)");
    }
  }
}
