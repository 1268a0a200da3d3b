package dev.storagegateway.extauthz.check;

import dev.storagegateway.extauthz.parse.StorageApi;
import java.util.Locale;

/**
 * The pipeline's answer: forward with these header changes, refuse, or send the gateway's own
 * answer instead of forwarding.
 */
public sealed interface Decision permits Decision.Allowed, Decision.Denied, Decision.Answered {

  /** Which of the three a decision is, named once for the metrics and the access log. */
  enum Kind {
    ALLOW,
    DENY,
    ANSWER;

    /** {@code allow}, {@code deny} or {@code answer}. */
    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  Kind kind();

  /**
   * @param upstreamPath the path the storage must receive, path-style, which the mutations were
   *     signed for; a proxy that forwards the target the gateway gives back uses it
   */
  record Allowed(HeaderMutations mutations, String upstreamPath) implements Decision {
    @Override
    public Kind kind() {
      return Kind.ALLOW;
    }
  }

  /** @param api the API the client speaks, which decides how the refusal is written */
  record Denied(Denial denial, StorageApi api) implements Decision {
    @Override
    public Kind kind() {
      return Kind.DENY;
    }
  }

  /** Only ever decided for a proxy that can deliver it (see {@link Delivery}). */
  record Answered(Answer answer) implements Decision {
    @Override
    public Kind kind() {
      return Kind.ANSWER;
    }
  }
}
