package dev.storagegateway.testpeers;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A service that has hung: it accepts every connection, reads what is sent and never answers,
 * as a peer behind a stalled load balancer or an overloaded host does. Unlike a closed port,
 * which fails a call at once, this is what client timeouts are for.
 */
public final class SilentServer implements AutoCloseable {
  private final ServerSocket listener;
  private final Set<Socket> held = ConcurrentHashMap.newKeySet();
  private final AtomicInteger connections = new AtomicInteger();

  private SilentServer(ServerSocket listener) {
    this.listener = listener;
  }

  public static SilentServer start() {
    try {
      SilentServer server = new SilentServer(new ServerSocket(0, 50,
          InetAddress.getLoopbackAddress()));
      Thread acceptor = new Thread(server::accept, "silent-server");
      acceptor.setDaemon(true);
      acceptor.start();
      return server;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + listener.getLocalPort());
  }

  /** How many connections were opened to it so far: one per attempt of a client's call. */
  public int connections() {
    return connections.get();
  }

  @Override
  public void close() {
    closeQuietly(listener);
    held.forEach(SilentServer::closeQuietly);
  }

  private void accept() {
    while (!listener.isClosed()) {
      try {
        Socket client = listener.accept();
        held.add(client);
        connections.incrementAndGet();
        Thread reader = new Thread(() -> drain(client), "silent-server-reader");
        reader.setDaemon(true);
        reader.start();
      } catch (IOException closed) {
        // The listener closed: the loop ends.
      }
    }
  }

  /** Reads so the client's writes never block; a full buffer would be a different failure. */
  private static void drain(Socket client) {
    byte[] buffer = new byte[16 * 1024];
    try (InputStream in = client.getInputStream()) {
      while (in.read(buffer) >= 0) {
        // discarded
      }
    } catch (IOException closed) {
      // The client gave up, or the server closed.
    }
  }

  private static void closeQuietly(java.io.Closeable closeable) {
    try {
      closeable.close();
    } catch (IOException ignored) {
      // Closing for good: nothing to do about it.
    }
  }
}
