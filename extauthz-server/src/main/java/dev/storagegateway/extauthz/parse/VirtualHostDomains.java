package dev.storagegateway.extauthz.parse;

import dev.storagegateway.registry.BucketDomain;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The domains under which {@code <bucket>.<domain>} names a bucket (virtual-hosted addressing).
 * Any other authority, the bare domain included, means path-style addressing.
 */
final class VirtualHostDomains {
  /** Lower case, longest first, so the most specific domain wins when one ends another. */
  private final String[] domains;

  VirtualHostDomains(List<String> configured) {
    List<String> normalized = new ArrayList<>(configured.size());
    for (String domain : configured) {
      normalized.add(BucketDomain.normalize(domain));
    }
    normalized.sort(Comparator.comparingInt(String::length).reversed());
    this.domains = normalized.toArray(String[]::new);
  }

  /**
   * The bucket an authority names, lower-cased as host names are case-insensitive, or null for
   * path-style addressing. A {@code :port} and a trailing dot (a fully qualified name) are
   * ignored.
   */
  String bucketOf(String authority) {
    if (authority == null || domains.length == 0) {
      return null;
    }
    int hostEnd = authority.length();
    int colon = authority.lastIndexOf(':');
    // The colons of an IPv6 literal sit inside brackets; only one after ']' starts a port.
    if (colon >= 0 && colon > authority.lastIndexOf(']')) {
      hostEnd = colon;
    }
    if (hostEnd > 0 && authority.charAt(hostEnd - 1) == '.') {
      hostEnd--;
    }
    for (String domain : domains) {
      if (hostEnd == domain.length() && endsWithIgnoringCase(authority, hostEnd, domain)) {
        return null;
      }
    }
    for (String domain : domains) {
      int dot = hostEnd - domain.length() - 1;
      if (dot >= 0 && authority.charAt(dot) == '.'
          && endsWithIgnoringCase(authority, hostEnd, domain)) {
        return asciiLowerCase(authority, dot);
      }
    }
    return null;
  }

  private static boolean endsWithIgnoringCase(String text, int end, String lowerCaseSuffix) {
    int offset = end - lowerCaseSuffix.length();
    for (int i = 0; i < lowerCaseSuffix.length(); i++) {
      if (asciiLowerCase(text.charAt(offset + i)) != lowerCaseSuffix.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  private static String asciiLowerCase(String text, int end) {
    char[] chars = new char[end];
    for (int i = 0; i < end; i++) {
      chars[i] = asciiLowerCase(text.charAt(i));
    }
    return new String(chars);
  }

  /**
   * ASCII only: Java's full case mapping folds look-alikes such as the Kelvin sign to 'k', which
   * would turn a host that is not ours into a valid bucket name.
   */
  private static char asciiLowerCase(char c) {
    return c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c;
  }
}
