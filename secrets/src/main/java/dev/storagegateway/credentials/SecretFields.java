package dev.storagegateway.credentials;

/** Field names of the secret payload shapes (docs/secrets.md). */
public final class SecretFields {
  public static final String ACCESS_KEY_ID = "access_key_id";
  public static final String SECRET_ACCESS_KEY = "secret_access_key";
  public static final String SESSION_TOKEN = "session_token";
  public static final String CA_BUNDLE_PEM = "ca_bundle_pem";
  public static final String CLIENT_CERT_PEM = "client_cert_pem";
  public static final String CLIENT_KEY_PEM = "client_key_pem";
  public static final String SERVICE_ACCOUNT_KEY_JSON = "service_account_key_json";

  private SecretFields() {
  }
}
