package dev.storagegateway.benchmarks;

import com.google.protobuf.BoolValue;
import com.google.rpc.Code;
import com.google.rpc.Status;
import dev.storagegateway.extauthz.DataPlane;
import io.envoyproxy.envoy.config.core.v3.HeaderValue;
import io.envoyproxy.envoy.config.core.v3.HeaderValueOption;
import io.envoyproxy.envoy.service.auth.v3.AuthorizationGrpc;
import io.envoyproxy.envoy.service.auth.v3.CheckRequest;
import io.envoyproxy.envoy.service.auth.v3.CheckResponse;
import io.envoyproxy.envoy.service.auth.v3.OkHttpResponse;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The floor under the data plane: a Check server built like {@link DataPlane}'s (Netty
 * transport, a fixed executor of the same size, the health service beside it) whose Check does
 * nothing and answers with one fixed allow of the data plane's shape: the upstream host and a
 * SigV4 signature set with {@code append=false}. Its cost is what gRPC, protobuf and Netty take
 * for one Check. Given a {@link CpuBurn}, each Check first runs it: a handler that costs that much
 * pure computation.
 */
final class NoOpCheckServer implements AutoCloseable {
  /** Its Check threads, named apart from {@link DataPlane#CHECK_THREAD_NAME}. */
  static final String THREAD_NAME = "noop-check";

  private final Server server;
  private final ExecutorService executor;

  private NoOpCheckServer(Server server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  static NoOpCheckServer start(int threads, CpuBurn burn) throws IOException {
    HealthStatusManager health = new HealthStatusManager();
    ExecutorService executor = Executors.newFixedThreadPool(threads,
        runnable -> new Thread(runnable, THREAD_NAME));
    Server server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
        .executor(executor)
        .addService(new Allow(fixedAllow(), burn))
        .addService(health.getHealthService())
        .build()
        .start();
    return new NoOpCheckServer(server, executor);
  }

  int port() {
    return server.getPort();
  }

  /**
   * The fixed answer: the four headers the data plane sets on an allowed GET of a static-keys
   * bucket, with values of the same length, so both servers write the same bytes.
   */
  static CheckResponse fixedAllow() {
    String date = "20261125T120000Z";
    OkHttpResponse ok = OkHttpResponse.newBuilder()
        .addHeaders(header("host", "s3.us-east-1.amazonaws.com"))
        .addHeaders(header("authorization", "AWS4-HMAC-SHA256 Credential=AKIABENCHMARK0000001/"
            + date.substring(0, 8) + "/us-east-1/s3/aws4_request, SignedHeaders=host;"
            + "x-amz-content-sha256;x-amz-date, Signature="
            + "5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7"))
        .addHeaders(header("x-amz-date", date))
        .addHeaders(header("x-amz-content-sha256", "UNSIGNED-PAYLOAD"))
        .build();
    return CheckResponse.newBuilder()
        .setStatus(Status.newBuilder().setCode(Code.OK_VALUE))
        .setOkResponse(ok)
        .build();
  }

  private static HeaderValueOption header(String name, String value) {
    return HeaderValueOption.newBuilder()
        .setHeader(HeaderValue.newBuilder().setKey(name).setValue(value))
        .setAppend(BoolValue.of(false))
        .build();
  }

  @Override
  public void close() throws InterruptedException {
    server.shutdown();
    if (!server.awaitTermination(5, TimeUnit.SECONDS)) {
      server.shutdownNow();
    }
    executor.shutdownNow();
  }

  private static final class Allow extends AuthorizationGrpc.AuthorizationImplBase {
    private final CheckResponse answer;
    private final CpuBurn burn;

    Allow(CheckResponse answer, CpuBurn burn) {
      this.answer = answer;
      this.burn = burn;
    }

    @Override
    public void check(CheckRequest request, StreamObserver<CheckResponse> responses) {
      burn.run();
      responses.onNext(answer);
      responses.onCompleted();
    }
  }
}
