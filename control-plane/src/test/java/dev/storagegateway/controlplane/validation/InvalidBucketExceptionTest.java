package dev.storagegateway.controlplane.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class InvalidBucketExceptionTest {

  @Test
  void listsEveryErrorAsFieldThenMessage() {
    InvalidBucketException invalid = new InvalidBucketException(List.of(
        new FieldError("name", "name is required"),
        new FieldError("labels.team", "labels.team must not contain control characters")));

    assertThat(invalid).hasMessage("name: name is required; "
        + "labels.team: labels.team must not contain control characters");
    assertThat(invalid.errors()).extracting(FieldError::field)
        .containsExactly("name", "labels.team");
  }

  @Test
  void keepsItsOwnCopyOfTheErrors() {
    List<FieldError> errors = new ArrayList<>(List.of(new FieldError("name", "name is required")));
    InvalidBucketException invalid = new InvalidBucketException(errors);

    errors.clear();

    assertThat(invalid.errors()).hasSize(1);
  }

  @Test
  void needsAtLeastOneError() {
    assertThatThrownBy(() -> new InvalidBucketException(List.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
