package dev.storagegateway.controlplane.xds;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import dev.storagegateway.controlplane.validation.EndpointPolicy;
import dev.storagegateway.controlplane.validation.HostResolver;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Storage names resolved for Envoy under the endpoint policy registration applies (no internal
 * address unless an operator allows its range), with a DNS whose answers the test changes as a
 * name's owner could at any time.
 */
class StorageAddressesTest {
  private static final Duration REFRESH = Duration.ofMillis(50);
  private static final Duration WAIT = Duration.ofSeconds(10);

  private final Map<String, List<InetAddress>> dns = new ConcurrentHashMap<>();
  private final AtomicInteger lookups = new AtomicInteger();
  private final HostResolver resolver = host -> {
    lookups.incrementAndGet();
    List<InetAddress> answer = dns.get(host);
    if (answer == null) {
      throw new UnknownHostException(host);
    }
    return answer;
  };
  private final EndpointPolicy policy = new EndpointPolicy(false, List.of("10.20.0.0/16"),
      resolver);
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final AtomicInteger changes = new AtomicInteger();
  /** What was logged; lookups log on their own threads while the test reads. */
  private final List<ILoggingEvent> events = new CopyOnWriteArrayList<>();
  private final AppenderBase<ILoggingEvent> log = new AppenderBase<>() {
    @Override
    protected void append(ILoggingEvent event) {
      events.add(event);
    }
  };
  private StorageAddresses addresses;

  @BeforeEach
  void start() {
    log.start();
    ((Logger) LoggerFactory.getLogger(StorageAddresses.class)).addAppender(log);
    addresses = new StorageAddresses(resolver, policy::admits, REFRESH, meters);
    addresses.onChange(changes::incrementAndGet);
  }

  @AfterEach
  void stop() {
    addresses.close();
    ((Logger) LoggerFactory.getLogger(StorageAddresses.class)).detachAppender(log);
  }

  private static InetAddress ip(String literal) {
    try {
      return InetAddress.getByName(literal);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(e);
    }
  }

  private static List<String> text(List<InetAddress> addresses) {
    return addresses.stream().map(InetAddress::getHostAddress).toList();
  }

  private List<String> resolved(String host) {
    addresses.of(host);
    addresses.awaitLookups(WAIT);
    return text(addresses.of(host));
  }

  private static void await(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("condition not reached in " + WAIT).isLessThan(deadline);
      Thread.sleep(5);
    }
  }

  private double lookupsCounted(String outcome) {
    return meters.get("gateway_xds_storage_dns_lookups_total").tag("outcome", outcome)
        .counter().count();
  }

  private List<String> logged(Level level) {
    return events.stream().filter(event -> event.getLevel() == level)
        .map(ILoggingEvent::getFormattedMessage).toList();
  }

  @Test
  void aNameGetsItsPublicAddressesSortedAndIpv4OnlyWhenItHasAny() {
    dns.put("s3.example.org", List.of(ip("203.0.113.20"), ip("2001:db8::1"), ip("203.0.113.3")));
    dns.put("v6.example.org", List.of(ip("2001:db8::2")));

    assertThat(addresses.of("s3.example.org")).as("asked before its first lookup").isEmpty();
    assertThat(resolved("s3.example.org")).containsExactly("203.0.113.20", "203.0.113.3");
    assertThat(resolved("v6.example.org")).containsExactly("2001:db8:0:0:0:0:0:2");
    assertThat(changes).as("each first answer asks for a rebuild").hasValue(2);
    assertThat(lookupsCounted("admitted")).isEqualTo(2);
  }

  /** The attack the class exists for: a name that passed registration, re-pointed later. */
  @Test
  void aNameRepointedIntoTheNetworkLosesEveryAddressAndSaysWhy() throws Exception {
    dns.put("rebind.example", List.of(ip("203.0.113.10")));
    assertThat(resolved("rebind.example")).containsExactly("203.0.113.10");
    int before = changes.get();

    dns.put("rebind.example", List.of(ip("169.254.169.254")));
    await(() -> !logged(Level.ERROR).isEmpty());

    assertThat(addresses.of("rebind.example")).isEmpty();
    await(() -> changes.get() > before);
    assertThat(lookupsCounted("refused")).isPositive();
    assertThat(meters.get("gateway_xds_storage_hosts_without_address").gauge().value())
        .isEqualTo(1.0);
    assertThat(logged(Level.ERROR)).singleElement().asString()
        .contains("rebind.example", "169.254.169.254", "503", "--allow-endpoint-cidr");

    dns.put("rebind.example", List.of(ip("203.0.113.11")));
    await(() -> logged(Level.INFO).stream()
        .anyMatch(line -> line.contains("admitted addresses again")));
    assertThat(text(addresses.of("rebind.example"))).containsExactly("203.0.113.11");
    assertThat(logged(Level.ERROR)).as("logged when it changes, not on every lookup").hasSize(1);
  }

  @Test
  void onlyTheAdmittedAddressesOfANamePartlyInsideTheNetworkAreKept() {
    dns.put("mixed.example", List.of(ip("127.0.0.1"), ip("203.0.113.10"), ip("10.20.0.5"),
        ip("10.99.0.1")));

    assertThat(resolved("mixed.example")).as("10.20.0.0/16 is allowed by the operator")
        .containsExactly("10.20.0.5", "203.0.113.10");
    assertThat(lookupsCounted("partly_refused")).isEqualTo(1);
    assertThat(logged(Level.WARN)).singleElement().asString()
        .contains("mixed.example", "127.0.0.1", "10.99.0.1");
  }

  /**
   * Behind a DNS64 resolver an internal IPv4-only name also answers with an IPv6 address for that
   * host, under the network's own NAT64 prefix (not the well-known one, which is judged as the
   * IPv4 address it carries): neither reaches Envoy, as the IPv4 address is preferred first.
   */
  @Test
  void aDns64AnswerForAnInternalNameGivesNoAddress() {
    dns.put("dns64.example", List.of(ip("10.99.0.5"), ip("2001:db8:64::a63:5")));

    assertThat(resolved("dns64.example")).isEmpty();
    assertThat(lookupsCounted("refused")).isEqualTo(1);
  }

  @Test
  void aNameThatStopsResolvingKeepsItsLastAddresses() throws Exception {
    dns.put("flaky.example", List.of(ip("203.0.113.10")));
    assertThat(resolved("flaky.example")).containsExactly("203.0.113.10");

    dns.remove("flaky.example");
    await(() -> lookupsCounted("failed") >= 3 && !logged(Level.WARN).isEmpty());

    assertThat(text(addresses.of("flaky.example"))).containsExactly("203.0.113.10");
    assertThat(logged(Level.WARN)).as("once, when it started failing").singleElement()
        .asString().contains("flaky.example", "did not resolve", "203.0.113.10");
  }

  /** A control plane started while DNS failed does not wait for the refresh to route. */
  @Test
  void aNameWithoutAnAddressIsLookedUpAgainSoonerThanTheRefresh() throws Exception {
    try (StorageAddresses hourly = new StorageAddresses(resolver, policy::admits,
        Duration.ofHours(1), new SimpleMeterRegistry())) {
      hourly.of("late.example");
      hourly.awaitLookups(WAIT);
      assertThat(hourly.of("late.example")).isEmpty();

      dns.put("late.example", List.of(ip("203.0.113.10")));
      await(() -> !hourly.of("late.example").isEmpty());
    }
  }

  /**
   * A resolver that hangs delays the first snapshot by the wait's limit only, and a lookup that
   * ends after close asks for no build.
   */
  @Test
  void aHangingLookupIsWaitedForOnlyUntilTheLimitAndIsSilentAfterClose() throws Exception {
    CountDownLatch answer = new CountDownLatch(1);
    AtomicInteger changesAfterClose = new AtomicInteger();
    // As a resolver stuck in the system's DNS call: it does not answer interrupts.
    StorageAddresses hanging = new StorageAddresses(host -> {
      boolean answered = false;
      while (!answered) {
        try {
          answered = answer.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException ignored) {
          // keeps waiting
        }
      }
      return List.of(ip("203.0.113.10"));
    }, policy::admits, Duration.ofHours(1), new SimpleMeterRegistry());
    hanging.onChange(changesAfterClose::incrementAndGet);
    hanging.of("hanging.example");
    long started = System.nanoTime();

    hanging.awaitLookups(Duration.ofMillis(200));

    assertThat(Duration.ofNanos(System.nanoTime() - started))
        .isBetween(Duration.ofMillis(150), Duration.ofSeconds(5));
    assertThat(logged(Level.WARN)).anyMatch(line -> line.contains("still resolving"));
    hanging.close();
    answer.countDown();
    Thread.sleep(200);
    assertThat(changesAfterClose).hasValue(0);
  }

  /**
   * A project owner whose names' DNS answers slowly, then not at all, holds only the slow names'
   * threads: other names are still refreshed, so a re-pointed one loses its old address.
   */
  @Test
  void namesThatResolveSlowlyCannotHoldUpTheOthers() throws Exception {
    CountDownLatch never = new CountDownLatch(1);
    AtomicInteger slowness = new AtomicInteger(300);
    HostResolver owned = host -> {
      if (host.startsWith("slow-")) {
        try {
          if (slowness.get() < 0) {
            never.await();
          } else {
            Thread.sleep(slowness.get());
          }
        } catch (InterruptedException closed) {
          Thread.currentThread().interrupt();
        }
        return List.of(ip("203.0.113.50"));
      }
      return resolver.resolve(host);
    };
    try (StorageAddresses lanes = new StorageAddresses(owned, policy::admits, REFRESH,
        Duration.ofMillis(100), new SimpleMeterRegistry())) {
      List<String> slowNames = IntStream.range(0, 20)
          .mapToObj(i -> "slow-" + i + ".example").toList();
      slowNames.forEach(lanes::of);
      await(() -> slowNames.stream().noneMatch(name -> lanes.of(name).isEmpty()));
      assertThat(logged(Level.WARN)).anyMatch(line -> line.contains("slow-0.example")
          && line.contains("slow names' pool"));

      slowness.set(-1);
      Thread.sleep(REFRESH.multipliedBy(4).toMillis());
      dns.put("fast.example", List.of(ip("203.0.113.10")));
      lanes.of("fast.example");
      await(() -> !lanes.of("fast.example").isEmpty());
      dns.put("fast.example", List.of(ip("203.0.113.11")));
      await(() -> text(lanes.of("fast.example")).equals(List.of("203.0.113.11")));
    } finally {
      never.countDown();
    }
  }

  @Test
  void aNameGetsAtMostSixteenAddresses() {
    dns.put("wide.example", IntStream.range(0, 40).mapToObj(i -> ip("203.0.113." + (100 + i)))
        .toList());

    assertThat(resolved("wide.example")).hasSize(StorageAddresses.MAX_ADDRESSES)
        .startsWith("203.0.113.100").endsWith("203.0.113.115");
  }

  @Test
  void namesNoLongerInUseAreNotLookedUpAgain() throws Exception {
    dns.put("old.example", List.of(ip("203.0.113.10")));
    resolved("old.example");

    addresses.retainOnly(Set.of());
    addresses.awaitLookups(WAIT);
    int after = lookups.get();
    Thread.sleep(REFRESH.multipliedBy(4).toMillis());

    assertThat(lookups.get()).isEqualTo(after);
    assertThat(meters.get("gateway_xds_storage_hosts_without_address").gauge().value())
        .isZero();
  }
}
