package dev.storagegateway.controlplane.credentials;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.storagegateway.credentials.GoogleTokens;
import dev.storagegateway.registry.RegistryJson;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What a {@code service_account_key_json} handed to {@code create_secret} must be: a key file as
 * IAM issues it. Other credential files are refused, not because the gateway would read them
 * (it reads only service-account keys) but because they carry addresses to call: an
 * {@code external_account} file's token and metadata URLs, a key file's own {@code token_uri}.
 * The gateway exchanges keys at its configured endpoint whatever the file says; refusing a file
 * that names another one tells its owner now instead of with a failed exchange later.
 */
final class ServiceAccountKeyFile {
  private static final String FIELD = "secret_payload.service_account_key_json";
  /** Google's token endpoints as key files have named them over the years. */
  private static final Set<String> GOOGLE_TOKEN_URIS = Set.of(
      GoogleTokens.GOOGLE_TOKEN_ENDPOINT.toString(),
      "https://accounts.google.com/o/oauth2/token",
      "https://www.googleapis.com/oauth2/v4/token");
  private static final List<String> REQUIRED = List.of("client_email", "private_key_id",
      "private_key");

  private ServiceAccountKeyFile() {
  }

  /** @return what is wrong with the file, naming fields and never quoting values */
  static List<String> problems(String keyJson) {
    JsonNode key;
    try {
      key = RegistryJson.mapper().readTree(keyJson);
    } catch (JsonProcessingException e) {
      return List.of(FIELD + " is not JSON; paste the key file IAM created, as it is");
    }
    if (key == null || !key.isObject()) {
      return List.of(FIELD + " must be a JSON object, the key file IAM created");
    }
    if (!"service_account".equals(text(key, "type"))) {
      return List.of(FIELD + " must be a service-account key file (\"type\":"
          + " \"service_account\"); other Google credential files are not accepted");
    }
    List<String> problems = new ArrayList<>();
    for (String name : REQUIRED) {
      if (text(key, name) == null) {
        problems.add(FIELD + " has no " + name + "; paste the whole key file");
      }
    }
    String tokenUri = text(key, "token_uri");
    if (key.has("token_uri") && (tokenUri == null || !GOOGLE_TOKEN_URIS.contains(tokenUri))) {
      problems.add(FIELD + " names a token_uri that is not Google's ("
          + GoogleTokens.GOOGLE_TOKEN_ENDPOINT + "): the gateway exchanges keys only at the"
          + " token endpoint its operator configured");
    }
    if (key.has("universe_domain")
        && !GoogleTokens.GOOGLE_UNIVERSE.equals(text(key, "universe_domain"))) {
      problems.add(FIELD + " names a universe_domain other than " + GoogleTokens.GOOGLE_UNIVERSE
          + ", which the gateway does not serve");
    }
    return problems;
  }

  private static String text(JsonNode key, String name) {
    JsonNode value = key.get(name);
    return value != null && value.isTextual() && !value.textValue().isBlank()
        ? value.textValue() : null;
  }
}
