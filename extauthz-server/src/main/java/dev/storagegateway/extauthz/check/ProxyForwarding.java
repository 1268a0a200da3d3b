package dev.storagegateway.extauthz.check;

import com.google.common.net.InetAddresses;
import dev.storagegateway.registry.RouteSettings;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Where the proxies in front of the HTTP check endpoints forward every allowed request, set on
 * the gateway itself ({@code --http-forwards-to}): a storage's authority, as a Host header writes
 * it, or {@value RouteSettings#FORWARDS_TO_BUCKET_ENDPOINT}. A proxy's own
 * {@code x-gateway-forwards-to} is only as trustworthy as its configuration: nginx without the
 * line that sets it passes a client's. Set here, the target does not depend on that, and a check
 * whose header says otherwise is refused ({@link ForwardedStorage}).
 *
 * @param target the authority in one spelling: lower case, no trailing dot, the port's digits
 *     without leading zeros
 */
public record ProxyForwarding(String target) {
  /** DNS labels, underscores allowed (Compose and Kubernetes service names). */
  private static final Pattern NAME =
      Pattern.compile("[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?(\\.[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?)*");
  private static final Pattern PORT = Pattern.compile("[0-9]{1,5}");

  public ProxyForwarding {
    String written = target.strip();
    target = canonical(written);
    if (target == null) {
      throw new IllegalArgumentException("--http-forwards-to takes the host and port of the"
          + " storage the proxy forwards allowed requests to, as a Host header writes them"
          + " (minio.storage.svc:9000, s3.us-east-1.amazonaws.com), or "
          + RouteSettings.FORWARDS_TO_BUCKET_ENDPOINT + " for a proxy that forwards to the host"
          + " the gateway gives back; not '" + written + "'");
    }
  }

  /**
   * Whether a proxy's {@code x-gateway-forwards-to} names the same: any case, a trailing dot
   * optional; the port written the same way (without a scheme, no port is anyone's default).
   */
  public boolean agreesWith(String said) {
    return target.equals(canonical(said.strip()));
  }

  /** The one spelling of {@code authority}, or null if it is none. */
  private static String canonical(String authority) {
    if (!authority.chars().allMatch(c -> c < 0x7f)) {
      return null;
    }
    String lower = authority.toLowerCase(Locale.ROOT);
    if (lower.equals(RouteSettings.FORWARDS_TO_BUCKET_ENDPOINT)) {
      return lower;
    }
    int close = lower.startsWith("[") ? lower.indexOf(']') : -1;
    int colon = lower.indexOf(':', Math.max(close, 0));
    String host = colon < 0 ? lower : lower.substring(0, colon);
    String port = colon < 0 ? null : lower.substring(colon + 1);
    if (host.endsWith(".")) {
      host = host.substring(0, host.length() - 1);
    }
    boolean validHost = close > 0
        ? close == host.length() - 1 && InetAddresses.isInetAddress(host.substring(1, close))
            && host.indexOf(':') > 0
        : NAME.matcher(host).matches();
    if (!validHost) {
      return null;
    }
    if (port == null) {
      return host;
    }
    int number = PORT.matcher(port).matches() ? Integer.parseInt(port) : 0;
    return number >= 1 && number <= 65_535 ? host + ":" + number : null;
  }
}
