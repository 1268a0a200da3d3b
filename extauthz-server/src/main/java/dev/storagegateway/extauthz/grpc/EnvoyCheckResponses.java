package dev.storagegateway.extauthz.grpc;

import com.google.protobuf.BoolValue;
import com.google.rpc.Code;
import com.google.rpc.Status;
import dev.storagegateway.extauthz.answer.ErrorDocument;
import dev.storagegateway.extauthz.check.Answer;
import dev.storagegateway.extauthz.check.Decision;
import dev.storagegateway.extauthz.check.Denial;
import dev.storagegateway.extauthz.check.HeaderMutations;
import io.envoyproxy.envoy.config.core.v3.HeaderValue;
import io.envoyproxy.envoy.config.core.v3.HeaderValueOption;
import io.envoyproxy.envoy.config.core.v3.QueryParameter;
import io.envoyproxy.envoy.service.auth.v3.CheckResponse;
import io.envoyproxy.envoy.service.auth.v3.DeniedHttpResponse;
import io.envoyproxy.envoy.service.auth.v3.OkHttpResponse;
import io.envoyproxy.envoy.type.v3.HttpStatus;
import io.envoyproxy.envoy.type.v3.StatusCode;

/**
 * Writes a {@link Decision} as the {@code CheckResponse} Envoy acts on. Headers are set with
 * {@code append=false}, the only form every Envoy release honours (it ignores
 * {@code append_action} before the 2026 fix); query changes go in
 * {@code query_parameters_to_set/remove}; a refusal carries the status and error document
 * ({@link ErrorDocument}) Envoy sends to the client itself. The gateway's own answer travels the
 * same way: any status other than OK makes Envoy reply with the denied response, and it sends
 * that response's status as given, 200 included.
 */
final class EnvoyCheckResponses {
  private static final BoolValue OVERWRITE = BoolValue.of(false);

  private EnvoyCheckResponses() {
  }

  static CheckResponse toResponse(Decision decision, String requestId) {
    if (decision instanceof Decision.Allowed allowed) {
      return allow(allowed.mutations());
    }
    if (decision instanceof Decision.Answered answered) {
      return answer(answered.answer(), requestId);
    }
    Decision.Denied denied = (Decision.Denied) decision;
    return deny(denied.denial(), ErrorDocument.of(denied.denial(), denied.api(), requestId));
  }

  private static CheckResponse answer(Answer answer, String requestId) {
    return CheckResponse.newBuilder()
        // Not OK, so that Envoy does not forward; the code itself only shows in Envoy's logs.
        .setStatus(Status.newBuilder().setCode(Code.ABORTED_VALUE)
            .setMessage("answered by the gateway"))
        .setDeniedResponse(DeniedHttpResponse.newBuilder()
            .setStatus(HttpStatus.newBuilder().setCode(statusCode(Answer.STATUS)))
            .addHeaders(header("content-type", answer.contentType()))
            .addHeaders(header("x-amz-request-id", requestId))
            .setBody(answer.body()))
        .build();
  }

  private static CheckResponse allow(HeaderMutations mutations) {
    OkHttpResponse.Builder ok = OkHttpResponse.newBuilder();
    mutations.set().forEach((name, value) -> ok.addHeaders(header(name, value)));
    ok.addAllHeadersToRemove(mutations.remove());
    mutations.setQuery().forEach((name, value) -> ok.addQueryParametersToSet(
        QueryParameter.newBuilder().setKey(name).setValue(value)));
    // Envoy matches these against the raw names in :path and rebuilds the query from the rest
    // (sorted by name in the releases read, '=' added to a bare name): no SigV4 signature
    // notices, as its canonical query is sorted and writes 'name=' too.
    ok.addAllQueryParametersToRemove(mutations.removeQuery());
    return CheckResponse.newBuilder()
        .setStatus(Status.newBuilder().setCode(Code.OK_VALUE))
        .setOkResponse(ok)
        .build();
  }

  private static CheckResponse deny(Denial denial, ErrorDocument document) {
    DeniedHttpResponse.Builder denied = DeniedHttpResponse.newBuilder()
        .setStatus(HttpStatus.newBuilder().setCode(statusCode(document.status())))
        .setBody(document.body());
    document.headers().forEach((name, value) -> denied.addHeaders(header(name, value)));
    return CheckResponse.newBuilder()
        .setStatus(Status.newBuilder().setCode(grpcCode(denial.status()))
            .setMessage(denial.s3Code()))
        .setDeniedResponse(denied)
        .build();
  }

  private static HeaderValueOption header(String name, String value) {
    return HeaderValueOption.newBuilder()
        .setHeader(HeaderValue.newBuilder().setKey(name).setValue(value))
        .setAppend(OVERWRITE)
        .build();
  }

  private static StatusCode statusCode(int status) {
    StatusCode code = StatusCode.forNumber(status);
    return code == null ? StatusCode.Forbidden : code;
  }

  private static int grpcCode(int httpStatus) {
    return switch (httpStatus) {
      case 400 -> Code.INVALID_ARGUMENT_VALUE;
      case 401 -> Code.UNAUTHENTICATED_VALUE;
      case 404 -> Code.NOT_FOUND_VALUE;
      case 501, 405 -> Code.UNIMPLEMENTED_VALUE;
      case 503 -> Code.UNAVAILABLE_VALUE;
      case 500 -> Code.INTERNAL_VALUE;
      default -> Code.PERMISSION_DENIED_VALUE;
    };
  }
}
