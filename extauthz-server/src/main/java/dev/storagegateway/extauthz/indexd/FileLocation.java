package dev.storagegateway.extauthz.indexd;

import java.util.Locale;

/**
 * One of a record's {@code urls}, read as Fence reads it: the scheme is its protocol; in an
 * {@code s3://} or {@code gs://} location the host is the bucket and the path, without the
 * {@code '/'} around it, the object key, as written (indexd keeps keys unescaped).
 *
 * @param protocol the scheme in lower case ({@code s3}, {@code gs}, {@code https}, ...), or
 *     {@code ""} for a location without one
 */
public record FileLocation(String url, String protocol) {

  public static FileLocation of(String url) {
    int colon = url.indexOf("://");
    return new FileLocation(url,
        colon < 0 ? "" : url.substring(0, colon).toLowerCase(Locale.ROOT));
  }

  /** An object in a bucket ({@code s3://} or {@code gs://}), which a URL is signed for. */
  public boolean isStoredObject() {
    return protocol.equals("s3") || protocol.equals("gs");
  }

  /** A location Fence hands out as it is, unsigned. */
  public boolean isWebAddress() {
    return protocol.equals("http") || protocol.equals("https");
  }

  /** The bucket of a {@linkplain #isStoredObject() stored object}. */
  public String bucket() {
    String rest = afterScheme();
    int slash = rest.indexOf('/');
    return slash < 0 ? rest : rest.substring(0, slash);
  }

  /** The key of a {@linkplain #isStoredObject() stored object}, {@code ""} when it has none. */
  public String key() {
    String rest = afterScheme();
    int slash = rest.indexOf('/');
    if (slash < 0) {
      return "";
    }
    int from = slash;
    int to = rest.length();
    while (from < to && rest.charAt(from) == '/') {
      from++;
    }
    while (to > from && rest.charAt(to - 1) == '/') {
      to--;
    }
    return rest.substring(from, to);
  }

  private String afterScheme() {
    return url.substring(protocol.length() + "://".length());
  }
}
