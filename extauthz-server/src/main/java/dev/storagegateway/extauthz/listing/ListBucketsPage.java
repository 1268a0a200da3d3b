package dev.storagegateway.extauthz.listing;

import dev.storagegateway.extauthz.parse.MalformedRequestException;
import dev.storagegateway.extauthz.parse.QueryParameters;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;

/**
 * Which page of ListBuckets a request asks for, from S3's parameters: {@code prefix},
 * {@code max-buckets} (1 to 10,000) and {@code continuation-token}. Without {@code max-buckets} a
 * page holds 10,000 buckets, S3's own limit, so that one answer stays a few hundred KiB whatever
 * the registry's size; clients that page (the AWS CLI, boto3's paginator) follow the token.
 *
 * <p>The token is the last name of the previous page, base64url-encoded: names are sorted, so
 * the next page starts after it, and a bucket created meanwhile is not skipped if it sorts later.
 *
 * @param prefix names must start with it; {@code ""} for all
 * @param after names must sort after it; null on the first page
 * @param maxBuckets at most this many names on the page
 */
public record ListBucketsPage(String prefix, String after, int maxBuckets) {
  public static final int MAX_BUCKETS = 10_000;

  public ListBucketsPage {
    Objects.requireNonNull(prefix, "prefix");
    if (maxBuckets < 1 || maxBuckets > MAX_BUCKETS) {
      throw new IllegalArgumentException("maxBuckets must be 1 to " + MAX_BUCKETS);
    }
  }

  /** The page {@code query} asks for; malformed parameters are refused with 400. */
  public static ListBucketsPage of(QueryParameters query) {
    String prefix = query.get("prefix");
    String token = query.get("continuation-token");
    return new ListBucketsPage(prefix == null ? "" : prefix,
        token == null ? null : nameIn(token), maxBuckets(query.get("max-buckets")));
  }

  /** Whether the bucket named {@code name} belongs on this page, before the page is cut. */
  public boolean admits(String name) {
    return name.startsWith(prefix) && (after == null || name.compareTo(after) > 0);
  }

  /** The token that asks for the page after the one ending with {@code lastName}. */
  public static String tokenAfter(String lastName) {
    return Base64.getUrlEncoder().withoutPadding()
        .encodeToString(lastName.getBytes(StandardCharsets.UTF_8));
  }

  private static String nameIn(String token) {
    try {
      return new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new MalformedRequestException("InvalidArgument", "the continuation-token is not one"
          + " this gateway gave; send the ContinuationToken of the previous page, or none");
    }
  }

  private static int maxBuckets(String value) {
    if (value == null) {
      return MAX_BUCKETS;
    }
    boolean digits = !value.isEmpty() && value.length() <= 5;
    for (int i = 0; digits && i < value.length(); i++) {
      digits = value.charAt(i) >= '0' && value.charAt(i) <= '9';
    }
    int number = digits ? Integer.parseInt(value) : 0;
    if (number < 1 || number > MAX_BUCKETS) {
      throw new MalformedRequestException("InvalidArgument",
          "max-buckets must be a whole number from 1 to " + MAX_BUCKETS);
    }
    return number;
  }
}
