package dev.storagegateway.servertls;

import com.google.common.util.concurrent.ThreadFactoryBuilder;
import io.grpc.util.AdvancedTlsX509KeyManager;
import io.grpc.util.AdvancedTlsX509TrustManager;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * TLS for one of the gateway's servers: the data plane's ext_authz service, whose answers carry
 * what the storage accepts as the bucket's credentials (signatures, session tokens, Google bearer
 * tokens), and its HTTP port (the HTTP check modes, the STS endpoint with Gen3 tokens and the
 * temporary keys it hands out); the control plane's xDS server, which tells every Envoy where
 * each bucket's requests go, and its admin API (Gen3 tokens, the keys of create_secret). Where
 * they are reached over a network that nothing else encrypts, all should travel inside TLS.
 *
 * <p>The files are read again every {@link #RELOAD_EVERY} (grpc-java's {@link
 * AdvancedTlsX509KeyManager}, whose shortest period that is), so a renewed certificate is served
 * without a restart; connections already open keep the one they started with. The certificate
 * and key must be replaced together, as Kubernetes replaces a mounted Secret's files: grpc-java
 * 1.85 may read a new key with the old certificate in between (grpc/grpc-java#13033).
 *
 * @param options the prefix of the command-line options the files were given with, such as
 *     {@code --grpc-tls}, named in errors
 * @param certificate the server's certificate chain, PEM
 * @param privateKey its private key, PEM (PKCS#8)
 * @param clientCa when present, clients must present a certificate this CA bundle (PEM) signed:
 *     mutual TLS, so that only clients holding such a certificate (Envoys) are answered
 */
public record ServerTls(String options, Path certificate, Path privateKey,
    Optional<Path> clientCa) {
  /** About as often as the kubelet refreshes a mounted Secret. */
  public static final Duration RELOAD_EVERY = Duration.ofMinutes(1);

  public ServerTls {
    Objects.requireNonNull(options, "options");
    Objects.requireNonNull(certificate, "certificate");
    Objects.requireNonNull(privateKey, "privateKey");
    Objects.requireNonNull(clientCa, "clientCa");
  }

  /**
   * TLS from the options as given ({@code <options>-cert}, {@code -key}, {@code -client-ca}):
   * none when no file is named, and an error naming what is missing when only some are.
   */
  public static Optional<ServerTls> fromOptions(String options, Path certificate, Path privateKey,
      Path clientCa) {
    if (certificate == null && privateKey == null) {
      if (clientCa != null) {
        throw new IllegalArgumentException(options + "-client-ca needs " + options + "-cert and "
            + options + "-key: clients are asked for certificates only over TLS");
      }
      return Optional.empty();
    }
    if (certificate == null || privateKey == null) {
      throw new IllegalArgumentException("set both " + options + "-cert and " + options
          + "-key (the server's certificate and its private key, PEM), or neither for"
          + " plaintext");
    }
    return Optional.of(new ServerTls(options, certificate, privateKey,
        Optional.ofNullable(clientCa)));
  }

  /**
   * grpc-java takes an empty certificate file, or a key of another certificate, and every
   * handshake then fails; a start that fails says which files to fix instead. The pair grpc-java
   * loaded is checked, once: a renewal that does not match is loaded as grpc-java loads it.
   */
  private void checkKeyMatchesCertificate(AdvancedTlsX509KeyManager identity)
      throws GeneralSecurityException {
    // grpc-java's key manager holds one pair and ignores the key type asked for.
    String alias = identity.chooseServerAlias(null, null, null);
    X509Certificate[] chain = alias == null ? null : identity.getCertificateChain(alias);
    if (chain == null || chain.length == 0) {
      throw new CertificateException(certificate + " holds no certificate");
    }
    PublicKey publicKey = chain[0].getPublicKey();
    PrivateKey key = identity.getPrivateKey(alias);
    // grpc-java reads RSA and EC keys only.
    String algorithm = switch (publicKey.getAlgorithm()) {
      case "RSA" -> "SHA256withRSA";
      case "EC" -> "SHA256withECDSA";
      default -> throw new KeyException(certificate + " holds a " + publicKey.getAlgorithm()
          + " key: use RSA or EC");
    };
    if (key == null || !key.getAlgorithm().equals(publicKey.getAlgorithm())) {
      throw new KeyException(privateKey + " is not the key of " + certificate);
    }
    byte[] probe = "storage-gateway key check".getBytes(StandardCharsets.US_ASCII);
    Signature signer = Signature.getInstance(algorithm);
    signer.initSign(key);
    signer.update(probe);
    byte[] signature = signer.sign();
    Signature verifier = Signature.getInstance(algorithm);
    verifier.initVerify(publicKey);
    verifier.update(probe);
    if (!verifier.verify(signature)) {
      throw new KeyException(privateKey + " is not the key of " + certificate);
    }
  }

  private static List<? extends Certificate> certificates(Path file)
      throws GeneralSecurityException, IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return List.copyOf(CertificateFactory.getInstance("X.509").generateCertificates(in));
    }
  }

  /**
   * Reads the files now (a file that cannot be read fails the start) and again every {@link
   * #RELOAD_EVERY} on a thread of their own, until {@link ServedTls#stop} is called.
   */
  public ServedTls serve() {
    // grpc-java says of a missing file only that it was "unmodified before its initial update".
    for (Path file : Stream.concat(Stream.of(certificate, privateKey), clientCa.stream())
        .toList()) {
      if (!Files.isReadable(file)) {
        throw new UncheckedIOException(new IOException("cannot read the " + options
            + " file " + file));
      }
    }
    ScheduledExecutorService reloader = Executors.newSingleThreadScheduledExecutor(
        new ThreadFactoryBuilder().setNameFormat("server-tls-reload").setDaemon(true).build());
    try {
      AdvancedTlsX509KeyManager identity = new AdvancedTlsX509KeyManager();
      identity.updateIdentityCredentials(certificate.toFile(), privateKey.toFile(),
          RELOAD_EVERY.toSeconds(), TimeUnit.SECONDS, reloader);
      checkKeyMatchesCertificate(identity);
      if (clientCa.isPresent() && certificates(clientCa.get()).isEmpty()) {
        throw new CertificateException(clientCa.get() + " holds no certificate");
      }
      Optional<AdvancedTlsX509TrustManager> clients = Optional.empty();
      if (clientCa.isPresent()) {
        AdvancedTlsX509TrustManager trust = AdvancedTlsX509TrustManager.newBuilder()
            .setVerification(
                AdvancedTlsX509TrustManager.Verification.CERTIFICATE_ONLY_VERIFICATION)
            .build();
        trust.updateTrustCredentials(clientCa.get().toFile(), RELOAD_EVERY.toSeconds(),
            TimeUnit.SECONDS, reloader);
        clients = Optional.of(trust);
      }
      return new ServedTls(identity, clients, reloader);
    } catch (IOException e) {
      reloader.shutdownNow();
      throw new UncheckedIOException("cannot read the " + options + " files: " + e.getMessage(),
          e);
    } catch (GeneralSecurityException e) {
      reloader.shutdownNow();
      throw new IllegalArgumentException("the " + options + " files " + certificate + ", "
          + privateKey + clientCa.map(ca -> ", " + ca).orElse("") + " are not a usable"
          + " certificate chain,"
          + " key and CA bundle: PEM, the key PKCS#8 ('BEGIN PRIVATE KEY'; cert-manager writes"
          + " it with privateKey.encoding: PKCS8) (" + e.getMessage() + ")", e);
    }
  }
}
