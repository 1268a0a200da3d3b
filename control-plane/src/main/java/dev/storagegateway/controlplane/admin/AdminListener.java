package dev.storagegateway.controlplane.admin;

import dev.storagegateway.servertls.ServerTls;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the admin API listens, and its HTTPS if any. Administrators send Gen3 tokens with every
 * call, and {@code create_secret} a bucket's own keys: off loopback, outside an encrypted network,
 * it should be HTTPS. Callers are identified by their tokens, so the admin API asks no client
 * certificates.
 */
public record AdminListener(InetSocketAddress address, Optional<ServerTls> tls) {
  public AdminListener {
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(tls, "tls");
    if (tls.flatMap(ServerTls::clientCa).isPresent()) {
      throw new IllegalArgumentException("the admin API identifies callers by their tokens and"
          + " asks no client certificates");
    }
  }

  /** Plain HTTP on {@code address}. */
  public static AdminListener plain(InetSocketAddress address) {
    return new AdminListener(address, Optional.empty());
  }

  public String scheme() {
    return tls.isPresent() ? "https" : "http";
  }
}
