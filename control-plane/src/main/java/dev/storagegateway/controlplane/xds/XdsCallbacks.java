package dev.storagegateway.controlplane.xds;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.google.protobuf.Value;
import dev.storagegateway.registry.LoggedText;
import io.envoyproxy.controlplane.cache.Resources;
import io.envoyproxy.controlplane.server.DiscoveryServerCallbacks;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the xDS streams: which node group each connected Envoy belongs to
 * ({@code gateway_xds_connected_proxies{group}}, with {@code group="unknown"} for nodes that name
 * a group this server does not serve, logged once per node), every response pushed
 * ({@code gateway_xds_pushes_total{group,type}}) and every rejection
 * ({@code gateway_xds_nacks_total{group,type}}, logged with Envoy's own error detail). It also
 * remembers which version each response carried, and on which stream a rejection arrived, for
 * {@link VersionAwareWatcher}.
 */
final class XdsCallbacks implements DiscoveryServerCallbacks {
  private static final Logger LOG = LoggerFactory.getLogger(XdsCallbacks.class);
  /** Enough for Envoy's own error detail; a client's node id or nonce is cut there. */
  private static final int MAX_LOGGED_CHARS = 2_000;

  private final NodeGroups groups;
  private final SentVersions sent;
  private final MeterRegistry meters;
  private final List<String> served;
  private final Map<Long, String> streamGroups = new ConcurrentHashMap<>();
  /**
   * The node groups and types whose rejection was logged in the last minute: a client may send
   * rejections as fast as it likes, on as many streams as it likes, each with up to three long
   * texts, and the counter already counts every one.
   */
  private final Cache<String, Boolean> recentlyLogged = Caffeine.newBuilder()
      .expireAfterWrite(Duration.ofMinutes(1)).maximumSize(1_000).build();
  /**
   * The node ids whose unknown group was logged: an Envoy reconnects with the same mistake, and
   * a client may make up as many ids as it likes; the gauge counts every stream.
   */
  private final Cache<String, Boolean> unknownGroupLogged = Caffeine.newBuilder()
      .maximumSize(1_000).build();

  XdsCallbacks(NodeGroups groups, List<String> knownGroups, SentVersions sent,
      MeterRegistry meters) {
    this.groups = groups;
    this.sent = sent;
    this.meters = meters;
    this.served = List.copyOf(knownGroups);
    List<String> gauged = new ArrayList<>(served);
    gauged.add(NodeGroups.UNKNOWN);
    for (String group : gauged) {
      Gauge.builder("gateway_xds_connected_proxies", streamGroups,
              streams -> streams.values().stream().filter(group::equals).count())
          .description("xDS streams open, by node group")
          .tag("group", group)
          .register(meters);
    }
  }

  @Override
  public void onV3StreamRequest(long streamId, DiscoveryRequest request) {
    String group = joined(streamId, request.getNode());
    if (request.hasErrorDetail()) {
      sent.rejectionArrived(request, streamId);
      rejected(group, request.getNode(), request.getTypeUrl(), request.getResponseNonce(),
          request.getErrorDetail().getMessage());
    }
  }

  @Override
  public void onV3StreamDeltaRequest(long streamId, DeltaDiscoveryRequest request) {
    String group = joined(streamId, request.getNode());
    if (request.hasErrorDetail()) {
      rejected(group, request.getNode(), request.getTypeUrl(), request.getResponseNonce(),
          request.getErrorDetail().getMessage());
    }
  }

  @Override
  public void onV3StreamResponse(long streamId, DiscoveryRequest request,
      DiscoveryResponse response) {
    sent.remember(streamId, response.getTypeUrl(), response.getNonce(),
        response.getVersionInfo());
    pushed(streamId, response.getTypeUrl());
  }

  @Override
  public void onV3StreamDeltaResponse(long streamId, DeltaDiscoveryRequest request,
      DeltaDiscoveryResponse response) {
    pushed(streamId, response.getTypeUrl());
  }

  @Override
  public void onStreamClose(long streamId, String typeUrl) {
    streamGroups.remove(streamId);
    sent.forget(streamId);
  }

  @Override
  public void onStreamCloseWithError(long streamId, String typeUrl, Throwable error) {
    streamGroups.remove(streamId);
    sent.forget(streamId);
  }

  private String joined(long streamId, Node node) {
    // Envoy may omit the node after the first message; keep what the first one said.
    return streamGroups.computeIfAbsent(streamId, id -> {
      String group = groups.hash(node);
      if (group.equals(NodeGroups.UNKNOWN)) {
        unknownGroup(node);
      }
      return group;
    });
  }

  private void unknownGroup(Node node) {
    String nodeId = LoggedText.of(node.getId(), MAX_LOGGED_CHARS);
    if (unknownGroupLogged.asMap().putIfAbsent(nodeId, Boolean.TRUE) != null) {
      return;
    }
    Value named = node.getMetadata().getFieldsMap().get(NodeGroups.METADATA_KEY);
    LOG.warn("Envoy {} names node group '{}' in metadata.{}, which this control plane does not"
            + " serve (groups: {}); it is sent no configuration until its bootstrap names one",
        nodeId, named.hasStringValue()
            ? LoggedText.of(named.getStringValue(), MAX_LOGGED_CHARS) : named.getKindCase(),
        NodeGroups.METADATA_KEY, served);
  }

  /**
   * Envoy's error detail is its own text about our configuration, kept to one log line, and to
   * one line a minute per node group and type.
   */
  private void rejected(String group, Node node, String typeUrl, String nonce, String detail) {
    Counter.builder("gateway_xds_nacks").description("Configurations Envoy rejected")
        .tag("group", group).tag("type", shortType(typeUrl)).register(meters).increment();
    if (recentlyLogged.asMap().putIfAbsent(group + " " + shortType(typeUrl), Boolean.TRUE)
        != null) {
      return;
    }
    LOG.warn("Envoy {} (group {}) rejected {} (nonce {}): {}; it keeps its last accepted"
            + " configuration and is not sent this one again",
        LoggedText.of(node.getId(), MAX_LOGGED_CHARS), group, shortType(typeUrl),
        LoggedText.of(nonce, MAX_LOGGED_CHARS), LoggedText.of(detail, MAX_LOGGED_CHARS));
  }

  private void pushed(long streamId, String typeUrl) {
    Counter.builder("gateway_xds_pushes").description("xDS responses sent")
        .tag("group", streamGroups.getOrDefault(streamId, "unknown"))
        .tag("type", shortType(typeUrl)).register(meters).increment();
  }

  /**
   * The short name of an xDS type this server serves, else {@code other}: a client names any type
   * it likes, and each name would otherwise be a new meter.
   */
  private static String shortType(String typeUrl) {
    return Resources.V3.TYPE_URLS.contains(typeUrl)
        ? typeUrl.substring(typeUrl.lastIndexOf('.') + 1) : "other";
  }
}
