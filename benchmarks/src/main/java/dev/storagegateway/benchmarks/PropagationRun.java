package dev.storagegateway.benchmarks;

import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Admin-API changes and the time until an Envoy-like ADS client holds a route configuration that
 * shows them: from just before the HTTP request is sent to the arrival of the first RDS response
 * containing the change. Changes cycle through create, PATCH region, suspend (DELETE) and resume;
 * label changes, which Envoy's configuration does not contain, are checked to cause no push.
 */
final class PropagationRun {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final List<String> REGIONS = List.of("us-east-1", "us-east-2", "us-west-1",
      "us-west-2", "eu-west-1", "eu-central-1", "ap-south-1", "sa-east-1");

  private final AdminClient admin;
  private final AdsClient envoy;
  private final MeterRegistry meters;
  private final List<String> active = new ArrayList<>();
  private final List<String> suspended = new ArrayList<>();
  private final Map<String, String> regionOf = new TreeMap<>();
  private final int firstBucket;
  private int nextBucket;
  private int step;

  PropagationRun(AdminClient admin, AdsClient envoy, MeterRegistry meters, int firstBucket) {
    this.admin = admin;
    this.envoy = envoy;
    this.meters = meters;
    this.firstBucket = firstBucket;
    this.nextBucket = firstBucket;
  }

  /** Buckets this run has registered so far (warm-up included). */
  int created() {
    return nextBucket - firstBucket;
  }

  /** A change and how to recognise it in a route configuration. */
  private record Change(String kind, Runnable request, Predicate<RouteConfiguration> visible) {}

  /** Results of {@link #sequential}: all changes, per kind, HTTP answers, mean rebuild. */
  record Sequential(Delays all, Map<String, Delays> byKind, Delays http,
      double meanBuildMillis) {}

  /** {@code count} changes one after another, each waited for; returns their delays. */
  Sequential sequential(int count) throws InterruptedException {
    Delays all = new Delays();
    Delays http = new Delays();
    Map<String, Delays> byKind = new TreeMap<>();
    double[] buildsBefore = buildTimes();
    for (int i = 0; i < count; i++) {
      Change change = nextChange();
      CompletableFuture<AdsClient.RouteArrival> visible = envoy.expect(change.visible());
      long start = System.nanoTime();
      change.request().run();
      long answered = System.nanoTime();
      AdsClient.RouteArrival arrival = AdsClient.await(visible, WAIT);
      long delay = arrival.nanos() - start;
      all.add(delay);
      http.add(answered - start);
      byKind.computeIfAbsent(change.kind(), k -> new Delays()).add(delay);
    }
    return new Sequential(all, byKind, http, meanBuildMillis(buildsBefore));
  }

  /** Results of a burst: until the last HTTP answer, until the client held all of it. */
  record Burst(int creates, int threads, long lastAnswerNanos, long allVisibleNanos,
      long routePushes, long clusterPushes, long rebuilds, Delays answers) {}

  /**
   * {@code creates} new buckets fired back-to-back from {@code threads} threads (each request
   * sent as soon as that thread's previous one is answered), without waiting for xDS between them.
   */
  Burst burst(int creates, int threads) throws Exception {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < creates; i++) {
      names.add(newName());
    }
    settle();
    long routesBefore = envoy.receivedOf(AdsClient.ROUTES);
    long clustersBefore = envoy.receivedOf(AdsClient.CLUSTERS);
    long buildsBefore = rebuilds();
    CompletableFuture<AdsClient.RouteArrival> visible = envoy.expect(routes -> {
      Set<String> prefixes = pathPrefixes(routes);
      return names.stream().allMatch(name -> prefixes.contains("/" + name));
    });
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    Delays answers = new Delays();
    long start = System.nanoTime();
    try {
      List<Future<?>> sent = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int first = t;
        sent.add(pool.submit(() -> {
          for (int i = first; i < creates; i += threads) {
            String name = names.get(i);
            long sentAt = System.nanoTime();
            admin.create(bucketJson(name, REGIONS.get(i % REGIONS.size())));
            long answered = System.nanoTime() - sentAt;
            synchronized (answers) {
              answers.add(answered);
            }
          }
        }));
      }
      for (Future<?> request : sent) {
        request.get();
      }
    } finally {
      pool.shutdown();
    }
    long lastAnswer = System.nanoTime();
    AdsClient.RouteArrival arrival = AdsClient.await(visible, WAIT);
    for (int i = 0; i < creates; i++) {
      active.add(names.get(i));
      regionOf.put(names.get(i), REGIONS.get(i % REGIONS.size()));
    }
    // Anything still in flight from the burst arrives now and is counted.
    settle();
    return new Burst(creates, threads, lastAnswer - start, arrival.nanos() - start,
        envoy.receivedOf(AdsClient.ROUTES) - routesBefore,
        envoy.receivedOf(AdsClient.CLUSTERS) - clustersBefore, rebuilds() - buildsBefore,
        answers);
  }

  /** Results of label changes: responses of any type pushed, and snapshot rebuilds. */
  record Unrouted(int changes, long pushes, long rebuilds) {}

  /** {@code count} label PATCHes, each followed by the rebuild it causes (and any push). */
  Unrouted labelChanges(int count) throws InterruptedException {
    settle();
    long before = pushes();
    long buildsBefore = rebuilds();
    for (int i = 0; i < count; i++) {
      admin.patch(active.get(i % active.size()),
          "{\"labels\": {\"benchmark-step\": \"" + (step++) + "\"}}");
      settle();
    }
    return new Unrouted(count, pushes() - before, rebuilds() - buildsBefore);
  }

  /** Mean time of the snapshot rebuilds since {@code before} (a {@link #buildTimes()} value). */
  double meanBuildMillis(double[] before) {
    double[] now = buildTimes();
    return now[0] == before[0] ? 0 : (now[1] - before[1]) / (now[0] - before[0]);
  }

  /** The publisher's rebuild count and their total time in milliseconds. */
  double[] buildTimes() {
    Timer timer = meters.find("gateway_xds_snapshot_build").timer();
    return timer == null ? new double[2]
        : new double[] {timer.count(), timer.totalTime(TimeUnit.MILLISECONDS)};
  }

  private Change nextChange() {
    int kind = step++ % 4;
    if (kind == 0 || active.size() < 4) {
      String name = newName();
      String region = REGIONS.get(step % REGIONS.size());
      return new Change("create", () -> {
        admin.create(bucketJson(name, region));
        active.add(name);
        regionOf.put(name, region);
      }, routes -> pathRoute(routes, name).isPresent());
    }
    if (kind == 1) {
      String name = active.get(step % active.size());
      String region = REGIONS.get((REGIONS.indexOf(regionOf.get(name)) + 1) % REGIONS.size());
      return new Change("patch-region", () -> {
        admin.patch(name, "{\"region\": \"" + region + "\"}");
        regionOf.put(name, region);
      }, routes -> pathRoute(routes, name)
          .map(r -> r.hasRoute() && r.getRoute().getCluster().contains("_" + region + "_"))
          .orElse(false));
    }
    if (kind == 2 || suspended.isEmpty()) {
      String name = active.get(step % active.size());
      return new Change("suspend", () -> {
        admin.suspend(name);
        active.remove(name);
        suspended.add(name);
      }, routes -> pathRoute(routes, name).map(Route::hasDirectResponse).orElse(false));
    }
    String name = suspended.get(0);
    return new Change("resume", () -> {
      admin.resume(name);
      suspended.remove(name);
      active.add(name);
    }, routes -> pathRoute(routes, name).map(Route::hasRoute).orElse(false));
  }

  private String newName() {
    return String.format("xds-bench-%06d", nextBucket++);
  }

  static String bucketJson(String name, String region) {
    return """
        {"name": "%s", "provider": "aws", "region": "%s", "auth_mode": "role",
         "role_arn": "arn:aws:iam::123456789012:role/gen3-data",
         "owner_project": "/programs/DEV/projects/bench",
         "labels": {"team": "data"},
         "prefix_bindings": [{"prefix": "", "resource_path": "/programs/DEV/projects/bench"}]}
        """.formatted(name, region);
  }

  /** The path-style route of {@code bucket}: {@code path_separated_prefix: /<bucket>}. */
  static Optional<Route> pathRoute(RouteConfiguration routes, String bucket) {
    String prefix = "/" + bucket;
    for (VirtualHost host : routes.getVirtualHostsList()) {
      if (host.getName().equals("path_style")) {
        for (Route route : host.getRoutesList()) {
          if (route.getMatch().getPathSeparatedPrefix().equals(prefix)) {
            return Optional.of(route);
          }
        }
      }
    }
    return Optional.empty();
  }

  /** The path-style route prefixes ({@code /<bucket>}) of a configuration. */
  static Set<String> pathPrefixes(RouteConfiguration routes) {
    Set<String> prefixes = new HashSet<>();
    for (VirtualHost host : routes.getVirtualHostsList()) {
      if (host.getName().equals("path_style")) {
        host.getRoutesList().forEach(
            route -> prefixes.add(route.getMatch().getPathSeparatedPrefix()));
      }
    }
    return prefixes;
  }

  private long pushes() {
    return envoy.receivedOf(AdsClient.ROUTES) + envoy.receivedOf(AdsClient.CLUSTERS)
        + envoy.receivedOf(AdsClient.LISTENERS);
  }

  private long rebuilds() {
    Timer timer = meters.find("gateway_xds_snapshot_build").timer();
    return timer == null ? 0 : timer.count();
  }

  /**
   * Waits until no rebuild has finished for a second plus twice the mean rebuild, so that none is
   * scheduled or running and its push has gone out.
   */
  private void settle() throws InterruptedException {
    long builds;
    do {
      builds = rebuilds();
      double[] times = buildTimes();
      long mean = times[0] == 0 ? 0 : (long) (times[1] / times[0]);
      Thread.sleep(1_000 + 2 * mean);
    } while (rebuilds() != builds);
  }
}
