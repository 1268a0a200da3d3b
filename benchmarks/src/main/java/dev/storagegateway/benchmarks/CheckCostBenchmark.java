package dev.storagegateway.benchmarks;

import com.sun.management.OperatingSystemMXBean;
import com.sun.management.ThreadMXBean;
import dev.storagegateway.extauthz.grpc.EnvoyAuthorizationService;
import io.envoyproxy.envoy.service.auth.v3.CheckRequest;
import io.envoyproxy.envoy.service.auth.v3.CheckResponse;
import io.grpc.stub.StreamObserver;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * What one allowed Check costs the data plane itself, without the transport: CPU and bytes
 * allocated per Check, calling the gRPC service's handler ({@link EnvoyAuthorizationService#check}:
 * the request read, the whole pipeline, the response built) with hot caches, on Envoy-shaped
 * requests already decoded. A no-op handler costs next to nothing here, so this is the pipeline's
 * share of {@link CheckBenchmark}'s CPU per Check, but steadier: nothing else competes for the
 * thread, and no load generator shares the cores.
 *
 * <p>{@code threads=N} (1 unless given) calls the handler from N threads at once. Beside the
 * single-thread figure this shows what the Checks cost each other through shared state (caches,
 * counters, the allocator, the CPU's caches), with still no transport in the way.
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
    int threadCount = threadsOption(args);
    OperatingSystemMXBean process =
        (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    ExecutorService pool = Executors.newFixedThreadPool(threadCount);
    try (CheckGateway gateway = CheckGateway.start()) {
      CheckRequest[] allowed = CheckRequests.getObjects(CheckGateway.BUCKET, gateway.token(), 16);
      EnvoyAuthorizationService service = new EnvoyAuthorizationService(gateway.pipeline());
      List<Callable<Caller>> callers = new ArrayList<>();
      for (int i = 0; i < threadCount; i++) {
        int offset = i;
        callers.add(() -> Caller.run(service, allowed, offset));
      }
      double[] threadMicros = new double[ROUNDS];
      double[] processMicros = new double[ROUNDS];
      double[] bytes = new double[ROUNDS];
      for (int round = -WARMUP_ROUNDS; round < ROUNDS; round++) {
        long processBefore = process.getProcessCpuTime();
        Caller total = new Caller(0, 0, 0, 0);
        for (Future<Caller> caller : pool.invokeAll(callers)) {
          total = total.plus(caller.get());
        }
        if (total.refused() > 0) {
          throw new IllegalStateException(total.refused() + " Checks were refused");
        }
        if (round >= 0) {
          threadMicros[round] = total.cpuNanos() / 1e3 / total.checks();
          processMicros[round] =
              (process.getProcessCpuTime() - processBefore) / 1e3 / total.checks();
          bytes[round] = (double) total.allocatedBytes() / total.checks();
        }
      }
      System.out.printf("one allowed Check, hot caches, %d calling thread%s, %d rounds of 1 s"
              + " after %d s of warm-up (median, min-max):%n", threadCount,
          threadCount == 1 ? "" : "s", ROUNDS, WARMUP_ROUNDS);
      System.out.printf("  CPU on the calling thread%s: %s µs%n", threadCount == 1 ? "" : "s",
          spread(threadMicros, "%.2f"));
      System.out.printf("  CPU of the whole process (with the access-log writer, GC and JIT):"
              + " %s µs%n",
          spread(processMicros, "%.2f"));
      System.out.printf("  allocated on the calling thread%s: %s bytes%n",
          threadCount == 1 ? "" : "s", spread(bytes, "%,.0f"));
    } finally {
      pool.shutdownNow();
    }
  }

  private static int threadsOption(String[] args) {
    if (args.length == 0) {
      return 1;
    }
    if (args.length == 1 && args[0].matches("threads=[1-9][0-9]*")) {
      return Integer.parseInt(args[0].substring("threads=".length()));
    }
    throw new IllegalArgumentException("the one option is threads=N (N >= 1), not "
        + String.join(" ", args));
  }

  private static String spread(double[] values, String format) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return String.format(format + " (" + format + "-" + format + ")",
        sorted[sorted.length / 2], sorted[0], sorted[sorted.length - 1]);
  }

  /** What one thread did in a round: Checks made, refusals among them, its CPU and allocation. */
  private record Caller(long checks, long refused, long cpuNanos, long allocatedBytes) {
    private static final ThreadMXBean THREADS =
        (ThreadMXBean) ManagementFactory.getThreadMXBean();

    static Caller run(EnvoyAuthorizationService service, CheckRequest[] requests, int offset) {
      Responses responses = new Responses();
      long allocatedBefore = THREADS.getCurrentThreadAllocatedBytes();
      long cpuBefore = THREADS.getCurrentThreadCpuTime();
      long checks = 0;
      long end = System.nanoTime() + ROUND_NANOS;
      while (System.nanoTime() < end) {
        for (int i = 0; i < 1_000; i++, checks++) {
          service.check(requests[(int) ((checks + offset) % requests.length)], responses);
        }
      }
      return new Caller(checks, responses.refused, THREADS.getCurrentThreadCpuTime() - cpuBefore,
          THREADS.getCurrentThreadAllocatedBytes() - allocatedBefore);
    }

    Caller plus(Caller other) {
      return new Caller(checks + other.checks, refused + other.refused,
          cpuNanos + other.cpuNanos, allocatedBytes + other.allocatedBytes);
    }
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
