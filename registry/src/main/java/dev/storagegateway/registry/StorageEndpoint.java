package dev.storagegateway.registry;

import java.net.URI;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Where a bucket's storage is reached: its {@code endpoint}, or the provider's public endpoint for
 * its region. The control plane routes to it and rewrites the host to {@link #authority()}; the
 * data plane signs for that same authority, so both take it from here.
 */
public record StorageEndpoint(String host, int port, boolean tls) {
  private static final String GOOGLE_APIS = "googleapis.com";
  private static final Pattern IPV4 = Pattern.compile("[0-9]{1,3}(\\.[0-9]{1,3}){3}");

  /** A port out of TCP's range is refused here, so neither plane builds anything on it. */
  public StorageEndpoint {
    if (port < 1 || port > 65_535) {
      throw new IllegalArgumentException("port " + port + " is out of range");
    }
  }

  public static StorageEndpoint of(Bucket bucket) {
    if (bucket.endpoint() != null) {
      URI endpoint = URI.create(bucket.endpoint());
      boolean tls = !"http".equalsIgnoreCase(endpoint.getScheme());
      int port = endpoint.getPort() != -1 ? endpoint.getPort() : tls ? 443 : 80;
      // "host." names the same host; TLS sends and matches the name without the dot.
      String host = endpoint.getHost().toLowerCase(Locale.ROOT).replaceFirst("\\.$", "");
      return new StorageEndpoint(host, port, tls);
    }
    if (bucket.provider() == Provider.GCP) {
      return new StorageEndpoint("storage.googleapis.com", 443, true);
    }
    String region = bucket.region() == null ? "us-east-1" : bucket.region();
    return new StorageEndpoint("s3." + region + ".amazonaws.com", 443, true);
  }

  /**
   * Whether {@code host} (as a URL names it, any case, a trailing dot allowed) is one of Google's
   * API hosts, where only Cloud Storage buckets may go and Cloud Storage buckets go.
   */
  public static boolean isGoogleHost(String host) {
    // Asked on every request that carries a Google token: no regular expression, no copy.
    int end = host.endsWith(".") ? host.length() - 1 : host.length();
    int start = end - GOOGLE_APIS.length();
    return start >= 0 && host.regionMatches(true, start, GOOGLE_APIS, 0, GOOGLE_APIS.length())
        && (start == 0 || host.charAt(start - 1) == '.');
  }

  /** The host as a socket address takes it: an IPv6 literal without its brackets. */
  public String address() {
    return host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
  }

  /**
   * Whether the host is an IP address, not a name: TLS then sends no server name, and the
   * certificate names the address in an IP subject alternative name. The registry accepts only
   * dotted-quad IPv4 and bracketed IPv6 literals.
   */
  public boolean isIpAddress() {
    return host.startsWith("[") || IPV4.matcher(host).matches();
  }

  /** The storage's base URL, as clients given a URL for it address it. */
  public String url() {
    return (tls ? "https://" : "http://") + authority();
  }

  /**
   * Whether {@code authority}, written as a Host header is (ASCII in any case, a trailing dot
   * allowed, the port left out for this storage's default), names this storage. IPv6 literals are
   * compared as written. Only ASCII matches: Java's case folding and digits reach beyond it (the
   * Kelvin sign is a 'k', '９' a digit), a Host header's bytes do not.
   */
  public boolean isNamedBy(String authority) {
    int colon = authority.lastIndexOf(':');
    if (colon < authority.lastIndexOf(']')) {
      colon = -1;
    }
    int named = tls ? 443 : 80;
    if (colon >= 0) {
      String digits = authority.substring(colon + 1);
      if (digits.isEmpty() || digits.length() > 5
          || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
        return false;
      }
      named = Integer.parseInt(digits);
    }
    int end = colon >= 0 ? colon : authority.length();
    if (end > 0 && authority.charAt(end - 1) == '.') {
      end--;
    }
    if (named != port || end != host.length()) {
      return false;
    }
    for (int i = 0; i < end; i++) {
      char c = authority.charAt(i);
      if ((c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c) != host.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  /** The Host header: the port only when it is not the scheme's default. */
  public String authority() {
    return port == (tls ? 443 : 80) ? host : host + ":" + port;
  }
}
