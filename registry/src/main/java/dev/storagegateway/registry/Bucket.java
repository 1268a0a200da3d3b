package dev.storagegateway.registry;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/**
 * One registered bucket: where it lives, how the gateway gets credentials for it, and who may do
 * what with it. It never holds secret material, only references into a secrets backend.
 *
 * <p>{@code revision} starts at 1 and grows by one with every change; it is the entity tag of
 * the admin API and lets replicas discard an event older than what they already hold.
 */
public record Bucket(
    UUID id,
    String name,
    Provider provider,
    String region,
    String endpoint,
    AuthMode authMode,
    String roleArn,
    String externalId,
    String gcpServiceAccount,
    String secretsBackend,
    String secretRef,
    String secretVersion,
    String kmsKeyRef,
    BucketStatus status,
    String ownerProject,
    Map<String, String> labels,
    Set<Operation> allowedOps,
    List<PrefixBinding> prefixBindings,
    boolean requesterPays,
    boolean uploadAllowed,
    Instant createdAt,
    Instant updatedAt,
    long revision) {

  public Bucket {
    labels = labels == null
        ? Map.of()
        : java.util.Collections.unmodifiableMap(new TreeMap<>(labels));
    allowedOps = allowedOps == null
        ? java.util.Collections.unmodifiableSet(Operation.all())
        : java.util.Collections.unmodifiableSet(
            allowedOps.isEmpty() ? EnumSet.noneOf(Operation.class) : EnumSet.copyOf(allowedOps));
    prefixBindings = prefixBindings == null ? List.of() : List.copyOf(prefixBindings);
  }

  @JsonIgnore
  public boolean isActive() {
    return status == BucketStatus.ACTIVE;
  }

  public boolean allows(Operation operation) {
    return allowedOps.contains(operation);
  }

  public Builder toBuilder() {
    return new Builder(this);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Mutable assembly of a {@link Bucket}; used by the store, the admin API and tests. */
  public static final class Builder {
    private UUID id;
    private String name;
    private Provider provider;
    private String region;
    private String endpoint;
    private AuthMode authMode;
    private String roleArn;
    private String externalId;
    private String gcpServiceAccount;
    private String secretsBackend;
    private String secretRef;
    private String secretVersion;
    private String kmsKeyRef;
    private BucketStatus status = BucketStatus.ACTIVE;
    private String ownerProject;
    private Map<String, String> labels;
    private Set<Operation> allowedOps;
    private List<PrefixBinding> prefixBindings;
    private boolean requesterPays;
    private boolean uploadAllowed;
    private Instant createdAt;
    private Instant updatedAt;
    private long revision;

    private Builder() {}

    private Builder(Bucket b) {
      id = b.id;
      name = b.name;
      provider = b.provider;
      region = b.region;
      endpoint = b.endpoint;
      authMode = b.authMode;
      roleArn = b.roleArn;
      externalId = b.externalId;
      gcpServiceAccount = b.gcpServiceAccount;
      secretsBackend = b.secretsBackend;
      secretRef = b.secretRef;
      secretVersion = b.secretVersion;
      kmsKeyRef = b.kmsKeyRef;
      status = b.status;
      ownerProject = b.ownerProject;
      labels = b.labels;
      allowedOps = b.allowedOps;
      prefixBindings = b.prefixBindings;
      requesterPays = b.requesterPays;
      uploadAllowed = b.uploadAllowed;
      createdAt = b.createdAt;
      updatedAt = b.updatedAt;
      revision = b.revision;
    }

    public Builder id(UUID v) { id = v; return this; }
    public Builder name(String v) { name = v; return this; }
    public Builder provider(Provider v) { provider = v; return this; }
    public Builder region(String v) { region = v; return this; }
    public Builder endpoint(String v) { endpoint = v; return this; }
    public Builder authMode(AuthMode v) { authMode = v; return this; }
    public Builder roleArn(String v) { roleArn = v; return this; }
    public Builder externalId(String v) { externalId = v; return this; }
    public Builder gcpServiceAccount(String v) { gcpServiceAccount = v; return this; }
    public Builder secretsBackend(String v) { secretsBackend = v; return this; }
    public Builder secretRef(String v) { secretRef = v; return this; }
    public Builder secretVersion(String v) { secretVersion = v; return this; }
    public Builder kmsKeyRef(String v) { kmsKeyRef = v; return this; }
    public Builder status(BucketStatus v) { status = v; return this; }
    public Builder ownerProject(String v) { ownerProject = v; return this; }
    public Builder labels(Map<String, String> v) { labels = v; return this; }
    public Builder allowedOps(Set<Operation> v) { allowedOps = v; return this; }
    public Builder prefixBindings(List<PrefixBinding> v) { prefixBindings = v; return this; }
    public Builder requesterPays(boolean v) { requesterPays = v; return this; }
    public Builder uploadAllowed(boolean v) { uploadAllowed = v; return this; }
    public Builder createdAt(Instant v) { createdAt = v; return this; }
    public Builder updatedAt(Instant v) { updatedAt = v; return this; }
    public Builder revision(long v) { revision = v; return this; }

    public Bucket build() {
      return new Bucket(id, name, provider, region, endpoint, authMode, roleArn, externalId,
          gcpServiceAccount, secretsBackend, secretRef, secretVersion, kmsKeyRef, status,
          ownerProject, labels, allowedOps, prefixBindings, requesterPays, uploadAllowed,
          createdAt, updatedAt, revision);
    }
  }
}
