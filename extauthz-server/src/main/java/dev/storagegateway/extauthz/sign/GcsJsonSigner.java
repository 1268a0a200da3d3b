package dev.storagegateway.extauthz.sign;

import dev.storagegateway.credentials.AwsKeys;
import dev.storagegateway.credentials.BucketCredentials;
import dev.storagegateway.credentials.GoogleAccessToken;
import dev.storagegateway.extauthz.check.CheckDenied;
import dev.storagegateway.extauthz.check.DenialReason;
import dev.storagegateway.extauthz.check.HeaderMutations;
import dev.storagegateway.extauthz.check.IncomingRequest;
import dev.storagegateway.extauthz.parse.RawQuery;
import dev.storagegateway.extauthz.parse.gcs.GcsJsonRequest;
import dev.storagegateway.registry.Bucket;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Step 6 for Cloud Storage's JSON API: the caller's Gen3 token is replaced by the bucket's OAuth
 * access token ({@code Authorization: Bearer}); path and query reach the upstream as the client
 * sent them, except {@code userProject}, which the gateway sets to the bucket's billing project
 * on requester-pays buckets and drops elsewhere (its credentials pay, so it decides who is billed),
 * and a presigned request's credentials, which the pipeline drops for every API.
 * Public buckets and resumable-upload sessions are forwarded without credentials.
 *
 * <p>HMAC keys cannot sign JSON API requests (Cloud Storage accepts them only on its XML API),
 * so a bucket holding them is refused here with what to use instead.
 */
public final class GcsJsonSigner {
  /** The query parameter that names the project billed, on the JSON and the XML API. */
  public static final String USER_PROJECT = "userProject";
  private static final String AUTHORIZATION = "authorization";
  /** A client's own billing choice: the gateway's credentials pay, so the gateway chooses. */
  private static final List<String> CLIENT_BILLING_HEADERS = List.of(RequesterPaysHeader.GOOGLE);

  private final GoogleTokenUse googleTokens;

  public GcsJsonSigner(GoogleTokenUse googleTokens) {
    this.googleTokens = googleTokens;
  }

  public HeaderMutations sign(IncomingRequest request, GcsJsonRequest gcs, Bucket bucket,
      BucketCredentials credentials) {
    if (credentials instanceof AwsKeys) {
      throw new CheckDenied(DenialReason.UNSUPPORTED_API_FOR_BUCKET, "bucket '" + bucket.name()
          + "' is reached with HMAC keys, which Cloud Storage accepts only on its XML API:"
          + " address objects as /" + bucket.name() + "/<object> instead of the JSON API, or"
          + " ask an administrator to give the bucket a service account");
    }
    String host = UpstreamHost.of(bucket, request.routeSettings());
    Map<String, String> set = new LinkedHashMap<>();
    set.put("host", host);
    List<String> remove = new ArrayList<>(present(request, CLIENT_BILLING_HEADERS));
    // A SigV4 caller's session token is a credential of the gateway's own; the rest of its
    // signature means nothing upstream.
    remove.addAll(present(request, UpstreamSigner.SIGNER_HEADERS));
    Map<String, String> setQuery = new LinkedHashMap<>();
    List<String> removeQuery = new ArrayList<>();
    if (credentials instanceof GoogleAccessToken token) {
      googleTokens.require(bucket, host);
      set.put(AUTHORIZATION, "Bearer " + token.token());
      billTheBucketsProject(request, gcs, bucket, setQuery, removeQuery);
    } else {
      // Unsigned: the caller's Gen3 token is nobody's business upstream.
      remove.addAll(present(request, List.of(AUTHORIZATION)));
    }
    return new HeaderMutations(set, remove, setQuery, removeQuery);
  }

  private static void billTheBucketsProject(IncomingRequest request, GcsJsonRequest gcs,
      Bucket bucket, Map<String, String> setQuery, List<String> removeQuery) {
    String wanted = bucket.requesterPays() ? BillingProject.require(bucket) : null;
    String sent = gcs.query().get(USER_PROJECT);
    if (Objects.equals(wanted, sent)) {
      return;
    }
    if (request.queryIsFixed()) {
      throw new CheckDenied(DenialReason.USER_PROJECT_MISMATCH, wanted == null
          ? "bucket '" + bucket.name() + "' is not requester-pays: send no userProject (the"
              + " gateway's credentials pay, and this proxy cannot remove it)"
          : "bucket '" + bucket.name() + "' is requester-pays and the gateway bills project '"
              + wanted + "': send userProject=" + wanted + " (this proxy cannot add it)");
    }
    // Proxies match the names to remove as written and Cloud Storage decodes them, so an encoded
    // name (user%50roject) is removed as written; Envoy removes after it sets, so a set name is
    // never among them.
    List<String> written = RawQuery.namesIn(request.rawTarget(), Set.of(USER_PROJECT));
    if (wanted == null) {
      removeQuery.addAll(written);
    } else {
      setQuery.put(USER_PROJECT, wanted);
      written.stream().filter(name -> !name.equals(USER_PROJECT)).forEach(removeQuery::add);
    }
  }

  private static List<String> present(IncomingRequest request, List<String> names) {
    return names.stream().filter(name -> request.header(name) != null).toList();
  }
}
