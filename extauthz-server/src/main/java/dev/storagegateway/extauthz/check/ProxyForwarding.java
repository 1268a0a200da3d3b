package dev.storagegateway.extauthz.check;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where the proxies in front of the HTTP check endpoints forward every allowed request, set on
 * the gateway itself ({@code --http-forwards-to}): a storage's authority, as a Host header writes
 * it, or {@value RouteSettings#FORWARDS_TO_BUCKET_ENDPOINT}. A proxy's own
 * {@code x-gateway-forwards-to} is only as trustworthy as its configuration: one that does not
 * set the header passes a client's. Set here, the target does not depend on that, and a check
 * whose header says otherwise is refused ({@link ForwardedStorage}).
 */
public record ProxyForwarding(String target) {
  /** A DNS name or dotted quad, or a bracketed IPv6 literal; then an optional port. */
  private static final Pattern AUTHORITY = Pattern.compile(
      "(\\[[0-9a-f:.]+]|[a-z0-9]([a-z0-9.-]*[a-z0-9.])?)(:([0-9]{1,5}))?");

  public ProxyForwarding {
    String written = target.strip();
    target = written.toLowerCase(Locale.ROOT);
    Matcher authority = AUTHORITY.matcher(target);
    boolean valid = target.equals(RouteSettings.FORWARDS_TO_BUCKET_ENDPOINT)
        || authority.matches() && (authority.group(4) == null
            || inPortRange(Integer.parseInt(authority.group(4))));
    if (!valid) {
      throw new IllegalArgumentException("--http-forwards-to takes the host and port of the"
          + " storage the proxy forwards allowed requests to, as a Host header writes them"
          + " (minio.storage.svc:9000, s3.us-east-1.amazonaws.com), or "
          + RouteSettings.FORWARDS_TO_BUCKET_ENDPOINT + " for a proxy that forwards to the host"
          + " the gateway gives back; not '" + written + "'");
    }
  }

  /** Whether a proxy's {@code x-gateway-forwards-to} says the same, in any case. */
  public boolean agreesWith(String said) {
    return target.equalsIgnoreCase(said.strip());
  }

  private static boolean inPortRange(int port) {
    return port >= 1 && port <= 65_535;
  }
}
