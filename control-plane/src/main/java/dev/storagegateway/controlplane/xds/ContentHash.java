package dev.storagegateway.controlplane.xds;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.Message;
import java.io.IOException;
import java.io.OutputStream;
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
    return hex(digestOf(resource));
  }

  /**
   * SHA-256 of the deterministic encoding of a message whose fields 1, 2, ... are {@code parts}
   * (null parts absent), streamed into the digest without holding the bytes.
   */
  static ByteString digestOf(Message... parts) {
    MessageDigest digest = digest();
    try {
      // A small buffer: a bucket's routes are hashed one by one, about 1 KiB each, and a
      // larger buffer per call was most of a 100,000-bucket build's garbage.
      CodedOutputStream out = CodedOutputStream.newInstance(new DigestStream(digest), 512);
      // Map fields (context extensions, metadata) are written in key order.
      out.useDeterministicSerialization();
      if (parts.length == 1) {
        parts[0].writeTo(out);
      } else {
        for (int field = 1; field <= parts.length; field++) {
          if (parts[field - 1] != null) {
            out.writeMessage(field, parts[field - 1]);
          }
        }
      }
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return ByteString.copyFrom(digest.digest());
  }

  /**
   * One version for a sequence of content hashes: changes when any of them, or their order, does.
   */
  static String ofDigests(Iterable<ByteString> digests) {
    MessageDigest digest = digest();
    for (ByteString part : digests) {
      digest.update(part.asReadOnlyByteBuffer());
    }
    return hex(digest.digest());
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

  private static String hex(ByteString hash) {
    return hex(hash.toByteArray());
  }

  private static String hex(byte[] hash) {
    // 96 bits are plenty to tell configurations apart and keep versions short in Envoy's logs.
    return HexFormat.of().formatHex(hash, 0, 12);
  }

  /** Feeds what protobuf writes straight into the digest. */
  private static final class DigestStream extends OutputStream {
    private final MessageDigest digest;

    DigestStream(MessageDigest digest) {
      this.digest = digest;
    }

    @Override
    public void write(int b) {
      digest.update((byte) b);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) {
      digest.update(bytes, offset, length);
    }
  }

  private static MessageDigest digest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
