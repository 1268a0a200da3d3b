package dev.storagegateway.controlplane.admin;

import dev.storagegateway.controlplane.registry.RevisionPrecondition;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads If-Match as RFC 9110 §13.1.1 defines it: {@code *}, or a list of entity tags of which
 * one must be the bucket's. The API's ETags are strong quoted revisions ({@code "7"}); a weak tag
 * never matches one, so a header naming only tags like that is a 412, not a 400.
 */
final class IfMatch {
  private static final String FORM =
      "If-Match must be \"*\" or the bucket's ETag, a quoted revision such as \"3\"";

  private IfMatch() {
  }

  /** What a request's If-Match lines, taken together, ask; none asks nothing. */
  static RevisionPrecondition of(List<String> lines) {
    if (lines.isEmpty()) {
      return RevisionPrecondition.ANY;
    }
    String header = String.join(", ", lines).trim();
    if (header.equals("*")) {
      return RevisionPrecondition.ANY;
    }
    Set<Long> revisions = new HashSet<>();
    int at = 0;
    boolean tagSeen = false;
    while (at < header.length()) {
      char c = header.charAt(at);
      if (c == ',' || c == ' ' || c == '\t') {
        at++;
        continue;
      }
      boolean weak = header.startsWith("W/", at);
      int open = weak ? at + 2 : at;
      int close = open < header.length() && header.charAt(open) == '"'
          ? header.indexOf('"', open + 1) : -1;
      if (close < 0) {
        throw ApiException.badRequest(FORM);
      }
      String opaque = header.substring(open + 1, close);
      if (!weak && isRevision(opaque)) {
        revisions.add(Long.parseLong(opaque));
      }
      tagSeen = true;
      at = close + 1;
      if (at < header.length() && ",\t ".indexOf(header.charAt(at)) < 0) {
        throw ApiException.badRequest(FORM);
      }
    }
    if (!tagSeen) {
      throw ApiException.badRequest(FORM);
    }
    return new RevisionPrecondition(revisions, header);
  }

  /** A revision as this API writes it in an ETag: strong comparison is character by character. */
  private static boolean isRevision(String opaque) {
    return !opaque.isEmpty() && opaque.length() <= 18
        && opaque.chars().allMatch(c -> c >= '0' && c <= '9')
        && (opaque.length() == 1 || opaque.charAt(0) != '0');
  }
}
