package dev.storagegateway.testpeers;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP forwarder in front of a real peer that a test can switch off and on, to simulate an
 * outage of the peer without losing its state. While off it drops every connection.
 */
public final class TcpSwitch implements AutoCloseable {
  private final ServerSocket listener;
  private final int targetPort;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private volatile boolean up = true;

  private TcpSwitch(ServerSocket listener, int targetPort) {
    this.listener = listener;
    this.targetPort = targetPort;
  }

  public static TcpSwitch to(int targetPort) {
    try {
      TcpSwitch tcpSwitch = new TcpSwitch(new ServerSocket(0, 50,
          InetAddress.getLoopbackAddress()), targetPort);
      Thread acceptor = new Thread(tcpSwitch::accept, "tcp-switch");
      acceptor.setDaemon(true);
      acceptor.start();
      return tcpSwitch;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  public int port() {
    return listener.getLocalPort();
  }

  public void off() {
    up = false;
    open.forEach(TcpSwitch::closeQuietly);
    open.clear();
  }

  public void on() {
    up = true;
  }

  @Override
  public void close() {
    off();
    closeQuietly(listener);
  }

  private void accept() {
    while (!listener.isClosed()) {
      try {
        Socket client = listener.accept();
        if (!up) {
          closeQuietly(client);
          continue;
        }
        Socket target = new Socket(InetAddress.getLoopbackAddress(), targetPort);
        open.add(client);
        open.add(target);
        pump(client, target);
        pump(target, client);
      } catch (IOException e) {
        // The listener closed, or one connection failed; either way keep serving the others.
      }
    }
  }

  private void pump(Socket from, Socket to) {
    Thread thread = new Thread(() -> {
      byte[] buffer = new byte[16 * 1024];
      try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
        int read;
        while ((read = in.read(buffer)) >= 0) {
          out.write(buffer, 0, read);
          out.flush();
        }
      } catch (IOException closed) {
        // One side went away; closing both ends below tells the other.
      } finally {
        closeQuietly(from);
        closeQuietly(to);
        open.remove(from);
        open.remove(to);
      }
    }, "tcp-switch-pump");
    thread.setDaemon(true);
    thread.start();
  }

  private static void closeQuietly(java.io.Closeable closeable) {
    try {
      closeable.close();
    } catch (IOException ignored) {
      // Already closed.
    }
  }
}
