package dev.storagegateway.extauthz.sts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.storagegateway.testpeers.ManualClock;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Session credentials are recognised by any gateway holding the key that sealed them and by no
 * other, survive a rotation, and cannot be altered, relabelled or lent to another access key id.
 */
class GatewaySessionsTest {
  private static final Instant NOW = Instant.parse("2026-11-25T12:00:00.750Z");
  private final ManualClock clock = new ManualClock(NOW);
  private final SecureRandom random = new SecureRandom();
  private final SessionKey january = key("2026-01");
  private final SessionKey february = key("2026-02");

  @Test
  void issuedCredentialsAreAwsShapedAndOpenToTheirClaims() {
    GatewaySessions sessions = sessions(january);
    SessionCredentials issued = sessions.issue("42", "alice@example.org",
        NOW.plusSeconds(3600));

    assertThat(issued.accessKeyId()).matches("ASIA[A-Z2-7]{16}");
    assertThat(GatewaySessions.isSessionAccessKeyId(issued.accessKeyId())).isTrue();
    assertThat(issued.secretAccessKey()).hasSize(40).matches("[A-Za-z0-9+/]{40}");
    assertThat(issued.sessionToken()).startsWith("v1.2026-01.").hasSizeLessThan(200);
    assertThat(issued.expiration()).isEqualTo(Instant.parse("2026-11-25T13:00:00Z"));
    assertThat(issued.toString()).doesNotContain(issued.secretAccessKey(),
        issued.sessionToken());

    OpenedSession opened = sessions.open(issued.accessKeyId(), issued.sessionToken());
    assertThat(opened.secretAccessKey()).isEqualTo(issued.secretAccessKey());
    assertThat(opened.claims()).isEqualTo(new SessionClaims(issued.accessKeyId(), "42",
        "alice@example.org", Instant.parse("2026-11-25T12:00:00Z"), issued.expiration()));
    assertThat(opened.toString()).doesNotContain(issued.secretAccessKey());
  }

  @Test
  void aRememberedSessionOpensForItsOwnAccessKeyIdOnly() {
    GatewaySessions sessions = sessions(january);
    SessionCredentials alice = sessions.issue("42", "alice", NOW.plusSeconds(600));
    SessionCredentials bob = sessions.issue("43", "bob", NOW.plusSeconds(600));
    OpenedSession first = sessions.open(alice.accessKeyId(), alice.sessionToken());

    assertThat(sessions.open(alice.accessKeyId(), alice.sessionToken())).isSameAs(first);
    assertThatThrownBy(() -> sessions.open(bob.accessKeyId(), alice.sessionToken()))
        .isInstanceOf(InvalidSessionTokenException.class);
    assertThatThrownBy(() -> sessions.open(alice.accessKeyId(), alice.sessionToken() + "A"))
        .isInstanceOf(InvalidSessionTokenException.class);
  }

  @Test
  void anotherReplicaWithTheSameKeysRecognisesThemWithoutSharingState() {
    SessionCredentials issued = sessions(january).issue("42", "alice", NOW.plusSeconds(600));
    OpenedSession opened = sessions(january).open(issued.accessKeyId(), issued.sessionToken());
    assertThat(opened.secretAccessKey()).isEqualTo(issued.secretAccessKey());
    assertThat(opened.claims().username()).isEqualTo("alice");
  }

  @Test
  void rotationKeepsEarlierSessionsWorkingAndSealsWithTheNewPrimary() {
    SessionCredentials before = sessions(january).issue("42", "alice", NOW.plusSeconds(600));
    GatewaySessions rotated = sessions(february, january);
    assertThat(rotated.open(before.accessKeyId(), before.sessionToken()).claims().username())
        .isEqualTo("alice");
    SessionCredentials after = rotated.issue("42", "alice", NOW.plusSeconds(600));
    assertThat(after.sessionToken()).startsWith("v1.2026-02.");
    assertThatThrownBy(() -> sessions(january).open(after.accessKeyId(), after.sessionToken()))
        .isInstanceOf(InvalidSessionTokenException.class).hasMessageContaining("does not hold");
    assertThatThrownBy(() -> sessions(february).open(before.accessKeyId(), before.sessionToken()))
        .isInstanceOf(InvalidSessionTokenException.class).hasMessageContaining("does not hold");
  }

  @Test
  void aKeyWithTheSameIdButOtherMaterialOpensNothing() {
    SessionCredentials issued = sessions(january).issue("42", "alice", NOW.plusSeconds(600));
    assertThatThrownBy(() -> sessions(key("2026-01")).open(issued.accessKeyId(),
        issued.sessionToken())).isInstanceOf(InvalidSessionTokenException.class)
        .hasMessageContaining("altered");
  }

  @Test
  void alteredRelabelledLentOrGarbledTokensAreRefused() {
    GatewaySessions sessions = sessions(february, january);
    SessionCredentials issued = sessions.issue("42", "alice", NOW.plusSeconds(600));
    String token = issued.sessionToken();
    String body = token.substring(token.lastIndexOf('.') + 1);
    byte[] bytes = Base64.getUrlDecoder().decode(body);
    for (int i = 0; i < bytes.length; i++) {
      byte[] flipped = bytes.clone();
      flipped[i] ^= 1;
      String altered = "v1.2026-02." + Base64.getUrlEncoder().withoutPadding()
          .encodeToString(flipped);
      assertThatThrownBy(() -> sessions.open(issued.accessKeyId(), altered))
          .isInstanceOf(InvalidSessionTokenException.class);
    }
    assertThatThrownBy(() -> sessions.open(issued.accessKeyId(), "v1.2026-01." + body))
        .isInstanceOf(InvalidSessionTokenException.class).hasMessageContaining("altered");
    SessionCredentials other = sessions.issue("43", "bob", NOW.plusSeconds(600));
    assertThatThrownBy(() -> sessions.open(other.accessKeyId(), token))
        .isInstanceOf(InvalidSessionTokenException.class)
        .hasMessageContaining("another access key id");
    for (String garbled : List.of("", "v1", "v1.2026-02", "v2.2026-02." + body,
        "v1.2026-02.!!!", "v1.2026-02.AAAA", "x".repeat(5000))) {
      assertThatThrownBy(() -> sessions.open(issued.accessKeyId(), garbled))
          .isInstanceOf(InvalidSessionTokenException.class)
          .message().doesNotContain(garbled.isEmpty() ? "\u0000" : garbled);
    }
  }

  @Test
  void keyRingsAreReadFromTheirSecretFormAndNeverPrintMaterial() {
    String material = Base64.getEncoder().encodeToString(new byte[32]);
    SessionKeyRing ring = SessionKeyRing.parse("[{\"id\":\"new\",\"key\":\"" + material
        + "\"},{\"id\":\"old\",\"key\":\"" + material + "\"}]", "test");
    assertThat(ring.primary().id()).isEqualTo("new");
    assertThat(ring.ids()).containsExactly("new", "old");
    assertThat(ring.find("old")).isPresent();
    assertThat(ring.toString()).contains("new", "old").doesNotContain(material);

    assertThatThrownBy(() -> SessionKeyRing.parse("[{\"id\":\"a\",\"key\":\"c2hvcnQ=\"}]",
        "test")).hasMessageContaining("32 bytes").hasMessageNotContaining("c2hvcnQ=");
    assertThatThrownBy(() -> SessionKeyRing.parse("[{\"id\":\"a\",\"key\":\"" + material
        + "\"},{\"id\":\"a\",\"key\":\"" + material + "\"}]", "test"))
        .hasMessageContaining("twice");
    assertThatThrownBy(() -> SessionKeyRing.parse("{\"key\": \"" + material + "\"", "test"))
        .hasMessageContaining("not JSON").hasMessageNotContaining(material);
    assertThatThrownBy(() -> SessionKeyRing.parse("[]", "test"))
        .hasMessageContaining("non-empty");
    assertThatThrownBy(() -> SessionKeyRing.parse("[{\"id\":\"a b\",\"key\":\"" + material
        + "\"}]", "test")).hasMessageContaining("id");
    assertThatThrownBy(() -> SessionKeyRing.parse("[{\"id\":\"a\",\"key\":\"***\"}]", "test"))
        .hasMessageContaining("base64");
  }

  private GatewaySessions sessions(SessionKey... keys) {
    return new GatewaySessions(SessionKeySource.fixed(SessionKeyRing.of(List.of(keys))), clock,
        random);
  }

  private SessionKey key(String id) {
    byte[] material = new byte[SessionKey.LENGTH];
    random.nextBytes(material);
    return SessionKey.of(id, material);
  }
}
