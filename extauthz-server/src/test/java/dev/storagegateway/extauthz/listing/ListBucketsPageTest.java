package dev.storagegateway.extauthz.listing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.storagegateway.extauthz.parse.MalformedRequestException;
import dev.storagegateway.extauthz.parse.S3RequestParser;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ListBucketsPageTest {
  private static final S3RequestParser PARSER = new S3RequestParser(List.of());

  private static ListBucketsPage page(String target) {
    return ListBucketsPage.of(PARSER.parse("GET", "gateway", target, name -> null).query());
  }

  @Test
  void withoutParametersAPageIsEveryBucketUpToS3sLimit() {
    ListBucketsPage all = page("/");
    assertThat(all).isEqualTo(new ListBucketsPage("", null, 10_000));
    assertThat(all.admits("any")).isTrue();
  }

  @Test
  void prefixAndTokenNarrowWhatAPageAdmits() {
    String token = ListBucketsPage.tokenAfter("data-b");
    ListBucketsPage next = page("/?prefix=data-&max-buckets=2&continuation-token=" + token);
    assertThat(next.maxBuckets()).isEqualTo(2);
    assertThat(next.admits("data-a")).isFalse();
    assertThat(next.admits("data-b")).isFalse();
    assertThat(next.admits("data-c")).isTrue();
    assertThat(next.admits("other")).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "10001", "-1", "+5", "1e3", "", "99999999999"})
  void maxBucketsMustBeAWholeNumberFromOneToTenThousand(String value) {
    assertThatThrownBy(() -> page("/?max-buckets=" + value))
        .isInstanceOfSatisfying(MalformedRequestException.class, refused -> {
          assertThat(refused.s3ErrorCode()).isEqualTo("InvalidArgument");
          assertThat(refused.httpStatus()).isEqualTo(400);
        })
        .hasMessageContaining("max-buckets");
  }

  @Test
  void aTokenThisGatewayDidNotGiveIsRefused() {
    assertThatThrownBy(() -> page("/?continuation-token=no*such*token"))
        .isInstanceOf(MalformedRequestException.class)
        .hasMessageContaining("continuation-token");
  }
}
