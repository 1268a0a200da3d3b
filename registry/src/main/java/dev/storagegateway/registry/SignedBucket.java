package dev.storagegateway.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.storagegateway.registry.signing.RegistrySigner;
import dev.storagegateway.registry.signing.RegistryTrust;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

/**
 * The registry map's value: a bucket's registry JSON exactly as the control plane serialized it,
 * and the control plane's Ed25519 signature over it (ADR 0014). Any program that reaches the
 * cluster's port can join as a member and write the map (Hazelcast's open-source member protocol
 * has no authentication), so the bucket is read only through {@link #readWith}, which believes
 * it only as far as the reader's {@link RegistryTrust} does.
 *
 * <p>The serializer reads any value without judging it: {@code IMap.entrySet()} stops at the
 * first value whose serializer throws, so one refused value would end a member's initial copy of
 * the whole registry.
 */
public final class SignedBucket {
  /** Keeps a registry signature from meaning anything in another context that signs JSON. */
  private static final byte[] CONTEXT =
      "storage-gateway registry entry v1\n".getBytes(StandardCharsets.US_ASCII);

  private final byte[] json;
  private final byte[] signature;

  SignedBucket(byte[] json, byte[] signature) {
    this.json = json;
    this.signature = signature;
  }

  public static SignedBucket sign(Bucket bucket, RegistrySigner signer) {
    byte[] json;
    try {
      json = RegistryJson.mapper().writeValueAsBytes(bucket);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
    return new SignedBucket(json, signer.sign(signed(json)));
  }

  /**
   * The bucket, when {@code trust} believes its signature and it parses as one; empty otherwise.
   */
  public Optional<Bucket> readWith(RegistryTrust trust) {
    return isBelievedBy(trust) ? parse() : Optional.empty();
  }

  /** Whether {@code trust} believes the signature, whatever the JSON says. */
  boolean isBelievedBy(RegistryTrust trust) {
    return trust.believes(signed(json), signature);
  }

  /** The bucket the JSON describes, without looking at the signature. */
  Optional<Bucket> parse() {
    try {
      return Optional.of(RegistryJson.mapper().readValue(json, Bucket.class));
    } catch (IOException | RuntimeException e) {
      // Only a value that verifies gets here: one a member that checks nothing was handed, or
      // one written by a control plane whose Bucket reads differently from this member's.
      return Optional.empty();
    }
  }

  byte[] json() {
    return json;
  }

  byte[] signature() {
    return signature;
  }

  private static byte[] signed(byte[] json) {
    byte[] message = Arrays.copyOf(CONTEXT, CONTEXT.length + json.length);
    System.arraycopy(json, 0, message, CONTEXT.length, json.length);
    return message;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof SignedBucket that && Arrays.equals(json, that.json)
        && Arrays.equals(signature, that.signature);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(json) + Arrays.hashCode(signature);
  }

  /**
   * The registry JSON (which holds no secret: a bucket names its secret by reference), cut short:
   * a writer other than the control plane chooses these bytes.
   */
  @Override
  public String toString() {
    return (signature.length == 0 ? "unsigned " : "with signature ")
        + LoggedText.of(new String(json, StandardCharsets.UTF_8), 4_000);
  }
}
