package dev.storagegateway.controlplane.xds;

import com.google.protobuf.Any;
import io.envoyproxy.envoy.config.common.mutation_rules.v3.HeaderMutation;
import io.envoyproxy.envoy.config.core.v3.HeaderValue;
import io.envoyproxy.envoy.config.core.v3.HeaderValueOption;
import io.envoyproxy.envoy.extensions.filters.http.header_mutation.v3.HeaderMutationPerRoute;
import io.envoyproxy.envoy.extensions.filters.http.header_mutation.v3.Mutations;
import io.envoyproxy.envoy.extensions.filters.http.header_to_metadata.v3.Config;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.envoyproxy.envoy.type.matcher.v3.RegexMatchAndSubstitute;
import io.envoyproxy.envoy.type.matcher.v3.RegexMatcher;
import java.util.List;
import java.util.Map;

/**
 * Points a Cloud Storage resumable upload session back at the gateway. Starting a resumable
 * upload answers with the session's URL in {@code Location}
 * ({@code https://storage.googleapis.com/upload/storage/v1/b/..&upload_id=..}), and clients
 * that follow it as it is (google-cloud-storage for Java) would send the data to Google directly,
 * past the gateway, with the gateway's own session. The URL must become
 * {@code <client's scheme>://<client's Host><the same path and query>}, what nginx's
 * {@code proxy_redirect} does.
 *
 * <p>Envoy has no rewrite of a response header's value: {@code response_headers_to_add} and the
 * header mutation filter only set values, made from substitution formatters that cannot cut a
 * piece out of a header. So three filters share the work through the request's dynamic metadata:
 *
 * <ol>
 *   <li>a {@code header_to_metadata} before ext_authz keeps the client's {@code :authority}:
 *       the gateway's answer sets {@code host} to the storage's, and the route's host rewrite
 *       does too, later;
 *   <li>another {@code header_to_metadata}, on the response, keeps the path and query of
 *       {@code Location} (its {@code regex_value_rewrite} drops scheme and host);
 *   <li>{@code header_mutation} then overwrites {@code Location} with
 *       {@code %REQ(x-forwarded-proto)%://} and the two kept values.
 * </ol>
 *
 * <p>Responses pass the filters in reverse order, so the response's {@code header_to_metadata}
 * sits after {@code header_mutation} in the chain: it reads {@code Location} first. All three are
 * in the listener with empty configurations, which do nothing; only the upload routes of Cloud
 * Storage buckets carry the per-route configurations that act ({@link #PER_ROUTE}).
 *
 * <p>The scheme is {@code x-forwarded-proto}: a load balancer's in front of Envoy when it sent
 * one (the pushed listener does not set {@code use_remote_address}, so Envoy keeps it), else the
 * downstream connection's, which Envoy fills in. Both it and the authority come from the client's
 * own request, so a client that forges them only misdirects its own upload.
 */
final class UploadLocationRewrite {
  static final String HEADER_MUTATION_FILTER = "envoy.filters.http.header_mutation";
  static final String HEADER_TO_METADATA_FILTER = "envoy.filters.http.header_to_metadata";
  /** The {@code header_to_metadata} before ext_authz, under a name of its own. */
  static final String CLIENT_AUTHORITY_FILTER = "storage_gateway.client_authority";
  static final String METADATA_NAMESPACE = "storage_gateway";
  static final String CLIENT_AUTHORITY = "client_authority";
  static final String LOCATION_PATH = "upstream_location_path";
  /** Scheme and authority off, path and query kept (a relative Location matches nothing: kept). */
  static final String ABSOLUTE_URL = "^[a-zA-Z][a-zA-Z0-9+.-]*://[^/?#]*(.*)$";

  /** Both per-route configurations, the same for every bucket's upload route: packed once. */
  static final Map<String, Any> PER_ROUTE = Map.of(
      CLIENT_AUTHORITY_FILTER, Any.pack(Config.newBuilder()
          .addRequestRules(Config.Rule.newBuilder()
              .setHeader(":authority")
              .setOnHeaderPresent(kept(CLIENT_AUTHORITY)))
          .build()),
      HEADER_TO_METADATA_FILTER, Any.pack(Config.newBuilder()
          .addResponseRules(Config.Rule.newBuilder()
              .setHeader("location")
              .setOnHeaderPresent(kept(LOCATION_PATH).toBuilder()
                  .setRegexValueRewrite(RegexMatchAndSubstitute.newBuilder()
                      .setPattern(RegexMatcher.newBuilder().setRegex(ABSOLUTE_URL))
                      .setSubstitution("\\1"))))
          .build()),
      HEADER_MUTATION_FILTER, Any.pack(HeaderMutationPerRoute.newBuilder()
          .setMutations(Mutations.newBuilder().addResponseMutations(HeaderMutation.newBuilder()
              .setAppend(HeaderValueOption.newBuilder()
                  .setHeader(HeaderValue.newBuilder().setKey("location").setValue(
                      "%REQ(x-forwarded-proto)%://" + metadata(CLIENT_AUTHORITY)
                          + metadata(LOCATION_PATH)))
                  // Only where the storage sent one.
                  .setAppendAction(HeaderValueOption.HeaderAppendAction.OVERWRITE_IF_EXISTS))))
          .build()));

  private UploadLocationRewrite() {
  }

  /** The filter that keeps the client's authority, to go before ext_authz. */
  static HttpFilter beforeAuthorization() {
    return HttpFilter.newBuilder().setName(CLIENT_AUTHORITY_FILTER)
        .setTypedConfig(Any.pack(Config.getDefaultInstance()))
        .build();
  }

  /** The two filters for the response, in chain order, to go after ext_authz. */
  static List<HttpFilter> listenerFilters() {
    return List.of(
        HttpFilter.newBuilder().setName(HEADER_MUTATION_FILTER)
            .setTypedConfig(Any.pack(
                io.envoyproxy.envoy.extensions.filters.http.header_mutation.v3.HeaderMutation
                    .getDefaultInstance()))
            .build(),
        HttpFilter.newBuilder().setName(HEADER_TO_METADATA_FILTER)
            .setTypedConfig(Any.pack(Config.getDefaultInstance()))
            .build());
  }

  private static Config.KeyValuePair kept(String key) {
    return Config.KeyValuePair.newBuilder().setMetadataNamespace(METADATA_NAMESPACE).setKey(key)
        .build();
  }

  private static String metadata(String key) {
    return "%DYNAMIC_METADATA(" + METADATA_NAMESPACE + ":" + key + ")%";
  }
}
