package dev.storagegateway.controlplane;

import dev.storagegateway.auth.Arborist;
import dev.storagegateway.auth.AuthMapping;
import dev.storagegateway.auth.AuthorizationRequest;
import dev.storagegateway.auth.CallerIdentity;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** An Arborist that answers as the one it wraps and notes every question it was asked. */
final class CountingArborist implements Arborist {
  private final Arborist answering;
  private final List<String> asked = new CopyOnWriteArrayList<>();

  CountingArborist(Arborist answering) {
    this.answering = answering;
  }

  @Override
  public boolean isAllowed(AuthorizationRequest request) {
    asked.add("auth/request " + request.caller().username() + " " + request.resourcePath());
    return answering.isAllowed(request);
  }

  @Override
  public AuthMapping mappingFor(CallerIdentity caller) {
    asked.add("auth/mapping " + caller.username());
    return answering.mappingFor(caller);
  }

  /** The questions since the last call, in order: {@code auth/request <user> <path>}, ... */
  List<String> takeAsked() {
    List<String> taken = List.copyOf(asked);
    asked.clear();
    return taken;
  }
}
