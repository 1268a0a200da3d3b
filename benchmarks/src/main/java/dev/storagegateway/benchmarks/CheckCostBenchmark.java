package dev.storagegateway.benchmarks;

import com.sun.management.OperatingSystemMXBean;
import com.sun.management.ThreadMXBean;
import dev.storagegateway.extauthz.grpc.EnvoyAuthorizationService;
import io.envoyproxy.envoy.service.auth.v3.CheckRequest;
import io.envoyproxy.envoy.service.auth.v3.CheckResponse;
import io.grpc.stub.StreamObserver;
import java.lang.management.ManagementFactory;
import java.util.Arrays;

/**
 * What one allowed Check costs the data plane itself, without the transport: CPU and bytes
 * allocated per Check on one thread, calling the gRPC service's handler
 * ({@link EnvoyAuthorizationService#check}: the request read, the whole pipeline, the response
 * built) with hot caches, on Envoy-shaped requests already decoded. A no-op handler costs next to
 * nothing here, so this is the pipeline's share of {@link CheckBenchmark}'s CPU per Check, but
 * steadier: nothing else competes for the thread, and no load generator shares the cores.
 *
 * <p>The process figure adds the other threads: above all those the Checks keep busy, the access
 * log's writer and the garbage collector, but also the JIT and anything else running. Stderr
 * carries the access log, as in production; send it to a file.
 */
public final class CheckCostBenchmark {
  private static final int WARMUP_ROUNDS = 15;
  private static final int ROUNDS = 10;
  private static final long ROUND_NANOS = 1_000_000_000L;

  public static void main(String[] args) throws Exception {
    ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
    OperatingSystemMXBean process =
        (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    try (CheckGateway gateway = CheckGateway.start()) {
      CheckRequest[] allowed = CheckRequests.getObjects(CheckGateway.BUCKET, gateway.token(), 16);
      EnvoyAuthorizationService service = new EnvoyAuthorizationService(gateway.pipeline());
      Responses responses = new Responses();
      double[] threadMicros = new double[ROUNDS];
      double[] processMicros = new double[ROUNDS];
      double[] bytes = new double[ROUNDS];
      for (int round = -WARMUP_ROUNDS; round < ROUNDS; round++) {
        long allocatedBefore = threads.getCurrentThreadAllocatedBytes();
        long cpuBefore = threads.getCurrentThreadCpuTime();
        long processBefore = process.getProcessCpuTime();
        long checks = 0;
        long end = System.nanoTime() + ROUND_NANOS;
        while (System.nanoTime() < end) {
          for (int i = 0; i < 1_000; i++, checks++) {
            service.check(allowed[(int) (checks % allowed.length)], responses);
          }
        }
        if (round >= 0) {
          threadMicros[round] = (threads.getCurrentThreadCpuTime() - cpuBefore) / 1e3 / checks;
          processMicros[round] = (process.getProcessCpuTime() - processBefore) / 1e3 / checks;
          bytes[round] = (double) (threads.getCurrentThreadAllocatedBytes() - allocatedBefore)
              / checks;
        }
      }
      if (responses.refused > 0) {
        throw new IllegalStateException(responses.refused + " Checks were refused");
      }
      System.out.printf("one allowed Check, hot caches, %d rounds of 1 s after %d s of warm-up"
              + " (median, min-max):%n", ROUNDS, WARMUP_ROUNDS);
      System.out.printf("  CPU on the calling thread: %s µs%n", spread(threadMicros, "%.2f"));
      System.out.printf("  CPU of the whole process (with the access-log writer, GC and JIT):"
              + " %s µs%n",
          spread(processMicros, "%.2f"));
      System.out.printf("  allocated on the calling thread: %s bytes%n", spread(bytes, "%,.0f"));
    }
  }

  private static String spread(double[] values, String format) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return String.format(format + " (" + format + "-" + format + ")",
        sorted[sorted.length / 2], sorted[0], sorted[sorted.length - 1]);
  }

  /** Counts refusals; the answers themselves are dropped. */
  private static final class Responses implements StreamObserver<CheckResponse> {
    long refused;

    @Override
    public void onNext(CheckResponse response) {
      if (!response.hasOkResponse()) {
        refused++;
      }
    }

    @Override
    public void onError(Throwable error) {
      throw new IllegalStateException(error);
    }

    @Override
    public void onCompleted() {
    }
  }
}
