package dev.storagegateway.extauthz.parse;

import static dev.storagegateway.extauthz.parse.S3Operation.ABORT_MULTIPART_UPLOAD;
import static dev.storagegateway.extauthz.parse.S3Operation.COMPLETE_MULTIPART_UPLOAD;
import static dev.storagegateway.extauthz.parse.S3Operation.COPY_OBJECT;
import static dev.storagegateway.extauthz.parse.S3Operation.CREATE_BUCKET;
import static dev.storagegateway.extauthz.parse.S3Operation.CREATE_MULTIPART_UPLOAD;
import static dev.storagegateway.extauthz.parse.S3Operation.DELETE_OBJECT;
import static dev.storagegateway.extauthz.parse.S3Operation.DELETE_OBJECTS;
import static dev.storagegateway.extauthz.parse.S3Operation.DELETE_OBJECT_TAGGING;
import static dev.storagegateway.extauthz.parse.S3Operation.GET_BUCKET_LOCATION;
import static dev.storagegateway.extauthz.parse.S3Operation.GET_OBJECT;
import static dev.storagegateway.extauthz.parse.S3Operation.GET_OBJECT_ACL;
import static dev.storagegateway.extauthz.parse.S3Operation.GET_OBJECT_TAGGING;
import static dev.storagegateway.extauthz.parse.S3Operation.HEAD_BUCKET;
import static dev.storagegateway.extauthz.parse.S3Operation.HEAD_OBJECT;
import static dev.storagegateway.extauthz.parse.S3Operation.LIST_BUCKETS;
import static dev.storagegateway.extauthz.parse.S3Operation.LIST_MULTIPART_UPLOADS;
import static dev.storagegateway.extauthz.parse.S3Operation.LIST_OBJECTS;
import static dev.storagegateway.extauthz.parse.S3Operation.LIST_OBJECTS_V2;
import static dev.storagegateway.extauthz.parse.S3Operation.LIST_OBJECT_VERSIONS;
import static dev.storagegateway.extauthz.parse.S3Operation.LIST_PARTS;
import static dev.storagegateway.extauthz.parse.S3Operation.PUT_OBJECT;
import static dev.storagegateway.extauthz.parse.S3Operation.PUT_OBJECT_ACL;
import static dev.storagegateway.extauthz.parse.S3Operation.PUT_OBJECT_TAGGING;
import static dev.storagegateway.extauthz.parse.S3Operation.UPLOAD_PART;
import static dev.storagegateway.extauthz.parse.S3Operation.UPLOAD_PART_COPY;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The query parameters each S3 operation accepts: those S3's API reference lists for it, and
 * Cloud Storage's XML API's counterparts. Anything else is refused, because the gateway cannot
 * know what a storage service makes of a parameter it has never heard of: MinIO's {@code
 * ?events} and S3 Express's {@code ?renameObject} each turned a request the gateway took for a
 * plain listing or upload into another operation. A list of what is known stays right as
 * storage services add extensions; a list of what is dangerous has to be found out each time.
 *
 * <p>Names that start with {@code x-} or {@code x_} in any case (SigV4 and Cloud Storage query
 * authentication, and headers a presigner moved into the query) are left to {@link
 * StorageRequestParser}, which refuses those the gateway decides on (a copy source, an ACL, a
 * MinIO extension) unless they come as headers, and to the caller identification, which
 * verifies a presigned request's. Names that start with {@code $} are refused there too. A URL
 * presigned with signature version 2 (boto3's default, and Cloud Storage's V2 signed URLs) is
 * refused as such, with the way to presign instead, as S3 does where SigV2 has ended.
 */
final class OperationParameters {
  /** Sent by the AWS SDKs on every operation; S3 ignores it. */
  private static final String SDK_OPERATION_NAME = "x-id";
  /** Cloud Storage's XML API: the project billed (the signer replaces or removes it). */
  private static final String USER_PROJECT = "userProject";
  private static final String SIGNATURE_V2 = "Signature";
  private static final List<String> SIGNATURE_V2_KEY_IDS = List.of("AWSAccessKeyId",
      "GoogleAccessId");

  private static final List<String> VERSION = List.of("versionId",
      // Cloud Storage's XML API spelling of a version
      "generation");
  private static final List<String> LISTING = List.of("delimiter", "encoding-type", "prefix");
  /** Ceph RGW's listing in storage order (s3cmd's --list-allow-unordered). */
  private static final List<String> UNORDERED = List.of("allow-unordered");
  private static final List<String> RESPONSE_OVERRIDES = List.of("response-cache-control",
      "response-content-disposition", "response-content-encoding", "response-content-language",
      "response-content-type", "response-expires");

  private static final Map<S3Operation, Set<String>> ACCEPTED = accepted();

  private OperationParameters() {
  }

  /** Throws unless every parameter of {@code query} is one {@code operation} accepts. */
  static void check(S3Operation operation, QueryParameters query) {
    if (query.has(SIGNATURE_V2) && SIGNATURE_V2_KEY_IDS.stream().anyMatch(query::has)) {
      throw new MalformedRequestException("InvalidRequest", "URLs presigned with signature"
          + " version 2 (an AWSAccessKeyId or GoogleAccessId, Expires and its signature) are not"
          + " supported: " + PresignedParameters.SIGV4_REMEDY);
    }
    Set<String> accepted = ACCEPTED.get(operation);
    for (int i = 0; i < query.size(); i++) {
      String name = query.name(i);
      if (!accepted.contains(name) && !checkedElsewhere(name)) {
        throw new MalformedRequestException("InvalidArgument", "the query parameter "
            + Quoted.of(name) + " is not accepted on " + operation.wireName() + ", which takes "
            + describe(accepted) + ": the gateway forwards only parameters whose meaning it"
            + " knows, since a storage service may read another as a different operation");
      }
    }
  }

  private static boolean checkedElsewhere(String name) {
    return name.regionMatches(true, 0, "x-", 0, 2) || name.regionMatches(true, 0, "x_", 0, 2)
        || name.startsWith("$");
  }

  private static String describe(Set<String> accepted) {
    Set<String> named = new TreeSet<>(accepted);
    named.remove(SDK_OPERATION_NAME);
    named.remove(USER_PROJECT);
    return named.isEmpty() ? "none" : String.join(", ", named);
  }

  private static Map<S3Operation, Set<String>> accepted() {
    Map<S3Operation, Set<String>> accepted = new EnumMap<>(S3Operation.class);
    accept(accepted, LIST_BUCKETS, List.of("bucket-region", "continuation-token", "max-buckets",
        "prefix"));
    accept(accepted, HEAD_BUCKET, List.of());
    accept(accepted, GET_BUCKET_LOCATION, List.of("location"));
    accept(accepted, CREATE_BUCKET, List.of());
    accept(accepted, LIST_OBJECTS, LISTING, UNORDERED, List.of("max-keys", "marker"));
    accept(accepted, LIST_OBJECTS_V2, LISTING, UNORDERED, List.of("max-keys", "list-type",
        "continuation-token", "fetch-owner", "start-after"));
    accept(accepted, LIST_OBJECT_VERSIONS, LISTING, List.of("max-keys", "versions", "key-marker",
        "version-id-marker",
        // Cloud Storage's XML API spelling of the two markers
        "marker", "generation-marker"));
    accept(accepted, LIST_MULTIPART_UPLOADS, LISTING, List.of("uploads", "key-marker",
        "max-uploads", "upload-id-marker"));
    accept(accepted, GET_OBJECT, VERSION, RESPONSE_OVERRIDES, List.of("partNumber"));
    accept(accepted, HEAD_OBJECT, VERSION, RESPONSE_OVERRIDES, List.of("partNumber"));
    accept(accepted, GET_OBJECT_TAGGING, VERSION, List.of("tagging"));
    accept(accepted, PUT_OBJECT_TAGGING, VERSION, List.of("tagging"));
    accept(accepted, DELETE_OBJECT_TAGGING, VERSION, List.of("tagging"));
    accept(accepted, GET_OBJECT_ACL, VERSION, List.of("acl"));
    accept(accepted, PUT_OBJECT_ACL, VERSION, List.of("acl"));
    accept(accepted, PUT_OBJECT, List.of());
    accept(accepted, COPY_OBJECT, List.of());
    accept(accepted, DELETE_OBJECT, VERSION);
    accept(accepted, DELETE_OBJECTS, List.of("delete"));
    accept(accepted, CREATE_MULTIPART_UPLOAD, List.of("uploads"));
    accept(accepted, UPLOAD_PART, List.of("partNumber", "uploadId"));
    accept(accepted, UPLOAD_PART_COPY, List.of("partNumber", "uploadId"));
    accept(accepted, COMPLETE_MULTIPART_UPLOAD, List.of("uploadId"));
    accept(accepted, ABORT_MULTIPART_UPLOAD, List.of("uploadId"));
    accept(accepted, LIST_PARTS, List.of("uploadId", "max-parts", "part-number-marker"));
    return accepted;
  }

  @SafeVarargs
  private static void accept(Map<S3Operation, Set<String>> accepted, S3Operation operation,
      List<String>... names) {
    Set<String> all = new TreeSet<>(List.of(SDK_OPERATION_NAME, USER_PROJECT));
    for (List<String> some : names) {
      all.addAll(some);
    }
    accepted.put(operation, Set.copyOf(all));
  }
}
