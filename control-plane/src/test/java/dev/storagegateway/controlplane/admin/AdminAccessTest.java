package dev.storagegateway.controlplane.admin;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.storagegateway.auth.Arborist;
import dev.storagegateway.auth.AuthMapping;
import dev.storagegateway.auth.AuthorizationRequest;
import dev.storagegateway.auth.CallerIdentity;
import dev.storagegateway.auth.Gen3TokenVerifier;
import dev.storagegateway.auth.Grant;
import dev.storagegateway.auth.LocalTokenIssuer;
import dev.storagegateway.auth.TokenVerifierSettings;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Arborist applies a token's own limits (an OAuth client's {@code azp}, its policies, its scope)
 * only to questions that carry the token; its mapping goes by the user alone.
 */
class AdminAccessTest {
  private static final AdminPermission PERMISSION = AdminPermission.gen3Default();
  private static final String A = "/programs/A";
  private static final String B = "/programs/B";

  /** Arborist as it answers: the user administers A and B; a token via a client only A. */
  private final Arborist arborist = new Arborist() {
    @Override
    public boolean isAllowed(AuthorizationRequest request) {
      boolean viaClient = request.caller() != null && request.caller().isNarrowed();
      return request.resourcePath().startsWith(A)
          || (!viaClient && request.resourcePath().startsWith(B));
    }

    @Override
    public AuthMapping mappingFor(CallerIdentity caller) {
      return AuthMapping.of(List.of(new Grant(A, PERMISSION.service(), PERMISSION.method()),
          new Grant(B, PERMISSION.service(), PERMISSION.method())));
    }
  };
  private final LocalTokenIssuer issuer =
      new LocalTokenIssuer(URI.create("http://127.0.0.1/user"));
  private final AdminAccess access = new AdminAccess(Gen3TokenVerifier.withKeys(
      issuer.publicJwks(), issuer.issuer(), null,
      TokenVerifierSettings.DEFAULT_CLOCK_SKEW), arborist, PERMISSION);

  private AdminCaller caller(CallerIdentity identity) {
    return new AdminCaller(identity, () -> false, () -> arborist.mappingFor(identity));
  }

  @Test
  void aNarrowedTokenCannotSetPrefixBindingsItsUserCould() {
    AdminCaller own = caller(new CallerIdentity("7", "owner", "own-token"));
    AdminCaller viaClient = caller(new CallerIdentity("7", "owner", "client-token",
        List.of("azp")));

    assertThatCode(() -> access.requireBindingsOf(own, List.of(A, B)))
        .doesNotThrowAnyException();
    assertThatThrownBy(() -> access.requireBindingsOf(viaClient, List.of(A)))
        .isInstanceOf(ApiException.class)
        .hasMessageContaining("this token is narrowed by azp");
    assertThatCode(() -> access.requireBindingsOf(viaClient, List.of()))
        .as("a change that binds nothing").doesNotThrowAnyException();
  }
}
