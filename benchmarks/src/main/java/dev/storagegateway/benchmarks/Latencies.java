package dev.storagegateway.benchmarks;

import java.util.Arrays;

/**
 * Exact percentiles of a set of latencies, in nanoseconds. A run at a fixed rate holds a few tens
 * of thousands of samples, so sorting them all is cheap and needs no histogram.
 */
record Latencies(int count, long p50, long p99, long p999, long max) {

  static Latencies of(long[] nanos) {
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    return new Latencies(sorted.length, at(sorted, 0.50), at(sorted, 0.99), at(sorted, 0.999),
        sorted.length == 0 ? 0 : sorted[sorted.length - 1]);
  }

  /** The nearest-rank percentile: the smallest sample that at least {@code q} of them reach. */
  private static long at(long[] sorted, double q) {
    if (sorted.length == 0) {
      return 0;
    }
    int rank = (int) Math.ceil(q * sorted.length);
    return sorted[Math.max(0, rank - 1)];
  }

  String describe() {
    return String.format("p50=%s p99=%s p99.9=%s max=%s", ms(p50), ms(p99), ms(p999), ms(max));
  }

  static String ms(long nanos) {
    return String.format("%.3f ms", nanos / 1e6);
  }
}
