package dev.storagegateway.controlplane.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import dev.storagegateway.auth.ArboristRefusedTokenException;
import dev.storagegateway.auth.ArboristUnavailableException;
import dev.storagegateway.auth.IdentityProviderUnavailableException;
import dev.storagegateway.auth.InvalidTokenException;
import dev.storagegateway.controlplane.registry.BucketNotFoundException;
import dev.storagegateway.controlplane.registry.ConcurrentChangeException;
import dev.storagegateway.controlplane.registry.ProjectFullException;
import dev.storagegateway.controlplane.registry.RevisionMismatchException;
import dev.storagegateway.controlplane.store.BucketExistsException;
import dev.storagegateway.controlplane.store.Database;
import dev.storagegateway.controlplane.store.RegistryBusyException;
import dev.storagegateway.controlplane.store.RegistryStorageException;
import dev.storagegateway.controlplane.validation.BoundedLookups;
import dev.storagegateway.controlplane.validation.EndpointLookupUnavailableException;
import dev.storagegateway.controlplane.validation.FieldError;
import dev.storagegateway.controlplane.validation.InvalidBucketException;
import dev.storagegateway.secrets.SecretAlreadyExistsException;
import dev.storagegateway.secrets.SecretsBackendNotConfiguredException;
import dev.storagegateway.secrets.SecretsBackendUnavailableException;
import dev.storagegateway.secrets.SecretsException;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** The one place where a failure becomes an HTTP status, an error code and a message. */
final class ErrorMapping {
  /**
   * When a retry first has a chance: a lookup that ran out of time is past its limit by then.
   * One refused because the caller's earlier lookups have not ended waits for the system
   * resolver to give up on those, which can take longer (often 5 to 30 s).
   */
  private static final Duration LOOKUP_RETRY = BoundedLookups.LIMIT.plusSeconds(3);
  /** How Jackson's strict duplicate detection begins its message. */
  private static final String DUPLICATE = "Duplicate field '";

  private ErrorMapping() {}

  static ApiException toApiException(Throwable failure) {
    if (failure instanceof ApiException api) {
      return api;
    }
    if (failure instanceof InvalidBucketException invalid) {
      // Each field message already starts with its field's name.
      String messages = invalid.errors().stream().map(FieldError::message)
          .collect(Collectors.joining("; "));
      return new ApiException(400, "invalid_request", "the bucket is not valid: " + messages,
          invalid.errors());
    }
    if (failure instanceof EndpointLookupUnavailableException notLookedUp) {
      return ApiException.unavailable(notLookedUp.getMessage() + "; nothing was changed",
          LOOKUP_RETRY);
    }
    if (failure instanceof JsonProcessingException json) {
      return fromJson(json);
    }
    if (failure instanceof InvalidTokenException token) {
      return new ApiException(401, "unauthenticated", token.getMessage());
    }
    if (failure instanceof BucketNotFoundException notFound) {
      return ApiException.notFound(notFound.getMessage());
    }
    if (failure instanceof BucketExistsException exists) {
      return new ApiException(409, "conflict", exists.getMessage()
          + "; change it with PATCH /admin/buckets/" + exists.name());
    }
    if (failure instanceof RevisionMismatchException stale) {
      return new ApiException(412, "precondition_failed", stale.getMessage());
    }
    if (failure instanceof ProjectFullException full) {
      return ApiException.forbidden(full.getMessage());
    }
    if (failure instanceof ConcurrentChangeException overtaken) {
      return new ApiException(409, "conflict", overtaken.getMessage());
    }
    if (failure instanceof ArboristRefusedTokenException refused) {
      return new ApiException(401, "unauthenticated", refused.getMessage()
          + "; fetch a new Gen3 access token");
    }
    if (failure instanceof ArboristUnavailableException) {
      return new ApiException(503, "unavailable",
          "the authorization service (Arborist) cannot be reached; try again");
    }
    if (failure instanceof IdentityProviderUnavailableException) {
      return new ApiException(503, "unavailable",
          "the token issuer's keys cannot be fetched; try again");
    }
    if (failure instanceof SecretsBackendNotConfiguredException notConfigured) {
      return new ApiException(400, "invalid_request", notConfigured.getMessage());
    }
    if (failure instanceof SecretsBackendUnavailableException unavailable) {
      return new ApiException(503, "unavailable", unavailable.getMessage()
          + "; nothing was changed; try again");
    }
    if (failure instanceof SecretAlreadyExistsException taken) {
      return new ApiException(409, "conflict", taken.getMessage() + "; create_secret only"
          + " creates secrets: choose another bucket name, or a registry admin names another"
          + " secret_ref (or, knowing who wrote the one that is there, uses it without"
          + " create_secret); nothing was changed");
    }
    if (failure instanceof SecretsException refused) {
      // The backend answered, and not as it should: this replica's writer identity or the
      // secret itself needs an operator's attention.
      return new ApiException(502, "secrets_backend_refused", refused.getMessage()
          + "; nothing was changed");
    }
    if (failure instanceof RegistryBusyException busy) {
      // The holder is most likely a create_secret waiting on a slow secrets backend.
      return ApiException.unavailable(busy.getMessage() + " (a secrets backend may be slow);"
          + " nothing was changed, retry later", SecretWriteSlots.RETRY_AFTER);
    }
    if (failure instanceof RegistryStorageException refused && refused.brokeAnIntegrityRule()) {
      // Not the API's own rules, which it checked first: an operator's constraint or trigger, or
      // a schema newer than this replica. Either may pass later; the database was there.
      return ApiException.unavailable("the registry database refused the change: it breaks"
          + " one of the database's integrity rules (SQLState " + refused.sqlState() + "), a"
          + " constraint or trigger this API does not check; the change was not made. Retry"
          + " later; refused again, it is for an operator to look at the database",
          Database.CONNECTION_WAIT);
    }
    if (failure instanceof RegistryStorageException) {
      // A commit whose answer was lost may have gone through: the caller is told to look.
      return ApiException.unavailable("the registry database cannot be reached or failed;"
          + " retry later, and after a change read the bucket first: it may have been made",
          Database.CONNECTION_WAIT);
    }
    return new ApiException(500, "internal", "internal error; the gateway logged the details");
  }

  private static ApiException fromJson(JsonProcessingException json) {
    if (json instanceof UnrecognizedPropertyException unknown) {
      String field = path(unknown);
      return new ApiException(400, "invalid_request", "unknown field '" + field + "'",
          List.of(new FieldError(field, "is not a bucket field")));
    }
    if (json instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
      String field = path(mapping);
      String reason = rootCause(mapping).getMessage();
      String message = reason != null && json.getCause() instanceof IllegalArgumentException
          ? reason
          : json instanceof MismatchedInputException mismatched
              && mismatched.getTargetType() != null
              ? "must be " + jsonTypeOf(mismatched.getTargetType())
              : "has the wrong type";
      return new ApiException(400, "invalid_request", field + ": " + message,
          List.of(new FieldError(field, message)));
    }
    String duplicate = json instanceof StreamReadException && json.getMessage() != null
        ? json.getMessage().lines().findFirst().orElse("") : "";
    if (duplicate.startsWith(DUPLICATE) && duplicate.endsWith("'")
        && duplicate.length() > DUPLICATE.length()) {
      // The field's name, never its value: the message is built here, not quoted.
      return ApiException.badRequest("the body gives field '"
          + duplicate.substring(DUPLICATE.length(), duplicate.length() - 1) + "' twice");
    }
    // Parser messages quote the offending input, which may be a secret pasted by mistake.
    var at = json.getLocation();
    return ApiException.badRequest(at == null
        ? "the body is not valid JSON"
        : "the body is not valid JSON (line " + at.getLineNr() + ", column " + at.getColumnNr()
            + ")");
  }

  /** What a person writes in JSON for a value of {@code type}. */
  private static String jsonTypeOf(Class<?> type) {
    if (type == boolean.class || type == Boolean.class) {
      return "true or false";
    }
    if (type.isPrimitive() || Number.class.isAssignableFrom(type)) {
      return "a number";
    }
    if (type.isArray() || Collection.class.isAssignableFrom(type)) {
      return "a list";
    }
    if (Map.class.isAssignableFrom(type) || type.isRecord()) {
      return "an object";
    }
    return "a string";
  }

  private static String path(JsonMappingException mapping) {
    return mapping.getPath().stream()
        .map(reference -> reference.getFieldName() != null
            ? reference.getFieldName()
            : "[" + reference.getIndex() + "]")
        .collect(Collectors.joining("."))
        .replace(".[", "[");
  }

  private static Throwable rootCause(Throwable failure) {
    Throwable cause = failure;
    while (cause.getCause() != null && cause.getCause() != cause) {
      cause = cause.getCause();
    }
    return cause;
  }
}
