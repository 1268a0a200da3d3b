package dev.storagegateway.testpeers;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Base64;
import java.util.concurrent.TimeUnit;

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

  private SelfSignedCertificate(Path certificate, Path privateKey) {
    this.certificate = certificate;
    this.privateKey = privateKey;
  }

  /** Writes {@code certificate.pem} and {@code private-key.pem} into {@code folder}. */
  public static SelfSignedCertificate forLoopback(Path folder) {
    try {
      Files.createDirectories(folder);
      Path keyStore = folder.resolve("keystore.p12");
      Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
      Process process = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", ALIAS,
          "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=127.0.0.1",
          "-ext", "SAN=ip:127.0.0.1", "-ext", "BC:c=ca:true", "-validity", "2",
          "-storetype", "PKCS12", "-keystore", keyStore.toString(), "-storepass", PASSWORD)
          .redirectErrorStream(true).start();
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
      return new SelfSignedCertificate(certificate, privateKey);
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

  private static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END " + type + "-----\n";
  }
}
