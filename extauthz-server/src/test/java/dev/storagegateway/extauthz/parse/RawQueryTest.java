package dev.storagegateway.extauthz.parse;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RawQueryTest {
  private static final String PRESIGNED = "/data/a%20b.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256"
      + "&response-content-type=text%2Fplain&X-Amz-Signature=abc&versionId=3";

  @Test
  void namesInGivesEachMatchingNameAsTheClientWroteIt() {
    assertThat(RawQuery.namesIn("/o?alt=json&user%50roject=x&X-Amz-Date=1",
        Set.of("userProject", "X-Amz-Date"))).containsExactly("user%50roject", "X-Amz-Date");
    assertThat(RawQuery.namesIn("/o?alt=json", Set.of("userProject"))).isEmpty();
    assertThat(RawQuery.namesIn("/o", Set.of("userProject"))).isEmpty();
  }

  @Test
  void withoutChangesTheTargetIsTheClientsOwn() {
    assertThat(RawQuery.rewritten(PRESIGNED, List.of(), Map.of())).isSameAs(PRESIGNED);
  }

  @Test
  void dropsNamedParametersAndKeepsEveryOtherByteInPlace() {
    assertThat(RawQuery.rewritten(PRESIGNED, List.of("X-Amz-Algorithm", "X-Amz-Signature"),
        Map.of())).isEqualTo("/data/a%20b.txt?response-content-type=text%2Fplain&versionId=3");
  }

  @Test
  void dropsTheQueryMarkWhenNothingIsLeft() {
    assertThat(RawQuery.rewritten("/b/k?X-Amz-Signature=abc", List.of("X-Amz-Signature"),
        Map.of())).isEqualTo("/b/k");
  }

  @Test
  void dropsByTheNameAsWrittenAndSetsOverTheDecodedName() {
    String encoded = "/storage/v1/b/x/o?alt=json&user%50roject=theirs";
    assertThat(RawQuery.rewritten(encoded, List.of("userProject"), Map.of())).isEqualTo(encoded);
    assertThat(RawQuery.rewritten(encoded, List.of("user%50roject"), Map.of()))
        .isEqualTo("/storage/v1/b/x/o?alt=json");
    assertThat(RawQuery.rewritten(encoded, List.of(), Map.of("userProject", "ours")))
        .isEqualTo("/storage/v1/b/x/o?alt=json&userProject=ours");
  }

  @Test
  void setReplacesEveryParameterOfThatNameAndAppendsItEncoded() {
    assertThat(RawQuery.rewritten("/storage/v1/b/x/o?userProject=theirs&alt=json", List.of(),
        Map.of("userProject", "gen3 billing/1"))).isEqualTo(
            "/storage/v1/b/x/o?alt=json&userProject=gen3%20billing%2F1");
    assertThat(RawQuery.rewritten("/storage/v1/b/x/o", List.of(),
        Map.of("userProject", "gen3-billing")))
        .isEqualTo("/storage/v1/b/x/o?userProject=gen3-billing");
  }

  @Test
  void skipsEmptyPiecesOfTheClientsQuery() {
    assertThat(RawQuery.rewritten("/b/k?&a=1&&X-Amz-Date=x&", List.of("X-Amz-Date"), Map.of()))
        .isEqualTo("/b/k?a=1");
  }
}
