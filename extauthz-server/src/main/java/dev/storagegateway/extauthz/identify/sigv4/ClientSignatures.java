package dev.storagegateway.extauthz.identify.sigv4;

import dev.storagegateway.extauthz.check.CheckDenied;
import dev.storagegateway.extauthz.check.Denial;
import dev.storagegateway.extauthz.check.DenialReason;
import dev.storagegateway.extauthz.check.IncomingRequest;
import dev.storagegateway.extauthz.parse.PresignedParameters;
import dev.storagegateway.extauthz.parse.QueryParameters;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a {@link ClientSignature} from an {@code Authorization: AWS4-HMAC-SHA256 ...} header or
 * from SigV4 query parameters, refusing malformed ones with the codes S3 uses:
 * {@code AuthorizationHeaderMalformed} and {@code AuthorizationQueryParametersError} (400).
 */
final class ClientSignatures {
  static final String ALGORITHM = "AWS4-HMAC-SHA256";
  /** S3's limit on {@code X-Amz-Expires}: seven days. */
  static final Duration MAX_EXPIRES = Duration.ofDays(7);
  private static final DateTimeFormatter AMZ_DATE =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");
  static final String UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD";

  private ClientSignatures() {
  }

  static ClientSignature fromHeader(IncomingRequest request, String authorization) {
    String fields = authorization.substring(ALGORITHM.length());
    if (fields.isEmpty() || fields.charAt(0) != ' ') {
      throw header("the Authorization header must be 'AWS4-HMAC-SHA256 Credential=...,"
          + " SignedHeaders=..., Signature=...'");
    }
    Map<String, String> values = new HashMap<>();
    for (String field : fields.split(",")) {
      String item = field.strip();
      int equals = item.indexOf('=');
      if (equals <= 0
          || values.put(item.substring(0, equals), item.substring(equals + 1)) != null) {
        throw header("the Authorization header must be 'AWS4-HMAC-SHA256 Credential=...,"
            + " SignedHeaders=..., Signature=...', each once");
      }
    }
    String credential = values.get("Credential");
    String signedHeaders = values.get("SignedHeaders");
    String signature = values.get("Signature");
    if (credential == null || signedHeaders == null || signature == null || values.size() != 3) {
      throw header("the Authorization header must be 'AWS4-HMAC-SHA256 Credential=...,"
          + " SignedHeaders=..., Signature=...' with exactly these three");
    }
    CredentialScope scope = CredentialScope.parse(credential);
    if (scope == null) {
      throw header("the Credential must be <access key id>/<yyyymmdd>/<region>/s3/aws4_request");
    }
    String amzDate = request.header("x-amz-date");
    if (amzDate == null) {
      throw new CheckDenied(new Denial(DenialReason.MALFORMED_AUTHORIZATION, 403, "AccessDenied",
          "AWS authentication requires a valid x-amz-date header"));
    }
    Instant time = time(amzDate);
    if (time == null) {
      throw header("x-amz-date must be yyyymmddThhmmssZ");
    }
    String payloadHash = request.header("x-amz-content-sha256");
    if (payloadHash == null) {
      throw new CheckDenied(DenialReason.MALFORMED_REQUEST,
          "Missing required header for this request: x-amz-content-sha256");
    }
    checkScopeDate(scope, amzDate, false);
    return new ClientSignature(false, scope, amzDate, time, signedHeaders(signedHeaders, false),
        checkedSignature(signature, false), request.header("x-amz-security-token"), payloadHash,
        null);
  }

  /** @param query the decoded SigV4 parameters of the request's query */
  static ClientSignature fromQuery(QueryParameters query) {
    String algorithm = query.get(PresignedParameters.ALGORITHM);
    String credential = query.get(PresignedParameters.CREDENTIAL);
    String amzDate = query.get(PresignedParameters.DATE);
    String expires = query.get(PresignedParameters.EXPIRES);
    String signedHeaders = query.get(PresignedParameters.SIGNED_HEADERS);
    String signature = query.get(PresignedParameters.SIGNATURE);
    if (algorithm == null || credential == null || amzDate == null || expires == null
        || signedHeaders == null || signature == null) {
      throw query("Query-string authentication version 4 requires the X-Amz-Algorithm,"
          + " X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and"
          + " X-Amz-Expires parameters (names as written here)");
    }
    if (!algorithm.equals(ALGORITHM)) {
      throw query("X-Amz-Algorithm only supports \"" + ALGORITHM + "\"");
    }
    CredentialScope scope = CredentialScope.parse(credential);
    if (scope == null) {
      throw query("X-Amz-Credential must be"
          + " <access key id>/<yyyymmdd>/<region>/s3/aws4_request");
    }
    Instant time = time(amzDate);
    if (time == null) {
      throw query("X-Amz-Date must be yyyymmddThhmmssZ");
    }
    Duration validity;
    try {
      validity = Duration.ofSeconds(Long.parseLong(expires));
    } catch (NumberFormatException e) {
      throw query("X-Amz-Expires should be a number");
    }
    if (validity.isNegative()) {
      throw query("X-Amz-Expires must be non-negative");
    }
    if (validity.compareTo(MAX_EXPIRES) > 0) {
      throw query("X-Amz-Expires must be less than a week (in seconds) that is 604800");
    }
    checkScopeDate(scope, amzDate, true);
    String declaredHash = query.get(PresignedParameters.CONTENT_SHA256);
    String payloadHash = declaredHash == null ? UNSIGNED_PAYLOAD : declaredHash;
    return new ClientSignature(true, scope, amzDate, time, signedHeaders(signedHeaders, true),
        checkedSignature(signature, true), query.get(PresignedParameters.SECURITY_TOKEN),
        payloadHash, validity);
  }

  private static void checkScopeDate(CredentialScope scope, String amzDate, boolean presigned) {
    if (!amzDate.startsWith(scope.date())) {
      throw malformed(presigned, "the credential's date " + scope.date()
          + " is not the date of X-Amz-Date " + amzDate);
    }
    if (!scope.service().equals("s3")) {
      throw malformed(presigned, "the credential is scoped to service '" + scope.service()
          + "'; this endpoint is 's3'");
    }
  }

  private static List<String> signedHeaders(String list, boolean presigned) {
    List<String> names = Arrays.asList(list.split(";", -1));
    for (String name : names) {
      if (name.isEmpty() || !name.equals(name.toLowerCase(Locale.ROOT))
          || name.chars().anyMatch(c -> c <= ' ' || c >= 0x7f)) {
        throw malformed(presigned, "SignedHeaders must be lower-case header names separated by"
            + " ';'");
      }
    }
    if (!names.contains("host")) {
      throw malformed(presigned, "SignedHeaders must include host");
    }
    return names;
  }

  private static String checkedSignature(String signature, boolean presigned) {
    if (signature.isEmpty() || signature.length() > 64
        || !signature.chars().allMatch(c -> c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
      throw malformed(presigned, "the Signature must be lower-case hex");
    }
    return signature;
  }

  private static Instant time(String amzDate) {
    try {
      return LocalDateTime.parse(amzDate, AMZ_DATE).toInstant(ZoneOffset.UTC);
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  private static CheckDenied malformed(boolean presigned, String message) {
    return presigned ? query(message) : header(message);
  }

  private static CheckDenied header(String message) {
    return new CheckDenied(DenialReason.MALFORMED_AUTHORIZATION, message);
  }

  private static CheckDenied query(String message) {
    return new CheckDenied(DenialReason.MALFORMED_PRESIGNED_QUERY, message);
  }
}
