package dev.storagegateway.controlplane.validation;

import dev.storagegateway.registry.Provider;
import dev.storagegateway.registry.StorageEndpoint;
import dev.storagegateway.registry.address.InternalAddress;
import dev.storagegateway.registry.address.IpAddresses;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A bucket endpoint is a bare https origin on the public internet. The gateway sends signed
 * requests to it, so an endpoint aimed inside the network would turn the registry into a
 * server-side request forgery tool. Resolving at registration catches mistakes and casual abuse;
 * a name re-pointed later (DNS rebinding) is caught by the xDS server, which resolves it again
 * for Envoy under the same {@link EndpointPolicy#admits} rule (unless Envoy resolves names
 * itself, {@code --storage-dns envoy}).
 */
final class EndpointRules {
  private static final Set<String> METADATA_HOSTS = Set.of("metadata.google.internal", "metadata");

  private final EndpointPolicy policy;

  EndpointRules(EndpointPolicy policy) {
    this.policy = policy;
  }

  /**
   * What the rules found about an endpoint.
   *
   * @param problems every reason it is refused, each naming the field; empty when none
   * @param notLookedUp why its host's name could not be looked up now, if it could not: the
   *     rules that need its addresses were not checked, the others were
   */
  record Findings(List<String> problems, Optional<String> notLookedUp) {
    static Findings of(List<String> problems) {
      return new Findings(problems, Optional.empty());
    }
  }

  /**
   * The rules applied to {@code endpoint} for a bucket of {@code provider} (null when the
   * provider is missing, which is reported elsewhere).
   *
   * @param share whose share of the bounded lookups the host's name takes
   */
  Findings check(Provider provider, String endpoint, LookupShare share) {
    return check(provider, endpoint, host -> lookUp(host, share));
  }

  /**
   * The rules that need no lookup: the endpoint's shape and scheme, and an address written in
   * it. A name's addresses are left to the xDS server's own lookups (or to Envoy's).
   */
  Findings checkWithoutLookups(Provider provider, String endpoint) {
    return check(provider, endpoint, host -> {
      throw new BoundedLookups.Unanswered("is not looked up here");
    });
  }

  private Findings check(Provider provider, String endpoint, NameLookup lookup) {
    URI uri;
    try {
      uri = new URI(endpoint);
    } catch (URISyntaxException malformed) {
      return Findings.of(List.of("endpoint must be an absolute URL like https://s3.example.org"));
    }
    if (!uri.isAbsolute() || uri.isOpaque()) {
      return Findings.of(List.of("endpoint must be an absolute URL like https://s3.example.org"));
    }
    List<String> problems = new ArrayList<>();
    String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
    if (scheme.equals("http") && !policy.allowHttp()) {
      problems.add("endpoint must use https; plain http is refused because it would expose signed "
          + "requests (set --allow-http-endpoints for development)");
    } else if (!scheme.equals("http") && !scheme.equals("https")) {
      problems.add("endpoint must use https, not " + scheme);
    }
    if (uri.getRawUserInfo() != null) {
      problems.add("endpoint must not contain user info: credentials must never be embedded in the "
          + "endpoint; store them in the secrets backend and set secret_ref");
    }
    if (uri.getRawQuery() != null) {
      problems.add("endpoint must not have a query string");
    }
    if (uri.getRawFragment() != null) {
      problems.add("endpoint must not have a fragment");
    }
    String path = uri.getRawPath();
    if (path != null && !path.isEmpty() && !path.equals("/")) {
      problems.add("endpoint must not have a path: give only the scheme, host and optional port, "
          + "e.g. https://s3.example.org:9000");
    }
    if (uri.getHost() == null) {
      problems.add("endpoint must have a valid host name and an optional port (1 to 65535), "
          + "e.g. https://s3.example.org:9000");
      return Findings.of(problems);
    }
    if (uri.getPort() == 0 || uri.getPort() > 65535) {
      problems.add("endpoint port must be 1 to 65535");
    }
    String uriHost = uri.getHost();
    boolean bracketed = uriHost.startsWith("[");
    String host = bracketed ? uriHost.substring(1, uriHost.length() - 1) : uriHost;
    Optional<InetAddress> literal = IpAddresses.parseLiteral(host);
    Optional<String> shape = hostShapeProblem(host, literal, bracketed);
    if (shape.isPresent()) {
      problems.add(shape.get());
      return Findings.of(problems);
    }
    Optional<List<InetAddress>> addresses;
    Optional<String> notLookedUp = Optional.empty();
    try {
      addresses = Optional.of(literal.isPresent() ? List.of(literal.get()) : lookup.of(host));
    } catch (BoundedLookups.Unanswered unanswered) {
      addresses = Optional.empty();
      notLookedUp = Optional.of("endpoint host '" + host + "' " + unanswered.getMessage());
    }
    addresses.flatMap(known -> addressProblem(host, literal.isPresent(), known))
        .ifPresent(problems::add);
    if (provider != null) {
      providerProblem(provider, uriHost, addresses).ifPresent(problems::add);
    }
    return new Findings(problems, notLookedUp);
  }

  /**
   * Only Cloud Storage buckets go to Google, and they go nowhere else unless an operator vouches
   * for the address. Registered as an S3 provider, a Cloud Storage bucket would be signed for the
   * wrong region and would forward a client's {@code userProject}, billing a project of its
   * choosing with the bucket's keys. The other way round, a {@code gcp} bucket's requests carry
   * an OAuth token of its service account, which any host they reach could replay against
   * Google for the token's lifetime.
   */
  private Optional<String> providerProblem(Provider provider, String uriHost,
      Optional<List<InetAddress>> addresses) {
    boolean google = StorageEndpoint.isGoogleHost(uriHost);
    if (provider.speaksS3() && google) {
      return Optional.of("endpoint host '" + uriHost + "' is Google's: register a Cloud Storage"
          + " bucket with provider gcp (auth_mode static takes HMAC keys), not "
          + provider.wireName() + ", so that requests are signed for Cloud Storage and the"
          + " gateway, not the client, names the project billed");
    }
    // Whether an operator allowed an address is known only once the name is looked up.
    if (!provider.speaksS3() && !google && addresses.isPresent()
        && !operatorAllowed(addresses.get())) {
      return Optional.of("endpoint host '" + uriHost + "' is not Google's: a gcp bucket's"
          + " requests carry an OAuth token of its service account, which that host could"
          + " replay against Google; use https://storage.googleapis.com or another"
          + " *.googleapis.com endpoint, or for an emulator an address an operator allows with"
          + " --allow-endpoint-cidr");
    }
    return Optional.empty();
  }

  private boolean operatorAllowed(List<InetAddress> addresses) {
    return !addresses.isEmpty() && addresses.stream().allMatch(policy.reachable()::inAllowedRange);
  }

  private static Optional<String> hostShapeProblem(String host, Optional<InetAddress> literal,
      boolean bracketed) {
    String name = host.toLowerCase(Locale.ROOT).replaceFirst("\\.$", "");
    if (METADATA_HOSTS.contains(name)) {
      return Optional.of("endpoint host '" + host + "' is the cloud metadata service, which hands "
          + "out the gateway's own credentials; a bucket endpoint can never point at it");
    }
    if (literal.isEmpty() && bracketed) {
      return Optional.of("endpoint host '" + host + "' is not a plain IPv6 address (zone ids "
          + "such as %eth0 are not allowed)");
    }
    if (literal.isEmpty() && IpAddresses.looksNumeric(host)) {
      return Optional.of("endpoint host '" + host + "' is a shorthand, octal or hexadecimal IP "
          + "address, which resolvers read differently; write a DNS name or a dotted-quad address "
          + "like 203.0.113.10");
    }
    return Optional.empty();
  }

  private Optional<String> addressProblem(String host, boolean literal,
      List<InetAddress> addresses) {
    if (addresses.isEmpty()) {
      return Optional.of("endpoint host '" + host + "' does not resolve");
    }
    // A name's addresses are not echoed: project owners may set endpoints, and the answer would
    // map the gateway's internal DNS for them. The kind of range is enough to act on.
    String internal = addresses.stream()
        .filter(address -> !policy.admits(address))
        .map(IpAddresses::unmapped)
        .flatMap(address -> InternalAddress.describe(address)
            .map(kind -> literal ? address.getHostAddress() + " (" + kind + ")"
                : "an address that is " + kind)
            .stream())
        .distinct()
        .collect(Collectors.joining(", "));
    if (internal.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of("endpoint host '" + host + "' points into the internal network: " + internal
        + "; bucket endpoints must be public so the gateway cannot be aimed at its own network. "
        + "If this storage service is meant to be internal, an operator can allow its range with "
        + "--allow-endpoint-cidr");
  }

  @FunctionalInterface
  private interface NameLookup {
    List<InetAddress> of(String host) throws BoundedLookups.Unanswered;
  }

  /** {@code host}'s addresses; none when the name does not exist. */
  private List<InetAddress> lookUp(String host, LookupShare share)
      throws BoundedLookups.Unanswered {
    try {
      return BoundedLookups.resolve(policy.resolver(), host, share);
    } catch (UnknownHostException unresolvable) {
      return List.of();
    }
  }
}
