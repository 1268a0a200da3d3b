package dev.storagegateway.registry.signing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.crypto.util.PublicKeyFactory;

/**
 * Reads the registry's Ed25519 keys from the PEM files {@code openssl} writes: a private key in
 * PKCS#8 ({@code openssl genpkey -algorithm ed25519 -out registry.key}) and a public key in
 * X.509 SubjectPublicKeyInfo ({@code openssl pkey -in registry.key -pubout -out registry.pub}).
 * Errors name the option and the file, never what the file holds.
 */
final class Ed25519KeyFiles {
  private static final Pattern PEM = Pattern.compile(
      "-----BEGIN ([A-Z ]+)-----\\s*([A-Za-z0-9+/=\\s]+?)\\s*-----END \\1-----");
  private static final String HOW_TO_MAKE = "make a pair with `openssl genpkey -algorithm ed25519"
      + " -out registry.key` and `openssl pkey -in registry.key -pubout -out registry.pub`";

  private Ed25519KeyFiles() {}

  static Ed25519PrivateKeyParameters privateKey(String option, Path file) {
    return parse(option, file, "PRIVATE KEY", "an Ed25519 private key (PKCS#8 PEM)",
        PrivateKeyFactory::createKey, Ed25519PrivateKeyParameters.class);
  }

  static Ed25519PublicKeyParameters publicKey(String option, Path file) {
    return parse(option, file, "PUBLIC KEY", "an Ed25519 public key (X.509 PEM)",
        PublicKeyFactory::createKey, Ed25519PublicKeyParameters.class);
  }

  /** BouncyCastle's key factories: DER in, a key of whatever algorithm the DER names out. */
  private interface KeyDecoder {
    AsymmetricKeyParameter decode(byte[] der) throws IOException;
  }

  private static <K> K parse(String option, Path file, String label, String expected,
      KeyDecoder decoder, Class<K> type) {
    byte[] der = read(option, file, label);
    AsymmetricKeyParameter key;
    try {
      key = decoder.decode(der);
    } catch (IOException | RuntimeException e) {
      throw notAKey(option, file, expected);
    }
    if (!type.isInstance(key)) {
      throw notAKey(option, file, expected);
    }
    return type.cast(key);
  }

  private static byte[] read(String option, Path file, String label) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.US_ASCII);
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException(option + " " + file + ": cannot read the file ("
          + e.getClass().getSimpleName() + ")");
    }
    Matcher pem = PEM.matcher(text);
    if (!pem.find() || !pem.group(1).equals(label)) {
      throw new IllegalArgumentException(option + " " + file + ": expected a PEM block '-----BEGIN "
          + label + "-----'; " + HOW_TO_MAKE);
    }
    try {
      return Base64.getMimeDecoder().decode(pem.group(2));
    } catch (IllegalArgumentException e) {
      throw notAKey(option, file, "a PEM block of base64");
    }
  }

  private static IllegalArgumentException notAKey(String option, Path file, String expected) {
    return new IllegalArgumentException(option + " " + file + ": not " + expected + "; "
        + HOW_TO_MAKE);
  }
}
