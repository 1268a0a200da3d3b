package dev.storagegateway.registry;

import com.hazelcast.cluster.ClusterState;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceNotActiveException;
import com.hazelcast.core.LifecycleEvent.LifecycleState;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Tells a server that its registry member stopped without the server asking. Any member of the
 * cluster, a program that only knows its name included, can order every member to shut down
 * ({@code Cluster.shutdown}). A stopped member never starts again, so a server left holding one
 * is unready for good (a data plane) or publishes nothing (a control plane): it must stop, so
 * that its supervisor starts it again and it joins anew. (Hazelcast's own stop after an {@code
 * OutOfMemoryError} fires no event; the images run with {@code -XX:+ExitOnOutOfMemoryError}.)
 *
 * <p>Close this before shutting the member down on purpose; a member stopped after that is not
 * reported.
 */
public final class MemberLoss implements AutoCloseable {
  private final HazelcastInstance member;
  private final UUID listener;

  private MemberLoss(HazelcastInstance member, UUID listener) {
    this.member = member;
    this.listener = listener;
  }

  /**
   * @param stop told, once, why the member stopped; called on a Hazelcast thread, so it should
   *     only wake whoever closes the server
   */
  public static MemberLoss watch(HazelcastInstance member, Consumer<String> stop) {
    String name = member.getName();
    AtomicReference<ClusterState> lastState = new AtomicReference<>(ClusterState.ACTIVE);
    UUID listener = member.getLifecycleService().addLifecycleListener(event -> {
      if (event.getState() == LifecycleState.SHUTTING_DOWN) {
        // Read while it can be: a cluster-wide shutdown makes the cluster PASSIVE first.
        lastState.set(member.getCluster().getClusterState());
      } else if (event.getState() == LifecycleState.SHUTDOWN) {
        stop.accept("the registry member " + name + " stopped without this server asking ("
            + (lastState.get() == ClusterState.PASSIVE
                ? "a member of the registry cluster shut the whole cluster down"
                : "Hazelcast stopped it")
            + "); this server cannot serve without it and stops to be started again");
      }
    });
    return new MemberLoss(member, listener);
  }

  @Override
  public void close() {
    try {
      member.getLifecycleService().removeLifecycleListener(listener);
    } catch (HazelcastInstanceNotActiveException e) {
      // Stopped already, and reported: nothing is left to listen to.
    }
  }
}
