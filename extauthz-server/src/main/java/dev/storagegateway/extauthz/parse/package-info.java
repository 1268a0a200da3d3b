/**
 * Parses the request the proxy saw (method, authority, raw target, headers) into a {@link
 * dev.storagegateway.extauthz.parse.StorageRequest}: an {@link
 * dev.storagegateway.extauthz.parse.S3Request} for S3 and Cloud Storage's XML API, or a {@link
 * dev.storagegateway.extauthz.parse.gcs.GcsJsonRequest} for Cloud Storage's JSON API (package
 * {@code gcs}, which shares the strictness helpers here). It is the first step of the data
 * plane's pipeline, and the one every later decision trusts. Its contract:
 *
 * <ul>
 *   <li><b>Decode once.</b> The key and the query are percent-decoded exactly once, strictly: a
 *       {@code '%'} that does not start an escape, or bytes that are not UTF-8, are refused, never
 *       guessed at. {@code "%2541"} is the key {@code "%41"}. {@code '+'} is a space in the
 *       query and a plus in a Cloud Storage JSON API path; in an S3 key it is refused.
 *   <li><b>Refuse ambiguity.</b> Whatever two components could read two ways is refused with a
 *       {@link dev.storagegateway.extauthz.parse.MalformedRequestException} instead of being
 *       resolved: raw characters RFC 3986 does not allow, escaped or non-canonical bucket names,
 *       {@code .} and {@code ..} key segments, a leading {@code /} or an empty segment in a key
 *       or a listing prefix, a bare {@code +} in an S3 key, a raw {@code ;} in the query,
 *       control characters, a query parameter given
 *       twice, two subresources selecting different operations, a copy source on an operation
 *       that copies nothing, a query parameter the operation does not take (an S3-compatible
 *       storage may read it as another operation). Known operations the gateway does not offer
 *       are refused with 501 rather than taken for a plainer operation with a weaker action
 *       class.
 *   <li><b>Say where the names are.</b> Each request tells which objects it touches ({@link
 *       dev.storagegateway.extauthz.parse.AccessScope}): a key or prefix, the whole bucket when
 *       its names travel only in the body, or nothing for a Cloud Storage upload session.
 *   <li><b>Path-style upstream.</b> Virtual-hosted and path-style requests both become a
 *       path-style {@code upstreamPath} made of the client's own bytes, {@code /bucket} plus the
 *       key as the client encoded it, never re-encoded, so the upstream request names exactly
 *       the object that was authorized.
 * </ul>
 */
package dev.storagegateway.extauthz.parse;
