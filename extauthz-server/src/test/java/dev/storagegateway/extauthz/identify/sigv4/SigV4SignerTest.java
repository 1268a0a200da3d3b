package dev.storagegateway.extauthz.identify.sigv4;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The remembered signing keys are per secret and scope, never shared between them. */
class SigV4SignerTest {
  private static final CredentialScope SCOPE =
      new CredentialScope("ASIAEXAMPLE", "20261126", "us-east-1", "s3");
  private static final String TO_SIGN = "AWS4-HMAC-SHA256\n20261126T080000Z\n"
      + "20261126/us-east-1/s3/aws4_request\n" + "0".repeat(64);

  private final SigV4Signer signer = new SigV4Signer();

  @Test
  void aRememberedKeySignsAsAFreshlyDerivedOne() {
    String first = signer.sign("secret-one", SCOPE, TO_SIGN);

    assertThat(signer.sign("secret-one", SCOPE, TO_SIGN)).isEqualTo(first)
        .isEqualTo(new SigV4Signer().sign("secret-one", SCOPE, TO_SIGN));
  }

  @Test
  void anotherSecretOrScopeIsNotSignedWithARememberedKey() {
    String first = signer.sign("secret-one", SCOPE, TO_SIGN);

    assertThat(signer.sign("secret-two", SCOPE, TO_SIGN)).isNotEqualTo(first);
    assertThat(signer.sign("secret-one",
        new CredentialScope("ASIAEXAMPLE", "20261127", "us-east-1", "s3"), TO_SIGN))
        .isNotEqualTo(first);
    assertThat(signer.sign("secret-one",
        new CredentialScope("ASIAEXAMPLE", "20261126", "eu-west-1", "s3"), TO_SIGN))
        .isNotEqualTo(first);
  }
}
