package dev.storagegateway.controlplane.xds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Value;
import io.envoyproxy.envoy.config.accesslog.v3.AccessLog;
import io.envoyproxy.envoy.config.core.v3.SubstitutionFormatString;
import io.envoyproxy.envoy.extensions.access_loggers.stream.v3.StdoutAccessLog;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.formatter.req_without_query.v3.ReqWithoutQuery;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The access log of every pushed listener, read back from the listener as Envoy receives it. */
class EnvoyAccessLogTest {
  /**
   * Envoy's default format writes the path with its query, where presigned URLs carry their
   * signature and session token; X-ENVOY-ORIGINAL-PATH a client may send itself.
   */
  @ParameterizedTest
  @EnumSource(value = EnvoyAccessLog.class, names = {"TEXT", "JSON"})
  void eachRequestIsLoggedWithItsRequestIdAndItsPathWithoutTheQuery(EnvoyAccessLog choice)
      throws Exception {
    List<AccessLog> logs = accessLogs(choice);

    assertThat(logs).singleElement().extracting(AccessLog::getName)
        .isEqualTo("envoy.access_loggers.stdout");
    SubstitutionFormatString format =
        logs.get(0).getTypedConfig().unpack(StdoutAccessLog.class).getLogFormat();
    List<String> operators = choice == EnvoyAccessLog.TEXT
        ? List.of(format.getTextFormatSource().getInlineString())
        : format.getJsonFormat().getFieldsMap().values().stream().map(Value::getStringValue)
            .toList();
    assertThat(String.join(" ", operators))
        .contains("%REQ_WITHOUT_QUERY(:PATH)%", "%REQ(X-REQUEST-ID)%", "%RESPONSE_CODE%")
        .doesNotContain("%REQ(:PATH)%", "X-ENVOY-ORIGINAL-PATH");
    assertThat(format.getFormattersList()).singleElement().satisfies(formatter -> {
      assertThat(formatter.getName()).isEqualTo("envoy.formatter.req_without_query");
      assertThat(formatter.getTypedConfig().is(ReqWithoutQuery.class)).isTrue();
    });
  }

  @Test
  void jsonNamesEachFieldOnceWithOneOperatorSoEnvoyWritesNumbersAsNumbers() throws Exception {
    var fields = accessLogs(EnvoyAccessLog.JSON).get(0).getTypedConfig()
        .unpack(StdoutAccessLog.class).getLogFormat().getJsonFormat().getFieldsMap();

    assertThat(fields.keySet()).containsExactlyInAnyOrder("@timestamp", "method", "path",
        "protocol", "status", "response_flags", "bytes_received", "bytes_sent", "duration_ms",
        "request_id", "upstream_host");
    assertThat(fields.values()).allSatisfy(value ->
        assertThat(value.getStringValue()).matches("%[A-Z_]+(\\([^)]*\\))?%"));
  }

  @Test
  void offLogsNothing() throws Exception {
    assertThat(accessLogs(EnvoyAccessLog.OFF)).isEmpty();
  }

  /** One format for both ways of running Envoy: pushed over xDS, and the static files. */
  @Test
  void theTextLineIsTheStaticBootstrapsLine() throws Exception {
    String escaped = EnvoyAccessLog.TEXT_FORMAT.replace("\"", "\\\"").replace("\n", "\\n");
    for (String file : List.of("envoy/ext-authz-static.yaml", "envoy/ext-authz-http-static.yaml")) {
      assertThat(Files.readString(EnvoyBootstrapFilesTest.repositoryFile(file))).as(file)
          .contains("inline_string: \"" + escaped + "\"");
    }
  }

  @Test
  void theOptionTakesItsThreeValuesInAnyCaseAndNamesThemOtherwise() {
    assertThat(EnvoyAccessLog.parse("JSON")).isEqualTo(EnvoyAccessLog.JSON);
    assertThat(EnvoyAccessLog.parse("off")).isEqualTo(EnvoyAccessLog.OFF);
    assertThatThrownBy(() -> EnvoyAccessLog.parse("logfmt"))
        .hasMessage("Envoy's access log must be text, json or off, not 'logfmt'");
  }

  private static List<AccessLog> accessLogs(EnvoyAccessLog choice) throws Exception {
    return new GatewayListeners("authz", Duration.ofMillis(500), choice)
        .build(XdsSettings.INGRESS, new InetSocketAddress("0.0.0.0", 10000))
        .getFilterChains(0).getFilters(0).getTypedConfig().unpack(HttpConnectionManager.class)
        .getAccessLogList();
  }
}
