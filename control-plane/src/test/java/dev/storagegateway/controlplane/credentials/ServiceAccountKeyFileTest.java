package dev.storagegateway.controlplane.credentials;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServiceAccountKeyFileTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PRIVATE_KEY =
      "-----BEGIN PRIVATE KEY-----\nMIIEcanary\n-----END PRIVATE KEY-----\n";

  /** A key file as IAM's "create key" hands it out. */
  private static Map<String, Object> keyFile() {
    Map<String, Object> key = new LinkedHashMap<>();
    key.put("type", "service_account");
    key.put("project_id", "gen3-data");
    key.put("private_key_id", "0123456789abcdef");
    key.put("private_key", PRIVATE_KEY);
    key.put("client_email", "reader@gen3-data.iam.gserviceaccount.com");
    key.put("client_id", "104857600000000000001");
    key.put("auth_uri", "https://accounts.google.com/o/oauth2/auth");
    key.put("token_uri", "https://oauth2.googleapis.com/token");
    key.put("universe_domain", "googleapis.com");
    return key;
  }

  private static String json(Map<String, Object> key) throws Exception {
    return JSON.writeValueAsString(key);
  }

  @Test
  void aKeyFileAsIamIssuesItIsAccepted() throws Exception {
    assertThat(ServiceAccountKeyFile.problems(json(keyFile()))).isEmpty();
    Map<String, Object> older = keyFile();
    older.put("token_uri", "https://accounts.google.com/o/oauth2/token");
    older.remove("universe_domain");
    assertThat(ServiceAccountKeyFile.problems(json(older))).isEmpty();
  }

  @Test
  void aTokenUriOutsideGoogleIsRefusedWithoutQuotingIt() throws Exception {
    Map<String, Object> key = keyFile();
    key.put("token_uri", "http://10.0.0.7:8200/v1/sys/health");

    assertThat(ServiceAccountKeyFile.problems(json(key))).singleElement().asString()
        .contains("token_uri", "not Google's").doesNotContain("10.0.0.7");
  }

  @Test
  void anEmptyOrNonTextTokenUriIsRefusedToo() throws Exception {
    for (Object tokenUri : new Object[] {null, "", 443}) {
      Map<String, Object> key = keyFile();
      key.put("token_uri", tokenUri);

      assertThat(ServiceAccountKeyFile.problems(json(key))).as("token_uri %s", tokenUri)
          .singleElement().asString().contains("token_uri");
    }
  }

  @Test
  void otherCredentialFilesAreRefused() throws Exception {
    Map<String, Object> external = new LinkedHashMap<>();
    external.put("type", "external_account");
    external.put("token_url", "https://sts.googleapis.com/v1/token");
    external.put("credential_source", Map.of("url", "http://169.254.169.254/latest"));

    assertThat(ServiceAccountKeyFile.problems(json(external))).singleElement().asString()
        .contains("\"type\": \"service_account\"");
  }

  @Test
  void incompleteOrMalformedFilesSayWhatIsMissingAndQuoteNothing() throws Exception {
    Map<String, Object> key = keyFile();
    key.remove("private_key_id");
    key.put("universe_domain", "example.internal");

    assertThat(ServiceAccountKeyFile.problems(json(key)))
        .anySatisfy(problem -> assertThat(problem).contains("no private_key_id"))
        .anySatisfy(problem -> assertThat(problem).contains("universe_domain"))
        .allSatisfy(problem -> assertThat(problem).doesNotContain("example.internal"));
    assertThat(ServiceAccountKeyFile.problems("{\"private_key\": \"" + "MIIEcanary"))
        .singleElement().asString().contains("is not JSON").doesNotContain("MIIEcanary");
    assertThat(ServiceAccountKeyFile.problems("[]")).singleElement().asString()
        .contains("JSON object");
  }
}
