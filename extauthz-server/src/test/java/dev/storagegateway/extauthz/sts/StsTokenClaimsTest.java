package dev.storagegateway.extauthz.sts;

import static org.assertj.core.api.Assertions.assertThat;

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
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A Gen3 token signed with a trusted key is still refused for credentials when it was issued by
 * another issuer or for another audience than the gateway's, and the refusal carries neither the
 * token nor credentials.
 */
class StsTokenClaimsTest {
  private static final URI FENCE = URI.create("https://fence.example.org/user");
  private final LocalTokenIssuer issuer = new LocalTokenIssuer(FENCE);
  private final String token = issuer.mint("alice", Duration.ofMinutes(20));

  @Test
  void theGatewaysOwnIssuerAndAudienceGetCredentials() {
    StsAnswer answer = exchange(Gen3TokenVerifier.withKeys(issuer.publicJwks(), FENCE, null,
        null));
    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.xml()).contains("<AccessKeyId>ASIA");
  }

  @Test
  void aTokenFromAnotherIssuerIsRefused() {
    StsAnswer answer = exchange(Gen3TokenVerifier.withKeys(issuer.publicJwks(),
        URI.create("https://another-commons.example.org/user"), null, null));
    assertRefused(answer, "issuer");
  }

  @Test
  void aTokenForAnotherAudienceIsRefused() {
    StsAnswer answer = exchange(Gen3TokenVerifier.withKeys(issuer.publicJwks(), FENCE,
        "another-gateway", null));
    assertRefused(answer, "audience");
  }

  /** A session is authorized by user name; a token's numeric sub would name another user. */
  @Test
  void aTokenThatNamesNoUserIsRefused() throws Exception {
    RSAKey key = new RSAKeyGenerator(2048).keyID("no-name").generate();
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    SignedJWT unnamed = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256)
        .keyID("no-name").build(), new JWTClaimsSet.Builder().issuer(FENCE.toString())
        .audience(FENCE.toString()).subject("42").issueTime(Date.from(now))
        .expirationTime(Date.from(now.plusSeconds(600))).claim("pur", "access")
        .claim("scope", List.of("openid", "user", "data")).build());
    unnamed.sign(new RSASSASigner(key));

    StsAnswer answer = exchange(Gen3TokenVerifier.withKeys(new JWKSet(key.toPublicJWK()), FENCE,
        null, null), unnamed.serialize());

    assertRefused(answer, "names no user (context.user.name)");
  }

  /** A session token holds each name in 512 bytes; a longer one is the token's, not a fault. */
  @Test
  void aTokenWhoseNamesASessionCannotCarryIsRefused() throws Exception {
    RSAKey key = new RSAKeyGenerator(2048).keyID("long").generate();
    Gen3TokenVerifier verifier = Gen3TokenVerifier.withKeys(new JWKSet(key.toPublicJWK()), FENCE,
        null, null);
    // 257 characters, 514 bytes of UTF-8.
    String longName = "\u00e9".repeat(257);

    assertThat(exchange(verifier, signed(key, Map.of("name", longName), "")).xml())
        .contains("<Code>InvalidIdentityToken</Code>",
            "user name (context.user.name) is longer than 512 bytes of UTF-8",
            "'Authorization: Bearer &lt;token&gt;'")
        .doesNotContain("<AccessKeyId>", longName);
    assertThat(exchange(verifier, signed(key, Map.of("name", "alice"), "", "x".repeat(513)))
        .xml()).contains("<Code>InvalidIdentityToken</Code>", "subject (sub) is longer than 512")
        .doesNotContain("<AccessKeyId>");
    assertThat(exchange(verifier, signed(key, Map.of("name", "\u00e9".repeat(256)), "")).xml())
        .contains("<AccessKeyId>ASIA");
  }

  /**
   * Arborist allows an OAuth client's token only what the client may do too, a token that lists
   * policies only those, and a token without the openid scope nothing; a session, asked about by
   * user name, would lose all three.
   */
  @Test
  void aTokenNarrowedByItsClientOrItsPoliciesIsRefused() throws Exception {
    RSAKey key = new RSAKeyGenerator(2048).keyID("narrowed").generate();
    Gen3TokenVerifier verifier = Gen3TokenVerifier.withKeys(new JWKSet(key.toPublicJWK()), FENCE,
        null, null);
    String clientToken = signed(key, Map.of("name", "alice"), "third-party-notebook");
    String policyToken = signed(key, Map.of("name", "alice", "policies", List.of("open-only")), "");

    assertThat(exchange(verifier, clientToken).xml()).contains("<Code>InvalidIdentityToken</Code>",
        "narrowed by azp").doesNotContain("<AccessKeyId>");
    assertThat(exchange(verifier, policyToken).xml()).contains("<Code>InvalidIdentityToken</Code>",
        "narrowed by context.user.policies").doesNotContain("<AccessKeyId>");
    assertThat(exchange(verifier, signed(key, Map.of("name", "alice"), "",
        List.of("user", "data")))
        .xml()).contains("<Code>InvalidIdentityToken</Code>", "a scope without openid");
    assertThat(exchange(verifier, signed(key, Map.of("name", "alice"), "")).xml())
        .contains("<AccessKeyId>ASIA");
  }

  /** Fence's data endpoints require the data scope; a session is not a way around it. */
  @Test
  void aTokenWithoutTheDataScopeIsRefused() throws Exception {
    RSAKey key = new RSAKeyGenerator(2048).keyID("no-data").generate();
    Gen3TokenVerifier verifier = Gen3TokenVerifier.withKeys(new JWKSet(key.toPublicJWK()), FENCE,
        null, null);

    assertThat(exchange(verifier, signed(key, Map.of("name", "alice"), "",
        List.of("openid", "user"))).xml())
        .contains("<Code>InvalidIdentityToken</Code>", "lacks the 'data' scope")
        .doesNotContain("<AccessKeyId>");
  }

  private static String signed(RSAKey key, Map<String, Object> user, String authorizedParty)
      throws Exception {
    return signed(key, user, authorizedParty, List.of("openid", "user", "data"));
  }

  private static String signed(RSAKey key, Map<String, Object> user, String authorizedParty,
      String subject) throws Exception {
    return signed(key, user, authorizedParty, List.of("openid", "user", "data"), subject);
  }

  private static String signed(RSAKey key, Map<String, Object> user, String authorizedParty,
      List<String> scopes) throws Exception {
    return signed(key, user, authorizedParty, scopes, "42");
  }

  private static String signed(RSAKey key, Map<String, Object> user, String authorizedParty,
      List<String> scopes, String subject) throws Exception {
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256)
        .keyID(key.getKeyID()).build(), new JWTClaimsSet.Builder().issuer(FENCE.toString())
        .audience(FENCE.toString()).subject(subject).issueTime(Date.from(now))
        .expirationTime(Date.from(now.plusSeconds(600))).claim("pur", "access")
        .claim("azp", authorizedParty).claim("context", Map.of("user", user))
        .claim("scope", scopes).build());
    jwt.sign(new RSASSASigner(key));
    return jwt.serialize();
  }

  private StsAnswer exchange(Gen3TokenVerifier verifier) {
    return exchange(verifier, token);
  }

  private StsAnswer exchange(Gen3TokenVerifier verifier, String token) {
    StsEndpoint endpoint = new StsEndpoint(verifier,
        new GatewaySessions(SessionKeySource.generated(), Clock.systemUTC(), new SecureRandom()),
        SessionSettings.DEFAULTS, Clock.systemUTC(), new SimpleMeterRegistry());
    String form = "Action=AssumeRoleWithWebIdentity&Version=2011-06-15"
        + "&RoleArn=arn%3Aaws%3Aiam%3A%3A000000000000%3Arole%2Fgen3&RoleSessionName=alice"
        + "&WebIdentityToken=" + URLEncoder.encode(token, StandardCharsets.UTF_8);
    return endpoint.answer("POST", null, "application/x-www-form-urlencoded", form, "req-1");
  }

  private void assertRefused(StsAnswer answer, String reason) {
    assertThat(answer.status()).isEqualTo(400);
    assertThat(answer.xml()).contains("<Code>InvalidIdentityToken</Code>", reason)
        .doesNotContain(token, "<AccessKeyId>");
  }
}
