package dev.storagegateway.controlplane.validation;

/** Well-known fake credentials (the AWS documentation examples) and look-alikes. */
final class SecretSamples {
  static final String ACCESS_KEY_ID = "AKIAIOSFODNN7EXAMPLE";
  static final String TEMPORARY_ACCESS_KEY_ID = "ASIAIOSFODNN7EXAMPLE";
  static final String SECRET_ACCESS_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
  static final String PEM_PRIVATE_KEY =
      "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA\n-----END RSA PRIVATE KEY-----";
  static final String SERVICE_ACCOUNT_JSON =
      "{\"type\": \"service_account\", \"project_id\": \"my-project\"}";

  private SecretSamples() {}
}
