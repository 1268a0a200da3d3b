package dev.storagegateway.extauthz.presign;

import dev.storagegateway.extauthz.check.CheckDenied;
import dev.storagegateway.extauthz.check.Denial;
import dev.storagegateway.extauthz.check.DenialReason;
import dev.storagegateway.extauthz.indexd.FileLocation;
import dev.storagegateway.extauthz.indexd.IndexRecord;
import dev.storagegateway.extauthz.parse.MalformedRequestException;
import dev.storagegateway.extauthz.parse.Quoted;
import dev.storagegateway.registry.Bucket;
import dev.storagegateway.registry.Provider;

/**
 * Fence's {@code protocol} query parameter: which of a file's locations to sign a URL for. Fence
 * answers 404 when the file has no location of that protocol. A file named by GUID has the
 * locations its indexd record lists ({@link #select}); an object named by bucket and key has one,
 * its bucket, so a protocol the bucket's storage is not reached by is that 404. Either way a
 * client that asks for {@code gs} never gets an S3 URL it would hand to a Cloud Storage tool.
 */
enum LocationProtocol {
  /** No protocol asked for: the bucket's own location, as Fence signs a file's first one. */
  ANY(null),
  S3("s3"),
  GS("gs"),
  /** Fence matches {@code http} to its {@code https} locations, which every URL here is. */
  HTTP("http");

  static final String PARAMETER = "protocol";

  private final String wireName;

  LocationProtocol(String wireName) {
    this.wireName = wireName;
  }

  /** @param asked the query parameter's value, or null when absent */
  static LocationProtocol of(String asked) {
    if (asked == null) {
      return ANY;
    }
    for (LocationProtocol protocol : values()) {
      if (asked.equals(protocol.wireName)) {
        return protocol;
      }
    }
    throw new MalformedRequestException("InvalidArgument", "the protocol "
        + Quoted.of(asked) + " is not supported; ask for s3, gs or http (an https URL), or"
        + " leave protocol out for the bucket's own");
  }

  /**
   * The location of a file named by GUID that a URL is made for, as Fence picks it: with no
   * protocol asked for, the record's first; else its first of this protocol, {@code http} taking
   * {@code https} too.
   *
   * @throws CheckDenied with Fence's 404 when the record has none
   */
  FileLocation select(IndexRecord record) {
    for (String url : record.urls()) {
      FileLocation location = FileLocation.of(url);
      if (this == ANY || location.protocol().equals(wireName)
          || this == HTTP && location.protocol().equals("https")) {
        return location;
      }
    }
    if (this == ANY) {
      throw new CheckDenied(DenialReason.NO_SUCH_FILE, "Can't find any file locations for file "
          + record.guid() + ": its indexd record lists no urls");
    }
    throw new CheckDenied(new Denial(DenialReason.NO_LOCATION_FOR_PROTOCOL, 404, "NotFound",
        "File " + record.guid() + " does not have a location with specified protocol "
            + wireName + "; leave protocol out for its first location"));
  }

  /** Whether a bucket of {@code provider} is reached by this protocol. */
  boolean reaches(Provider provider) {
    return switch (this) {
      case ANY, HTTP -> true;
      case S3 -> provider.speaksS3();
      case GS -> provider == Provider.GCP;
    };
  }

  /** This protocol of a stored object's location ({@code s3://}, {@code gs://}). */
  static LocationProtocol ofStoredObject(FileLocation location) {
    return location.protocol().equals(S3.wireName) ? S3 : GS;
  }

  /** @throws CheckDenied with Fence's 404 when the bucket's storage is not of this protocol */
  void requireLocationOf(Bucket bucket, String key) {
    Provider provider = bucket.provider();
    if (!reaches(provider)) {
      throw new CheckDenied(new Denial(DenialReason.NO_LOCATION_FOR_PROTOCOL, 404, "NotFound",
          "File " + provider.objectUri(bucket.name(), key) + " does not have a location with"
              + " specified protocol " + wireName + "; ask for "
              + (provider.speaksS3() ? "s3" : "gs") + " or http, or leave protocol out"));
    }
  }
}
