package dev.storagegateway.secrets;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The secret references one backend may touch, as plain string prefixes an operator lists in an
 * environment variable ({@code secret/data/gen3/} is a folder, {@code gen3-} a family of names).
 * The backend's own permissions are the guard; this keeps a registry entry, which anything
 * reaching the registry cluster could write, inside the part of them meant for the gateway.
 *
 * @param variable the environment variable the prefixes came from, named in every refusal
 * @param prefixes the prefixes; empty for any reference
 */
public record AllowedReferences(String variable, List<String> prefixes) {
  public AllowedReferences {
    prefixes = List.copyOf(prefixes);
    if (prefixes.stream().anyMatch(String::isEmpty)) {
      // Every reference starts with the empty string: it would admit them all.
      throw new IllegalArgumentException(variable + " holds an empty prefix");
    }
  }

  /** Every reference the backend accepts. */
  public static AllowedReferences unrestricted(String variable) {
    return new AllowedReferences(variable, List.of());
  }

  /**
   * The comma-separated prefixes in {@code variable}; unset or blank means any reference.
   *
   * @param shape what one prefix must match, so a glob or a stray space fails the start instead
   *     of refusing every secret later
   * @param example a prefix of the right shape, for the error message
   */
  public static AllowedReferences fromEnvironment(Map<String, String> env, String variable,
      Pattern shape, String example) {
    String listed = env.get(variable);
    if (listed == null || listed.isBlank()) {
      return unrestricted(variable);
    }
    List<String> prefixes = Arrays.stream(listed.split(",")).map(String::strip)
        .filter(prefix -> !prefix.isEmpty()).toList();
    if (prefixes.isEmpty()) {
      // A list meant to restrict that came out empty would allow every reference.
      throw new IllegalArgumentException(variable + " holds '" + listed.strip() + "', which"
          + " lists no prefix; unset it to allow any reference, or list prefixes like " + example);
    }
    prefixes.stream().filter(prefix -> !shape.matcher(prefix).matches()).findFirst()
        .ifPresent(prefix -> {
          throw new IllegalArgumentException(variable + " holds '" + prefix + "', which is not a"
              + " reference prefix like " + example + " (plain prefixes, no wildcards)");
        });
    return new AllowedReferences(variable, prefixes);
  }

  /** Whether {@code reference} starts with one of {@link #prefixes}, or there are none. */
  public boolean allows(String reference) {
    return prefixes.isEmpty() || prefixes.stream().anyMatch(reference::startsWith);
  }

  /**
   * @throws SecretAccessDeniedException naming {@link #variable} and its prefixes when
   *     {@code reference} is outside them, so the backend is never asked
   */
  public void require(SecretsBackend backend, String reference) {
    if (!allows(reference)) {
      throw new SecretAccessDeniedException(backend, reference, "the reference is outside "
          + variable + " (" + String.join(", ", prefixes) + ")");
    }
  }
}
