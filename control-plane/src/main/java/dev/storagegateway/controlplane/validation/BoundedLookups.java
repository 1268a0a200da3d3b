package dev.storagegateway.controlplane.validation;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Registration's name lookups, each waited for at most {@link #LIMIT}. A project owner controls
 * the DNS of the names they register and can make it answer slowly or never; looked up on the
 * admin API's own worker, such a name held the worker for the resolver's whole timeout, and a
 * few requests at once held them all. Here lookups run on a small pool of their own: one still
 * running past the limit keeps a thread of this pool, not the worker, and when the pool and its
 * queue are full a registration is refused at once rather than queued behind them.
 */
final class BoundedLookups {
  static final Duration LIMIT = Duration.ofSeconds(2);
  private static final int THREADS = 8;
  private static final int QUEUED = 32;
  private static final AtomicInteger NAMES = new AtomicInteger();
  private static final ThreadPoolExecutor POOL = new ThreadPoolExecutor(THREADS, THREADS,
      1, TimeUnit.MINUTES, new ArrayBlockingQueue<>(QUEUED), runnable -> {
        Thread thread = new Thread(runnable, "registration-dns-" + NAMES.incrementAndGet());
        thread.setDaemon(true);
        return thread;
      });

  static {
    POOL.allowCoreThreadTimeOut(true);
  }

  private BoundedLookups() {
  }

  /** The lookup did not end within the limit, or could not start: too many were running. */
  static final class Unanswered extends Exception {
    Unanswered(String message) {
      super(message, null, false, false);
    }
  }

  /**
   * {@code host}'s addresses from {@code resolver}, waited for at most {@code limit}.
   *
   * @throws UnknownHostException when the name does not resolve
   * @throws Unanswered when it has not resolved within the limit or no lookup could start
   */
  static List<InetAddress> resolve(HostResolver resolver, String host, Duration limit)
      throws UnknownHostException, Unanswered {
    CompletableFuture<List<InetAddress>> lookup = new CompletableFuture<>();
    try {
      POOL.execute(() -> {
        if (lookup.isDone()) {
          return; // its caller gave up while it waited in the queue
        }
        try {
          lookup.complete(resolver.resolve(host));
        } catch (Throwable e) {
          lookup.completeExceptionally(e);
        }
      });
    } catch (RejectedExecutionException busy) {
      throw new Unanswered("could not be looked up now: too many endpoint lookups are running;"
          + " retry in a few seconds");
    }
    try {
      return lookup.get(limit.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException slow) {
      lookup.cancel(false);
      throw new Unanswered("did not resolve within " + limit.toSeconds() + " s; check its DNS");
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
      throw new Unanswered("was not resolved: the request was interrupted");
    } catch (ExecutionException failed) {
      if (failed.getCause() instanceof UnknownHostException unknown) {
        throw unknown;
      }
      throw new Unanswered("could not be resolved (" + failed.getCause().getClass()
          .getSimpleName() + ")");
    }
  }
}
