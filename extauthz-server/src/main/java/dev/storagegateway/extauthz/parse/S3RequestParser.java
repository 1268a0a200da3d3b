package dev.storagegateway.extauthz.parse;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * Step 1 of the pipeline: turns what the proxy saw of a request into an {@link S3Request}, or
 * refuses it with a {@link MalformedRequestException}. Stateless and thread-safe.
 */
public final class S3RequestParser {
  private static final String GOOGLE_COPY_SOURCE = "x-goog-copy-source";
  private final VirtualHostDomains virtualHosts;

  /**
   * @param virtualHostDomains domains under which {@code <bucket>.<domain>} is virtual-hosted
   *     addressing, e.g. {@code ["s3.gateway.example.org"]}; empty means path-style only.
   *     Compared case-insensitively; a {@code :port} on the authority is ignored.
   */
  public S3RequestParser(List<String> virtualHostDomains) {
    this.virtualHosts = new VirtualHostDomains(virtualHostDomains);
  }

  /**
   * @param method the method as received; methods are case-sensitive, so {@code "get"} is not GET
   * @param authority {@code :authority} or Host, possibly with a port; null means path-style
   * @param rawTarget the request target exactly as sent: path and query, not decoded
   * @param header lower-cased header name to value, or null when absent (repeated headers may
   *     arrive joined with commas)
   */
  public S3Request parse(
      String method, String authority, String rawTarget, Function<String, String> header) {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(header, "header");
    // The method comes first: a request S3 would not serve is refused whatever its target.
    OperationClassifier.checkMethod(method);
    RequestTargets.check(rawTarget);

    int question = rawTarget.indexOf('?');
    int pathEnd = question < 0 ? rawTarget.length() : question;
    String rawQuery = question < 0 ? "" : rawTarget.substring(question + 1);
    QueryParameters query = QueryParameters.parse(rawQuery);
    String copySourceHeader = header.apply(CopySource.HEADER);
    if (header.apply(GOOGLE_COPY_SOURCE) != null) {
      // Cloud Storage's XML API reads it as x-amz-copy-source; unchecked, it would copy from
      // anywhere the bucket's credentials reach.
      throw new MalformedRequestException("InvalidArgument", GOOGLE_COPY_SOURCE
          + " is not supported; send the source as " + CopySource.HEADER
          + ", which the gateway authorizes as a read of it");
    }

    String bucket = virtualHosts.bucketOf(authority);
    boolean virtualHosted = bucket != null;
    int keyStart;
    if (virtualHosted) {
      // A Host names only what DNS allows: S3's names ('_' is not a host name's).
      RequestBucketNames.checkS3(bucket);
      keyStart = 1;
    } else if (pathEnd == 1) {
      S3Operation operation = OperationClassifier.service(method);
      OperationParameters.check(operation, query);
      return new S3Request(method, null, null, operation, "/", rawQuery, query,
          copySource(copySourceHeader, operation), false);
    } else {
      int slash = rawTarget.indexOf('/', 1);
      int bucketEnd = slash < 0 || slash > pathEnd ? pathEnd : slash;
      bucket = RequestBucketNames.fromPath(rawTarget, 1, bucketEnd);
      keyStart = Math.min(bucketEnd + 1, pathEnd);
    }
    String key = keyStart == pathEnd ? null : ObjectKeys.decode(rawTarget, keyStart, pathEnd);
    int plus = rawTarget.indexOf('+', keyStart);
    if (plus >= 0 && plus < pathEnd) {
      throw new MalformedRequestException("InvalidURI", "object key has a bare '+' at position "
          + plus + ", which storage services read differently (S3 has read one as a space,"
          + " MinIO and S3Proxy as a plus): send %2B for a plus, %20 for a space");
    }
    if (key == null && query.has("prefix")) {
      ObjectKeys.checkPrefix(query.get("prefix"));
    }

    S3Operation operation = key == null
        ? OperationClassifier.bucket(method, query)
        : OperationClassifier.object(method, query, copySourceHeader != null);
    OperationParameters.check(operation, query);
    Optional<ObjectLocation> copySource = copySource(copySourceHeader, operation);

    // Always path-style upstream, built from the client's raw bytes and never re-encoded: the
    // path as sent, or for virtual-hosted requests "/<bucket>" before it, which is exactly what
    // a proxy's prefix rewrite of "/" to "/<bucket>/" produces.
    String upstreamPath = virtualHosted
        ? "/" + bucket + rawTarget.substring(0, pathEnd)
        : rawTarget.substring(0, pathEnd);
    return new S3Request(method, bucket, key, operation, upstreamPath, rawQuery, query,
        copySource, virtualHosted);
  }

  /**
   * The parsed header for the operations that copy; on any other operation a copy source leaves
   * unclear what the client meant, so it is refused rather than ignored.
   */
  private static Optional<ObjectLocation> copySource(
      String copySourceHeader, S3Operation operation) {
    if (operation.copies()) {
      return Optional.of(CopySource.parse(copySourceHeader));
    }
    if (copySourceHeader != null) {
      throw new MalformedRequestException("InvalidArgument", CopySource.HEADER
          + " is only allowed on CopyObject and UploadPartCopy, not on " + operation.wireName());
    }
    return Optional.empty();
  }
}
