package dev.storagegateway.extauthz.identify;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class VerifiedTokenKeyTest {
  private static final String TAIL = "x".repeat(VerifiedTokenKey.HASHED_CHARACTERS);

  @Test
  void equalTokensAreOneKey() {
    String token = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxIn0." + TAIL;
    assertThat(new VerifiedTokenKey(token)).isEqualTo(new VerifiedTokenKey(new String(token)))
        .hasSameHashCodeAs(new VerifiedTokenKey(token));
  }

  /** The hash reads the tail only; equality must still read everything. */
  @Test
  void tokensDifferingBeforeTheirTailAreDifferentKeys() {
    VerifiedTokenKey alice = new VerifiedTokenKey("header.alice-claims." + TAIL);
    VerifiedTokenKey mallory = new VerifiedTokenKey("header.mallory-claims." + TAIL);

    assertThat(alice.hashCode()).isEqualTo(mallory.hashCode());
    assertThat(alice).isNotEqualTo(mallory);
  }

  @Test
  void shortTokensAreHashedWhole() {
    String token = "short-token";
    assertThat(new VerifiedTokenKey(token).hashCode()).isEqualTo(token.hashCode());
    assertThat(new VerifiedTokenKey("ab")).isNotEqualTo(new VerifiedTokenKey("ba"));
  }

  @Test
  void aLongTokenIsHashedByItsTail() {
    String token = "x".repeat(500) + "the-signature-tail-0123456789abc";
    assertThat(new VerifiedTokenKey(token).hashCode()).isEqualTo(
        token.substring(token.length() - VerifiedTokenKey.HASHED_CHARACTERS).hashCode());
  }

  @Test
  void itNeverPrintsTheToken() {
    assertThat(new VerifiedTokenKey("secret-token-value").toString())
        .doesNotContain("secret-token-value");
  }
}
