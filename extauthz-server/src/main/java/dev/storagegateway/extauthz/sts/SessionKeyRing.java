package dev.storagegateway.extauthz.sts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The session keys a gateway holds: the primary one seals every new session token; the others
 * only open tokens sealed before a rotation, so that credentials already handed out keep working
 * until they expire.
 *
 * <p>Its secret form is a JSON list, primary first:
 * <pre>[{"id": "2025-02", "key": "&lt;base64 of 32 random bytes&gt;"},
 *  {"id": "2025-01", "key": "..."}]</pre>
 * Rotation: add the new key at the end (every replica accepts it once it has reloaded), then move
 * it to the front (replicas start sealing with it), then remove the old one after the longest
 * session has expired. {@link #toString()} names the ids only.
 */
public final class SessionKeyRing {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final SessionKey primary;
  private final Map<String, SessionKey> byId;

  private SessionKeyRing(List<SessionKey> keys) {
    this.primary = keys.get(0);
    Map<String, SessionKey> map = new LinkedHashMap<>();
    for (SessionKey key : keys) {
      if (map.put(key.id(), key) != null) {
        throw new IllegalArgumentException("session key id '" + key.id() + "' is listed twice");
      }
    }
    this.byId = map;
  }

  public static SessionKeyRing of(List<SessionKey> keys) {
    if (keys.isEmpty()) {
      throw new IllegalArgumentException("a session key ring needs at least one key");
    }
    return new SessionKeyRing(List.copyOf(keys));
  }

  /**
   * A ring of one random key, for a gateway configured without a key secret: what it issues
   * works on this process only, and only until it stops.
   */
  public static SessionKeyRing generated(SecureRandom random) {
    byte[] material = new byte[SessionKey.LENGTH];
    random.nextBytes(material);
    // A fresh id per process, so a token from before a restart is refused as sealed by a key
    // this process does not hold, not as altered.
    String id = "dev-" + HexFormat.of().formatHex(material, 0, 4);
    random.nextBytes(material);
    return of(List.of(SessionKey.of(id, material)));
  }

  /**
   * Reads the secret form (see the class comment).
   *
   * @param source names where the JSON came from in error messages; never the JSON itself
   * @throws IllegalArgumentException saying what is wrong, without quoting key material
   */
  public static SessionKeyRing parse(String json, String source) {
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (IOException e) {
      // The parser's message may quote the input, which holds keys.
      throw new IllegalArgumentException(source + " is not JSON; it must be a list of"
          + " {\"id\": ..., \"key\": ...}, primary first");
    }
    if (root == null || !root.isArray() || root.isEmpty()) {
      throw new IllegalArgumentException(source + " must be a non-empty JSON list of"
          + " {\"id\": ..., \"key\": ...}, primary first");
    }
    List<SessionKey> keys = new ArrayList<>();
    for (int i = 0; i < root.size(); i++) {
      JsonNode entry = root.get(i);
      String id = entry.path("id").asText(null);
      String key = entry.path("key").asText(null);
      if (id == null || key == null) {
        throw new IllegalArgumentException(source + ": entry " + i + " needs both \"id\" and"
            + " \"key\"");
      }
      byte[] material;
      try {
        material = Base64.getDecoder().decode(key.strip());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(source + ": the key of '" + id + "' is not base64");
      }
      keys.add(SessionKey.of(id, material));
    }
    return of(keys);
  }

  /** The key that seals new session tokens. */
  public SessionKey primary() {
    return primary;
  }

  /** A key that may open a session token naming {@code id}. */
  public Optional<SessionKey> find(String id) {
    return Optional.ofNullable(byId.get(id));
  }

  /** The ids, primary first. */
  public List<String> ids() {
    return List.copyOf(byId.keySet());
  }

  @Override
  public String toString() {
    return "SessionKeyRing[primary=" + primary.id() + ", ids=" + byId.keySet() + "]";
  }
}
