package dev.storagegateway.extauthz.parse;

import dev.storagegateway.extauthz.parse.gcs.GcsJsonRequestParser;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Step 1 of the pipeline: tells which API a request speaks and hands it to that API's parser.
 * Cloud Storage's JSON API is recognised by its paths ({@code /storage/v1/...},
 * {@code /upload/storage/v1/...}, {@code /download/storage/v1/...}) on a host that names no
 * bucket; everything else is S3, Cloud Storage's S3-compatible XML API included, whose requests
 * are the same {@code /bucket/object}. Stateless and thread-safe.
 */
public final class StorageRequestParser {
  /**
   * Headers that some servers, Cloud Storage's JSON API among them, read as the request's real
   * method: the gateway would authorize one operation and the storage run another.
   */
  public static final List<String> METHOD_OVERRIDES =
      List.of("x-http-method-override", "x-http-method", "x-method-override");
  /**
   * Google's upload protocol: these start or drive a resumable session whatever the query's
   * {@code uploadType} says, and the operation is classified from the query.
   */
  static final List<String> UPLOAD_PROTOCOL_HEADERS =
      List.of("x-goog-upload-protocol", "x-goog-upload-command");
  /**
   * Google's system parameters that only shape an answer. Any other {@code $} parameter is
   * refused: {@code $httpMethod} is the query form of the method override, and {@code $ct} of
   * the Content-Type header.
   */
  private static final Set<String> HARMLESS_SYSTEM_PARAMETERS =
      Set.of("$alt", "$fields", "$prettyPrint", "$.xgafv");

  /**
   * Request headers, by lower-case name or name prefix, that the gateway reads to decide or
   * sets itself: who may read the object (ACLs, grants), retention, the copy source it
   * authorizes, who pays, what it signs. SDK presigners move {@code x-amz-*} headers into the
   * query (the JavaScript SDK's do), and the storage may act on that form, which the checks of
   * those headers would not see.
   */
  private static final List<String> CHECKED_HEADER_PREFIXES = List.of("x-amz-acl",
      "x-amz-grant-", "x-goog-acl", "x-amz-object-lock-", "x-amz-bypass-governance-retention",
      "x-amz-copy-source", "x-goog-copy-source", "x-amz-trailer",
      "x-amz-decoded-content-length");
  /**
   * What S3-compatible storage services add to S3's headers that changes what a request does
   * beyond the operation authorized, by lower-case name prefix. MinIO: {@code
   * x-minio-force-delete} makes a DeleteObject of {@code a} delete everything under {@code a/};
   * {@code x-amz-meta-snowball-auto-extract} makes a PutObject of a tar write each of its entries
   * under its own name; {@code x-amz-meta-minio-*} is MinIO's internal metadata. Refused as
   * headers and in the query.
   */
  private static final List<String> STORAGE_EXTENSION_PREFIXES =
      List.of("x-minio-", "x-amz-meta-snowball-", "x-amz-meta-minio-");
  /** Headers the gateway sets itself: a client has no reason to send them at all. */
  private static final List<String> GATEWAY_SET_HEADERS = List.of("x-amz-request-payer",
      "x-goog-user-project", "x-amz-security-token", "x-amz-date", "x-amz-content-sha256");
  /**
   * What a header name in the query may be: a storage that folds other characters (Unicode case
   * folding) could read another. '_' is judged as '-' (some storage services read it so).
   */
  private static final Pattern ASCII_HEADER_NAME = Pattern.compile("[A-Za-z0-9_-]+");

  private final VirtualHostDomains virtualHosts;
  private final S3RequestParser s3;
  private final GcsJsonRequestParser gcsJson = new GcsJsonRequestParser();

  /** @param virtualHostDomains as for {@link S3RequestParser#S3RequestParser(List)} */
  public StorageRequestParser(List<String> virtualHostDomains) {
    this.virtualHosts = new VirtualHostDomains(virtualHostDomains);
    this.s3 = new S3RequestParser(virtualHostDomains);
  }

  /**
   * The API of a request, decided before anything is parsed, so that even a refusal of a
   * malformed request is written the way its client reads errors.
   */
  public StorageApi apiOf(String authority, String rawTarget) {
    if (virtualHosts.bucketOf(authority) == null
        && GcsJsonRequestParser.isJsonApiTarget(rawTarget)) {
      return StorageApi.GCS_JSON;
    }
    return StorageApi.S3;
  }

  /**
   * Parses as {@link S3RequestParser#parse} does, for either API.
   *
   * @param api what {@link #apiOf} said of this request
   * @param headers the request's headers by lower-case name
   */
  public StorageRequest parse(StorageApi api, String method, String authority, String rawTarget,
      Map<String, String> headers) {
    requireNoUnderscoreSpellings(headers.keySet());
    Function<String, String> header = headers::get;
    for (String name : METHOD_OVERRIDES) {
      if (header.apply(name) != null) {
        throw new MalformedRequestException("InvalidArgument", name + " is not accepted: send"
            + " the request with the method it means, which is the one the gateway authorizes");
      }
    }
    for (String name : headers.keySet()) {
      if (isStorageExtension(name)) {
        throw storageExtension("the header", name);
      }
    }
    for (String name : UPLOAD_PROTOCOL_HEADERS) {
      if (header.apply(name) != null) {
        throw new MalformedRequestException("InvalidArgument", name + " is not accepted: start"
            + " a resumable upload with uploadType=resumable, which the gateway authorizes");
      }
    }
    StorageRequest parsed = api == StorageApi.GCS_JSON
        ? gcsJson.parse(method, rawTarget)
        : s3.parse(method, authority, rawTarget, header);
    requireNoSystemOverrides(parsed.query());
    requireCheckedHeadersAsHeaders(parsed.query());
    if (parsed instanceof S3Request s3 && s3.bucket() != null
        && GcsJsonRequestParser.mayNameJsonApiPaths(s3.bucket())
        && GcsJsonRequestParser.isJsonApiPath(
            "/" + s3.bucket() + "/" + (s3.key() == null ? "" : s3.key()))) {
      throw new MalformedRequestException("InvalidURI", "the path reads, once decoded, as a"
          + " Cloud Storage JSON API path, which Cloud Storage would serve as one with bucket "
          + Quoted.of(s3.bucket()) + "'s credentials; send JSON API requests unencoded");
    }
    return parsed;
  }

  /**
   * SigV4 query authentication's own parameters ({@code X-Amz-Date}, {@code X-Amz-Security-Token}
   * and the rest, as S3 spells them) are the caller identification's; any other spelling of a
   * checked header is refused.
   */
  private static void requireCheckedHeadersAsHeaders(QueryParameters query) {
    for (int i = 0; i < query.size(); i++) {
      String name = query.name(i);
      // Every name below starts with "x-" or "x_", perhaps after blanks: most parameters do not.
      boolean headerLike = name.regionMatches(true, 0, "x-", 0, 2)
          || name.regionMatches(true, 0, "x_", 0, 2)
          || !name.isEmpty() && Character.isWhitespace(name.charAt(0));
      if (!headerLike || PresignedParameters.NAMES.contains(name)) {
        continue;
      }
      String lower = name.strip().toLowerCase(Locale.ROOT).replace('_', '-');
      if (lower.startsWith("x-") && !ASCII_HEADER_NAME.matcher(name).matches()) {
        throw new MalformedRequestException("InvalidArgument", "the parameter "
            + Quoted.of(name) + " is not accepted: a header name in the query must be letters,"
            + " digits, '-' and '_'");
      }
      if (isStorageExtension(lower)) {
        throw storageExtension("the parameter", name);
      }
      if (GATEWAY_SET_HEADERS.stream().anyMatch(lower::startsWith)) {
        throw new MalformedRequestException("InvalidArgument", "the parameter "
            + Quoted.of(name) + " is not accepted: the gateway sets it itself, so leave it out"
            + " (the JavaScript SDK's presigner keeps a header out of the query when it is"
            + " named in unhoistableHeaders)");
      }
      if (CHECKED_HEADER_PREFIXES.stream().anyMatch(lower::startsWith)) {
        throw new MalformedRequestException("InvalidArgument", "the parameter "
            + Quoted.of(name) + " is not accepted: the gateway checks it as a header, so send"
            + " it as one (a presigned URL signs it in X-Amz-SignedHeaders)");
      }
    }
  }

  private static boolean isStorageExtension(String lowerCaseName) {
    // Asked of every header of every Check: a loop, which allocates nothing, not a stream.
    for (String prefix : STORAGE_EXTENSION_PREFIXES) {
      if (lowerCaseName.startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }

  private static MalformedRequestException storageExtension(String what, String name) {
    return new MalformedRequestException("InvalidArgument", what + " " + Quoted.of(name)
        + " is not accepted: it asks the storage service for more than the operation the"
        + " gateway authorizes (MinIO's extensions: deleting a prefix, extracting an archive)");
  }

  /**
   * No header may spell a checked name with {@code _} for {@code -}. A storage service that reads
   * {@code _} as {@code -} (Ceph RGW reads both as the same CGI variable) would act on {@code
   * x_amz_copy_source} or {@code x_amz_acl}, which no check of the dashed names sees. User
   * metadata ({@code x-amz-meta-orig_name}, as boto3 and gsutil send it) passes: its keys are the
   * object's, and the storage keeps them as they are.
   */
  private static void requireNoUnderscoreSpellings(Collection<String> names) {
    for (String name : names) {
      if (name.indexOf('_') < 0) {
        continue;
      }
      String folded = name.toLowerCase(Locale.ROOT).replace('_', '-');
      boolean metadata = folded.startsWith("x-amz-meta-") || folded.startsWith("x-goog-meta-");
      boolean checked = folded.startsWith("x-amz-") || folded.startsWith("x-goog-")
          || METHOD_OVERRIDES.contains(folded);
      if (checked && !metadata) {
        throw new MalformedRequestException("InvalidArgument", "the header "
            + Quoted.of(name) + " is not accepted: write " + Quoted.of(folded) + " with '-',"
            + " as the gateway checks it (some storage services read '_' as '-')");
      }
    }
  }

  private static void requireNoSystemOverrides(QueryParameters query) {
    for (int i = 0; i < query.size(); i++) {
      String name = query.name(i);
      if (name.startsWith("$") && !HARMLESS_SYSTEM_PARAMETERS.contains(name)) {
        throw new MalformedRequestException("InvalidArgument", "the parameter " + Quoted.of(name)
            + " is not accepted: it changes the request the storage runs after the gateway"
            + " authorized it; send the method and headers you mean instead");
      }
    }
  }
}
