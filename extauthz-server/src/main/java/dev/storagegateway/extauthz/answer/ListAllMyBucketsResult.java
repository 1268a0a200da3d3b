package dev.storagegateway.extauthz.answer;

import dev.storagegateway.registry.Bucket;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;

/**
 * ListBuckets' answer as S3 writes it: the owner, then each bucket's name and creation date, then
 * the paging fields. The owner is the caller, since the buckets belong to no one S3 knows.
 */
public final class ListAllMyBucketsResult {
  /** S3's own form, to the millisecond; every SDK parses it. */
  private static final DateTimeFormatter CREATION_DATE =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private ListAllMyBucketsResult() {
  }

  /**
   * @param owner the caller's user name, or {@code anonymous}
   * @param buckets the page, in the order to list them
   * @param prefix the {@code prefix} asked for, echoed when not empty
   * @param continuationToken what asks for the next page, when there is one
   */
  public static String render(String owner, List<Bucket> buckets, String prefix,
      Optional<String> continuationToken) {
    StringBuilder xml = new StringBuilder(256 + buckets.size() * 96)
        .append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
        .append("<ListAllMyBucketsResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">")
        .append("<Owner><ID>").append(XmlText.escape(owner)).append("</ID><DisplayName>")
        .append(XmlText.escape(owner)).append("</DisplayName></Owner><Buckets>");
    for (Bucket bucket : buckets) {
      xml.append("<Bucket><Name>").append(XmlText.escape(bucket.name())).append("</Name>");
      // The registry sets it on every bucket it stores; a test fixture may not.
      if (bucket.createdAt() != null) {
        xml.append("<CreationDate>").append(CREATION_DATE.format(bucket.createdAt()))
            .append("</CreationDate>");
      }
      xml.append("</Bucket>");
    }
    xml.append("</Buckets>");
    continuationToken.ifPresent(token -> xml.append("<ContinuationToken>")
        .append(XmlText.escape(token)).append("</ContinuationToken>"));
    if (!prefix.isEmpty()) {
      xml.append("<Prefix>").append(XmlText.escape(prefix)).append("</Prefix>");
    }
    return xml.append("</ListAllMyBucketsResult>\n").toString();
  }
}
