package dev.storagegateway.benchmarks;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * CPU spent over one or more stretches of time: by this process, by its Java threads grouped by
 * name (numbers dropped, so all of gRPC's executor threads are one group), by garbage collection,
 * and by the whole machine from {@code /proc/stat}, which shows whether other processes competed
 * for the cores.
 */
final class CpuUsage {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  static final CpuUsage NONE = new CpuUsage(0, 0, 0, 0, 0, Map.of());
  static final String NATIVE = "(gc, jit, other native)";

  private final long wallNanos;
  private final long processNanos;
  private final long gcMillis;
  private final long machineBusyTicks;
  private final long machineTicks;
  private final Map<String, Long> groupNanos;

  private CpuUsage(long wallNanos, long processNanos, long gcMillis, long machineBusyTicks,
      long machineTicks, Map<String, Long> groupNanos) {
    this.wallNanos = wallNanos;
    this.processNanos = processNanos;
    this.gcMillis = gcMillis;
    this.machineBusyTicks = machineBusyTicks;
    this.machineTicks = machineTicks;
    this.groupNanos = groupNanos;
  }

  /** The counters at one moment. */
  record Snapshot(long wallNanos, long processNanos, long gcMillis, long[] machineTicks,
      Map<Long, Long> threadNanos, Map<Long, String> threadGroups) {

    static Snapshot take() {
      Map<Long, Long> nanos = new HashMap<>();
      Map<Long, String> groups = new HashMap<>();
      for (ThreadInfo info : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
        if (info == null) {
          continue;
        }
        long cpu = THREADS.getThreadCpuTime(info.getThreadId());
        if (cpu >= 0) {
          nanos.put(info.getThreadId(), cpu);
          groups.put(info.getThreadId(), group(info.getThreadName()));
        }
      }
      long gc = 0;
      for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
        gc += Math.max(0, collector.getCollectionTime());
      }
      return new Snapshot(System.nanoTime(), processCpuNanos(), gc, readMachineTicks(), nanos,
          groups);
    }

    /** What was spent from {@code earlier} to this snapshot. */
    CpuUsage since(Snapshot earlier) {
      Map<String, Long> byGroup = new HashMap<>();
      threadNanos.forEach((id, cpu) -> byGroup.merge(threadGroups.get(id),
          cpu - earlier.threadNanos.getOrDefault(id, 0L), Long::sum));
      boolean machine = machineTicks.length > 0 && earlier.machineTicks.length > 0;
      return new CpuUsage(wallNanos - earlier.wallNanos, processNanos - earlier.processNanos,
          gcMillis - earlier.gcMillis,
          machine ? machineTicks[0] - earlier.machineTicks[0] : 0,
          machine ? machineTicks[1] - earlier.machineTicks[1] : 0, byGroup);
    }
  }

  CpuUsage plus(CpuUsage other) {
    Map<String, Long> groups = new HashMap<>(groupNanos);
    other.groupNanos.forEach((group, nanos) -> groups.merge(group, nanos, Long::sum));
    return new CpuUsage(wallNanos + other.wallNanos, processNanos + other.processNanos,
        gcMillis + other.gcMillis, machineBusyTicks + other.machineBusyTicks,
        machineTicks + other.machineTicks, groups);
  }

  /** Two lines: totals, then µs per request by thread group. */
  String describe(long requests) {
    int cores = Runtime.getRuntime().availableProcessors();
    double process = 100.0 * processNanos / Math.max(1, wallNanos) / cores;
    StringBuilder out = new StringBuilder();
    out.append(String.format("    cpu: this process %.0f%% of %d cores", process, cores));
    if (machineTicks > 0) {
      double machine = 100.0 * machineBusyTicks / machineTicks;
      out.append(String.format(", whole machine %.0f%% (other processes about %.0f%%)", machine,
          Math.max(0, machine - process)));
    }
    out.append(String.format("; %.1f µs of CPU per Check, gc %d ms%n", perRequest(processNanos,
        requests), gcMillis));
    out.append("    µs of CPU per Check by thread:");
    nanosByGroup().entrySet().stream()
        .filter(entry -> entry.getValue() > 0.005 * wallNanos)
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .forEach(entry -> out.append(String.format(" %s=%.1f", entry.getKey(),
            perRequest(entry.getValue(), requests))));
    return out.toString();
  }

  /** µs of CPU per request by thread group, as {@link #nanosByGroup()} groups it. */
  Map<String, Double> microsByGroup(long requests) {
    Map<String, Double> micros = new HashMap<>();
    nanosByGroup().forEach((group, nanos) -> micros.put(group, perRequest(nanos, requests)));
    return micros;
  }

  /**
   * CPU by thread group, with what no Java thread accounts for (garbage collection, the JIT,
   * other native threads) under {@value #NATIVE}.
   */
  private Map<String, Long> nanosByGroup() {
    Map<String, Long> nanos = new HashMap<>(groupNanos);
    long javaThreads = groupNanos.values().stream().mapToLong(Long::longValue).sum();
    nanos.put(NATIVE, Math.max(0, processNanos - javaThreads));
    return nanos;
  }

  /** Process CPU per request, in µs, leaving out the thread groups named. */
  double microsPerRequest(long requests, String... excludedGroups) {
    long nanos = processNanos;
    for (String group : excludedGroups) {
      nanos -= groupNanos.getOrDefault(group, 0L);
    }
    return perRequest(nanos, requests);
  }

  private static double perRequest(long nanos, long requests) {
    return requests > 0 ? nanos / 1e3 / requests : 0;
  }

  private static String group(String threadName) {
    return threadName.replaceAll("[-#_ ]?\\d+", "");
  }

  private static long processCpuNanos() {
    if (ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getProcessCpuTime();
    }
    return 0;
  }

  /** Busy and total ticks of all cores, or nothing where {@code /proc/stat} cannot be read. */
  private static long[] readMachineTicks() {
    try {
      String first = Files.readAllLines(Path.of("/proc/stat")).get(0);
      long[] fields = Arrays.stream(first.trim().split("\\s+")).skip(1)
          .mapToLong(Long::parseLong).toArray();
      long total = 0;
      // user nice system idle iowait irq softirq steal; guest time is already in user.
      for (int i = 0; i < Math.min(8, fields.length); i++) {
        total += fields[i];
      }
      long idle = fields[3] + (fields.length > 4 ? fields[4] : 0);
      return new long[] {total - idle, total};
    } catch (IOException | RuntimeException e) {
      return new long[0];
    }
  }
}
