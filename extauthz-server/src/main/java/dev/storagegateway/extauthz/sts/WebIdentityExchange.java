package dev.storagegateway.extauthz.sts;

import dev.storagegateway.auth.ExpiredTokenException;
import dev.storagegateway.auth.Gen3TokenVerifier;
import dev.storagegateway.auth.IdentityProviderUnavailableException;
import dev.storagegateway.auth.InvalidTokenException;
import dev.storagegateway.auth.VerifiedToken;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code AssumeRoleWithWebIdentity} with a Gen3 access token as the web identity token: the token
 * is verified as every Bearer token is, and traded for session credentials of the same user.
 *
 * <p>The role ARN and session name are required and checked as AWS checks them, because the SDKs
 * and CLIs always send them, but grant nothing: what the session may do is what Arborist lets its
 * user do, request by request. Session policies, which would narrow that, are refused rather than
 * ignored.
 */
final class WebIdentityExchange {
  private static final Logger LOG = LoggerFactory.getLogger(WebIdentityExchange.class);
  private static final Pattern ROLE_ARN =
      Pattern.compile("arn:(aws[a-z-]*):iam::(\\d{12}):role/([\\w+=,.@/-]{1,512})");
  private static final Pattern SESSION_NAME = Pattern.compile("[\\w+=,.@-]{2,64}");
  /** The verifier's own limit, on the token without the line end a token file carries. */
  private static final int MAX_TOKEN_LENGTH = Gen3TokenVerifier.MAX_TOKEN_CHARS;

  private final Gen3TokenVerifier verifier;
  private final GatewaySessions sessions;
  private final SessionSettings settings;
  private final Clock clock;

  WebIdentityExchange(Gen3TokenVerifier verifier, GatewaySessions sessions,
      SessionSettings settings, Clock clock) {
    this.verifier = verifier;
    this.sessions = sessions;
    this.settings = settings;
    this.clock = clock;
  }

  StsXml.Assumed exchange(StsParameters parameters) {
    Matcher role = ROLE_ARN.matcher(parameters.require("RoleArn"));
    if (!role.matches()) {
      throw new StsException(StsError.validation("RoleArn must look like"
          + " arn:aws:iam::123456789012:role/NAME; any role name works, permissions come from"
          + " Gen3"));
    }
    String sessionName = parameters.require("RoleSessionName");
    if (!SESSION_NAME.matcher(sessionName).matches()) {
      throw new StsException(StsError.validation("RoleSessionName must be 2 to 64 letters,"
          + " digits or +=,.@_-"));
    }
    String token = parameters.require(StsParameters.TOKEN);
    if (token.strip().length() > MAX_TOKEN_LENGTH) {
      throw new StsException(StsError.validation("WebIdentityToken is longer than "
          + MAX_TOKEN_LENGTH + " characters"));
    }
    if (parameters.get("Policy") != null || parameters.hasAnyStartingWith("PolicyArns.")) {
      throw new StsException(StsError.validation("session policies (Policy, PolicyArns) are not"
          + " supported: what a session may do is decided by Gen3 (Arborist) for its user"));
    }
    Duration requested = duration(parameters.get("DurationSeconds"));

    VerifiedToken verified = verify(token);
    if (!verified.namesUser()) {
      // A session is asked about by user name (Arborist's user_id); the sub in its place would
      // name whichever Arborist user is called that.
      throw new StsException(StsError.invalidIdentityToken("the Gen3 access token names no user"
          + " (context.user.name), which a session needs to be authorized as; use an access"
          + " token Fence issued to a user"));
    }
    if (verified.caller().isNarrowed()) {
      // A session is asked about by user name, which would drop what the token's claims take
      // away from its user: an OAuth client's token would act with all of the user's rights.
      throw new StsException(StsError.invalidIdentityToken("the Gen3 access token is narrowed"
          + " by " + String.join(" and ", verified.caller().narrowedBy()) + ", which a session"
          + " cannot keep; use an access token Fence issued to the user (an API key's)"));
    }
    requireSealable("user name (context.user.name)", verified.caller().username());
    requireSealable("subject (sub)", verified.caller().subject());
    Instant now = clock.instant();
    Instant expiresAt = now.plus(requested);
    if (verified.expiresAt().isBefore(expiresAt)) {
      expiresAt = verified.expiresAt();
    }
    if (!expiresAt.isAfter(now)) {
      throw new StsException(StsError.expiredToken(
          "the Gen3 access token has expired; fetch a new one and retry"));
    }
    SessionCredentials credentials = sessions.issue(verified.caller().subject(),
        verified.caller().username(), expiresAt);
    LOG.info("Issued session {} to user '{}' until {}", credentials.accessKeyId(),
        verified.caller().username(), credentials.expiration());
    String partition = role.group(1);
    String account = role.group(2);
    String roleName = role.group(3).substring(role.group(3).lastIndexOf('/') + 1);
    return new StsXml.Assumed(credentials, verified.caller().subject(), verified.audience(),
        verified.issuer(),
        "arn:" + partition + ":sts::" + account + ":assumed-role/" + roleName + "/" + sessionName,
        roleId(role.group(0)) + ":" + sessionName);
  }

  /** A session token carries the names, each in at most {@link SessionTokens#MAX_NAME_BYTES}. */
  private static void requireSealable(String claim, String name) {
    if (name.getBytes(StandardCharsets.UTF_8).length > SessionTokens.MAX_NAME_BYTES) {
      throw new StsException(StsError.invalidIdentityToken("the Gen3 access token's " + claim
          + " is longer than " + SessionTokens.MAX_NAME_BYTES + " bytes of UTF-8, more than a"
          + " session can carry; send the token itself as 'Authorization: Bearer <token>'"
          + " instead of trading it for keys"));
    }
  }

  private Duration duration(String text) {
    if (text == null || text.isEmpty()) {
      return settings.defaultDuration();
    }
    long seconds;
    try {
      seconds = Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw new StsException(StsError.validation("DurationSeconds must be a whole number"));
    }
    if (seconds < SessionSettings.MIN.toSeconds()
        || seconds > settings.maxDuration().toSeconds()) {
      throw new StsException(StsError.validation("DurationSeconds must be between "
          + SessionSettings.MIN.toSeconds() + " and " + settings.maxDuration().toSeconds()
          + "; sessions never outlast the Gen3 token they are traded for"));
    }
    return Duration.ofSeconds(seconds);
  }

  private VerifiedToken verify(String token) {
    VerifiedToken verified;
    try {
      verified = verifier.verifyToken(token);
    } catch (ExpiredTokenException e) {
      throw new StsException(StsError.expiredToken(
          "the Gen3 access token has expired; fetch a new one and retry"));
    } catch (InvalidTokenException e) {
      throw new StsException(StsError.invalidIdentityToken(
          "the Gen3 access token was refused: " + e.getMessage()));
    } catch (IdentityProviderUnavailableException e) {
      throw new StsException(StsError.identityProviderUnreachable());
    }
    if (!verified.grantsData()) {
      throw new StsException(StsError.invalidIdentityToken(VerifiedToken.dataScopeMissing()));
    }
    return verified;
  }

  /** AWS-shaped ({@code AROA} and 17 base32 characters) and stable for one role ARN. */
  private static String roleId(String roleArn) {
    byte[] digest;
    try {
      digest = MessageDigest.getInstance("SHA-256")
          .digest(roleArn.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    StringBuilder id = new StringBuilder("AROA");
    for (int i = 0; i < 17; i++) {
      id.append(alphabet.charAt((digest[i] & 0xff) % 32));
    }
    return id.toString();
  }
}
