package dev.storagegateway.extauthz.identify.sigv4;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CredentialScopeTest {
  @ParameterizedTest
  @ValueSource(strings = {"us-east-1", "auto", "eu-central-2", "US", "default_region"})
  void regionsAsStoresSpellThemAreAccepted(String region) {
    assertThat(CredentialScope.parse("ASIAEXAMPLE/20261126/" + region + "/s3/aws4_request"))
        .isEqualTo(new CredentialScope("ASIAEXAMPLE", "20261126", region, "s3"));
  }

  /** Signing keys are remembered per scope, so a scope cannot be made arbitrarily large. */
  @ParameterizedTest
  @ValueSource(strings = {"", "us east 1", "us-east-1%0a", "région"})
  void otherRegionsAreRefused(String region) {
    assertThat(CredentialScope.parse("ASIAEXAMPLE/20261126/" + region + "/s3/aws4_request"))
        .isNull();
  }

  @Test
  void aRegionLongerThan64CharactersIsRefused() {
    assertThat(CredentialScope.parse(credential("a".repeat(64)))).isNotNull();
    assertThat(CredentialScope.parse(credential("a".repeat(65)))).isNull();
  }

  private static String credential(String region) {
    return "ASIAEXAMPLE/20261126/" + region + "/s3/aws4_request";
  }

  @ParameterizedTest
  @ValueSource(strings = {"2026112", "2026-11-26", "2026112a", "202611260"})
  void datesMustBeEightDigits(String date) {
    assertThat(CredentialScope.parse("ASIAEXAMPLE/" + date + "/us-east-1/s3/aws4_request"))
        .isNull();
  }
}
