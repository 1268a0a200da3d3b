package dev.storagegateway.benchmarks;

import ch.qos.logback.classic.Level;
import com.google.rpc.Code;
import dev.storagegateway.extauthz.DataPlane;
import dev.storagegateway.extauthz.DataPlaneSettings;
import io.envoyproxy.envoy.service.auth.v3.AuthorizationGrpc;
import io.envoyproxy.envoy.service.auth.v3.CheckRequest;
import io.envoyproxy.envoy.service.auth.v3.CheckResponse;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.LoggerFactory;

/**
 * The data plane's gRPC Check under load, next to a Check server that does nothing, in one JVM:
 *
 * <ol>
 *   <li>maximum throughput, closed loop: a fixed number of calls outstanding (target: the full
 *       pipeline reaches at least 70% of the no-op server's Checks per second);
 *   <li>latency at a fixed 2,000 Checks/s, open loop, measured from when each call was due
 *       (target: p99 under 1 ms);
 *   <li>the denial path: anonymous requests refused, closed loop;
 *   <li>the SigV4 path: the same GETs signed by the client with the gateway's temporary keys
 *       (issue 5), whose signature the data plane verifies before the rest of the pipeline:
 *       maximum throughput and latency at 2,000 Checks/s (target: p99 under 1 ms).
 * </ol>
 *
 * <p>Requests are Envoy-shaped GET object Checks for a few thousand keys of one bucket, all with
 * the same Bearer token, so the token, Arborist and credential caches are hot after the warm-up
 * and no request leaves the machine. The load generator runs on the same cores as the servers.
 * The measured time of each mode is cut into rounds that alternate between the two servers, so
 * that another process busy for a while on the shared machine hurts both about equally.
 *
 * <p>Options, as {@code key=value}: {@code warmup} (the least s per server, 30: on two cores
 * the JIT is still compiling the pipeline after 10 s, which showed as more CPU per Check and a
 * p99 above 1 ms), {@code warmupMax} (s per server, 180; the warm-up goes on until throughput is
 * steady, see {@link #warmUp}), {@code closed} (s per server, 20), {@code open} (s per server,
 * 20), {@code rounds} (4), {@code rate} (Checks/s, 2000), {@code concurrency} (outstanding
 * calls, 64), {@code connections} (2), {@code denial} (s, 5), {@code keys} (4096), {@code
 * accessLog} (level of the {@code access} logger: INFO as in production, or WARN to leave it
 * out), {@code alone} ({@code no-op} or {@code full}: load only that server, the other idle, and
 * stop after its latency; two such runs measure each server in a JVM whose JIT has compiled gRPC
 * and Netty for its calls alone).
 */
public final class CheckBenchmark {
  /** Thread groups as {@link CpuUsage} names them (numbers dropped). */
  private static final String ACCESS_LOG_WRITER = "logback-appender-ACCESS";
  /** grpc-netty's server event loops, with epoll and with NIO. */
  private static final List<String> SERVER_EVENT_LOOPS =
      List.of("grpc-default-worker-ELG", "grpc-nio-worker-ELG");
  private static final double TARGET_RATIO = 0.70;
  /** Values of the {@code alone} option. */
  private static final String NO_OP = "no-op";
  private static final String FULL = "full";
  private static final long TARGET_P99_NANOS = 1_000_000;
  private static final double WARM_UP_SLICE_SECONDS = 5;
  /** How close two warm-up slices of one server must be to call it warmed up. */
  private static final double STEADY = 0.10;

  public static void main(String[] args) throws Exception {
    Options options = Options.parse(args);
    ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger("access"))
        .setLevel(options.accessLog());
    CpuBurn burn = CpuBurn.of(options.burnMicros());
    printMachine(options, burn);

    try (CheckGateway gateway = CheckGateway.start();
        NoOpCheckServer noOp =
            NoOpCheckServer.start(DataPlaneSettings.loopback().grpcThreads(), burn);
        CheckContender floor = contender("no-op", noOp.port(), options);
        CheckContender full = contender("full pipeline", gateway.port(), options);
        CheckContender signed = contender("SigV4 path", gateway.port(), options)) {
      CheckRequest[] allowed =
          CheckRequests.getObjects(CheckGateway.BUCKET, gateway.token(), options.keys());
      CheckRequest[] anonymous =
          CheckRequests.getObjects(CheckGateway.BUCKET, null, options.keys());
      CheckResponse real = checkOnce(gateway.port(), allowed[0]);
      if (real.getStatus().getCode() != Code.OK_VALUE) {
        throw new IllegalStateException("the data plane refused the benchmark's request: "
            + real.getDeniedResponse().getBody());
      }
      CheckResponse fixed = checkOnce(noOp.port(), allowed[0]);
      System.out.printf("request: %d bytes, %d headers; allow answer: data plane %d headers"
              + " set, %d bytes; no-op %d headers set, %d bytes%n%n",
          allowed[0].getSerializedSize(),
          allowed[0].getAttributes().getRequest().getHttp().getHeadersCount(),
          real.getOkResponse().getHeadersCount(), real.getSerializedSize(),
          fixed.getOkResponse().getHeadersCount(), fixed.getSerializedSize());

      List<CheckContender> measured = switch (options.alone()) {
        case NO_OP -> List.of(floor);
        case FULL -> List.of(full);
        default -> List.of(floor, full);
      };
      warmUp(measured, allowed, options);
      maxThroughput(measured, allowed, options);
      latency(measured, allowed, options);
      if (measured.size() == 1) {
        System.out.printf("%n%s measured alone (alone=%s): compare with a run of the other"
            + " server alone%n", measured.get(0).name(), options.alone());
        return;
      }
      long denials = denialPath(full, anonymous, options);
      summarize(floor, full, denials, options);
      sigV4Path(signed, floor, gateway.port(),
          CheckRequests.signedGetObjects(CheckGateway.BUCKET, gateway.sessionCredentials(),
              options.keys()), options);
    }
  }

  /**
   * Warms the servers in alternating slices of {@link #WARM_UP_SLICE_SECONDS} until each
   * server's last slice is within {@link #STEADY} of its previous one, after at least {@code
   * warmup} and at most {@code warmupMax} seconds per server. On the slower two-core machines the
   * JIT was still compiling after a fixed 30 s: the measured rounds then climbed one after the
   * other (the no-op 14,800 to 27,600 Checks/s, the full pipeline 6,100 to 14,900).
   */
  private static void warmUp(List<CheckContender> contenders, CheckRequest[] allowed,
      Options options)
      throws InterruptedException {
    System.out.printf("== warm-up, closed loop, slices of %.0f s alternating until steady"
            + " (within %.0f%%), %.0f-%.0f s per server (%s) ==%n", WARM_UP_SLICE_SECONDS,
        STEADY * 100, options.warmupSeconds(), options.warmupMaxSeconds(), Instant.now());
    Map<String, Double> previous = new HashMap<>();
    double warmed = 0;
    boolean steady = false;
    while (warmed < options.warmupMaxSeconds()
        && !(steady && warmed >= options.warmupSeconds())) {
      steady = true;
      StringBuilder slice = new StringBuilder();
      for (CheckContender contender : contenders) {
        CheckLoadGenerator.Counts warm = contender.load().closedLoop(allowed,
            options.concurrency(), WARM_UP_SLICE_SECONDS, Code.OK);
        Double before = previous.put(contender.name(), warm.perSecond());
        steady &= before != null && Math.abs(warm.perSecond() - before) <= STEADY * before;
        slice.append(String.format(" %s %,.0f%s;", contender.name(), warm.perSecond(),
            problems(warm)));
      }
      warmed += WARM_UP_SLICE_SECONDS;
      System.out.printf("  %3.0f s:%s%n", warmed, slice);
    }
    System.out.printf("  %s after %.0f s per server%n", steady ? "steady" : "NOT steady",
        warmed);
  }

  private static void maxThroughput(List<CheckContender> contenders, CheckRequest[] allowed,
      Options options) throws InterruptedException {
    System.out.printf("%n== max throughput, closed loop, %d outstanding over %d connections,"
            + " %d rounds of %.1f s per server (%s) ==%n", options.concurrency(),
        options.connections(), options.rounds(), options.closedSeconds() / options.rounds(),
        Instant.now());
    for (int round = 0; round < options.rounds(); round++) {
      StringBuilder line = new StringBuilder(String.format("  round %d:", round + 1));
      for (CheckContender contender : inTurn(contenders, round)) {
        line.append(String.format(" %s %,.0f Checks/s%s;", contender.name(),
            contender.closedRound(allowed), problems(contender.lastClosed())));
      }
      System.out.println(line);
    }
    for (CheckContender contender : contenders) {
      System.out.printf("  %-13s %,8.0f Checks/s (mean latency %.2f ms by Little's law)%n",
          contender.name(), contender.throughput(),
          options.concurrency() / contender.throughput() * 1e3);
      System.out.println(contender.closedCpu().describe(contender.closedCompleted()));
    }
  }

  private static void latency(List<CheckContender> contenders, CheckRequest[] allowed,
      Options options) throws InterruptedException {
    System.out.printf("%n== latency, open loop at %,d Checks/s, %d rounds of %.1f s per server,"
            + " from the time each call was due (%s) ==%n", options.rate(), options.rounds(),
        options.openSeconds() / options.rounds(), Instant.now());
    for (int round = 0; round < options.rounds(); round++) {
      for (CheckContender contender : inTurn(contenders, round)) {
        contender.openRound(allowed);
      }
    }
    for (CheckContender contender : contenders) {
      System.out.printf("  %-13s %s%s%n", contender.name(), contender.fromDue().describe(),
          contender.openProblems());
      System.out.printf("    from when each call was actually sent: %s%n",
          contender.fromSent().describe());
      System.out.printf("    the sender's own lateness: %s%n",
          contender.sendLateness().describe());
      System.out.println(contender.openCpu().describe(contender.openCalls()));
    }
  }

  private static CheckContender contender(String name, int port, Options options) {
    return new CheckContender(name, port, options.connections(), options.concurrency(),
        options.rate(), options.closedSeconds() / options.rounds(),
        options.openSeconds() / options.rounds());
  }

  /** Alternates which server goes first, so neither always follows the other. */
  private static List<CheckContender> inTurn(List<CheckContender> contenders, int round) {
    return round % 2 == 0 || contenders.size() == 1 ? contenders
        : List.of(contenders.get(1), contenders.get(0));
  }

  private static long denialPath(CheckContender full, CheckRequest[] anonymous, Options options)
      throws InterruptedException {
    System.out.printf("%n== denial path, full pipeline: anonymous GET refused (403 AccessDenied),"
        + " closed loop, %d outstanding (%s) ==%n", options.concurrency(), Instant.now());
    full.load().closedLoop(anonymous, options.concurrency(),
        Math.min(3, options.warmupSeconds()), Code.PERMISSION_DENIED);
    CpuUsage.Snapshot before = CpuUsage.Snapshot.take();
    CheckLoadGenerator.Counts denied = full.load().closedLoop(anonymous, options.concurrency(),
        options.denialSeconds(), Code.PERMISSION_DENIED);
    CpuUsage spent = CpuUsage.Snapshot.take().since(before);
    System.out.printf("  %,.0f denials/s over %.0f s%s%n", denied.perSecond(), denied.seconds(),
        problems(denied));
    System.out.println(spent.describe(denied.completed()));
    return Math.round(denied.perSecond());
  }

  private static void summarize(CheckContender floor, CheckContender full, long denials,
      Options options) {
    double ratio = full.throughput() / floor.throughput();
    Latencies fullLatency = full.fromDue();
    System.out.printf("%n== summary ==%n");
    System.out.printf("max throughput: no-op %,.0f Checks/s, full pipeline %,.0f Checks/s, full"
            + " is %.0f%% of no-op (rounds: %s) -> target >= %.0f%%: %s%n", floor.throughput(),
        full.throughput(), 100 * ratio, full.roundRatios(floor), 100 * TARGET_RATIO,
        ratio >= TARGET_RATIO ? "met" : "MISSED");
    double floorCpu = floor.closedCpu().microsPerRequest(floor.closedCompleted());
    double fullCpu = full.closedCpu().microsPerRequest(full.closedCompleted());
    double floorServer = floor.closedCpu().microsPerRequest(floor.closedCompleted(),
        CheckLoadGenerator.THREAD_PREFIX, "main");
    double fullServer = full.closedCpu().microsPerRequest(full.closedCompleted(),
        CheckLoadGenerator.THREAD_PREFIX, "main");
    System.out.printf("CPU per Check at max throughput: no-op %.1f µs, full pipeline %.1f µs, so"
            + " at equal CPU full does %.0f%% of no-op's Checks; without the load generator's"
            + " threads %.1f vs %.1f µs, %.0f%%%n", floorCpu, fullCpu, 100 * floorCpu / fullCpu,
        floorServer, fullServer, 100 * floorServer / fullServer);
    System.out.println(extraCpu(floor, full, floorCpu, fullCpu));
    System.out.printf("at %,d Checks/s: no-op         %s%n", options.rate(),
        floor.fromDue().describe());
    System.out.printf("at %,d Checks/s: full pipeline %s -> target p99 < 1 ms: %s%n",
        options.rate(), fullLatency.describe(),
        fullLatency.p99() < TARGET_P99_NANOS ? "met" : "MISSED");
    System.out.printf("denial path: %,d denials/s%n", denials);
    System.out.printf("access log at %s; the load generator, both servers and the JVM share the"
        + " same %d cores%n", options.accessLog(), Runtime.getRuntime().availableProcessors());
  }

  /**
   * Where the full pipeline's CPU per Check beyond the no-op's went, by thread group: the ratio
   * moves with the load generator's and event loops' share as much as with the pipeline's own.
   */
  private static String extraCpu(CheckContender floor, CheckContender full, double floorCpu,
      double fullCpu) {
    Map<String, Double> noOp = floor.closedCpu().microsByGroup(floor.closedCompleted());
    Map<String, Double> data = full.closedCpu().microsByGroup(full.closedCompleted());
    double checkThreads = data.getOrDefault(DataPlane.CHECK_THREAD_NAME, 0.0)
        - noOp.getOrDefault(NoOpCheckServer.THREAD_NAME, 0.0);
    double writer = difference(data, noOp, List.of(ACCESS_LOG_WRITER));
    double runtime = difference(data, noOp, List.of(CpuUsage.NATIVE));
    double eventLoops = difference(data, noOp, SERVER_EVENT_LOOPS);
    double generator = difference(data, noOp, List.of(CheckLoadGenerator.THREAD_PREFIX));
    double extra = fullCpu - floorCpu;
    return String.format("the full pipeline's %.1f µs per Check over the no-op's: its Check"
            + " threads %+.1f, access-log writer %+.1f, gc/jit/native %+.1f; server event loops"
            + " %+.1f, load generator %+.1f, other threads %+.1f (70%% of the no-op allows"
            + " %.1f µs)", extra, checkThreads, writer, runtime, eventLoops, generator,
        extra - checkThreads - writer - runtime - eventLoops - generator,
        floorCpu / TARGET_RATIO - floorCpu);
  }

  private static double difference(Map<String, Double> data, Map<String, Double> noOp,
      List<String> groups) {
    double difference = 0;
    for (String group : groups) {
      difference += data.getOrDefault(group, 0.0) - noOp.getOrDefault(group, 0.0);
    }
    return difference;
  }

  /**
   * Requests signed with gateway-issued keys: the data plane opens the session token, verifies
   * the signature, then runs the pipeline as for a Bearer token. Measured after the rest, against
   * the no-op figures already taken.
   */
  private static void sigV4Path(CheckContender signed, CheckContender floor, int port,
      CheckRequest[] requests, Options options) throws InterruptedException {
    System.out.printf("%n== SigV4 path: the same GETs signed with the gateway's temporary keys"
        + " (%s) ==%n", Instant.now());
    CheckResponse first = checkOnce(port, requests[0]);
    if (first.getStatus().getCode() != Code.OK_VALUE) {
      throw new IllegalStateException("the data plane refused the signed request: "
          + first.getDeniedResponse().getBody());
    }
    signed.load().closedLoop(requests, options.concurrency(), options.warmupSeconds(), Code.OK);
    for (int round = 0; round < options.rounds(); round++) {
      signed.closedRound(requests);
    }
    for (int round = 0; round < options.rounds(); round++) {
      signed.openRound(requests);
    }
    System.out.printf("  max throughput %,.0f Checks/s, %.0f%% of the no-op's; CPU per Check"
            + " %.1f µs%n", signed.throughput(), 100 * signed.throughput() / floor.throughput(),
        signed.closedCpu().microsPerRequest(signed.closedCompleted()));
    System.out.printf("  at %,d Checks/s: %s%s -> target p99 < 1 ms: %s%n", options.rate(),
        signed.fromDue().describe(), signed.openProblems(),
        signed.fromDue().p99() < TARGET_P99_NANOS ? "met" : "MISSED");
  }

  private static String problems(CheckLoadGenerator.Counts counts) {
    return counts.unexpected() == 0 && counts.failed() == 0 ? ""
        : String.format(" [%d unexpected answers, %d failed calls]", counts.unexpected(),
            counts.failed());
  }

  private static CheckResponse checkOnce(int port, CheckRequest request)
      throws InterruptedException {
    ManagedChannel channel =
        NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
    try {
      return AuthorizationGrpc.newBlockingStub(channel).check(request);
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  private static void printMachine(Options options, CpuBurn burn) {
    Runtime runtime = Runtime.getRuntime();
    System.out.printf("CheckBenchmark %s%n", Instant.now());
    System.out.printf("machine: %d cores (%s), %s %s%n", runtime.availableProcessors(),
        cpuModel(), System.getProperty("os.name"), System.getProperty("os.version"));
    System.out.printf("java: %s %s (%s), max heap %d MiB, gc %s%n",
        System.getProperty("java.vm.name"), System.getProperty("java.runtime.version"),
        System.getProperty("java.vendor"), runtime.maxMemory() >> 20,
        ManagementFactory.getGarbageCollectorMXBeans().stream()
            .map(GarbageCollectorMXBean::getName).collect(Collectors.joining(", ")));
    System.out.printf("options: %s%n", options);
    System.out.printf("note: the load generator (grpc-java, in this JVM) shares the %d cores with"
        + " the server under test; each figure is a lower bound for a server with the cores to"
        + " itself%n", runtime.availableProcessors());
    System.out.printf("access log: %s%n", options.accessLog() == Level.INFO
        ? "INFO, one line per decision on stderr, as in production"
        : options.accessLog() + " (no access lines written)");
    System.out.printf("no-op: %s%n%n", burn == CpuBurn.NONE ? "answers at once"
        : String.format("burns %.1f µs of pure CPU per Check before answering (%s)",
            options.burnMicros(), burn));
  }

  private static String cpuModel() {
    try {
      return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
          .filter(line -> line.startsWith("model name"))
          .map(line -> line.substring(line.indexOf(':') + 1).trim())
          .findFirst().orElse("unknown CPU");
    } catch (IOException e) {
      return "unknown CPU";
    }
  }

  /** The run's settings, from {@code key=value} arguments. */
  private record Options(double warmupSeconds, double warmupMaxSeconds, double closedSeconds,
      double openSeconds, int rounds, int rate, int concurrency, int connections,
      double denialSeconds, int keys, Level accessLog, String alone, double burnMicros) {

    private static final Set<String> NAMES = Set.of("warmup", "warmupMax", "closed", "open",
        "rounds", "rate", "concurrency", "connections", "denial", "keys", "accessLog", "alone",
        "burn");

    static Options parse(String[] args) {
      Map<String, String> given = new HashMap<>();
      for (String arg : args) {
        for (String word : arg.trim().split("\\s+")) {
          if (word.isEmpty()) {
            continue;
          }
          int equals = word.indexOf('=');
          if (equals <= 0 || !NAMES.contains(word.substring(0, equals))) {
            throw new IllegalArgumentException("options are key=value with a key among " + NAMES
                + ", not '" + word + "'");
          }
          given.put(word.substring(0, equals), word.substring(equals + 1));
        }
      }
      Level accessLog = Level.toLevel(given.getOrDefault("accessLog", "INFO"), null);
      if (accessLog == null) {
        throw new IllegalArgumentException("accessLog is a logback level such as INFO or WARN");
      }
      String alone = given.getOrDefault("alone", "");
      if (!Set.of("", NO_OP, FULL).contains(alone)) {
        throw new IllegalArgumentException("alone is " + NO_OP + " or " + FULL + ", not '"
            + alone + "'");
      }
      return new Options(
          Double.parseDouble(given.getOrDefault("warmup", "30")),
          Double.parseDouble(given.getOrDefault("warmupMax", "180")),
          Double.parseDouble(given.getOrDefault("closed", "20")),
          Double.parseDouble(given.getOrDefault("open", "20")),
          Integer.parseInt(given.getOrDefault("rounds", "4")),
          Integer.parseInt(given.getOrDefault("rate", "2000")),
          Integer.parseInt(given.getOrDefault("concurrency", "64")),
          Integer.parseInt(given.getOrDefault("connections", "2")),
          Double.parseDouble(given.getOrDefault("denial", "5")),
          Integer.parseInt(given.getOrDefault("keys", "4096")),
          accessLog, alone, Double.parseDouble(given.getOrDefault("burn", "0")));
    }
  }
}
