package dev.storagegateway.httpserver;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * Creates the JDK HTTP servers every HTTP port of both planes runs on (docs/adr/0001), with the
 * process-wide settings they need. The JDK reads those settings once, when the process creates
 * its first server, and ignores them afterwards: setting them anywhere but before every creation
 * let whichever server came first decide for all (the control plane's metrics port, created
 * before the admin API, left it without either).
 */
public final class JdkHttpServer {
  /**
   * A request whose headers and body are still arriving after this long is dropped: bodies are
   * read on the worker threads, so slow senders could otherwise hold them all.
   */
  static final String MAX_REQUEST_SECONDS = "60";

  static {
    // The JDK server writes a response's headers and body separately; with Nagle's algorithm the
    // body then waits for the client's delayed ACK, about 40 ms per request on a kept-alive
    // connection.
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
    if (System.getProperty("sun.net.httpserver.maxReqTime") == null) {
      System.setProperty("sun.net.httpserver.maxReqTime", MAX_REQUEST_SECONDS);
    }
  }

  private JdkHttpServer() {
  }

  /**
   * A fixed pool of daemon threads named {@code name} for a server's handlers. Handlers never run
   * on the JDK's single dispatcher thread: one slow client there would hold up every other.
   */
  public static ExecutorService workers(int threads, String name) {
    return Executors.newFixedThreadPool(threads, runnable -> {
      Thread thread = new Thread(runnable, name);
      thread.setDaemon(true);
      return thread;
    });
  }

  /** An unstarted server bound to {@code address}; see {@link HttpServer#create}. */
  public static HttpServer create(InetSocketAddress address, int backlog) throws IOException {
    return HttpServer.create(address, backlog);
  }

  /**
   * An unstarted HTTPS server bound to {@code address}, with {@code tls}'s certificate; with
   * {@code requireClientCertificates}, a client whose certificate {@code tls} does not trust (or
   * that has none) fails the handshake.
   */
  public static HttpsServer createHttps(InetSocketAddress address, int backlog, SSLContext tls,
      boolean requireClientCertificates) throws IOException {
    HttpsServer server = HttpsServer.create(address, backlog);
    server.setHttpsConfigurator(new HttpsConfigurator(tls) {
      @Override
      public void configure(HttpsParameters parameters) {
        SSLParameters ssl = getSSLContext().getDefaultSSLParameters();
        ssl.setNeedClientAuth(requireClientCertificates);
        parameters.setSSLParameters(ssl);
      }
    });
    return server;
  }
}
