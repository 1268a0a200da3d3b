package dev.storagegateway.httpserver;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.lang.reflect.Field;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import org.junit.jupiter.api.Test;

/**
 * The settings the JDK server took, read back from it (its {@code ServerConfig}, opened to this
 * module's tests in the pom): what counts is what the server uses, not what the properties say.
 */
class JdkHttpServerTest {
  /** Workers must not keep a process alive whose servers have stopped. */
  @Test
  void workersAreNamedDaemonThreads() throws Exception {
    ExecutorService workers = JdkHttpServer.workers(2, "test-http");
    try {
      Thread worker = workers.submit(Thread::currentThread).get();

      assertThat(worker.isDaemon()).isTrue();
      assertThat(worker.getName()).isEqualTo("test-http");
    } finally {
      workers.shutdownNow();
    }
  }

  @Test
  void everyServerRunsWithoutNagleAndDropsRequestsThatTakeOverAMinute() throws Exception {
    HttpServer server = JdkHttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.stop(0);

    Class<?> config = Class.forName("sun.net.httpserver.ServerConfig");
    assertThat(read(config, "noDelay")).isEqualTo(true);
    assertThat(read(config, "maxReqTime"))
        .isEqualTo(Long.parseLong(JdkHttpServer.MAX_REQUEST_SECONDS));
  }

  private static Object read(Class<?> type, String name) throws ReflectiveOperationException {
    Field field = type.getDeclaredField(name);
    field.setAccessible(true);
    return field.get(null);
  }
}
