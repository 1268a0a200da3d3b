package dev.storagegateway.servertls;

import io.grpc.ServerCredentials;
import io.grpc.TlsServerCredentials;
import io.grpc.util.AdvancedTlsX509KeyManager;
import io.grpc.util.AdvancedTlsX509TrustManager;
import java.security.GeneralSecurityException;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;

/**
 * A server's certificate, and the CA its clients' certificates must chain to if any, as read from
 * {@link ServerTls}'s files and read again while the server runs; for a gRPC server or a JDK
 * HTTPS server alike.
 */
public final class ServedTls {
  private final AdvancedTlsX509KeyManager identity;
  private final Optional<AdvancedTlsX509TrustManager> clients;
  private final ScheduledExecutorService reloader;

  ServedTls(AdvancedTlsX509KeyManager identity, Optional<AdvancedTlsX509TrustManager> clients,
      ScheduledExecutorService reloader) {
    this.identity = identity;
    this.clients = clients;
    this.reloader = reloader;
  }

  /** For a gRPC server; with a client CA, a client without a certificate it signed is refused. */
  public ServerCredentials grpcCredentials() {
    TlsServerCredentials.Builder credentials = TlsServerCredentials.newBuilder()
        .keyManager(identity);
    clients.ifPresent(trust -> credentials.trustManager(trust)
        .clientAuth(TlsServerCredentials.ClientAuth.REQUIRE));
    return credentials.build();
  }

  /**
   * For a JDK HTTPS server, which must also {@linkplain #requiresClientCertificates() require}
   * client certificates when there is a client CA: the context alone only trusts them.
   */
  public SSLContext sslContext() {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(new KeyManager[] {identity},
          clients.map(trust -> new TrustManager[] {trust}).orElse(null), null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK offers no TLS: " + e.getMessage(), e);
    }
  }

  public boolean requiresClientCertificates() {
    return clients.isPresent();
  }

  /** Stops reading the files again; the server's own stop comes first. */
  public void stop() {
    reloader.shutdownNow();
  }
}
