package dev.storagegateway.controlplane.credentials;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.storagegateway.registry.RegistryJson;
import dev.storagegateway.registry.signing.RegistrySigner;
import dev.storagegateway.registry.signing.RegistryTrust;
import java.io.IOException;
import java.io.Serial;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

/**
 * A credential check as the registry cluster's {@value CredentialHealth#MAP} map holds it: its
 * JSON, and the control plane's signature over it with the registry key (ADR 0014). Any program
 * that reaches the cluster's port can write the map; signed, a member that is not a control
 * plane cannot make a failing bucket look healthy there, and so silence its alert.
 */
public final class SignedCheckResult implements Serializable {
  @Serial
  private static final long serialVersionUID = 1L;
  /** Keeps a registry signature over a check from passing for a bucket entry, and back. */
  private static final byte[] CONTEXT =
      "storage-gateway credential check v1\n".getBytes(StandardCharsets.US_ASCII);
  /** The answer's {@code healthy} is derived from the steps, not read back. */
  private static final ObjectReader READER = RegistryJson.mapper()
      .readerFor(CredentialCheckResult.class)
      .without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private final byte[] json;
  private final byte[] signature;

  private SignedCheckResult(byte[] json, byte[] signature) {
    this.json = json;
    this.signature = signature;
  }

  static SignedCheckResult sign(CredentialCheckResult result, RegistrySigner signer) {
    byte[] json;
    try {
      json = RegistryJson.mapper().writeValueAsBytes(result);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
    return new SignedCheckResult(json, signer.sign(signed(json)));
  }

  /**
   * The check, when {@code trust} believes its signature and it is a check of the bucket
   * {@code key} names (a signed check copied under another key would not be); empty otherwise.
   */
  Optional<CredentialCheckResult> readWith(RegistryTrust trust, String key) {
    if (json == null || signature == null || !trust.believes(signed(json), signature)) {
      return Optional.empty();
    }
    try {
      CredentialCheckResult result = READER.readValue(json);
      return Optional.of(result).filter(read -> key.equals(read.bucket()));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  private static byte[] signed(byte[] json) {
    byte[] message = Arrays.copyOf(CONTEXT, CONTEXT.length + json.length);
    System.arraycopy(json, 0, message, CONTEXT.length, json.length);
    return message;
  }
}
