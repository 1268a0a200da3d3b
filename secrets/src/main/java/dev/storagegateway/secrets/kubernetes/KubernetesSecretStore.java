package dev.storagegateway.secrets.kubernetes;

import dev.storagegateway.secrets.ResolvedSecret;
import dev.storagegateway.secrets.SecretAccessDeniedException;
import dev.storagegateway.secrets.SecretAlreadyExistsException;
import dev.storagegateway.secrets.SecretNotFoundException;
import dev.storagegateway.secrets.SecretPayload;
import dev.storagegateway.secrets.SecretRequestRefusedException;
import dev.storagegateway.secrets.SecretStore;
import dev.storagegateway.secrets.SecretsBackend;
import dev.storagegateway.secrets.SecretsBackendUnavailableException;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Kubernetes Secrets. A reference is {@code <namespace>/<secret-name>}; each key of the Secret is
 * one payload field. Only the namespaces this store was given may be read or created in, so a
 * registry entry cannot point the gateway at another tenant's Secrets even when RBAC would allow
 * it; by default that is the pod's own namespace. Within them only Secrets meant for the gateway
 * are read: those it created ({@value #MANAGED_BY_LABEL}={@value #MANAGED_BY}) and those an
 * operator labelled {@value #READABLE_LABEL}={@code true} (bucket keys, the data plane's session
 * keys). A namespace also holds Secrets of
 * other kinds (the release namespace holds the registry database's password), and a
 * {@code secret_ref} naming one would otherwise hand it to the signer.
 *
 * <p>Kubernetes keeps no history of a Secret, so the version is its {@code resourceVersion}: a
 * pinned version is served only while the Secret still holds it, and is not found once the Secret
 * changes. {@code latest}, like no version, reads whatever the Secret holds now.
 */
public final class KubernetesSecretStore implements SecretStore, AutoCloseable {
  /** Comma-separated namespaces the store may use, instead of the pod's own. */
  public static final String NAMESPACES_ENV = "GATEWAY_KUBERNETES_SECRET_NAMESPACES";
  /** Where Kubernetes tells a pod its namespace. */
  public static final Path POD_NAMESPACE_FILE =
      Path.of("/var/run/secrets/kubernetes.io/serviceaccount/namespace");
  /** The label that lets the gateway read a Secret it did not create (bucket or session keys). */
  public static final String READABLE_LABEL = "storage-gateway.dev/readable";
  static final String MANAGED_BY_LABEL = "app.kubernetes.io/managed-by";
  static final String MANAGED_BY = "storage-gateway";

  // What the API server accepts as a key of a Secret's data.
  private static final Pattern DATA_KEY = Pattern.compile("[-._a-zA-Z0-9]+");

  private final KubernetesClient client;
  private final SortedSet<String> namespaces;

  /**
   * A store that uses {@code client} in {@code namespaces} only.
   *
   * @throws IllegalArgumentException when no namespace is allowed, since such a store refuses all
   */
  public KubernetesSecretStore(KubernetesClient client, Set<String> namespaces) {
    if (namespaces.isEmpty()) {
      throw new IllegalArgumentException("the Kubernetes secrets backend needs at least one"
          + " namespace; set " + NAMESPACES_ENV);
    }
    this.client = client;
    this.namespaces = Collections.unmodifiableSortedSet(new TreeSet<>(namespaces));
  }

  /**
   * A store on the in-cluster (or kubeconfig) client, allowed the namespaces of
   * {@value #NAMESPACES_ENV}, else the pod's own.
   */
  public static KubernetesSecretStore fromEnvironment(Map<String, String> env) {
    return new KubernetesSecretStore(
        new KubernetesClientBuilder().withConfig(clientConfig()).build(),
        allowedNamespaces(env, POD_NAMESPACE_FILE));
  }

  /**
   * The in-cluster (or kubeconfig) settings, with one retry and a 5 s limit per call: fabric8's
   * defaults retry ten times over about 20 s, and a credential load waits on every call. The API
   * server's certificate is always verified, whatever {@code KUBERNETES_TRUST_CERTIFICATES} or
   * a kubeconfig say: the answers are bucket secrets.
   */
  static Config clientConfig() {
    Config config = Config.autoConfigure(null);
    config.setRequestRetryBackoffLimit(1);
    config.setRequestTimeout(5_000);
    config.setTrustCerts(false);
    config.setDisableHostnameVerification(false);
    return config;
  }

  /**
   * The namespaces of {@value #NAMESPACES_ENV} when set, else the one in
   * {@code podNamespaceFile}.
   *
   * @throws IllegalStateException when neither names a namespace
   */
  static Set<String> allowedNamespaces(Map<String, String> env, Path podNamespaceFile) {
    String configured = env.getOrDefault(NAMESPACES_ENV, "");
    Set<String> namespaces = Arrays.stream(configured.split(","))
        .map(String::strip)
        .filter(namespace -> !namespace.isEmpty())
        .collect(Collectors.toCollection(TreeSet::new));
    if (!namespaces.isEmpty()) {
      return namespaces;
    }
    try {
      String own = Files.readString(podNamespaceFile).strip();
      if (!own.isEmpty()) {
        return Set.of(own);
      }
    } catch (IOException e) {
      // Not running in a pod; the message below says what to do instead.
    }
    throw new IllegalStateException("the Kubernetes secrets backend does not know which"
        + " namespaces it may use: set " + NAMESPACES_ENV + " or run it in a pod");
  }

  @Override
  public SecretsBackend backend() {
    return SecretsBackend.KUBERNETES;
  }

  /**
   * Reads the Secret's {@code data}, base64-decoded, and its {@code stringData} when the server
   * kept it (a real API server folds it into {@code data}; where both hold a key, stringData
   * wins, as it does on the server).
   */
  @Override
  public ResolvedSecret read(String reference, String version) {
    SecretName name = allowed(reference);
    Secret secret = call(reference, version,
        () -> client.secrets().inNamespace(name.namespace()).withName(name.name()).get());
    if (secret == null) {
      throw new SecretNotFoundException(backend(), reference, version);
    }
    if (!meantForTheGateway(secret)) {
      throw new SecretAccessDeniedException(backend(), reference, "the Secret is not labelled"
          + " for the gateway; if it is meant for the gateway, run: kubectl label secret -n "
          + name.namespace() + " " + name.name() + " " + READABLE_LABEL + "=true");
    }
    String current = secret.getMetadata().getResourceVersion();
    if (version != null && !version.equals("latest") && !version.equals(current)) {
      throw new SecretNotFoundException(backend(), reference, version);
    }
    Map<String, String> fields = new LinkedHashMap<>();
    if (secret.getData() != null) {
      secret.getData().forEach((key, encoded) -> fields.put(key, decode(reference, key, encoded)));
    }
    if (secret.getStringData() != null) {
      fields.putAll(secret.getStringData());
    }
    return ResolvedSecret.of(SecretPayload.of(fields), current);
  }

  private static boolean meantForTheGateway(Secret secret) {
    Map<String, String> labels = secret.getMetadata().getLabels();
    return labels != null && ("true".equals(labels.get(READABLE_LABEL))
        || MANAGED_BY.equals(labels.get(MANAGED_BY_LABEL)));
  }

  /** Creates the Secret; the API server refuses a name in use (409), whoever's Secret it is. */
  @Override
  public String create(String reference, SecretPayload payload) {
    SecretName name = allowed(reference);
    Secret secret = opaque(name, payload);
    try {
      return call(reference, null, () -> client.secrets().inNamespace(name.namespace())
          .resource(secret).create()).getMetadata().getResourceVersion();
    } catch (SecretsBackendUnavailableException e) {
      if (e.getCause() instanceof KubernetesClientException refused && refused.getCode() == 409) {
        throw new SecretAlreadyExistsException(backend(), reference);
      }
      throw e;
    }
  }

  @Override
  public void delete(String reference) {
    SecretName name = allowed(reference);
    call(reference, null, () -> client.secrets().inNamespace(name.namespace())
        .withName(name.name()).delete());
  }

  /**
   * An Opaque Secret labelled as the gateway's, holding exactly {@code payload}. Both labels: an
   * operator who copies it keeps {@value #READABLE_LABEL}, which Helm's and other tools'
   * {@value #MANAGED_BY_LABEL} would replace.
   */
  private static Secret opaque(SecretName name, SecretPayload payload) {
    Map<String, String> data = new LinkedHashMap<>();
    payload.fields().forEach((key, value) -> {
      if (!DATA_KEY.matcher(key).matches()) {
        throw new IllegalArgumentException("'" + key + "' cannot be a key of a Kubernetes Secret;"
            + " keys are letters, digits, '-', '_' and '.'");
      }
      data.put(key, Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8)));
    });
    return new SecretBuilder()
        .withNewMetadata()
            .withNamespace(name.namespace())
            .withName(name.name())
            .addToLabels(MANAGED_BY_LABEL, MANAGED_BY)
            .addToLabels(READABLE_LABEL, "true")
        .endMetadata()
        .withType("Opaque")
        .withData(data)
        .build();
  }

  @Override
  public void close() {
    client.close();
  }

  /** The namespace and name of {@code reference}, once it is known to be allowed. */
  private SecretName allowed(String reference) {
    if (reference == null || !backend().accepts(reference)) {
      throw new IllegalArgumentException("'" + reference + "' is not a Kubernetes Secret"
          + " reference; expected " + backend().referenceShape());
    }
    String[] parts = reference.split("/");
    if (!namespaces.contains(parts[0])) {
      throw new SecretAccessDeniedException(backend(), reference, "namespace '" + parts[0]
          + "' is not one this gateway may use (" + String.join(", ", namespaces)
          + "); see " + NAMESPACES_ENV);
    }
    return new SecretName(parts[0], parts[1]);
  }

  private String decode(String reference, String key, String encoded) {
    try {
      return new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      // The decoder's message quotes a character of the value, so it is not kept as the cause.
      throw new SecretsBackendUnavailableException(backend(), reference,
          new IllegalStateException("the value of '" + key + "' is not base64"));
    }
  }

  private <T> T call(String reference, String version, Supplier<T> request) {
    try {
      return request.get();
    } catch (KubernetesClientException e) {
      int code = e.getCode();
      if (code == 404) {
        throw new SecretNotFoundException(backend(), reference, version);
      }
      if (code == 401 || code == 403) {
        throw new SecretAccessDeniedException(backend(), reference, "HTTP " + code
            + " (the service account needs get on secrets there; the control plane also create,"
            + " and delete to take back a failed creation's Secret)");
      }
      if (code == 400 || code == 413 || code == 422) {
        // The API server's Status message may quote the object sent: the code alone.
        throw new SecretRequestRefusedException(backend(), reference, "HTTP " + code
            + " (the API server refused the Secret as invalid: too large, or a name or key it"
            + " does not admit)");
      }
      // Connection failures (no code), 5xx, 429 and conflicting writers: trying later may work.
      throw new SecretsBackendUnavailableException(backend(), reference, e);
    }
  }

  private record SecretName(String namespace, String name) {
  }
}
