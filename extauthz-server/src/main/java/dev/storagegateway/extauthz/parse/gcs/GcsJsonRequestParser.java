package dev.storagegateway.extauthz.parse.gcs;

import dev.storagegateway.extauthz.parse.AccessScope;
import dev.storagegateway.extauthz.parse.MalformedRequestException;
import dev.storagegateway.extauthz.parse.ObjectKeys;
import dev.storagegateway.extauthz.parse.QueryParameters;
import dev.storagegateway.extauthz.parse.Quoted;
import dev.storagegateway.extauthz.parse.RequestBucketNames;
import dev.storagegateway.extauthz.parse.RequestTargets;
import dev.storagegateway.extauthz.parse.SourceObjects;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Step 1 for Cloud Storage's JSON API: turns the request target into a {@link GcsJsonRequest},
 * or refuses it with a {@link MalformedRequestException}, as strictly as the S3 parser (the same
 * target syntax, the same decoding of object names exactly once, the same refusal of dot
 * segments, control characters and over-long names). Stateless and thread-safe.
 *
 * <p>The forms, with {@code {object}} one percent-encoded path segment ({@code %2F} is a slash
 * inside the name):
 *
 * <ul>
 *   <li>{@code /storage/v1/b/{bucket}}: GET bucket metadata.
 *   <li>{@code /storage/v1/b/{bucket}/o}: GET list; POST insert (metadata only).
 *   <li>{@code /storage/v1/b/{bucket}/o/{object}}: GET metadata or, with {@code alt=media},
 *       the data; PATCH, PUT update; DELETE.
 *   <li>{@code /storage/v1/b/{bucket}/o/{object}/compose}: POST.
 *   <li>{@code /storage/v1/b/{b}/o/{o}/rewriteTo/b/{b}/o/{o}} and {@code .../copyTo/...}: POST.
 *   <li>{@code /upload/storage/v1/b/{bucket}/o?uploadType=media|multipart|resumable}: POST;
 *       PUT or DELETE with {@code upload_id=} continue or cancel a resumable upload.
 *   <li>{@code /download/storage/v1/b/{bucket}/o/{object}}: GET the data.
 * </ul>
 *
 * <p>An upload names its object in the {@code name} query parameter, or only in the JSON
 * metadata of its body, which the gateway never reads. Without {@code name=} it is authorized as
 * a write to any object of the bucket ({@link AccessScope.WholeBucket}), which only callers
 * allowed on every prefix of the bucket pass; everyone else is told to send {@code name=}.
 */
public final class GcsJsonRequestParser {
  private static final String STORAGE = "/storage/v1";
  private static final String UPLOAD = "/upload/storage/v1";
  private static final String DOWNLOAD = "/download/storage/v1";
  private static final String BATCH = "/batch/storage/v1";
  /** Where Cloud Storage also takes resumable uploads; the gateway offers only {@link #UPLOAD}. */
  private static final String RESUMABLE = "/resumable/upload/storage/v1";
  /** The bucket a path-style S3 request names with each of those prefixes. */
  private static final Set<String> JSON_API_FIRST_SEGMENTS =
      Stream.of(STORAGE, UPLOAD, DOWNLOAD, BATCH, RESUMABLE)
          .map(prefix -> prefix.substring(1, prefix.indexOf('/', 1)))
          .collect(Collectors.toUnmodifiableSet());

  /**
   * Whether the target's path is one of the JSON API's. Only these exact prefixes are claimed,
   * so a path-style request for a bucket named {@code storage}, {@code upload}, {@code download}
   * or {@code batch} stays S3 unless its key begins with what follows them here.
   */
  public static boolean isJsonApiTarget(String rawTarget) {
    return rawTarget != null && (startsWithPrefix(rawTarget, STORAGE)
        || startsWithPrefix(rawTarget, UPLOAD) || startsWithPrefix(rawTarget, DOWNLOAD)
        || startsWithPrefix(rawTarget, BATCH));
  }

  /**
   * Whether {@code decodedPath}, the path an S3 request names once decoded, is one Cloud Storage
   * serves as its JSON API: {@code /storage/v%31/b/other/o/x} is S3 to the gateway (a bucket
   * named {@code storage}) but may be the JSON API to a server that decodes before it routes.
   */
  public static boolean isJsonApiPath(String decodedPath) {
    return isJsonApiTarget(decodedPath) || startsWithPrefix(decodedPath, RESUMABLE);
  }

  /** Whether a bucket of this name has paths that {@link #isJsonApiPath} may claim. */
  public static boolean mayNameJsonApiPaths(String bucket) {
    return JSON_API_FIRST_SEGMENTS.contains(bucket);
  }

  /**
   * @param method the method as received; methods are case-sensitive
   * @param rawTarget the request target exactly as sent, which {@link #isJsonApiTarget} accepted
   */
  public GcsJsonRequest parse(String method, String rawTarget) {
    Objects.requireNonNull(method, "method");
    checkMethod(method);
    RequestTargets.check(rawTarget);
    int question = rawTarget.indexOf('?');
    int pathEnd = question < 0 ? rawTarget.length() : question;
    QueryParameters query =
        QueryParameters.parse(question < 0 ? "" : rawTarget.substring(question + 1));

    if (startsWithPrefix(rawTarget, BATCH)) {
      throw notImplemented("batch requests carry many operations in one body, which the gateway"
          + " cannot authorize; send each operation as a request of its own");
    }
    if (startsWithPrefix(rawTarget, UPLOAD)) {
      return upload(method, new PathSegments(rawTarget, UPLOAD.length(), pathEnd), query);
    }
    if (startsWithPrefix(rawTarget, DOWNLOAD)) {
      return download(method, new PathSegments(rawTarget, DOWNLOAD.length(), pathEnd), query);
    }
    return storage(method, new PathSegments(rawTarget, STORAGE.length(), pathEnd), query);
  }

  /** {@code /storage/v1/...}: metadata, listings, deletes, and the copying methods. */
  private static GcsJsonRequest storage(String method, PathSegments path, QueryParameters query) {
    if (path.count() < 2 || !path.is(0, "b")) {
      throw notImplemented("only buckets (/storage/v1/b/<bucket>) and their objects are served;"
          + " listing or creating buckets, projects and HMAC keys are not available through"
          + " this gateway");
    }
    String bucket = path.bucket(1);
    if (path.count() == 2) {
      if (!method.equals("GET")) {
        throw notImplemented(method + " on a bucket (changing or deleting it) is not available;"
            + " buckets are managed through the gateway's admin API");
      }
      // The root, not any binding: the answer is the bucket's whole metadata (with
      // projection=full its ACLs and IAM configuration), which no single prefix guards.
      return request(method, bucket, null, GcsJsonOperation.BUCKETS_GET,
          new AccessScope.Objects(""), null, query);
    }
    if (!path.is(2, "o")) {
      throw notImplemented(Quoted.of(path.raw(2)) + " of a bucket (ACLs, IAM policies,"
          + " notifications, ...) is not available through this gateway");
    }
    if (path.count() == 3) {
      return switch (method) {
        case "GET" -> {
          String prefix = query.get("prefix");
          if (prefix != null) {
            ObjectKeys.checkPrefix(prefix);
          }
          yield request(method, bucket, null, GcsJsonOperation.OBJECTS_LIST,
              new AccessScope.Listing(prefix == null ? "" : prefix), null, query);
        }
        case "POST" -> insert(method, bucket, GcsJsonOperation.OBJECTS_INSERT, query);
        default -> throw methodNotAllowed(method, "the objects of a bucket (GET lists, POST"
            + " inserts)");
      };
    }
    String object = path.object(3);
    if (path.count() == 4) {
      GcsJsonOperation operation = switch (method) {
        case "GET" -> GcsJsonOperation.OBJECTS_GET;
        case "PATCH" -> GcsJsonOperation.OBJECTS_PATCH;
        case "PUT" -> GcsJsonOperation.OBJECTS_UPDATE;
        case "DELETE" -> GcsJsonOperation.OBJECTS_DELETE;
        default -> throw notImplemented("POST on an object is only compose, rewriteTo or"
            + " copyTo; watching changes is not available");
      };
      return request(method, bucket, object, operation, new AccessScope.Objects(object), null,
          query);
    }
    if (path.count() == 5 && path.is(4, "compose")) {
      requirePost(method, "compose");
      // The sources are listed in the body, always in the destination's own bucket.
      return request(method, bucket, object, GcsJsonOperation.OBJECTS_COMPOSE,
          new AccessScope.Objects(object),
          new SourceObjects(bucket, new AccessScope.WholeBucket(
              "copy the sources with rewriteTo instead, which names each in its path")), query);
    }
    if (path.count() == 9 && (path.is(4, "rewriteTo") || path.is(4, "copyTo"))
        && path.is(5, "b") && path.is(7, "o")) {
      boolean rewrite = path.is(4, "rewriteTo");
      requirePost(method, rewrite ? "rewriteTo" : "copyTo");
      String destinationBucket = path.bucket(6);
      String destinationObject = path.object(8);
      return request(method, destinationBucket, destinationObject,
          rewrite ? GcsJsonOperation.OBJECTS_REWRITE : GcsJsonOperation.OBJECTS_COPY,
          new AccessScope.Objects(destinationObject),
          new SourceObjects(bucket, new AccessScope.Objects(object)), query);
    }
    if (path.is(4, "acl")) {
      throw notImplemented("object ACLs are not available through this gateway");
    }
    throw new MalformedRequestException("InvalidURI", "an object name is one path segment:"
        + " encode each '/' in it as %2F (after /o/ comes the object, then only /compose,"
        + " /rewriteTo/b/<bucket>/o/<object> or /copyTo/b/<bucket>/o/<object>)");
  }

  /** {@code /upload/storage/v1/b/{bucket}/o}: starts uploads and continues resumable ones. */
  private static GcsJsonRequest upload(String method, PathSegments path, QueryParameters query) {
    if (path.count() != 3 || !path.is(0, "b") || !path.is(2, "o")) {
      throw new MalformedRequestException("InvalidURI",
          "uploads go to /upload/storage/v1/b/<bucket>/o with the object in name=");
    }
    String bucket = path.bucket(1);
    String uploadType = query.get("uploadType");
    String uploadId = query.get("upload_id");
    if (uploadId != null) {
      if (uploadId.isEmpty()) {
        throw new MalformedRequestException("InvalidArgument", "upload_id must have a value");
      }
      if (uploadType != null && !uploadType.equals("resumable")) {
        throw new MalformedRequestException("InvalidArgument", "upload_id belongs to"
            + " uploadType=resumable, not " + Quoted.of(uploadType));
      }
      GcsJsonOperation operation = switch (method) {
        case "PUT" -> GcsJsonOperation.RESUMABLE_UPLOAD;
        case "DELETE" -> GcsJsonOperation.RESUMABLE_CANCEL;
        default -> throw methodNotAllowed(method,
            "a resumable upload session (PUT sends data, DELETE cancels)");
      };
      return request(method, bucket, null, operation, AccessScope.IssuedUploadSession.INSTANCE,
          null, query);
    }
    if (!method.equals("POST")) {
      throw methodNotAllowed(method, "an upload without upload_id (POST starts one)");
    }
    if (uploadType == null) {
      throw new MalformedRequestException("InvalidArgument",
          "an upload needs uploadType=media, multipart or resumable");
    }
    return switch (uploadType) {
      case "media" -> {
        if (query.get("name") == null) {
          throw new MalformedRequestException("InvalidArgument",
              "uploadType=media needs the object in name=<object>");
        }
        yield insert(method, bucket, GcsJsonOperation.OBJECTS_INSERT, query);
      }
      case "multipart" -> insert(method, bucket, GcsJsonOperation.OBJECTS_INSERT, query);
      case "resumable" -> insert(method, bucket, GcsJsonOperation.RESUMABLE_START, query);
      default -> throw new MalformedRequestException("InvalidArgument", "uploadType must be"
          + " media, multipart or resumable, not " + Quoted.of(uploadType));
    };
  }

  /** {@code /download/storage/v1/b/{bucket}/o/{object}}: the data of one object. */
  private static GcsJsonRequest download(String method, PathSegments path,
      QueryParameters query) {
    if (path.count() != 4 || !path.is(0, "b") || !path.is(2, "o")) {
      throw new MalformedRequestException("InvalidURI", "downloads are"
          + " /download/storage/v1/b/<bucket>/o/<object> with each '/' of the object as %2F");
    }
    if (!method.equals("GET")) {
      throw methodNotAllowed(method, "a download (GET)");
    }
    String object = path.object(3);
    return request(method, path.bucket(1), object, GcsJsonOperation.OBJECTS_GET,
        new AccessScope.Objects(object), null, query);
  }

  /** A new object named by {@code name=}, or by the body alone (then any object may be it). */
  private static GcsJsonRequest insert(String method, String bucket,
      GcsJsonOperation operation, QueryParameters query) {
    String name = query.get("name");
    if (name == null) {
      return request(method, bucket, null, operation, new AccessScope.WholeBucket(
          "name the object in the query (name=<object>) to be authorized for it alone"), null,
          query);
    }
    if (name.isEmpty()) {
      throw new MalformedRequestException("InvalidArgument", "name= must not be empty");
    }
    ObjectKeys.check(name);
    return request(method, bucket, name, operation, new AccessScope.Objects(name), null, query);
  }

  private static GcsJsonRequest request(String method, String bucket, String object,
      GcsJsonOperation operation, AccessScope scope, SourceObjects sources,
      QueryParameters query) {
    return new GcsJsonRequest(method, bucket, object, operation, scope,
        Optional.ofNullable(sources), query);
  }

  /** The JSON API's methods; 405 for others, 501 for OPTIONS as on the S3 side. */
  private static void checkMethod(String method) {
    switch (method) {
      case "GET", "POST", "PUT", "PATCH", "DELETE" -> { }
      case "OPTIONS" -> throw notImplemented("OPTIONS (CORS preflight) is not supported yet");
      default -> throw new MalformedRequestException("MethodNotAllowed", "the method "
          + Quoted.of(method) + " is not a Cloud Storage JSON API method");
    }
  }

  private static void requirePost(String method, String what) {
    if (!method.equals("POST")) {
      throw methodNotAllowed(method, what + " (POST)");
    }
  }

  private static boolean startsWithPrefix(String target, String prefix) {
    if (!target.startsWith(prefix)) {
      return false;
    }
    if (target.length() == prefix.length()) {
      return true;
    }
    char next = target.charAt(prefix.length());
    return next == '/' || next == '?';
  }

  private static MalformedRequestException methodNotAllowed(String method, String resource) {
    return new MalformedRequestException("MethodNotAllowed",
        method + " is not a method of " + resource);
  }

  private static MalformedRequestException notImplemented(String message) {
    return new MalformedRequestException("NotImplemented", message);
  }

  /** The '/'-separated segments of {@code target[from, to)}, which begins with '/'. */
  private static final class PathSegments {
    private final String target;
    private final int[] starts;
    private final int[] ends;

    PathSegments(String target, int from, int to) {
      this.target = target;
      int count = 0;
      for (int i = from; i < to; i++) {
        if (target.charAt(i) == '/') {
          count++;
        }
      }
      starts = new int[count];
      ends = new int[count];
      int segment = -1;
      for (int i = from; i < to; i++) {
        if (target.charAt(i) == '/') {
          if (segment >= 0) {
            ends[segment] = i;
          }
          segment++;
          starts[segment] = i + 1;
        }
      }
      if (segment >= 0) {
        ends[segment] = to;
      }
      for (int s = 0; s < count; s++) {
        if (ends[s] == starts[s]) {
          throw new MalformedRequestException("InvalidURI", "the path has an empty segment"
              + " (a doubled or trailing '/'): " + Quoted.of(target.substring(0, to)));
        }
      }
    }

    int count() {
      return starts.length;
    }

    /** Literal segments are compared as sent: an escaped spelling is not that segment. */
    boolean is(int index, String literal) {
      return index < count() && target.regionMatches(starts[index], literal, 0, literal.length())
          && ends[index] - starts[index] == literal.length();
    }

    String raw(int index) {
      return target.substring(starts[index], ends[index]);
    }

    String bucket(int index) {
      return RequestBucketNames.fromCloudStoragePath(target, starts[index], ends[index]);
    }

    String object(int index) {
      return ObjectKeys.decode(target, starts[index], ends[index]);
    }
  }
}
