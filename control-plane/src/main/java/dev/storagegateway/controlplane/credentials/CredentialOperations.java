package dev.storagegateway.controlplane.credentials;

/** The management plane's credential flows, as the admin API needs them. */
public record CredentialOperations(SecretProvisioning provisioning, CredentialRotation rotation,
    CredentialCheck check, CredentialHealth health) {
}
