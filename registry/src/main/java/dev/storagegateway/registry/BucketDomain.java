package dev.storagegateway.registry;

import java.util.Locale;

/**
 * A domain under which {@code <bucket>.<domain>} names a bucket (virtual-hosted addressing), as
 * both planes read it: the control plane's {@code --bucket-domain}, which routes such hosts, and
 * the data plane's {@code --virtual-host-domain}, which reads the bucket from them, must agree.
 * Host names are case-insensitive and may end in the root's dot, so both are dropped; a port, a
 * path or a scheme would make every such host miss, so they are refused.
 */
public final class BucketDomain {
  private BucketDomain() {
  }

  /** @throws IllegalArgumentException naming the value, when it is not a host name */
  public static String normalize(String configured) {
    String domain = configured.strip().toLowerCase(Locale.ROOT);
    if (domain.endsWith(".")) {
      domain = domain.substring(0, domain.length() - 1);
    }
    if (domain.isEmpty() || domain.startsWith(".") || domain.indexOf(':') >= 0
        || domain.indexOf('/') >= 0) {
      throw new IllegalArgumentException("bucket domain '" + configured
          + "' must be a host name such as s3.example.org");
    }
    return domain;
  }
}
