package dev.storagegateway.benchmarks;

import java.util.Arrays;

/** Nanosecond samples, reported as p50 / p99 / max in milliseconds. */
final class Delays {
  private long[] samples = new long[16];
  private int count;

  void add(long nanos) {
    if (count == samples.length) {
      samples = Arrays.copyOf(samples, count * 2);
    }
    samples[count++] = nanos;
  }

  int count() {
    return count;
  }

  /** Nearest-rank percentile, in milliseconds. */
  double percentile(double p) {
    long[] sorted = Arrays.copyOf(samples, count);
    Arrays.sort(sorted);
    int rank = (int) Math.ceil(p / 100.0 * count);
    return sorted[Math.max(0, Math.min(count - 1, rank - 1))] / 1e6;
  }

  double max() {
    return percentile(100);
  }

  String summary() {
    return String.format("n=%d p50=%.1f ms p99=%.1f ms max=%.1f ms", count, percentile(50),
        percentile(99), max());
  }
}
