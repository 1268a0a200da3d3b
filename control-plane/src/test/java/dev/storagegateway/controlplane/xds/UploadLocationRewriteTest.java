package dev.storagegateway.controlplane.xds;

import static org.assertj.core.api.Assertions.assertThat;

import io.envoyproxy.envoy.config.core.v3.HeaderValueOption;
import io.envoyproxy.envoy.extensions.filters.http.header_mutation.v3.HeaderMutationPerRoute;
import io.envoyproxy.envoy.extensions.filters.http.header_to_metadata.v3.Config;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * What the pushed configuration asks of Envoy to point a resumable upload session back at the
 * gateway, checked as configuration: no Envoy runs here. The regular expression is RE2's in
 * Envoy; this one uses nothing that Java's and RE2's syntax read differently.
 */
class UploadLocationRewriteTest {

  @Test
  void theLocationKeepsItsPathAndQueryAndLosesGooglesSchemeAndHost() {
    Pattern url = Pattern.compile(UploadLocationRewrite.ABSOLUTE_URL);
    String session = "/upload/storage/v1/b/gcs-data/o?uploadType=resumable&name=a%2Fb.txt"
        + "&upload_id=ADPycdu-xyz";
    assertThat(url.matcher("https://storage.googleapis.com" + session).replaceAll("$1"))
        .isEqualTo(session);
    assertThat(url.matcher("http://127.0.0.1:4443" + session).replaceAll("$1"))
        .isEqualTo(session);
    assertThat(url.matcher(session).find()).as("a relative Location is kept whole").isFalse();
  }

  @Test
  void theUploadRouteKeepsTheClientsHostAndTheSessionPathAndWritesThemBack() throws Exception {
    Config authority = UploadLocationRewrite.PER_ROUTE
        .get(UploadLocationRewrite.CLIENT_AUTHORITY_FILTER).unpack(Config.class);
    assertThat(authority.getResponseRulesList()).isEmpty();
    assertThat(authority.getRequestRulesList()).singleElement().satisfies(rule -> {
      assertThat(rule.getHeader()).isEqualTo(":authority");
      assertThat(rule.getRemove()).isFalse();
      assertThat(rule.getOnHeaderPresent().getMetadataNamespace()).isEqualTo("storage_gateway");
      assertThat(rule.getOnHeaderPresent().getKey()).isEqualTo("client_authority");
    });
    Config kept = UploadLocationRewrite.PER_ROUTE
        .get(UploadLocationRewrite.HEADER_TO_METADATA_FILTER).unpack(Config.class);
    assertThat(kept.getRequestRulesList()).isEmpty();
    assertThat(kept.getResponseRulesList()).singleElement().satisfies(rule -> {
      assertThat(rule.getHeader()).isEqualTo("location");
      assertThat(rule.getOnHeaderPresent().getKey()).isEqualTo("upstream_location_path");
      assertThat(rule.getOnHeaderPresent().getRegexValueRewrite().getPattern().getRegex())
          .isEqualTo(UploadLocationRewrite.ABSOLUTE_URL);
      assertThat(rule.getOnHeaderPresent().getRegexValueRewrite().getSubstitution())
          .isEqualTo("\\1");
    });

    HeaderMutationPerRoute written = UploadLocationRewrite.PER_ROUTE
        .get(UploadLocationRewrite.HEADER_MUTATION_FILTER).unpack(HeaderMutationPerRoute.class);
    assertThat(written.getMutations().getRequestMutationsList()).isEmpty();
    assertThat(written.getMutations().getResponseMutationsList()).singleElement()
        .satisfies(mutation -> {
          HeaderValueOption location = mutation.getAppend();
          assertThat(location.getHeader().getKey()).isEqualTo("location");
          assertThat(location.getHeader().getValue()).isEqualTo("%REQ(x-forwarded-proto)%://"
              + "%DYNAMIC_METADATA(storage_gateway:client_authority)%"
              + "%DYNAMIC_METADATA(storage_gateway:upstream_location_path)%");
          assertThat(location.getAppendAction())
              .isEqualTo(HeaderValueOption.HeaderAppendAction.OVERWRITE_IF_EXISTS);
        });
  }

  @Test
  void theListenerReadsLocationBeforeRewritingItAndBothRunBeforeTheRouter() throws Exception {
    HttpConnectionManager manager =
        new GatewayListeners("authz", Duration.ofMillis(500), EnvoyAccessLog.TEXT)
            .build("ingress", new InetSocketAddress("0.0.0.0", 10000))
            .getFilterChains(0).getFilters(0).getTypedConfig().unpack(HttpConnectionManager.class);
    // The client's authority is kept before ext_authz, whose answer sets host to the storage's.
    // Responses pass the filters from the router backwards: header_to_metadata must come later
    // in the chain than header_mutation to see Location first.
    assertThat(manager.getHttpFiltersList()).extracting(HttpFilter::getName).containsExactly(
        UploadLocationRewrite.CLIENT_AUTHORITY_FILTER,
        BucketRoutes.EXT_AUTHZ_FILTER, UploadLocationRewrite.HEADER_MUTATION_FILTER,
        UploadLocationRewrite.HEADER_TO_METADATA_FILTER, GatewayHttpRoutes.BUFFER_FILTER,
        "envoy.filters.http.router");
    assertThat(manager.getHttpFilters(4).getDisabled())
        .as("uploads stream: the buffer is on only where a route turns it on").isTrue();
    assertThat(manager.getStripTrailingHostDot())
        .as("b.domain. is b.domain's virtual host, as the data plane reads it").isTrue();
    for (HttpFilter filter : List.of(manager.getHttpFilters(0), manager.getHttpFilters(2),
        manager.getHttpFilters(3))) {
      assertThat(filter.getTypedConfig().getValue().isEmpty())
          .as(filter.getName() + " does nothing but where a route configures it").isTrue();
    }
  }
}
