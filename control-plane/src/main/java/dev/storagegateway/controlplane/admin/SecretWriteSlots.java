package dev.storagegateway.controlplane.admin;

import dev.storagegateway.controlplane.store.Database;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * How many {@code create_secret} requests may wait on a secrets backend at once. Each one holds
 * one of the registry's database connections, the new name's row and, for a project owner,
 * the project's lock, until the backend answers: up to its call limit of 12 s, or a few of them
 * for a create that takes several calls. Unbounded, a backend that hangs would take every
 * connection, and with them every read and write of the admin API, the cluster's loading of the
 * registry and the retries of its publication.
 *
 * <p>A request that finds no slot waits for one briefly, holding nothing else meanwhile: when
 * the backend is well, a slot frees in a fraction of a second (owners racing for their project's
 * last places queue on its lock anyway). When it is not, the request is refused with 503.
 */
final class SecretWriteSlots {
  /** A slow backend takes a quarter of the connections at most. */
  static final int SLOTS = Database.POOL_SIZE / 4;
  /** Short, since a waiting request holds one of the admin API's threads. */
  private static final Duration WAIT = Duration.ofSeconds(2);
  /** The backends' call limit: a slot is likely to be free again by then. */
  static final Duration RETRY_AFTER = Duration.ofSeconds(12);

  private final Semaphore free = new Semaphore(SLOTS);

  /** A slot, given back by {@link Slot#close()}. */
  Slot take() {
    try {
      if (free.tryAcquire(WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
        return free::release;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    throw ApiException.unavailable("the secrets backends are slow: " + SLOTS + " create_secret"
        + " requests are waiting on them, and this one waited " + WAIT.toSeconds() + " s for its"
        + " turn; nothing was changed, retry after " + RETRY_AFTER.toSeconds() + " s",
        RETRY_AFTER);
  }

  /** A taken slot; closing it gives it back. */
  interface Slot extends AutoCloseable {
    @Override
    void close();
  }
}
