package dev.storagegateway.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LocalTokenIssuerTest {

  private final LocalTokenIssuer issuer =
      new LocalTokenIssuer(URI.create("http://localhost:8080/user"));

  @Test
  void mintedTokensVerifyAgainstItsPublishedKeys() {
    Gen3TokenVerifier verifier =
        Gen3TokenVerifier.withKeys(issuer.publicJwks(), issuer.issuer(), null, null);

    CallerIdentity caller =
        verifier.verify(issuer.mint("alice@example.org", Duration.ofMinutes(20)));

    assertThat(caller.username()).isEqualTo("alice@example.org");
    assertThat(caller.subject()).isEqualTo("alice@example.org");
  }

  @Test
  void mintsFenceShapedAccessTokens() throws Exception {
    SignedJWT jwt = SignedJWT.parse(issuer.mint("alice@example.org", Duration.ofSeconds(1200)));
    JWTClaimsSet claims = jwt.getJWTClaimsSet();

    assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.RS256);
    assertThat(jwt.getHeader().getKeyID())
        .isEqualTo(issuer.publicJwks().getKeys().get(0).getKeyID())
        .isNotBlank();
    assertThat(claims.getIssuer()).isEqualTo("http://localhost:8080/user");
    assertThat(claims.getAudience())
        .containsExactly("http://localhost:8080/user", "openid", "user", "data");
    assertThat(claims.getSubject()).isEqualTo("alice@example.org");
    assertThat(claims.getJWTID()).isNotBlank();
    assertThat(claims.getExpirationTime().getTime() - claims.getIssueTime().getTime())
        .isEqualTo(1_200_000L);
    assertThat(claims.getStringListClaim("scope")).containsExactly("openid", "user", "data");
    assertThat(claims.getStringClaim("pur")).isEqualTo("access");
    assertThat(claims.getStringClaim("azp")).isEmpty();
    assertThat(claims.getJSONObjectClaim("context"))
        .isEqualTo(Map.of("user", Map.of("name", "alice@example.org")));
  }

  @Test
  void publishesOnlyThePublicKey() {
    assertThat(issuer.publicJwks().getKeys()).singleElement().matches(key -> !key.isPrivate());
  }

  @Test
  void everyIssuerHasItsOwnKey() {
    LocalTokenIssuer other = new LocalTokenIssuer(issuer.issuer());
    Gen3TokenVerifier verifier =
        Gen3TokenVerifier.withKeys(issuer.publicJwks(), issuer.issuer(), null, null);

    assertThatThrownBy(() -> verifier.verify(other.mint("mallory", Duration.ofMinutes(5))))
        .isInstanceOf(InvalidTokenException.class)
        .hasMessageEndingWith("is not published by the issuer");
  }
}
