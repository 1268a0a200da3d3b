package dev.storagegateway.extauthz.indexd;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Gen3's indexd, for the two calls Fence makes to it: reading a file's record,
 * {@code GET <indexd>/index/<guid>}, to sign a URL for a GUID (reads need no credentials), and
 * creating a blank record for a new upload, {@code POST <indexd>/index/blank/}. Every lookup asks
 * indexd, as Fence's do: a record's {@code authz} may be narrowed at any time, and a remembered
 * one would go on granting what it no longer does.
 */
public final class IndexdClient {
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(5);
  /** Far above a record with many locations and hashes. */
  static final int MAX_RECORD_BYTES = 1024 * 1024;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String indexUrl;
  private final Duration requestTimeout;
  private final HttpClient http;
  private final Timer found;
  private final Timer notFound;
  private final Timer unavailable;
  private final Timer created;
  private final Timer refused;
  private final Timer notCreated;

  /**
   * @param baseUrl as {@link IndexdSettings#url()} checks it
   * @param requestTimeout the longest one lookup may take, connecting included
   */
  public IndexdClient(URI baseUrl, Duration requestTimeout, MeterRegistry meters) {
    if (requestTimeout.isNegative() || requestTimeout.isZero()) {
      throw new IllegalArgumentException("requestTimeout must be positive: " + requestTimeout);
    }
    this.indexUrl = baseUrl.toString().replaceAll("/+$", "") + "/index/";
    this.requestTimeout = requestTimeout;
    // indexd sits in the cluster behind plain HTTP; an h2c upgrade attempt gains nothing.
    this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(requestTimeout).build();
    this.found = timer(meters, "lookup", "found");
    this.notFound = timer(meters, "lookup", "not_found");
    this.unavailable = timer(meters, "lookup", "unavailable");
    this.created = timer(meters, "create_blank", "created");
    this.refused = timer(meters, "create_blank", "refused");
    this.notCreated = timer(meters, "create_blank", "unavailable");
  }

  private static Timer timer(MeterRegistry meters, String call, String outcome) {
    return Timer.builder("gateway_indexd_requests")
        .description("The presigned-URL API's calls to indexd (record lookups for GUIDs, blank"
            + " records for uploads), by outcome")
        .tag("call", call).tag("outcome", outcome).register(meters);
  }

  /**
   * @return the record, or empty when indexd has none for {@code guid}
   * @throws IndexdUnavailableException when indexd cannot be asked or answers otherwise than its
   *     contract says
   */
  public Optional<IndexRecord> find(Guid guid) {
    long start = System.nanoTime();
    Timer outcome = unavailable;
    try {
      // Guid admits no character a URL path would have to escape.
      HttpResponse<byte[]> response = exchange(HttpRequest.newBuilder(
          URI.create(indexUrl + guid.value())).header("Accept", "application/json").GET().build());
      if (response.statusCode() == 404) {
        outcome = notFound;
        return Optional.empty();
      }
      if (response.statusCode() != 200) {
        throw new IndexdUnavailableException("indexd answered HTTP " + response.statusCode()
            + " for record " + guid);
      }
      IndexRecord record = record(guid, response.body());
      outcome = found;
      return Optional.of(record);
    } finally {
      outcome.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
    }
  }

  /**
   * Creates a blank record, as Fence's upload flow does.
   *
   * @param authorization the {@code Authorization} header indexd authorizes the creation by:
   *     the gateway's Basic credentials, or with {@code authz} the caller's own token, as Fence
   *     sends them
   * @return the new record's GUID
   * @throws IndexdRefusedException when indexd answers 4xx
   * @throws IndexdUnavailableException when indexd cannot be asked or answers otherwise than its
   *     contract says
   */
  public Guid createBlank(BlankRecord blank, String authorization) {
    long start = System.nanoTime();
    Timer outcome = notCreated;
    try {
      ObjectNode body = JSON.createObjectNode().put("uploader", blank.uploader().orElse(null))
          .put("file_name", blank.fileName());
      if (!blank.authz().isEmpty()) {
        blank.authz().forEach(body.putArray("authz")::add);
      }
      HttpResponse<byte[]> response = exchange(HttpRequest.newBuilder(
              URI.create(indexUrl + "blank/"))
          .header("Content-Type", "application/json").header("Accept", "application/json")
          .header("Authorization", authorization)
          .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body))).build());
      if (response.statusCode() >= 400 && response.statusCode() < 500) {
        outcome = refused;
        // indexd's error body is not passed on: it may echo what it was sent.
        throw new IndexdRefusedException(response.statusCode(), "indexd answered HTTP "
            + response.statusCode() + " to creating a blank record");
      }
      if (response.statusCode() != 200 && response.statusCode() != 201) {
        throw new IndexdUnavailableException("indexd answered HTTP " + response.statusCode()
            + " to creating a blank record");
      }
      Guid guid = createdGuid(response.body());
      outcome = created;
      return guid;
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a blank record's request did not serialize", e);
    } finally {
      outcome.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
    }
  }

  /** indexd's answer to a creation, {@code {"did", "rev", "baseid"}}. */
  private static Guid createdGuid(byte[] body) {
    JsonNode did;
    try {
      did = body.length > MAX_RECORD_BYTES ? null : JSON.readTree(body).path("did");
    } catch (IOException e) {
      did = null;
    }
    if (did == null || !did.isTextual()) {
      throw new IndexdUnavailableException("indexd's answer to creating a blank record names no"
          + " did");
    }
    try {
      return new Guid(did.textValue());
    } catch (IllegalArgumentException e) {
      throw new IndexdUnavailableException("indexd created a record whose did the gateway"
          + " cannot use in a key: " + e.getMessage());
    }
  }

  private HttpResponse<byte[]> exchange(HttpRequest request) {
    // HttpRequest.timeout() stops at the response headers; this bounds the whole exchange.
    CompletableFuture<HttpResponse<byte[]>> response = http.sendAsync(request, info ->
        HttpResponse.BodySubscribers.mapping(HttpResponse.BodySubscribers.ofInputStream(),
            IndexdClient::readAtMostOneMore));
    try {
      return response.get(requestTimeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      response.cancel(true);
      throw new IndexdUnavailableException(
          "indexd did not answer within " + requestTimeout.toMillis() + " ms", e);
    } catch (ExecutionException e) {
      throw new IndexdUnavailableException(e.getCause() instanceof ConnectException
          ? "could not connect to indexd at " + request.uri()
          : "the request to indexd at " + request.uri() + " failed", e.getCause());
    } catch (InterruptedException e) {
      response.cancel(true);
      Thread.currentThread().interrupt();
      throw new IndexdUnavailableException("interrupted while waiting for indexd", e);
    }
  }

  /**
   * The body, or its first {@code MAX_RECORD_BYTES + 1} bytes: a record that large is refused,
   * and reading on would hold its bytes for nothing.
   */
  private static byte[] readAtMostOneMore(InputStream body) {
    try (body) {
      return body.readNBytes(MAX_RECORD_BYTES + 1);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Fence's reading: {@code urls} must be there; {@code authz}, {@code acl} may be absent. */
  private static IndexRecord record(Guid asked, byte[] body) {
    if (body.length > MAX_RECORD_BYTES) {
      throw new IndexdUnavailableException("indexd's record " + asked + " is larger than "
          + MAX_RECORD_BYTES + " bytes");
    }
    JsonNode record;
    try {
      record = JSON.readTree(body);
    } catch (IOException e) {
      throw new IndexdUnavailableException("indexd's answer for record " + asked
          + " is not JSON");
    }
    return new IndexRecord(record.path("did").isTextual() ? record.get("did").textValue()
        : asked.value(), texts(record, "urls", true, asked), texts(record, "authz", false, asked),
        texts(record, "acl", false, asked), text(record, "uploader"),
        text(record, "file_name"));
  }

  private static Optional<String> text(JsonNode record, String field) {
    JsonNode value = record.path(field);
    return value.isTextual() && !value.textValue().isEmpty()
        ? Optional.of(value.textValue()) : Optional.empty();
  }

  private static List<String> texts(JsonNode record, String field, boolean required,
      Guid asked) {
    JsonNode list = record.path(field);
    if (list.isMissingNode() || list.isNull()) {
      if (required) {
        throw new IndexdUnavailableException("indexd's record " + asked + " has no " + field);
      }
      return List.of();
    }
    if (!list.isArray()) {
      throw new IndexdUnavailableException("indexd's record " + asked + " has a " + field
          + " that is not a list");
    }
    List<String> values = new ArrayList<>();
    for (JsonNode value : list) {
      if (!value.isTextual()) {
        throw new IndexdUnavailableException("indexd's record " + asked + " has a " + field
            + " entry that is not a string");
      }
      values.add(value.textValue());
    }
    return values;
  }
}
