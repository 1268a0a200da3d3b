package dev.storagegateway.controlplane.xds;

import java.util.Locale;

/** Who turns a storage endpoint's host name into the addresses Envoy connects to. */
public enum StorageDns {
  /**
   * The control plane resolves each name on a timer and pushes, over EDS, only the addresses the
   * endpoint policy admits: a name re-pointed into the internal network after registration (DNS
   * rebinding) gets no address there. The default.
   */
  CONTROL_PLANE,
  /**
   * Envoy resolves each name itself ({@code LOGICAL_DNS}), for when only Envoy's network can
   * resolve the storage names. Registration's check is then the only one: a name later
   * re-pointed inside the network is connected to.
   */
  ENVOY;

  /** {@code control-plane} or {@code envoy}, as the option spells them. */
  public static StorageDns parse(String text) {
    for (StorageDns dns : values()) {
      if (dns.optionValue().equals(text.toLowerCase(Locale.ROOT))) {
        return dns;
      }
    }
    throw new IllegalArgumentException("storage DNS must be control-plane or envoy, not '"
        + text + "'");
  }

  public String optionValue() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
