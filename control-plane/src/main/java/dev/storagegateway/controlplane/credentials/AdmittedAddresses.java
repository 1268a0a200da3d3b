package dev.storagegateway.controlplane.credentials;

import dev.storagegateway.controlplane.validation.EndpointPolicy;
import java.net.InetAddress;
import java.net.UnknownHostException;
import org.apache.http.conn.DnsResolver;

/**
 * Resolves a storage endpoint for the control plane's own calls to it as the xDS server does for
 * Envoy: only the addresses the endpoint policy admits. The probe signs with the bucket's keys,
 * and a name re-pointed inside the network since registration must not receive those requests.
 */
final class AdmittedAddresses implements DnsResolver {
  private final EndpointPolicy policy;

  AdmittedAddresses(EndpointPolicy policy) {
    this.policy = policy;
  }

  @Override
  public InetAddress[] resolve(String host) throws UnknownHostException {
    InetAddress[] admitted = policy.resolver().resolve(host).stream()
        .filter(policy::admits).toArray(InetAddress[]::new);
    if (admitted.length == 0) {
      throw new RefusedAddressException(host);
    }
    return admitted;
  }

  /** The name resolved, but only to addresses the endpoint policy refuses. */
  static final class RefusedAddressException extends UnknownHostException {
    RefusedAddressException(String host) {
      super(host + " resolves only to addresses the endpoint policy refuses");
    }
  }
}
