package dev.storagegateway.extauthz.http;

import dev.storagegateway.extauthz.check.Denial;
import dev.storagegateway.extauthz.check.DenialReason;
import dev.storagegateway.extauthz.parse.StorageApi;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * A refusal carried through nginx from {@code /nginx/auth} to {@code /nginx/denial} in one header:
 * {@code <reason> <status> <S3 code> <API> <url-encoded request id> <url-encoded message>}. It only
 * ever renders an error page, so a forged one can do no more than show a wrong error to whoever
 * forged it.
 */
final class DenialHeader {
  private DenialHeader() {
  }

  record Decoded(Denial denial, StorageApi api, String requestId) {}

  static String encode(Denial denial, StorageApi api, String requestId) {
    return denial.reason().name() + " " + denial.status() + " " + denial.s3Code() + " "
        + api.name() + " " + URLEncoder.encode(requestId, StandardCharsets.UTF_8) + " "
        + URLEncoder.encode(denial.message(), StandardCharsets.UTF_8);
  }

  /** @return the refusal, or null when the header is not one this class wrote */
  static Decoded decode(String header) {
    String[] parts = header.split(" ", 6);
    if (parts.length != 6) {
      return null;
    }
    try {
      DenialReason reason = DenialReason.valueOf(parts[0]);
      int status = Integer.parseInt(parts[1]);
      if (status < 400 || status > 599) {
        return null;
      }
      return new Decoded(new Denial(reason, status, parts[2],
          URLDecoder.decode(parts[5], StandardCharsets.UTF_8)), StorageApi.valueOf(parts[3]),
          URLDecoder.decode(parts[4], StandardCharsets.UTF_8));
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
