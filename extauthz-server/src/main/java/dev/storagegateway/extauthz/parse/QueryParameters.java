package dev.storagegateway.extauthz.parse;

/**
 * The decoded parameters of a query string. A name given twice is refused rather than resolved:
 * S3, the upstream and the gateway's own policy could each pick a different one of the two.
 */
public final class QueryParameters {
  /**
   * Far above what S3 clients send (a presigned URL with every response-* override is about 20),
   * and it keeps the duplicate check, which compares every pair, cheap.
   */
  static final int MAX_PARAMETERS = 100;

  private static final QueryParameters NONE = new QueryParameters(new String[0], new String[0], 0);

  private final String[] names;
  private final String[] values;
  private final int size;

  private QueryParameters(String[] names, String[] values, int size) {
    this.names = names;
    this.values = values;
    this.size = size;
  }

  /**
   * Parses {@code rawQuery} ({@code '&'}-separated {@code name[=value]}, empty pieces skipped,
   * no raw {@code ';'}), whose characters the caller has already checked. A name without
   * {@code '='} has the value {@code ""}, as S3's {@code ?uploads} does.
   */
  public static QueryParameters parse(String rawQuery) {
    if (rawQuery.isEmpty()) {
      return NONE;
    }
    if (rawQuery.indexOf(';') >= 0) {
      // Servers in Go (MinIO among them) drop a parameter holding one, so a listing's prefix
      // would vanish there while the gateway authorized it; others split parameters on it.
      throw new MalformedRequestException("InvalidURI", "the query string has a raw ';', which"
          + " storage services read differently: send it as %3B");
    }
    String[] names = new String[Math.min(count(rawQuery, '&') + 1, MAX_PARAMETERS)];
    String[] values = new String[names.length];
    int size = 0;
    int start = 0;
    while (start <= rawQuery.length()) {
      int end = rawQuery.indexOf('&', start);
      if (end < 0) {
        end = rawQuery.length();
      }
      if (end > start) {
        if (size == MAX_PARAMETERS) {
          throw new MalformedRequestException("InvalidURI",
              "the query string has more than " + MAX_PARAMETERS + " parameters");
        }
        int nameEnd = start;
        while (nameEnd < end && rawQuery.charAt(nameEnd) != '=') {
          nameEnd++;
        }
        if (nameEnd == start) {
          throw new MalformedRequestException("InvalidURI",
              "the query string has a parameter without a name");
        }
        String name =
            PercentDecoding.decode(rawQuery, start, nameEnd, true, "a query parameter name", null);
        for (int i = 0; i < size; i++) {
          if (names[i].equals(name)) {
            throw new MalformedRequestException("InvalidArgument",
                "query parameter " + Quoted.of(name) + " is given more than once");
          }
        }
        names[size] = name;
        values[size] = nameEnd == end ? ""
            : PercentDecoding.decode(rawQuery, nameEnd + 1, end, true, "query parameter", name);
        size++;
      }
      start = end + 1;
    }
    return new QueryParameters(names, values, size);
  }

  public int size() {
    return size;
  }

  public String name(int index) {
    return names[index];
  }

  public String value(int index) {
    return values[index];
  }

  /** The value of parameter {@code name}, {@code ""} when it has none, null when absent. */
  public String get(String name) {
    for (int i = 0; i < size; i++) {
      if (names[i].equals(name)) {
        return values[i];
      }
    }
    return null;
  }

  public boolean has(String name) {
    return get(name) != null;
  }

  /** These parameters without any of {@code names}, in the same order. */
  public QueryParameters without(java.util.Set<String> names) {
    String[] keptNames = new String[size];
    String[] keptValues = new String[size];
    int kept = 0;
    for (int i = 0; i < size; i++) {
      if (!names.contains(this.names[i])) {
        keptNames[kept] = this.names[i];
        keptValues[kept] = values[i];
        kept++;
      }
    }
    return kept == size ? this : new QueryParameters(keptNames, keptValues, kept);
  }

  private static int count(String text, char c) {
    int count = 0;
    for (int i = text.indexOf(c); i >= 0; i = text.indexOf(c, i + 1)) {
      count++;
    }
    return count;
  }
}
