package dev.storagegateway.controlplane.validation;

import com.google.common.util.concurrent.ThreadFactoryBuilder;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The management plane's lookups of owner-chosen names (registration, the credential probe),
 * each waited for at most {@link #LIMIT}. A project owner controls the DNS of the names they
 * register and can make it answer slowly or never; looked up on the admin API's own worker, such
 * a name held the worker for the resolver's whole timeout, and a few requests at once held them
 * all. Here lookups run on a small pool of their own: one still running past the limit keeps a
 * thread of this pool, not the worker. Each {@link LookupShare} may have {@link #PER_SHARE}
 * lookups running or queued, until they end (the system resolver's timeout, not the limit), so
 * one caller's names that never answer, however many, take at most that many threads from
 * everyone else. When the share, or the pool and its queue, are full, the lookup is refused at
 * once rather than queued behind them.
 */
public final class BoundedLookups {
  public static final Duration LIMIT = Duration.ofSeconds(2);
  private static final int THREADS = 8;
  private static final int QUEUED = 32;
  static final int PER_SHARE = 2;
  private static final ThreadPoolExecutor POOL = new ThreadPoolExecutor(THREADS, THREADS,
      1, TimeUnit.MINUTES, new ArrayBlockingQueue<>(QUEUED),
      new ThreadFactoryBuilder().setNameFormat("registration-dns-%d").setDaemon(true).build());
  /** Lookups per share that have not ended yet, whether their callers still wait or not. */
  private static final ConcurrentHashMap<String, Integer> IN_FLIGHT = new ConcurrentHashMap<>();

  static {
    POOL.allowCoreThreadTimeOut(true);
  }

  private BoundedLookups() {
  }

  /**
   * The lookup did not end within the limit, or could not start now. Either may pass: DNS that
   * does not answer is not a name that does not exist, so callers report it as "try again".
   */
  public static final class Unanswered extends Exception {
    Unanswered(String message) {
      super(message, null, false, false);
    }
  }

  /**
   * {@code host}'s addresses from {@code resolver}, waited for at most {@link #LIMIT}.
   *
   * @param share whose share of the pool the lookup takes
   * @throws UnknownHostException when the name does not resolve, or the resolver failed on it
   * @throws Unanswered when it has not resolved within the limit or could not start now
   */
  public static List<InetAddress> resolve(HostResolver resolver, String host, LookupShare share)
      throws UnknownHostException, Unanswered {
    String key = share.key();
    if (!enter(key)) {
      throw new Unanswered("could not be looked up now: earlier endpoint lookups of yours have"
          + " not ended yet; retry in a few seconds");
    }
    CompletableFuture<List<InetAddress>> lookup = new CompletableFuture<>();
    try {
      POOL.execute(() -> {
        try {
          if (!lookup.isDone()) { // its caller may have given up while it waited in the queue
            lookup.complete(resolver.resolve(host));
          }
        } catch (Throwable e) {
          lookup.completeExceptionally(e);
        } finally {
          leave(key);
        }
      });
    } catch (RejectedExecutionException busy) {
      leave(key);
      throw new Unanswered("could not be looked up now: too many endpoint lookups are running;"
          + " retry in a few seconds");
    } catch (RuntimeException | Error notStarted) {
      leave(key);
      throw notStarted;
    }
    try {
      return lookup.get(LIMIT.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException slow) {
      throw new Unanswered("did not resolve within " + LIMIT.toSeconds() + " s; check its DNS,"
          + " or retry in a few seconds");
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
      throw new Unanswered("was not resolved: the request was interrupted");
    } catch (ExecutionException failed) {
      if (failed.getCause() instanceof UnknownHostException unknown) {
        throw unknown;
      }
      // A resolver that fails on a name fails on it again: not something a retry mends.
      throw new UnknownHostException(host + " (" + failed.getCause().getClass().getSimpleName()
          + ")");
    } finally {
      lookup.cancel(false); // a lookup still queued is then not run
    }
  }

  private static boolean enter(String key) {
    AtomicBoolean entered = new AtomicBoolean();
    IN_FLIGHT.compute(key, (share, running) -> {
      int now = running == null ? 0 : running;
      if (now >= PER_SHARE) {
        return running;
      }
      entered.set(true);
      return now + 1;
    });
    return entered.get();
  }

  private static void leave(String key) {
    IN_FLIGHT.computeIfPresent(key, (share, running) -> running == 1 ? null : running - 1);
  }
}
