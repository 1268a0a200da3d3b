package dev.storagegateway.credentials;

import dev.storagegateway.registry.address.IpAddresses;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Map;

/**
 * A Google endpoint that an environment variable may replace (a Private Service Connect
 * endpoint, or a test's stand-in). Keys and tokens cross to it, so it must be https, or plain
 * http to this machine only.
 */
final class GoogleEndpoint {

  private GoogleEndpoint() {
  }

  /**
   * @throws IllegalArgumentException naming the variable and Google's own address, never the
   *     value (a URL can carry a password)
   */
  static URI fromEnvironment(Map<String, String> env, String variable, URI google) {
    String configured = env.get(variable);
    if (configured == null || configured.isBlank()) {
      return google;
    }
    try {
      URI uri = new URI(configured.strip());
      String host = uri.getHost();
      if (host != null && ("https".equals(uri.getScheme())
          || ("http".equals(uri.getScheme()) && IpAddresses.isThisMachine(host)))) {
        return uri;
      }
    } catch (URISyntaxException e) {
      // answered below
    }
    throw new IllegalArgumentException(variable + " must be an https URL such as " + google
        + " (plain http only to this machine)");
  }
}
