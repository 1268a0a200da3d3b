package dev.storagegateway.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;

/**
 * A fixed amount of pure CPU work that touches no memory: a multiply-add chain in registers,
 * calibrated on the calling thread to last the given time. A no-op Check server that runs it
 * shows what a handler would cost if it were that much computation and nothing else: no
 * allocation, no shared caches, nothing that evicts the transport's data from the CPU's caches.
 */
final class CpuBurn {
  static final CpuBurn NONE = new CpuBurn(0);

  private static final int PASSES = 3;
  private static final int WARMUP_CALLS = 20_000;
  private static final int TIMED_BATCHES = 5;
  private static final int CALLS_PER_BATCH = 20_000;
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private final long iterations;
  /** Written only if the chain ends on one value of 2^64, so the JIT must keep the loop. */
  private long sink;

  private CpuBurn(long iterations) {
    this.iterations = iterations;
  }

  /**
   * Calibrated the way the server calls it: many short calls of the compiled method, timed in
   * batches on this thread's CPU clock, the iteration count rescaled until a call lasts
   * {@code micros}.
   */
  static CpuBurn of(double micros) {
    if (micros <= 0) {
      return NONE;
    }
    double nanos = micros * 1_000;
    CpuBurn burn = new CpuBurn(Math.round(nanos));
    for (int pass = 0; pass < PASSES; pass++) {
      burn = new CpuBurn(Math.max(1, Math.round(burn.iterations * nanos / burn.nanosPerCall())));
    }
    return burn;
  }

  void run() {
    long x = iterations;
    for (long i = 0; i < iterations; i++) {
      // The index keeps the JIT from folding unrolled steps into one multiply-add.
      x = x * 6364136223846793005L + i;
    }
    if (x == 0x5DEECE66DL) {
      sink = x;
    }
  }

  /** The median of several timed batches, after enough calls for the JIT to compile this. */
  private double nanosPerCall() {
    for (int i = 0; i < WARMUP_CALLS; i++) {
      run();
    }
    double[] batches = new double[TIMED_BATCHES];
    for (int batch = 0; batch < TIMED_BATCHES; batch++) {
      long before = THREADS.getCurrentThreadCpuTime();
      for (int i = 0; i < CALLS_PER_BATCH; i++) {
        run();
      }
      batches[batch] = Math.max(1, THREADS.getCurrentThreadCpuTime() - before)
          / (double) CALLS_PER_BATCH;
    }
    Arrays.sort(batches);
    return batches[TIMED_BATCHES / 2];
  }

  @Override
  public String toString() {
    return iterations + " iterations";
  }
}
