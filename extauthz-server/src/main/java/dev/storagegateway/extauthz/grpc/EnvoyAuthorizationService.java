package dev.storagegateway.extauthz.grpc;

import dev.storagegateway.extauthz.check.CheckOutcome;
import dev.storagegateway.extauthz.check.CheckPipeline;
import dev.storagegateway.extauthz.check.IncomingRequest;
import io.envoyproxy.envoy.service.auth.v3.AuthorizationGrpc;
import io.envoyproxy.envoy.service.auth.v3.CheckRequest;
import io.envoyproxy.envoy.service.auth.v3.CheckResponse;
import io.grpc.stub.StreamObserver;

/** Envoy's {@code envoy.service.auth.v3.Authorization/Check} over the {@link CheckPipeline}. */
public final class EnvoyAuthorizationService extends AuthorizationGrpc.AuthorizationImplBase {
  private final CheckPipeline pipeline;

  public EnvoyAuthorizationService(CheckPipeline pipeline) {
    this.pipeline = pipeline;
  }

  @Override
  public void check(CheckRequest request, StreamObserver<CheckResponse> responses) {
    IncomingRequest incoming = EnvoyCheckRequests.toIncoming(request);
    CheckOutcome outcome = pipeline.check(incoming);
    responses.onNext(EnvoyCheckResponses.toResponse(outcome.decision(), incoming.requestId()));
    responses.onCompleted();
  }
}
