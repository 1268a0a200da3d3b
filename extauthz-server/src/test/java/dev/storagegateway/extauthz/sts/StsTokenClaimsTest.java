package dev.storagegateway.extauthz.sts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storagegateway.auth.Gen3TokenVerifier;
import dev.storagegateway.auth.LocalTokenIssuer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
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

  private StsAnswer exchange(Gen3TokenVerifier verifier) {
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
