package dev.storagegateway.extauthz.check;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.storagegateway.extauthz.parse.S3Request;
import dev.storagegateway.extauthz.parse.S3RequestParser;
import dev.storagegateway.registry.RouteSettings;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RouteAddressingTest {
  private static final String DOMAIN = "s3.gateway.example.org";
  private static final S3RequestParser PARSER = new S3RequestParser(List.of(DOMAIN));
  private static final Map<String, String> BUCKETS_OWN_HOST = Map.of("bucket", "bkt",
      RouteSettings.ADDRESSING, RouteSettings.VIRTUAL_HOSTED);
  private static final Map<String, String> PATH_STYLE_ROUTE = Map.of("bucket", "bkt");

  private static void check(String host, String target, Map<String, String> route) {
    IncomingRequest request = new IncomingRequest("r-1", "GET", host, target, Map.of(), route);
    S3Request parsed = PARSER.parse("GET", host, target, name -> null);
    RouteAddressing.require(request, parsed);
  }

  /**
   * Envoy without strip_trailing_host_dot misses "b.<domain>."'s virtual host and forwards
   * /b/controlled/x as sent; read as virtual-hosted it would be key b/controlled/x, authorized
   * against another prefix binding than the object fetched.
   */
  @Test
  void aVirtualHostedReadOfARequestTheProxyForwardsAsSentIsRefused() {
    assertThatThrownBy(() -> check("bkt." + DOMAIN + ".", "/bkt/controlled/x", PATH_STYLE_ROUTE))
        .isInstanceOf(CheckDenied.class).hasMessageContaining("forwards the path as sent");
    assertThatThrownBy(() -> check("bkt." + DOMAIN, "/controlled/x", Map.of()))
        .as("a proxy without bucket routes (static Envoy, nginx)")
        .isInstanceOf(CheckDenied.class).hasMessageContaining("/bkt/<key>");
  }

  @Test
  void aBucketsOwnHostMustBeReadAsVirtualHosted() {
    assertThatThrownBy(() -> check("bkt.elsewhere.example.org", "/bkt/x", BUCKETS_OWN_HOST))
        .isInstanceOf(CheckDenied.class).hasMessageContaining("--virtual-host-domain");
  }

  @Test
  void eachRouteAcceptsItsOwnAddressing() {
    assertThatCode(() -> check("bkt." + DOMAIN, "/controlled/x", BUCKETS_OWN_HOST))
        .doesNotThrowAnyException();
    assertThatCode(() -> check("gateway.example.org", "/bkt/controlled/x", PATH_STYLE_ROUTE))
        .doesNotThrowAnyException();
    assertThatCode(() -> check("gateway.example.org", "/bkt/controlled/x", Map.of()))
        .doesNotThrowAnyException();
    // nginx forwards the path-style target the gateway gives back, whatever it chose.
    Map<String, String> nginx = Map.of(RouteSettings.ADDRESSING, RouteSettings.AS_SIGNED);
    assertThatCode(() -> check("bkt." + DOMAIN + ".", "/controlled/x", nginx))
        .doesNotThrowAnyException();
    assertThatCode(() -> check("gateway.example.org", "/bkt/controlled/x", nginx))
        .doesNotThrowAnyException();
  }
}
