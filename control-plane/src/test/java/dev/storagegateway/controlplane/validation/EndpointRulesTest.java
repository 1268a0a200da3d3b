package dev.storagegateway.controlplane.validation;

import static dev.storagegateway.controlplane.validation.Verdicts.assertAccepted;
import static dev.storagegateway.controlplane.validation.Verdicts.assertRejected;
import static dev.storagegateway.controlplane.validation.Verdicts.errorsOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.storagegateway.registry.Bucket;
import dev.storagegateway.registry.Provider;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class EndpointRulesTest {

  private static Bucket withEndpoint(String endpoint) {
    return TestBuckets.minio().endpoint(endpoint).build();
  }

  private static BucketValidator validatorWith(boolean allowHttp, String... allowedCidrs) {
    return new BucketValidator(new EndpointPolicy(allowHttp, List.of(allowedCidrs), new FakeDns()),
        "aws-secrets-manager");
  }

  @ParameterizedTest
  @EnumSource(value = Provider.class, names = {"S3_COMPATIBLE", "MINIO"})
  void isRequiredWhereThereIsNoDefaultService(Provider provider) {
    assertRejected(TestBuckets.minio().provider(provider).endpoint(null).build(), "endpoint",
        "endpoint is required for " + provider.wireName());
  }

  /**
   * A project owner's DNS that never answers holds a registration for the lookup limit only,
   * and the admin API's worker not at all after it. That is "try again", not a broken rule.
   */
  @Test
  @Timeout(10)
  void aNameThatDoesNotResolveInTimeIsUnavailableAfterTheLimit() {
    CountDownLatch never = new CountDownLatch(1);
    BucketValidator hanging = validatorResolving(host -> await(never));
    try {
      long started = System.nanoTime();
      assertThatThrownBy(() -> hanging.validate(withEndpoint("https://slow.attacker.example"),
          LookupShare.caller("slow-dns")))
          .isInstanceOf(EndpointLookupUnavailableException.class)
          .hasMessage("endpoint host 'slow.attacker.example' did not resolve within 2 s; check"
              + " its DNS, or retry in a few seconds");
      assertThat(Duration.ofNanos(System.nanoTime() - started))
          .isBetween(BoundedLookups.LIMIT, BoundedLookups.LIMIT.plusSeconds(3));
    } finally {
      never.countDown();
    }
  }

  /**
   * One caller's names that never answer, however many, however fresh and under however many
   * owner projects, take at most the caller's share of the lookup threads: another caller's
   * registration is still looked up, and the share comes back once the lookups have ended.
   */
  @Test
  @Timeout(20)
  void oneCallersUnansweredNamesLeaveTheOthersTheirLookups() throws Exception {
    CountDownLatch never = new CountDownLatch(1);
    BucketValidator validator = validatorResolving(host -> host.endsWith(".attacker.example")
        ? await(never) : List.of(InetAddress.getByName("203.0.113.10")));
    LookupShare attacker = LookupShare.caller("attacker@example.org");
    ExecutorService requests = Executors.newFixedThreadPool(BoundedLookups.PER_SHARE);
    try {
      List<Future<?>> held = new ArrayList<>();
      for (int i = 0; i < BoundedLookups.PER_SHARE; i++) {
        Bucket fresh = TestBuckets.minio().ownerProject("/programs/ATTACK/projects/p" + i)
            .endpoint("https://n" + i + ".attacker.example").build();
        held.add(requests.submit(() -> validator.validate(fresh, attacker)));
      }
      for (Future<?> lookup : held) {
        assertThatThrownBy(lookup::get).hasCauseInstanceOf(
            EndpointLookupUnavailableException.class);
      }

      Bucket another = TestBuckets.minio().ownerProject("/programs/ATTACK/projects/fresh")
          .endpoint("https://s3.example.org").build();
      assertThatThrownBy(() -> validator.validate(another, attacker))
          .isInstanceOf(EndpointLookupUnavailableException.class)
          .hasMessageContaining("earlier endpoint lookups of yours have not ended yet");
      assertThatCode(() -> validator.validate(another, LookupShare.caller("owner@example.org")))
          .doesNotThrowAnyException();
    } finally {
      never.countDown();
      requests.shutdown();
    }
    Bucket later = TestBuckets.minio().endpoint("https://s3.later.example").build();
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (true) {
      try {
        validator.validate(later, attacker);
        return;
      } catch (EndpointLookupUnavailableException stillHeld) {
        if (System.nanoTime() > deadline) {
          throw stillHeld;
        }
        Thread.sleep(50);
      }
    }
  }

  /** What can be checked without the addresses still gets its 400, so a retry can succeed. */
  @Test
  @Timeout(10)
  void anUnansweredNameDoesNotHideTheEndpointsOtherErrors() {
    CountDownLatch never = new CountDownLatch(1);
    BucketValidator hanging = validatorResolving(host -> await(never));
    LookupShare share = LookupShare.caller("slow-dns-with-errors");
    try {
      assertThat(errorsWith(hanging,
          withEndpoint("https://user@slow.attacker.example:9000/path"), share))
          .extracting(FieldError::message)
          .anySatisfy(message -> assertThat(message).contains("must not contain user info"))
          .anySatisfy(message -> assertThat(message).contains("must not have a path"));
      assertThat(errorsWith(hanging,
          TestBuckets.aws().endpoint("https://storage.googleapis.com").build(), share))
          .extracting(FieldError::message)
          .anySatisfy(message -> assertThat(message).contains("is Google's"));
    } finally {
      never.countDown();
    }
  }

  /** A gcp bucket's endpoint is judged on one lookup of its name. */
  @Test
  void aGcpEndpointsNameIsLookedUpOnce() {
    AtomicInteger lookups = new AtomicInteger();
    BucketValidator counting = new BucketValidator(new EndpointPolicy(true,
        List.of("10.20.0.0/16"), host -> {
          lookups.incrementAndGet();
          return List.of(InetAddress.getByName("10.20.0.7"));
        }), "aws-secrets-manager");

    assertThatCode(() -> counting.validate(TestBuckets.gcp()
        .endpoint("http://emulator.corp.example:4443").build(), Verdicts.TESTS))
        .doesNotThrowAnyException();
    assertThat(lookups).hasValue(1);
  }

  private static List<FieldError> errorsWith(BucketValidator validator, Bucket bucket,
      LookupShare share) {
    try {
      validator.validate(bucket, share);
      return List.of();
    } catch (InvalidBucketException invalid) {
      return invalid.errors();
    }
  }

  private static BucketValidator validatorResolving(HostResolver resolver) {
    return new BucketValidator(new EndpointPolicy(false, List.of(), resolver),
        "aws-secrets-manager");
  }

  private static List<InetAddress> await(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return List.of();
  }

  @Test
  void isOptionalForAwsAndGcp() {
    assertAccepted(TestBuckets.aws().endpoint(null).build());
    assertAccepted(TestBuckets.gcp().endpoint(null).build());
  }

  @Test
  void isCheckedWhenGivenForAws() {
    assertAccepted(TestBuckets.aws().endpoint("https://s3.example.org").build());
    assertRejected(TestBuckets.aws().endpoint("https://10.0.0.1").build(), "endpoint",
        "10.0.0.1 (private)");
  }

  @ParameterizedTest
  @CsvSource({
      "AWS, https://storage.googleapis.com",
      "S3_COMPATIBLE, https://storage.googleapis.com",
      "MINIO, https://STORAGE.googleapis.com.",
      "S3_COMPATIBLE, https://storage.us-east1.rep.googleapis.com:443",
  })
  void refusesGoogleOnS3Providers(Provider provider, String endpoint) {
    assertRejected(TestBuckets.minio().provider(provider).endpoint(endpoint).build(), "endpoint",
        "is Google's: register a Cloud Storage bucket with provider gcp");
  }

  @Test
  void acceptsGoogleOnGcp() {
    assertAccepted(TestBuckets.gcp().endpoint("https://storage.googleapis.com").build());
    assertAccepted(TestBuckets.gcp().endpoint("https://storage.us-east1.rep.googleapis.com")
        .build());
  }

  /** A gcp bucket's requests carry its service account's token, replayable against Google. */
  @ParameterizedTest
  @ValueSource(strings = {"https://s3.example.org", "https://203.0.113.10",
      "https://storage.googleapis.com.s3.example.org"})
  void refusesOtherHostsOnGcp(String endpoint) {
    assertRejected(TestBuckets.gcp().endpoint(endpoint).build(), "endpoint",
        "is not Google's: a gcp bucket's requests carry an OAuth token");
  }

  @Test
  void acceptsAnEmulatorOnGcpOnlyWhereAnOperatorAllowsItsAddress() {
    Bucket emulator = TestBuckets.gcp().endpoint("http://minio.corp.example:4443").build();

    assertThat(errorsOf(validatorWith(true), emulator))
        .anySatisfy(error -> assertThat(error.message()).contains("is not Google's"));
    assertThatCode(() -> validatorWith(true, "10.20.0.0/16").validate(emulator, Verdicts.TESTS))
        .doesNotThrowAnyException();
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "https://s3.example.org",
      "https://s3.example.org/",
      "https://s3.example.org:9000",
      "HTTPS://s3.example.org",
      "https://storage.example.org",
      "https://203.0.113.10",
      "https://[2001:db8::1]:443",
  })
  void acceptsABareHttpsOriginOnAPublicAddress(String endpoint) {
    assertAccepted(withEndpoint(endpoint));
  }

  @ParameterizedTest
  @ValueSource(strings = {"s3.example.org", "s3.example.org:9000", "https://s3 example.org",
      "//s3.example.org", "https:s3.example.org"})
  void mustBeAnAbsoluteUrl(String endpoint) {
    assertRejected(withEndpoint(endpoint), "endpoint", "endpoint must be an absolute URL");
  }

  @Test
  void refusesPlainHttpUnlessAllowedForDevelopment() {
    Bucket bucket = withEndpoint("http://s3.example.org:9000");

    assertRejected(bucket, "endpoint", "set --allow-http-endpoints for development");
    assertThatCode(() -> validatorWith(true).validate(bucket, Verdicts.TESTS))
        .doesNotThrowAnyException();
  }

  @Test
  void refusesOtherSchemes() {
    assertRejected(withEndpoint("ftp://s3.example.org"), "endpoint", "endpoint must use https");
    assertThat(errorsOf(validatorWith(true), withEndpoint("ftp://s3.example.org")))
        .extracting(FieldError::field).containsExactly("endpoint");
  }

  @Test
  void refusesEmbeddedCredentialsWithoutRepeatingThem() {
    Bucket bucket = withEndpoint("https://gen3:hunter2@s3.example.org");

    assertRejected(bucket, "endpoint", "credentials must never be embedded in the endpoint");
    assertThat(errorsOf(bucket)).allSatisfy(error ->
        assertThat(error.message()).doesNotContain("hunter2").doesNotContain("gen3:"));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "https://s3.example.org?versionId=1 | endpoint must not have a query string",
      "https://s3.example.org/# | endpoint must not have a fragment",
      "https://s3.example.org/bucket | endpoint must not have a path",
      "https://s3.example.org// | endpoint must not have a path",
      "https://s3.example.org:0 | endpoint port must be 1 to 65535",
      "https://s3.example.org:65536 | endpoint port must be 1 to 65535",
      "https:/// | endpoint must have a valid host name",
      "https://s3_internal.example.org | endpoint must have a valid host name",
  })
  void isOnlySchemeHostAndPort(String endpoint, String message) {
    assertRejected(withEndpoint(endpoint), "endpoint", message);
  }

  /**
   * IPv6 literals the JDK reads but Guava, which builds the xDS clusters, refuses: accepted, one
   * such row failed every snapshot build.
   */
  @ParameterizedTest
  @ValueSource(strings = {"https://[::ffff:08.8.8.8]", "https://[::ffff:8.8.8.08]:9000"})
  void refusesAnIpv6LiteralThatTheClusterBuilderCannotRead(String endpoint) {
    assertRejected(withEndpoint(endpoint), "endpoint", "endpoint");
  }

  @ParameterizedTest
  @ValueSource(strings = {"nowhere.example", "empty.example"})
  void refusesAHostThatDoesNotResolve(String host) {
    assertRejected(withEndpoint("https://" + host), "endpoint",
        "endpoint host '" + host + "' does not resolve");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "127.0.0.1 | 127.0.0.1 (loopback)",
      "127.8.9.10 | 127.8.9.10 (loopback)",
      "[::1] | 0:0:0:0:0:0:0:1 (loopback)",
      "[::ffff:127.0.0.1] | 127.0.0.1 (loopback)",
      "10.1.2.3 | 10.1.2.3 (private)",
      "172.16.0.1 | 172.16.0.1 (private)",
      "172.31.255.255 | 172.31.255.255 (private)",
      "192.168.1.1 | 192.168.1.1 (private)",
      "169.254.169.254 | 169.254.169.254 (cloud metadata service)",
      "169.254.10.10 | 169.254.10.10 (link-local)",
      "[fe80::1] | fe80:0:0:0:0:0:0:1 (link-local)",
      "100.64.0.1 | 100.64.0.1 (carrier-grade NAT)",
      "100.127.255.254 | 100.127.255.254 (carrier-grade NAT)",
      "[fd00::1] | fd00:0:0:0:0:0:0:1 (unique-local)",
      "[fc00::1] | fc00:0:0:0:0:0:0:1 (unique-local)",
      "0.0.0.0 | 0.0.0.0 (unspecified)",
      "0.1.2.3 | 0.1.2.3 (unspecified)",
      "[::] | 0:0:0:0:0:0:0:0 (unspecified)",
      "224.0.0.1 | 224.0.0.1 (multicast)",
      "[ff02::1] | ff02:0:0:0:0:0:0:1 (multicast)",
      "198.19.255.1 | 198.19.255.1 (benchmarking)",
      "192.88.99.1 | 192.88.99.1 (reserved)",
      "[100::1] | 100:0:0:0:0:0:0:1 (reserved)",
      "[2001:10::1] | 2001:10:0:0:0:0:0:1 (reserved)",
      "[2001:20::1] | 2001:20:0:0:0:0:0:1 (reserved)",
      "[2001:0:4136:e378:8000:63bf:80ff:fffe] | 2001:0:4136:e378:8000:63bf:80ff:fffe (IPv4"
          + " tunnel or translation)",
      "[::ffff:0:7f00:1] | 0:0:0:0:ffff:0:7f00:1 (IPv4 tunnel or translation)",
  })
  void refusesInternalAddressLiterals(String host, String reason) {
    assertRejected(withEndpoint("https://" + host), "endpoint",
        "endpoint host '" + host.replaceAll("[\\[\\]]", "") + "' points into the internal network: "
            + reason);
  }

  @ParameterizedTest
  @ValueSource(strings = {"100.63.255.255", "100.128.0.0", "172.15.0.1", "172.32.0.1",
      "169.253.0.1", "192.169.0.1", "11.0.0.1", "[2001:db8::1]", "[fe00::1]", "198.17.255.255",
      "198.20.0.1", "[2001:1::1]", "[2001:30::1]"})
  void acceptsPublicAddressesNextToInternalRanges(String host) {
    assertAccepted(withEndpoint("https://" + host));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "minio.corp.example | private | 10.20.0.5",
      "rebind.example | loopback | 127.0.0.1",
      "mapped.example | loopback | 127.0.0.1",
      "cgnat.example | carrier-grade NAT | 100.64.1.1",
      "ula.example | unique-local | fd00:",
      "linklocal.example | link-local | fe80:",
      "multicast.example | multicast | 224.0.0.251",
      "zero.example | unspecified | 0.0.0.0",
      "imds.example | cloud metadata service | 169.254.169.254",
  })
  void refusesNamesResolvingToAnyInternalAddressWithoutSayingWhichAddress(String host,
      String kind, String address) {
    assertRejected(withEndpoint("https://" + host), "endpoint",
        "endpoint host '" + host + "' points into the internal network: an address that is "
            + kind);
    assertThat(errorsOf(withEndpoint("https://" + host)))
        .allSatisfy(error -> assertThat(error.message()).doesNotContain(address));
  }

  @Test
  void tellsTheOperatorHowToAllowAnInternalService() {
    assertRejected(withEndpoint("https://minio.corp.example"), "endpoint",
        "an operator can allow its range with --allow-endpoint-cidr");
  }

  @Test
  void acceptsInternalAddressesInsideTheOperatorsAllowList() {
    BucketValidator validator = validatorWith(false, "10.20.0.0/16", "fd00::/8");

    assertThatCode(() -> validator.validate(withEndpoint("https://minio.corp.example"),
        Verdicts.TESTS))
        .doesNotThrowAnyException();
    assertThatCode(() -> validator.validate(withEndpoint("https://[fd00::1]"), Verdicts.TESTS))
        .doesNotThrowAnyException();
  }

  @Test
  void stillRefusesInternalAddressesOutsideTheAllowList() {
    BucketValidator validator = validatorWith(false, "10.20.0.0/16");

    Verdicts.assertRejected(validator, withEndpoint("https://10.21.0.1"), "endpoint",
        "10.21.0.1 (private)");
    Verdicts.assertRejected(validator, withEndpoint("https://rebind.example"), "endpoint",
        "an address that is loopback");
  }

  @Test
  void matchesIpv4MappedAddressesAgainstIpv4Ranges() {
    BucketValidator validator = validatorWith(false, "127.0.0.0/8");

    assertThatCode(() -> validator.validate(withEndpoint("https://mapped.example"), Verdicts.TESTS))
        .doesNotThrowAnyException();
  }

  @ParameterizedTest
  @ValueSource(strings = {"metadata.google.internal", "METADATA.Google.Internal",
      "metadata.google.internal.", "metadata"})
  void refusesCloudMetadataNamesWhatever(String host) {
    BucketValidator allowingEverything = validatorWith(false, "0.0.0.0/0", "::/0");

    Verdicts.assertRejected(allowingEverything, withEndpoint("https://" + host), "endpoint",
        "is the cloud metadata service");
  }

  @ParameterizedTest
  @ValueSource(strings = {"0177.0.0.1", "127.000.000.001", "2130706433", "0x7f000001"})
  void refusesNumericHostsThatResolversReadDifferently(String host) {
    assertRejected(withEndpoint("https://" + host), "endpoint",
        "endpoint host '" + host + "' is a shorthand, octal or hexadecimal IP address");
  }

  @ParameterizedTest
  @ValueSource(strings = {"0x7f.0.0.1", "127.1"})
  void refusesNumericHostsThatAreNotEvenValidHostNames(String host) {
    assertRejected(withEndpoint("https://" + host), "endpoint",
        "endpoint must have a valid host name");
  }

  @Test
  void refusesIpv6ZoneIdsRatherThanResolvingThem() {
    assertRejected(withEndpoint("https://[fe80::1%25eth0]"), "endpoint",
        "endpoint host 'fe80::1%25eth0' is not a plain IPv6 address");
  }

  @Test
  void neverAsksTheResolverAboutAddressLiterals() {
    HostResolver failing = host -> {
      throw new AssertionError("resolved " + host);
    };
    BucketValidator validator = new BucketValidator(
        new EndpointPolicy(false, List.of(), failing), "aws-secrets-manager");

    assertThatCode(() -> validator.validate(withEndpoint("https://203.0.113.10"), Verdicts.TESTS))
        .doesNotThrowAnyException();
    Verdicts.assertRejected(validator, withEndpoint("https://[::1]"), "endpoint", "(loopback)");
  }
}
