package dev.storagegateway.secrets.gcp;

import dev.storagegateway.secrets.SecretsBackend;
import java.util.regex.Pattern;

/**
 * A Secret Manager reference taken apart: {@code projects/<project>/secrets/<secret>}, and the
 * version the reference pins, if any.
 */
record GcpReference(String project, String secret, String pinnedVersion) {
  static final String LATEST = "latest";

  // Numbers, "latest", and the aliases Secret Manager lets an admin put on a version.
  private static final Pattern VERSION = Pattern.compile("\\d+|[A-Za-z][A-Za-z0-9_-]{0,62}");

  static GcpReference parse(String reference) {
    if (reference == null || !SecretsBackend.GCP_SECRET_MANAGER.accepts(reference)) {
      throw new IllegalArgumentException("'" + reference + "' is not a Secret Manager reference;"
          + " expected " + SecretsBackend.GCP_SECRET_MANAGER.referenceShape());
    }
    String[] parts = reference.split("/");
    return new GcpReference(parts[1], parts[3], parts.length == 6 ? parts[5] : null);
  }

  /** {@code projects/<project>/secrets/<secret>}, the parent of its versions. */
  String secretName() {
    return "projects/" + project + "/secrets/" + secret;
  }

  /**
   * The version to access: the one the reference pins, else {@code requested}, else latest.
   *
   * @throws IllegalArgumentException when the reference pins a version and {@code requested}
   *     names another, because silently preferring either would serve a value nobody asked for
   */
  String versionName(String requested) {
    if (requested != null && !VERSION.matcher(requested).matches()) {
      throw new IllegalArgumentException("'" + requested + "' is not a Secret Manager version;"
          + " expected a version number, 'latest' or a version alias");
    }
    if (pinnedVersion != null && requested != null && !pinnedVersion.equals(requested)) {
      throw new IllegalArgumentException("secret '" + secretName() + "' pins version '"
          + pinnedVersion + "' in its reference and version '" + requested
          + "' was asked for; drop one of them");
    }
    String version = pinnedVersion != null ? pinnedVersion
        : requested != null ? requested : LATEST;
    return secretName() + "/versions/" + version;
  }
}
