package dev.storagegateway.extauthz.observe;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.benmanes.caffeine.cache.AsyncLoadingCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.storagegateway.extauthz.observe.AccessLog;
import dev.storagegateway.testlogging.CapturedLogs;
import org.junit.jupiter.api.Test;

/**
 * Libraries that log through {@link System.Logger} (Caffeine) reach the server's log, in its
 * format, rather than java.util.logging's two-line text on standard error.
 */
class PlatformLoggingTest {
  @Test
  void aFailedAsynchronousLoadIsLoggedThroughTheServersLog() {
    AsyncLoadingCache<String, String> cache = Caffeine.newBuilder().executor(Runnable::run)
        .buildAsync(key -> {
          throw new IllegalStateException("the secrets backend is down");
        });
    try (CapturedLogs logs = CapturedLogs.rootAnd(AccessLog.LOGGER_NAME)) {
      assertThat(cache.get("bucket")).isCompletedExceptionally();
      assertThat(logs.everything()).anySatisfy(line -> assertThat(line)
          .contains("Exception thrown during asynchronous load", "the secrets backend is down"));
    }
  }
}
