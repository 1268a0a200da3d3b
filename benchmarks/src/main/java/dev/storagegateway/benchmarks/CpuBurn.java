package dev.storagegateway.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * A fixed amount of pure CPU work that touches no memory: a multiply-add chain in registers,
 * calibrated on the calling thread to last the given time. A no-op Check server that runs it
 * shows what a handler would cost if it were that much computation and nothing else: no
 * allocation, no shared caches, nothing that evicts the transport's data from the CPU's caches.
 */
final class CpuBurn {
  static final CpuBurn NONE = new CpuBurn(0);

  private static final int CALIBRATION_ITERATIONS = 20_000_000;
  private static final int CALIBRATION_ROUNDS = 10;

  private final long iterations;
  /** Written only when the chain hits a value it never reaches, so the JIT must keep the loop. */
  private long unreachable;

  private CpuBurn(long iterations) {
    this.iterations = iterations;
  }

  /** Calibrates on this thread: the fastest of several timed loops, after the JIT compiled it. */
  static CpuBurn of(double micros) {
    if (micros <= 0) {
      return NONE;
    }
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    CpuBurn probe = new CpuBurn(CALIBRATION_ITERATIONS);
    double fastestNanos = Double.MAX_VALUE;
    for (int round = 0; round < CALIBRATION_ROUNDS; round++) {
      long before = threads.getCurrentThreadCpuTime();
      probe.run();
      fastestNanos = Math.min(fastestNanos,
          (double) (threads.getCurrentThreadCpuTime() - before) / CALIBRATION_ITERATIONS);
    }
    return new CpuBurn(Math.round(micros * 1_000 / fastestNanos));
  }

  void run() {
    long x = iterations;
    for (long i = 0; i < iterations; i++) {
      x = x * 6364136223846793005L + 1442695040888963407L;
    }
    if (x == Long.MIN_VALUE + 1) {
      unreachable = x;
    }
  }

  @Override
  public String toString() {
    return iterations + " iterations";
  }
}
