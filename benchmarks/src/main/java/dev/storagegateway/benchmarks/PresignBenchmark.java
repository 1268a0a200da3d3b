package dev.storagegateway.benchmarks;

import ch.qos.logback.classic.Level;
import dev.storagegateway.extauthz.check.IncomingRequest;
import dev.storagegateway.extauthz.presign.GcsSigningProbe;
import dev.storagegateway.extauthz.presign.PresignAnswer;
import dev.storagegateway.extauthz.presign.PresignedUrlApi;
import dev.storagegateway.extauthz.presign.RequestBody;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.LoggerFactory;

/**
 * Presigned download URLs per second per core with hot caches: the token verified, Arborist's
 * answer and the bucket's keys cached, the presigner built. Each call is the whole API step
 * ({@link PresignedUrlApi#answer}: identification, bucket rules, authorization, credentials,
 * S3Presigner, the JSON answer) in-process, without the HTTP server, so that the figure is the
 * gateway's own cost; the keys vary so that no answer is reused.
 *
 * <p>Then Cloud Storage V4 URLs signed with a service-account key ({@link GcsSigningProbe}):
 * the signing step alone, an RSA-2048 signature per URL, which costs far more than SigV4's HMACs.
 */
public final class PresignBenchmark {
  private static final long WARMUP_MS = 15_000;
  private static final long MEASURED_MS = 10_000;

  public static void main(String[] args) throws Exception {
    ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(
        org.slf4j.Logger.ROOT_LOGGER_NAME)).setLevel(Level.WARN);
    try (CheckGateway gateway = CheckGateway.start()) {
      PresignedUrlApi api = gateway.presignedUrls();
      String authorization = "Bearer " + gateway.token();
      int cores = Runtime.getRuntime().availableProcessors();
      run(api, authorization, cores, WARMUP_MS);
      double one = run(api, authorization, 1, MEASURED_MS);
      double all = run(api, authorization, cores, MEASURED_MS);
      System.out.printf("presigned URLs, hot caches: %,.0f/s on 1 thread; %,.0f/s on %d threads"
          + " = %,.0f/s per core%n", one, all, cores, all / cores);
    }
    GcsSigningProbe gcs = new GcsSigningProbe();
    measure(gcs, 1, WARMUP_MS);
    double one = measure(gcs, 1, MEASURED_MS);
    System.out.printf("Cloud Storage V4 URLs, service-account key: %,.0f/s on 1 thread%n", one);
  }

  private static double measure(GcsSigningProbe gcs, int threads, long millis)
      throws InterruptedException {
    return rate(threads, millis, (thread, n) -> gcs.sign("reads/" + thread + "/" + n + ".bam"));
  }

  private static double run(PresignedUrlApi api, String authorization, int threads, long millis)
      throws InterruptedException {
    return rate(threads, millis, (thread, n) -> {
      IncomingRequest request = new IncomingRequest("bench", "GET", "gateway",
          "/data/download/" + CheckGateway.BUCKET + "/reads/" + thread + "/" + n + ".bam",
          Map.of("authorization", authorization), Map.of());
      PresignAnswer answer;
      try {
        answer = api.answer(request, RequestBody.EMPTY);
      } catch (IOException cannotHappen) {
        throw new UncheckedIOException("an empty body cannot fail to read", cannotHappen);
      }
      if (answer.status() != 200) {
        throw new IllegalStateException("refused: " + answer.json());
      }
    });
  }

  /** One URL: the worker thread's number and its count so far, which vary the key. */
  private interface Signing {
    void sign(int thread, long n);
  }

  /** @return URLs per second over {@code millis} on {@code threads} threads */
  private static double rate(int threads, long millis, Signing signing)
      throws InterruptedException {
    LongAdder signed = new LongAdder();
    AtomicBoolean stop = new AtomicBoolean();
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int thread = t;
      Thread worker = new Thread(() -> {
        long n = 0;
        while (!stop.get()) {
          signing.sign(thread, n++);
          signed.increment();
        }
      });
      workers.add(worker);
      worker.start();
    }
    long started = System.nanoTime();
    Thread.sleep(millis);
    stop.set(true);
    for (Thread worker : workers) {
      worker.join();
    }
    return signed.sum() / ((System.nanoTime() - started) / 1e9);
  }
}
