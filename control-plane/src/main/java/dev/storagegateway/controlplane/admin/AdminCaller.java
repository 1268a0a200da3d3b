package dev.storagegateway.controlplane.admin;

import dev.storagegateway.auth.AuthMapping;
import dev.storagegateway.auth.CallerIdentity;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The verified caller of one admin request, with what Arborist says of them asked at most once
 * for the request: a project owner's creation needs the registry permission in four checks and
 * the caller's whole mapping in two, and each would otherwise be a call to Arborist. Used by the
 * one thread that serves the request.
 */
final class AdminCaller {
  private final CallerIdentity identity;
  private final BooleanSupplier askRegistryAdmin;
  private final Supplier<AuthMapping> askMapping;
  private Boolean registryAdmin;
  private AuthMapping mapping;

  AdminCaller(CallerIdentity identity, BooleanSupplier askRegistryAdmin,
      Supplier<AuthMapping> askMapping) {
    this.identity = identity;
    this.askRegistryAdmin = askRegistryAdmin;
    this.askMapping = askMapping;
  }

  CallerIdentity identity() {
    return identity;
  }

  String username() {
    return identity.username();
  }

  /** Whether the caller holds the admin permission on the registry's resource. */
  boolean isRegistryAdmin() {
    if (registryAdmin == null) {
      registryAdmin = askRegistryAdmin.getAsBoolean();
    }
    return registryAdmin;
  }

  /** Everything Arborist grants the caller. */
  AuthMapping mapping() {
    if (mapping == null) {
      mapping = askMapping.get();
    }
    return mapping;
  }
}
