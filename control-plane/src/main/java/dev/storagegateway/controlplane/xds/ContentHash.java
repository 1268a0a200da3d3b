package dev.storagegateway.controlplane.xds;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.Message;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/**
 * Versions that depend only on content: SHA-256 of a resource's deterministic protobuf encoding,
 * so every control-plane replica that reads the same registry names the same resource with the
 * same version (java-control-plane's default uses {@code hashCode()}, which differs between JVMs).
 */
final class ContentHash {
  private ContentHash() {
  }

  static String of(Message resource) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(resource.getSerializedSize());
    try {
      CodedOutputStream out = CodedOutputStream.newInstance(bytes);
      // Map fields (context extensions, metadata) are written in key order.
      out.useDeterministicSerialization();
      resource.writeTo(out);
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return hex(digest().digest(bytes.toByteArray()));
  }

  /** One version for a set of named, versioned resources: changes when any of them does. */
  static String ofVersions(Map<String, String> versionsByName) {
    MessageDigest digest = digest();
    versionsByName.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(entry -> {
      digest.update(entry.getKey().getBytes(StandardCharsets.UTF_8));
      digest.update((byte) 0);
      digest.update(entry.getValue().getBytes(StandardCharsets.UTF_8));
      digest.update((byte) '\n');
    });
    return hex(digest.digest());
  }

  private static String hex(byte[] hash) {
    // 96 bits are plenty to tell configurations apart and keep versions short in Envoy's logs.
    return HexFormat.of().formatHex(hash, 0, 12);
  }

  private static MessageDigest digest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
