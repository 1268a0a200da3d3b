package dev.storagegateway.extauthz.sts;

import dev.storagegateway.auth.Gen3TokenVerifier;
import dev.storagegateway.extauthz.check.UnexpectedFault;
import dev.storagegateway.extauthz.parse.Quoted;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The data plane's STS-compatible endpoint: {@code AssumeRoleWithWebIdentity} trades a Gen3 access
 * token for temporary SigV4 credentials, in AWS STS's query protocol, so that unmodified AWS SDKs
 * and CLIs (web identity token file, {@code AWS_ENDPOINT_URL_STS}) can fetch them.
 *
 * <p>It answers at {@value #PATH}, a path no bucket can collide with (S3 and GCS bucket names
 * cannot start with '_'), and on {@code POST /}, which is no S3 operation, so that an endpoint URL
 * without a path works too. The transport (reading a bounded body, writing the answer) is the HTTP
 * server's; this class decides.
 */
public final class StsEndpoint {
  public static final String PATH = "/_sts/";
  /** Far above a form carrying a 20,000-character token; larger requests are refused unread. */
  public static final int MAX_REQUEST_BYTES = 64 * 1024;
  private static final String VERSION = "2011-06-15";
  private static final String FORM = "application/x-www-form-urlencoded";
  private static final Logger LOG = LoggerFactory.getLogger(StsEndpoint.class);

  private final WebIdentityExchange webIdentity;
  private final MeterRegistry meters;

  /** @param meters counts answers as {@code gateway_sts_requests_total{result}} */
  public StsEndpoint(Gen3TokenVerifier verifier, GatewaySessions sessions,
      SessionSettings settings, Clock clock, MeterRegistry meters) {
    this.webIdentity = new WebIdentityExchange(verifier, sessions, settings, clock);
    this.meters = meters;
  }

  /** Whether a request to the data plane's HTTP port is meant for this endpoint. */
  public static boolean serves(String method, String path, String rawQuery) {
    if (path.equals(PATH) || path.equals("/_sts")) {
      return true;
    }
    return path.equals("/") && (method.equals("POST")
        || rawQuery != null && (rawQuery.startsWith("Action=") || rawQuery.contains("&Action=")));
  }

  /**
   * @param rawQuery the query string without '?', or null
   * @param contentType the request's Content-Type, or null
   * @param body the request body as text (at most {@link #MAX_REQUEST_BYTES}), or ""
   */
  public StsAnswer answer(String method, String rawQuery, String contentType, String body,
      String requestId) {
    try {
      if (!method.equals("POST")) {
        // AWS STS also answers GET, but a GET carries the Gen3 token in its URL, which proxies,
        // load balancers and nginx's error log record.
        throw new StsException(StsError.validation("send the parameters in a form POST, as the"
            + " AWS SDKs and CLIs do, not " + Quoted.of(method) + ": URLs are logged"));
      }
      boolean form = contentType != null
          && contentType.toLowerCase(Locale.ROOT).startsWith(FORM);
      if (!body.isEmpty() && !form) {
        throw new StsException(StsError.validation("send the parameters as " + FORM));
      }
      StsParameters parameters = StsParameters.parse(rawQuery, body);
      String action = parameters.get("Action");
      if (action == null || action.isEmpty()) {
        throw new StsException(new StsError(400, "Sender", "MissingAction",
            "the request must contain the parameter Action"));
      }
      String version = parameters.get("Version");
      if (version != null && !version.equals(VERSION)) {
        throw new StsException(StsError.invalidAction("this endpoint speaks STS version "
            + VERSION + ", not " + Quoted.of(version)));
      }
      if (!action.equals("AssumeRoleWithWebIdentity")) {
        throw new StsException(StsError.invalidAction("this endpoint only answers"
            + " AssumeRoleWithWebIdentity (with a Gen3 access token), not "
            + Quoted.of(action)));
      }
      StsAnswer issued = new StsAnswer(200,
          StsXml.assumeRoleWithWebIdentity(webIdentity.exchange(parameters), requestId));
      count("issued");
      return issued;
    } catch (StsException refused) {
      return refusal(refused.error(), requestId);
    } catch (RuntimeException fault) {
      UnexpectedFault.log(LOG, "STS request", requestId, fault);
      return refusal(StsError.internal(), requestId);
    }
  }

  /** The answer to a request whose body exceeds {@link #MAX_REQUEST_BYTES}. */
  public StsAnswer tooLarge(String requestId) {
    return refusal(StsError.tooLarge(MAX_REQUEST_BYTES), requestId);
  }

  /** The answer while the gateway serves as many of these requests as it allows at once. */
  public StsAnswer busy(String requestId) {
    return refusal(StsError.busy(), requestId);
  }

  private StsAnswer refusal(StsError error, String requestId) {
    LOG.info("STS request {} refused: {} {}", requestId, error.status(), error.code());
    count(error.code());
    return new StsAnswer(error.status(), StsXml.error(error, requestId));
  }

  /** {@code result} is "issued" or one of the few STS error codes: a bounded set of series. */
  private void count(String result) {
    Counter.builder("gateway_sts_requests")
        .description("STS endpoint answers by result (issued, or the STS error code)")
        .tag("result", result)
        .register(meters)
        .increment();
  }
}
