package dev.storagegateway.controlplane.migration;

import java.util.List;
import java.util.Optional;

/**
 * The control plane's answer to {@code POST /admin/buckets/{name}/validate}: whether the bucket
 * meets the registry's current rules and its credentials resolved and opened it, step by step
 * ({@code rules}, {@code resolve}, then {@code access}). Details are the server's words for an
 * operator; they carry no key material.
 */
public record BucketValidation(String bucket, boolean healthy, List<Step> steps) {

  public BucketValidation {
    steps = List.copyOf(steps);
  }

  /** One step; {@code outcome} is {@code ok}, {@code failed} or {@code skipped}. */
  public record Step(String step, String outcome, String detail) {}

  /** The first step that failed, the one an operator has to fix. */
  public Optional<Step> failure() {
    return steps.stream().filter(step -> step.outcome().equals("failed")).findFirst();
  }
}
