package dev.storagegateway.extauthz.check;

import dev.storagegateway.registry.LoggedText;
import dev.storagegateway.registry.RouteSettings;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the proxy that asks can do with a decision, which decides what the pipeline may decide.
 *
 * <ul>
 *   <li>Envoy's gRPC ext_authz forwards an allowed request and sends the gateway's own answer as
 *       its denied response, whose status may be 200: {@link #FORWARD_OR_ANSWER}.
 *   <li>Envoy's {@code http_service} and nginx {@code auth_request} take any 2xx from the check
 *       as "forward": an answer cannot travel back through them. {@link #FORWARD_ONLY}.
 *   <li>The data plane's own S3 endpoint has nowhere to forward to: {@link #ANSWER_ONLY}.
 * </ul>
 * A request the proxy cannot deliver is refused before anything else is done for it, with what the
 * proxy's operator must change; it is never forwarded unsigned nor signed for nothing.
 *
 * <p>It travels in {@link IncomingRequest#routeSettings()} under {@value RouteSettings#DELIVERY};
 * absent means {@link #FORWARD_OR_ANSWER}, so Envoy's gRPC Check needs nothing set.
 */
public enum Delivery {
  FORWARD_OR_ANSWER,
  FORWARD_ONLY,
  ANSWER_ONLY;

  private static final Logger LOG = LoggerFactory.getLogger(Delivery.class);
  private static final OncePerMinute LOGGED = new OncePerMinute();

  /**
   * @throws CheckDenied for a setting the gateway does not know: the route's operator wrote it
   *     (Envoy's {@code context_extensions}), so neither answering nor forwarding is safe
   */
  static Delivery of(IncomingRequest request) {
    String setting = request.routeSettings().get(RouteSettings.DELIVERY);
    if (setting == null) {
      return FORWARD_OR_ANSWER;
    }
    for (Delivery delivery : values()) {
      if (delivery.name().equalsIgnoreCase(setting)) {
        return delivery;
      }
    }
    String shown = LoggedText.of(setting, LoggedText.MAX_VALUE_CHARS);
    if (LOGGED.first(shown)) {
      LOG.warn("Refusing every check whose route sets {} to '{}': the gateway knows only {}; fix"
          + " the route's ext_authz context_extensions (logged once a minute per value)",
          RouteSettings.DELIVERY, shown,
          Arrays.stream(values()).map(Delivery::settingValue).toList());
    }
    throw CheckDenied.proxyMisconfigured();
  }

  /** The route settings that say this, for an {@link IncomingRequest}. */
  public Map<String, String> asRouteSettings() {
    return Map.of(RouteSettings.DELIVERY, settingValue());
  }

  private String settingValue() {
    return name().toLowerCase(Locale.ROOT);
  }

  private boolean canAnswer() {
    return this != FORWARD_ONLY;
  }

  private boolean canForward() {
    return this != ANSWER_ONLY;
  }

  /**
   * Refuses a request this proxy cannot deliver.
   *
   * @param answeredByGateway whether the gateway answers the operation itself
   * @param operation the operation's S3 name, for the message
   */
  void require(boolean answeredByGateway, String operation) {
    if (answeredByGateway && !canAnswer()) {
      throw new CheckDenied(DenialReason.ANSWER_NOT_DELIVERABLE, operation + " is answered by the"
          + " gateway itself, which this proxy cannot relay from an authorization check; its"
          + " operator must route such requests to the data plane's S3 endpoint (/_s3/, see"
          + " docs/data-plane.md)");
    }
    if (!answeredByGateway && !canForward()) {
      throw new CheckDenied(DenialReason.NOT_ANSWERED_HERE, "this endpoint only answers"
          + " ListBuckets, GetBucketLocation and CreateBucket; send " + operation
          + " through the proxy in front of the storage");
    }
  }
}
