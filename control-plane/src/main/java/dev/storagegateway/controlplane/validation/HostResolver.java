package dev.storagegateway.controlplane.validation;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/** Turns an endpoint host name into the addresses the gateway would connect to. */
@FunctionalInterface
public interface HostResolver {

  /** Every address of {@code host}; throws when the name does not resolve. */
  List<InetAddress> resolve(String host) throws UnknownHostException;

  static HostResolver system() {
    return host -> List.of(InetAddress.getAllByName(host));
  }
}
