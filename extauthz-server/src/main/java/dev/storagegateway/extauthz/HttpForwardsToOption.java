package dev.storagegateway.extauthz;

import dev.storagegateway.extauthz.check.ProxyForwarding;
import java.util.Optional;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code --http-forwards-to}, shared by the data plane's command and the embedded gateway's:
 * where the proxies asking the HTTP check modes forward allowed requests ({@link ProxyForwarding}
 * says why the gateway should know it itself).
 */
public final class HttpForwardsToOption {
  @Spec(Spec.Target.MIXEE)
  CommandSpec command;

  @Option(names = "--http-forwards-to", defaultValue = "${env:GATEWAY_HTTP_FORWARDS_TO}",
      description = "Where the proxies asking the HTTP check modes (nginx, Envoy's http_service)"
          + " forward allowed requests: the storage's host and port as a Host header writes them,"
          + " or bucket-endpoint. Buckets registered elsewhere are refused, and so is a check"
          + " whose X-Gateway-Forwards-To says otherwise. Unset, each proxy's header decides,"
          + " and nginx without the line that sets it passes a client's own.")
  String target;

  /** @throws ParameterException naming the option and what it takes */
  public Optional<ProxyForwarding> forwarding() {
    try {
      return Optional.ofNullable(target).filter(written -> !written.isBlank())
          .map(ProxyForwarding::new);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(command.commandLine(), e.getMessage(), e);
    }
  }
}
