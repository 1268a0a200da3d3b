package dev.storagegateway.testpeers;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A TLS certificate for {@code 127.0.0.1} and its private key, as PEM files a server (nginx) and
 * clients ({@code AWS_CA_BUNDLE}, {@code --ca-bundle}) read. Made with the JDK's own keytool, so
 * no other tool is needed; it is its own CA ({@code CA:TRUE}), which is what lets clients trust it
 * from a CA bundle that holds only it.
 */
public final class SelfSignedCertificate {
  private static final String PASSWORD = "test-only-keystore";
  private static final String ALIAS = "tls";

  private final Path certificate;
  private final Path privateKey;
  private final KeyStore keyStore;

  private SelfSignedCertificate(Path certificate, Path privateKey, KeyStore keyStore) {
    this.certificate = certificate;
    this.privateKey = privateKey;
    this.keyStore = keyStore;
  }

  /** Writes {@code certificate.pem} and {@code private-key.pem} into {@code folder}. */
  public static SelfSignedCertificate forLoopback(Path folder) {
    return forLoopback(folder, List.of("-keyalg", "EC", "-groupname", "secp256r1"));
  }

  /** The same with an RSA key, for what has to tell key types apart. */
  public static SelfSignedCertificate rsaForLoopback(Path folder) {
    return forLoopback(folder, List.of("-keyalg", "RSA", "-keysize", "2048"));
  }

  private static SelfSignedCertificate forLoopback(Path folder, List<String> keyOptions) {
    try {
      Files.createDirectories(folder);
      Path keyStore = folder.resolve("keystore.p12");
      Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
      List<String> command = new ArrayList<>(List.of(keytool.toString(), "-genkeypair",
          "-alias", ALIAS));
      command.addAll(keyOptions);
      command.addAll(List.of("-dname", "CN=127.0.0.1",
          "-ext", "SAN=ip:127.0.0.1", "-ext", "BC:c=ca:true", "-validity", "2",
          "-storetype", "PKCS12", "-keystore", keyStore.toString(), "-storepass", PASSWORD));
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes());
      if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new IllegalStateException("keytool failed: " + output);
      }
      KeyStore store = KeyStore.getInstance("PKCS12");
      try (InputStream in = Files.newInputStream(keyStore)) {
        store.load(in, PASSWORD.toCharArray());
      }
      Path certificate = folder.resolve("certificate.pem");
      Path privateKey = folder.resolve("private-key.pem");
      Files.writeString(certificate,
          pem("CERTIFICATE", store.getCertificate(ALIAS).getEncoded()));
      Files.writeString(privateKey,
          pem("PRIVATE KEY", store.getKey(ALIAS, PASSWORD.toCharArray()).getEncoded()));
      return new SelfSignedCertificate(certificate, privateKey, store);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The certificate, PEM: the server's certificate and the clients' CA bundle both. */
  public Path certificate() {
    return certificate;
  }

  /** The private key, PEM (PKCS#8). */
  public Path privateKey() {
    return privateKey;
  }

  /**
   * A client's TLS that trusts this certificate and, unless {@code identity} is null, presents
   * {@code identity}'s (mutual TLS).
   */
  public SSLContext clientContext(SelfSignedCertificate identity) {
    try {
      KeyStore trusted = KeyStore.getInstance("PKCS12");
      trusted.load(null, null);
      trusted.setCertificateEntry("server", keyStore.getCertificate(ALIAS));
      TrustManagerFactory trust =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(trusted);
      KeyManager[] keys = null;
      if (identity != null) {
        KeyManagerFactory factory =
            KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        factory.init(identity.keyStore, PASSWORD.toCharArray());
        keys = factory.getKeyManagers();
      }
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keys, trust.getTrustManagers(), null);
      return context;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END " + type + "-----\n";
  }
}
