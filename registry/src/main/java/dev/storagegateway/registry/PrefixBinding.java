package dev.storagegateway.registry;

import java.util.List;
import java.util.Optional;

/**
 * Maps the objects under {@code prefix} to an Arborist resource path, so one bucket can serve
 * several projects. The empty prefix binds the whole bucket; the longest matching prefix wins.
 */
public record PrefixBinding(String prefix, String resourcePath) {

  /**
   * The binding that decides for {@code keyOrPrefix}: of {@code bindings}, the one with the
   * longest prefix of it; empty when none covers it.
   */
  public static Optional<PrefixBinding> governing(List<PrefixBinding> bindings,
      String keyOrPrefix) {
    PrefixBinding best = null;
    for (PrefixBinding binding : bindings) {
      if (keyOrPrefix.startsWith(binding.prefix())
          && (best == null || binding.prefix().length() > best.prefix().length())) {
        best = binding;
      }
    }
    return Optional.ofNullable(best);
  }
}
