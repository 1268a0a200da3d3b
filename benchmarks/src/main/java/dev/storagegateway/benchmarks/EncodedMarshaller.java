package dev.storagegateway.benchmarks;

import io.grpc.Drainable;
import io.grpc.KnownLength;
import io.grpc.MethodDescriptor;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/**
 * Sends a message that was serialized once, before the load started, so the load generator does
 * not spend the shared cores encoding the same Check request again for every call (Envoy does
 * that work in C++, outside the data plane's process). The server receives the same bytes.
 */
final class EncodedMarshaller implements MethodDescriptor.Marshaller<byte[]> {
  static final EncodedMarshaller INSTANCE = new EncodedMarshaller();

  private EncodedMarshaller() {
  }

  @Override
  public InputStream stream(byte[] encoded) {
    return new Encoded(encoded);
  }

  @Override
  public byte[] parse(InputStream stream) {
    try {
      return stream.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Tells gRPC the length up front and hands the bytes over in one write. */
  private static final class Encoded extends ByteArrayInputStream implements KnownLength,
      Drainable {
    Encoded(byte[] encoded) {
      super(encoded);
    }

    @Override
    public int drainTo(OutputStream target) throws IOException {
      int length = count - pos;
      target.write(buf, pos, length);
      pos = count;
      return length;
    }
  }
}
