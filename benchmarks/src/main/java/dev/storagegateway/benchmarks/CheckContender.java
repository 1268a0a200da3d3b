package dev.storagegateway.benchmarks;

import com.google.rpc.Code;
import io.envoyproxy.envoy.service.auth.v3.CheckRequest;
import java.util.ArrayList;
import java.util.List;

/**
 * One Check server under test: its own client connections, and what its closed-loop and
 * open-loop rounds measured, added up over the rounds.
 */
final class CheckContender implements AutoCloseable {
  private final String name;
  private final CheckLoadGenerator load;
  private final int concurrency;
  private final int rate;
  private final double closedRoundSeconds;
  private final double openRoundSeconds;
  private final List<Double> roundThroughputs = new ArrayList<>();
  private CheckLoadGenerator.Counts lastClosed;
  private long closedCompleted;
  private double closedSeconds;
  private CpuUsage closedCpu = CpuUsage.NONE;
  private long[] fromDue = new long[0];
  private long[] fromSent = new long[0];
  private long[] sendLateness = new long[0];
  private long openUnexpected;
  private long openFailed;
  private CpuUsage openCpu = CpuUsage.NONE;

  /**
   * @param concurrency calls outstanding in the closed loop
   * @param rate calls per second in the open loop
   */
  CheckContender(String name, int port, int connections, int concurrency, int rate,
      double closedRoundSeconds, double openRoundSeconds) {
    this.name = name;
    this.load = new CheckLoadGenerator(port, connections);
    this.concurrency = concurrency;
    this.rate = rate;
    this.closedRoundSeconds = closedRoundSeconds;
    this.openRoundSeconds = openRoundSeconds;
  }

  String name() {
    return name;
  }

  CheckLoadGenerator load() {
    return load;
  }

  /** One closed-loop round; returns its Checks per second. */
  double closedRound(CheckRequest[] requests) throws InterruptedException {
    CpuUsage.Snapshot before = CpuUsage.Snapshot.take();
    lastClosed = load.closedLoop(requests, concurrency, closedRoundSeconds, Code.OK);
    closedCpu = closedCpu.plus(CpuUsage.Snapshot.take().since(before));
    closedCompleted += lastClosed.completed();
    closedSeconds += lastClosed.seconds();
    roundThroughputs.add(lastClosed.perSecond());
    return lastClosed.perSecond();
  }

  void openRound(CheckRequest[] requests) throws InterruptedException {
    CpuUsage.Snapshot before = CpuUsage.Snapshot.take();
    CheckLoadGenerator.OpenLoopResult open =
        load.openLoop(requests, rate, openRoundSeconds, Code.OK);
    openCpu = openCpu.plus(CpuUsage.Snapshot.take().since(before));
    fromDue = concat(fromDue, open.fromDue());
    fromSent = concat(fromSent, open.fromSent());
    sendLateness = concat(sendLateness, open.sendLateness());
    openUnexpected += open.counts().unexpected();
    openFailed += open.counts().failed();
  }

  CheckLoadGenerator.Counts lastClosed() {
    return lastClosed;
  }

  /** Checks per second over all closed-loop rounds. */
  double throughput() {
    return closedCompleted / closedSeconds;
  }

  long closedCompleted() {
    return closedCompleted;
  }

  CpuUsage closedCpu() {
    return closedCpu;
  }

  Latencies fromDue() {
    return Latencies.of(fromDue);
  }

  Latencies fromSent() {
    return Latencies.of(fromSent);
  }

  Latencies sendLateness() {
    return Latencies.of(sendLateness);
  }

  long openCalls() {
    return fromDue.length;
  }

  CpuUsage openCpu() {
    return openCpu;
  }

  String openProblems() {
    return openUnexpected == 0 && openFailed == 0 ? "" : String.format(
        " [%d unexpected answers, %d failed calls]", openUnexpected, openFailed);
  }

  /** This server's throughput as a share of {@code other}'s, round by round. */
  String roundRatios(CheckContender other) {
    List<String> ratios = new ArrayList<>();
    for (int i = 0; i < roundThroughputs.size(); i++) {
      ratios.add(String.format("%.0f%%",
          100 * roundThroughputs.get(i) / other.roundThroughputs.get(i)));
    }
    return String.join(", ", ratios);
  }

  private static long[] concat(long[] first, long[] second) {
    long[] all = new long[first.length + second.length];
    System.arraycopy(first, 0, all, 0, first.length);
    System.arraycopy(second, 0, all, first.length, second.length);
    return all;
  }

  @Override
  public void close() throws InterruptedException {
    load.close();
  }
}
