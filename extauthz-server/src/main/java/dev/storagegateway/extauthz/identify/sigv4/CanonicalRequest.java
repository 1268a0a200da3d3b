package dev.storagegateway.extauthz.identify.sigv4;

import dev.storagegateway.extauthz.check.IncomingRequest;
import dev.storagegateway.extauthz.parse.PresignedParameters;
import dev.storagegateway.extauthz.parse.QueryParameters;
import dev.storagegateway.extauthz.parse.RawQuery;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The SigV4 canonical request of a request as the proxy saw it, built the way S3 builds it:
 *
 * <pre>
 * METHOD \n canonical URI \n canonical query \n canonical headers \n signed headers \n payload hash
 * </pre>
 * <ul>
 *   <li>URI: the raw path re-escaped once ({@link UriEncoding}); S3 neither normalises it nor
 *       escapes it twice.
 *   <li>Query: every parameter but {@code X-Amz-Signature}, name and value re-escaped, sorted by
 *       name then value; a parameter without '=' has an empty value.
 *   <li>Headers: only the signed ones, in the client's order, each {@code name:value} with the
 *       value trimmed and inner runs of whitespace collapsed to one space; {@code host} is the
 *       authority the client addressed.
 *   <li>Payload hash: as the client declared it, never computed (the gateway does not see bodies).
 * </ul>
 * It is written out here rather than borrowed from the AWS SDK's signer because verifying must
 * follow the client's choices (its signed headers, its date, its declared payload hash), which a
 * signer makes itself. SigV4VerificationTest holds it to signatures made by the SDK and botocore.
 */
final class CanonicalRequest {
  private CanonicalRequest() {
  }

  /** The names of signed headers the request does not carry (their value counts as empty). */
  static List<String> missingHeaders(IncomingRequest request, List<String> signedHeaders) {
    List<String> missing = new ArrayList<>();
    for (String name : signedHeaders) {
      if (!name.equals("host") && request.header(name) == null) {
        missing.add(name);
      }
    }
    return missing;
  }

  /** @param query the request's query, as the parser decoded it */
  static String of(IncomingRequest request, QueryParameters query, ClientSignature signature) {
    StringBuilder out = new StringBuilder(256);
    out.append(request.method()).append('\n');
    out.append(UriEncoding.canonicalPath(RawQuery.pathOf(request.rawTarget()))).append('\n');
    out.append(canonicalQuery(query)).append('\n');
    for (String name : signature.signedHeaders()) {
      String value = name.equals("host") ? request.authority() : request.header(name);
      out.append(name).append(':').append(trimAll(value == null ? "" : value)).append('\n');
    }
    out.append('\n');
    out.append(String.join(";", signature.signedHeaders())).append('\n');
    out.append(signature.payloadHash());
    return out.toString();
  }

  private static String canonicalQuery(QueryParameters query) {
    List<String[]> parameters = new ArrayList<>(query.size());
    for (int i = 0; i < query.size(); i++) {
      if (!query.name(i).equals(PresignedParameters.SIGNATURE)) {
        parameters.add(new String[] {UriEncoding.canonicalQueryComponent(query.name(i)),
            UriEncoding.canonicalQueryComponent(query.value(i))});
      }
    }
    parameters.sort(Comparator.<String[], String>comparing(p -> p[0]).thenComparing(p -> p[1]));
    StringBuilder out = new StringBuilder();
    for (String[] parameter : parameters) {
      out.append(out.isEmpty() ? "" : "&").append(parameter[0]).append('=').append(parameter[1]);
    }
    return out.toString();
  }

  /** Trims and collapses each run of whitespace inside the value to one space. */
  private static String trimAll(String value) {
    StringBuilder out = new StringBuilder(value.length());
    boolean space = false;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (Character.isWhitespace(c)) {
        space = !out.isEmpty();
      } else {
        if (space) {
          out.append(' ');
          space = false;
        }
        out.append(c);
      }
    }
    return out.toString();
  }
}
