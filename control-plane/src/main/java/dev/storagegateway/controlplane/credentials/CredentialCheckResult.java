package dev.storagegateway.controlplane.credentials;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.List;

/** What a check of one bucket's credentials found; the body of validate and health answers. */
public record CredentialCheckResult(String bucket, Instant checkedAt, List<CheckStep> steps) {

  public CredentialCheckResult {
    steps = List.copyOf(steps);
  }

  @JsonProperty("healthy")
  public boolean healthy() {
    return steps.stream().noneMatch(step -> step.outcome() == CheckStep.Outcome.failed);
  }
}
