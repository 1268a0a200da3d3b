package dev.storagegateway.benchmarks;

import com.google.rpc.Code;
import io.envoyproxy.envoy.service.auth.v3.AuthorizationGrpc;
import io.envoyproxy.envoy.service.auth.v3.CheckRequest;
import io.envoyproxy.envoy.service.auth.v3.CheckResponse;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.Epoll;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.nio.NioEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioSocketChannel;
import io.grpc.netty.shaded.io.netty.util.concurrent.DefaultThreadFactory;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * Envoy's side of ext_authz, played by grpc-java: a few HTTP/2 connections to one Check server
 * (Envoy keeps one per worker thread), each call with Envoy's default 200 ms ext_authz timeout.
 * The client has its own event loops, named {@value #THREAD_PREFIX}, so its CPU can be told apart
 * from the server's, and answers are handled on those loops ({@code directExecutor}). Requests
 * are serialized once up front ({@link EncodedMarshaller}).
 *
 * <ul>
 *   <li>{@link #closedLoop}: a fixed number of calls outstanding, each answer sends the next one;
 *       the completions per second are the server's maximum throughput.
 *   <li>{@link #openLoop}: sends at fixed intervals whatever the answers do and measures each
 *       latency from the time the call was due, so a stall counts against every call it delayed
 *       (no coordinated omission).
 * </ul>
 */
final class CheckLoadGenerator implements AutoCloseable {
  static final String THREAD_PREFIX = "load-generator";
  private static final long DEADLINE_MS = 200;
  private static final MethodDescriptor<byte[], CheckResponse> CHECK = AuthorizationGrpc
      .getCheckMethod().toBuilder(EncodedMarshaller.INSTANCE,
          AuthorizationGrpc.getCheckMethod().getResponseMarshaller()).build();

  private final EventLoopGroup loops;
  private final ManagedChannel[] channels;

  CheckLoadGenerator(int port, int connections) {
    boolean epoll = Epoll.isAvailable();
    DefaultThreadFactory threads = new DefaultThreadFactory(THREAD_PREFIX, true);
    loops = epoll ? new EpollEventLoopGroup(connections, threads)
        : new NioEventLoopGroup(connections, threads);
    channels = new ManagedChannel[connections];
    for (int i = 0; i < connections; i++) {
      channels[i] = NettyChannelBuilder.forAddress("127.0.0.1", port)
          .usePlaintext()
          .eventLoopGroup(loops)
          .channelType(epoll ? EpollSocketChannel.class : NioSocketChannel.class)
          .directExecutor()
          .build();
    }
  }

  private void call(int connection, byte[] request, StreamObserver<CheckResponse> answers) {
    ClientCalls.asyncUnaryCall(channels[connection % channels.length].newCall(CHECK,
        CallOptions.DEFAULT.withDeadlineAfter(DEADLINE_MS, TimeUnit.MILLISECONDS)), request,
        answers);
  }

  private static byte[][] encode(CheckRequest[] requests) {
    byte[][] encoded = new byte[requests.length][];
    for (int i = 0; i < requests.length; i++) {
      encoded[i] = requests[i].toByteArray();
    }
    return encoded;
  }

  /** Completions and answers of one run. */
  record Counts(long completed, long unexpected, long failed, double seconds) {
    double perSecond() {
      return completed / seconds;
    }
  }

  /**
   * What an open-loop run measured, per call in nanoseconds: from when it was due and from when
   * it was sent to its answer, and how late the sender was.
   */
  record OpenLoopResult(Counts counts, long[] fromDue, long[] fromSent, long[] sendLateness) {
  }

  /**
   * Keeps {@code concurrency} calls outstanding, spread over the connections, for {@code seconds}
   * after half a second of ramp-up, and counts the answers.
   *
   * @param expected the gRPC status code every answer should carry
   */
  Counts closedLoop(CheckRequest[] checks, int concurrency, double seconds, Code expected)
      throws InterruptedException {
    byte[][] requests = encode(checks);
    AtomicBoolean running = new AtomicBoolean(true);
    AtomicInteger next = new AtomicInteger();
    LongAdder completed = new LongAdder();
    LongAdder unexpected = new LongAdder();
    LongAdder failed = new LongAdder();
    CountDownLatch stopped = new CountDownLatch(concurrency);
    for (int i = 0; i < concurrency; i++) {
      int connection = i;
      new StreamObserver<CheckResponse>() {
        void send() {
          call(connection, requests[Math.floorMod(next.getAndIncrement(), requests.length)],
              this);
        }

        @Override
        public void onNext(CheckResponse response) {
          if (response.getStatus().getCode() != expected.getNumber()) {
            unexpected.increment();
          }
        }

        @Override
        public void onError(Throwable error) {
          failed.increment();
          again();
        }

        @Override
        public void onCompleted() {
          completed.increment();
          again();
        }

        private void again() {
          if (running.get()) {
            send();
          } else {
            stopped.countDown();
          }
        }
      }.send();
    }
    Thread.sleep(500);
    long startCompleted = completed.sum();
    long startUnexpected = unexpected.sum();
    long startFailed = failed.sum();
    long start = System.nanoTime();
    Thread.sleep((long) (seconds * 1_000));
    long end = System.nanoTime();
    Counts counts = new Counts(completed.sum() - startCompleted,
        unexpected.sum() - startUnexpected, failed.sum() - startFailed, (end - start) / 1e9);
    running.set(false);
    if (!stopped.await(10, TimeUnit.SECONDS)) {
      throw new IllegalStateException("outstanding calls did not finish");
    }
    return counts;
  }

  /**
   * Sends {@code rate} calls per second for {@code seconds}, round-robin over the connections,
   * each due at a fixed time from the start, and waits for every answer.
   */
  OpenLoopResult openLoop(CheckRequest[] checks, int rate, double seconds, Code expected)
      throws InterruptedException {
    byte[][] requests = encode(checks);
    int total = (int) (rate * seconds);
    long interval = 1_000_000_000L / rate;
    long[] fromDue = new long[total];
    long[] fromSent = new long[total];
    long[] lateness = new long[total];
    LongAdder unexpected = new LongAdder();
    LongAdder failed = new LongAdder();
    CountDownLatch answered = new CountDownLatch(total);
    long start = System.nanoTime() + 1_000_000;
    for (int i = 0; i < total; i++) {
      long due = start + i * interval;
      long wait;
      while ((wait = due - System.nanoTime()) > 0) {
        LockSupport.parkNanos(wait);
      }
      long sent = System.nanoTime();
      lateness[i] = sent - due;
      int slot = i;
      call(i, requests[i % requests.length], new StreamObserver<>() {
        @Override
        public void onNext(CheckResponse response) {
          if (response.getStatus().getCode() != expected.getNumber()) {
            unexpected.increment();
          }
        }

        @Override
        public void onError(Throwable error) {
          failed.increment();
          done();
        }

        @Override
        public void onCompleted() {
          done();
        }

        private void done() {
          long now = System.nanoTime();
          fromDue[slot] = now - due;
          fromSent[slot] = now - sent;
          answered.countDown();
        }
      });
    }
    long end = System.nanoTime();
    if (!answered.await(10, TimeUnit.SECONDS)) {
      throw new IllegalStateException("calls left unanswered");
    }
    Counts counts = new Counts(total - failed.sum(), unexpected.sum(), failed.sum(),
        (end - start) / 1e9);
    return new OpenLoopResult(counts, fromDue, fromSent, lateness);
  }

  @Override
  public void close() throws InterruptedException {
    for (ManagedChannel channel : channels) {
      channel.shutdownNow();
    }
    for (ManagedChannel channel : channels) {
      channel.awaitTermination(5, TimeUnit.SECONDS);
    }
    loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
  }
}
