package dev.storagegateway.extauthz.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.assertj.core.api.AbstractThrowableAssert;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** One parser as the data plane would configure it, and shorthands for the tests. */
final class ParserFixture {
  static final String DOMAIN = "s3.gw.example.org";
  static final S3RequestParser PARSER = new S3RequestParser(List.of(DOMAIN));
  /** Sent with every request, to show that no message ever repeats it. */
  static final String AUTHORIZATION = "AWS4-HMAC-SHA256 Credential=AKIDSECRET/x, Signature=00ff";

  private ParserFixture() {}

  static S3Request pathStyle(String method, String target) {
    return pathStyle(method, target, null);
  }

  /** {@code copySource} null means no x-amz-copy-source header. */
  static S3Request pathStyle(String method, String target, String copySource) {
    return PARSER.parse(method, DOMAIN, target, headers(copySource));
  }

  static S3Request withAuthority(String authority, String method, String target) {
    return PARSER.parse(method, authority, target, headers(null));
  }

  static Function<String, String> headers(String copySource) {
    Map<String, String> headers = copySource == null
        ? Map.of("authorization", AUTHORIZATION)
        : Map.of("authorization", AUTHORIZATION, "x-amz-copy-source", copySource);
    return headers::get;
  }

  /** Asserts the S3 error and status, and that the message keeps the Authorization header out. */
  static AbstractThrowableAssert<?, ? extends Throwable> assertRefused(
      ThrowingCallable parse, String code, int status) {
    return assertThatThrownBy(parse)
        .isInstanceOf(MalformedRequestException.class)
        .satisfies(e -> {
          MalformedRequestException refusal = (MalformedRequestException) e;
          assertThat(refusal.s3ErrorCode()).isEqualTo(code);
          assertThat(refusal.httpStatus()).isEqualTo(status);
          assertThat(refusal.getMessage()).doesNotContain("AKIDSECRET").doesNotContain("Signature");
        });
  }
}
