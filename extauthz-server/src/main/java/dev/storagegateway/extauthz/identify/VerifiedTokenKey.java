package dev.storagegateway.extauthz.identify;

/**
 * A Gen3 token as the key of the verified-token cache. Its hash covers only the token's last
 * {@value #HASHED_CHARACTERS} characters, the end of its RS256 signature: hashing all of a
 * token of some 800 characters cost a Check more than the rest of the lookup, and only verified
 * tokens are ever stored, so their signature ends are as random as the whole. Equality still
 * compares the whole token.
 */
final class VerifiedTokenKey {
  static final int HASHED_CHARACTERS = 32;

  private final String token;
  private final int hash;

  VerifiedTokenKey(String token) {
    this.token = token;
    int h = 0;
    for (int i = Math.max(0, token.length() - HASHED_CHARACTERS); i < token.length(); i++) {
      h = 31 * h + token.charAt(i);
    }
    this.hash = h;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof VerifiedTokenKey key && key.hash == hash && key.token.equals(token);
  }

  @Override
  public int hashCode() {
    return hash;
  }

  @Override
  public String toString() {
    return "VerifiedTokenKey[hash " + hash + "]";
  }
}
