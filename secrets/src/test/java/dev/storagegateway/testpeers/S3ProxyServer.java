package dev.storagegateway.testpeers;

import java.net.URI;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.gaul.s3proxy.AccessGrant;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;

/**
 * S3Proxy in process, verifying SigV4 on every request, with a key ring: keys can be added and
 * revoked while it runs, as a storage provider does during a rotation, and it remembers which
 * access key ids it has served.
 */
public final class S3ProxyServer implements AutoCloseable {
  private final S3Proxy proxy;
  private final Map<String, String> keys = new ConcurrentHashMap<>();
  private final Set<String> seen = ConcurrentHashMap.newKeySet();

  private S3ProxyServer(S3Proxy proxy) {
    this.proxy = proxy;
  }

  public static S3ProxyServer start(String accessKeyId, String secretAccessKey) {
    try {
      Properties properties = new Properties();
      properties.setProperty("jclouds.identity", accessKeyId);
      properties.setProperty("jclouds.credential", secretAccessKey);
      BlobStore blobs = BlobStores.create("transient", properties);
      S3Proxy proxy = S3Proxy.builder()
          .blobStore(blobs)
          .endpoint(URI.create("http://127.0.0.1:0"))
          .awsAuthentication(AuthenticationType.AWS_V4, accessKeyId, secretAccessKey)
          .ignoreUnknownHeaders(true)
          .build();
      S3ProxyServer server = new S3ProxyServer(proxy);
      server.keys.put(accessKeyId, secretAccessKey);
      proxy.setBlobStoreLocator((identity, container, blob) -> {
        String secret = identity == null ? null : server.keys.get(identity);
        if (secret == null) {
          return null;
        }
        server.seen.add(identity);
        return new AccessGrant(secret, blobs);
      });
      proxy.start();
      while (!"STARTED".equals(proxy.getState())) {
        Thread.sleep(10);
      }
      return server;
    } catch (Exception e) {
      throw new IllegalStateException("cannot start S3Proxy", e);
    }
  }

  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + proxy.getPort());
  }

  public void addKey(String accessKeyId, String secretAccessKey) {
    keys.put(accessKeyId, secretAccessKey);
  }

  public void revokeKey(String accessKeyId) {
    keys.remove(accessKeyId);
  }

  public Set<String> accessKeyIdsSeen() {
    return Set.copyOf(seen);
  }

  @Override
  public void close() {
    try {
      proxy.stop();
    } catch (Exception e) {
      throw new IllegalStateException("cannot stop S3Proxy", e);
    }
  }
}
