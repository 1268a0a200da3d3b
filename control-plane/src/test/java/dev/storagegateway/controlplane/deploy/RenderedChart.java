package dev.storagegateway.controlplane.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.type.LogicalType;

/**
 * The storage-gateway chart as Helm itself renders it (helm-java runs Helm's Go code), each
 * object read into the Kubernetes API's types: a field Kubernetes does not know is reported by
 * {@link #unknownFields()}, a scalar of the wrong type fails the read.
 */
final class RenderedChart {
  static final Path CHART =
      DeploymentFilesTest.repositoryRoot().resolve("deploy/helm/storage-gateway");
  static final String RELEASE = "sg";
  static final String NAMESPACE = "gen3";
  static final String FULLNAME = RELEASE + "-storage-gateway";
  /** Helm's own default (1.20) is older than the chart's kubeVersion. */
  private static final String KUBERNETES_VERSION = "1.31.0";

  /** The values the chart requires, as an operator with Arborist and PostgreSQL gives them. */
  static final Map<String, Object> REQUIRED = Map.of(
      "auth.tokenIssuer", "https://gen3.example.org/user",
      "auth.arboristUrl", "http://arborist-service",
      "controlPlane.database.jdbcUrl", "jdbc:postgresql://postgres:5432/storage_gateway",
      "controlPlane.database.user", "storage_gateway",
      "controlPlane.database.existingSecret", "sg-database",
      "dataPlane.sessions.keysSecret", "gen3/sg-session-keys");

  /**
   * Refuses what the API server refuses and Jackson would coerce: a number or boolean where a
   * string belongs ({@code value: 18000} in an env entry), a string where a number does.
   */
  private static final KubernetesSerialization KUBERNETES = new KubernetesSerialization(
      JsonMapper.builder()
          .withCoercionConfig(LogicalType.Textual, strings -> strings
              .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
              .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
              .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
          .withCoercionConfig(LogicalType.Integer, numbers -> numbers
              .setCoercion(CoercionInputShape.String, CoercionAction.Fail))
          .withCoercionConfig(LogicalType.Boolean, booleans -> booleans
              .setCoercion(CoercionInputShape.String, CoercionAction.Fail))
          .build(), true);
  private static final YAMLMapper YAML = new YAMLMapper();

  private final List<HasMetadata> objects;

  private RenderedChart(List<HasMetadata> objects) {
    this.objects = objects;
  }

  /** The chart with {@link #REQUIRED} and then {@code values} (dotted keys), after any files. */
  static RenderedChart render(Map<String, Object> values, Path... valuesFiles) {
    return new RenderedChart(read(template(values, valuesFiles).call()));
  }

  /**
   * NOTES.txt rendered with these values, as {@code helm install} prints it. {@code helm template}
   * leaves NOTES.txt out and a dry-run install asks a cluster, so a copy of the chart renders it
   * with Helm's {@code tpl} into a ConfigMap.
   */
  static String installNotes(Map<String, Object> values) {
    return onCopy(copy -> {
      Files.move(copy.resolve("templates/NOTES.txt"), copy.resolve("NOTES.txt"));
      Files.writeString(copy.resolve("templates/install-notes.yaml"), """
          apiVersion: v1
          kind: ConfigMap
          metadata: {name: install-notes}
          data:
            notes: |
              {{- tpl (.Files.Get "NOTES.txt") . | nindent 4 }}
          """);
      return new RenderedChart(read(template(new Helm(copy), values).call()))
          .configMapEntry("install-notes", "notes");
    });
  }

  /** Helm's message when a copy of the chart, changed by {@code edit}, refuses these values. */
  static String refusalOfCopy(Map<String, Object> values, ChartEdit edit) {
    return onCopy(copy -> {
      edit.apply(copy);
      try {
        template(new Helm(copy), values).call();
      } catch (IllegalStateException refused) {
        return refused.getMessage();
      }
      throw new AssertionError("the changed chart rendered " + values);
    });
  }

  /** A change made to a copy of the chart's files. */
  interface ChartEdit {
    void apply(Path chart) throws IOException;
  }

  private interface OnCopy<T> {
    T apply(Path chart) throws IOException;
  }

  private static <T> T onCopy(OnCopy<T> use) {
    Path copy = null;
    try {
      copy = Files.createTempDirectory("storage-gateway-chart");
      try (Stream<Path> files = Files.walk(CHART)) {
        for (Path file : files.toList()) {
          Path target = copy.resolve(CHART.relativize(file).toString());
          if (Files.isDirectory(file)) {
            Files.createDirectories(target);
          } else {
            Files.copy(file, target);
          }
        }
      }
      return use.apply(copy);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      delete(copy);
    }
  }

  private static void delete(Path tree) {
    if (tree == null) {
      return;
    }
    try (Stream<Path> files = Files.walk(tree)) {
      for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(file);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Helm's message when the chart refuses these values; fails if it renders them. */
  static String refusal(Map<String, Object> values) {
    try {
      template(values).call();
    } catch (IllegalStateException refused) {
      return refused.getMessage();
    }
    throw new AssertionError("the chart rendered " + values);
  }

  List<HasMetadata> objects() {
    return objects;
  }

  <T extends HasMetadata> List<T> all(Class<T> type) {
    return objects.stream().filter(type::isInstance).map(type::cast).toList();
  }

  <T extends HasMetadata> T named(Class<T> type, String name) {
    return all(type).stream().filter(object -> object.getMetadata().getName().equals(name))
        .findFirst().orElseThrow(() -> new AssertionError(
            "no " + type.getSimpleName() + " " + name + " in " + names()));
  }

  PodSpec pod(String deployment) {
    return named(Deployment.class, deployment).getSpec().getTemplate().getSpec();
  }

  String configMapEntry(String configMap, String key) {
    String value = named(ConfigMap.class, configMap).getData().get(key);
    if (value == null) {
      throw new AssertionError("ConfigMap " + configMap + " has no " + key);
    }
    return value;
  }

  /** Fields of any rendered object that its Kubernetes type does not have, by path. */
  List<String> unknownFields() {
    List<String> unknown = new ArrayList<>();
    for (HasMetadata object : objects) {
      collectUnknown(object, object.getKind() + " " + object.getMetadata().getName(), unknown);
    }
    return unknown;
  }

  static String yaml(HasMetadata object) {
    return KUBERNETES.asYaml(object);
  }

  List<String> names() {
    return objects.stream().map(o -> o.getKind() + " " + o.getMetadata().getName()).toList();
  }

  private static TemplateCommand template(Map<String, Object> values, Path... valuesFiles) {
    return template(new Helm(CHART), values, valuesFiles);
  }

  private static TemplateCommand template(Helm chart, Map<String, Object> values,
      Path... valuesFiles) {
    TemplateCommand template = chart.template().withName(RELEASE)
        .withNamespace(NAMESPACE).withKubeVersion(KUBERNETES_VERSION);
    for (Path file : valuesFiles) {
      template.withValuesFile(file);
    }
    Map<String, Object> all = new LinkedHashMap<>(REQUIRED);
    all.putAll(values);
    return template.withValuesFile(valuesFile(all));
  }

  /** Dotted keys as nested values, in a file: {@code --set} would make every value a string. */
  private static Path valuesFile(Map<String, Object> dotted) {
    Map<String, Object> nested = new LinkedHashMap<>();
    dotted.forEach((key, value) -> {
      Map<String, Object> parent = nested;
      String[] parts = key.split("\\.");
      for (int i = 0; i < parts.length - 1; i++) {
        @SuppressWarnings("unchecked")
        Map<String, Object> child = (Map<String, Object>)
            parent.computeIfAbsent(parts[i], part -> new LinkedHashMap<String, Object>());
        parent = child;
      }
      parent.put(parts[parts.length - 1], value);
    });
    try {
      Path file = Files.createTempFile("storage-gateway-values", ".yaml");
      file.toFile().deleteOnExit();
      YAML.writeValue(file.toFile(), nested);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<HasMetadata> read(String manifests) {
    List<HasMetadata> objects = new ArrayList<>();
    try (MappingIterator<JsonNode> documents = YAML.readValues(
        YAML.createParser(manifests), JsonNode.class)) {
      while (documents.hasNext()) {
        JsonNode document = documents.next();
        if (document != null && !document.isEmpty()) {
          objects.add(KUBERNETES.unmarshal(document.toString(), HasMetadata.class));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return objects;
  }

  /** Kubernetes' model types keep fields they do not declare in their additional properties. */
  private static void collectUnknown(Object value, String path, List<String> unknown) {
    if (value instanceof List<?> list) {
      for (int i = 0; i < list.size(); i++) {
        collectUnknown(list.get(i), path + "[" + i + "]", unknown);
      }
      return;
    }
    if (value instanceof Map<?, ?> map) {
      map.forEach((key, entry) -> collectUnknown(entry, path + "." + key, unknown));
      return;
    }
    if (!(value instanceof KubernetesResource)) {
      return;
    }
    for (Method getter : value.getClass().getMethods()) {
      if (getter.getParameterCount() != 0 || Modifier.isStatic(getter.getModifiers())
          || !getter.getName().startsWith("get") || getter.getName().equals("getClass")) {
        continue;
      }
      Object field = invoke(getter, value);
      if (getter.getName().equals("getAdditionalProperties")) {
        ((Map<?, ?>) field).keySet().forEach(key -> unknown.add(path + "." + key));
      } else {
        collectUnknown(field, path + "." + propertyName(getter), unknown);
      }
    }
  }

  private static Object invoke(Method getter, Object target) {
    try {
      return getter.invoke(target);
    } catch (IllegalAccessException | InvocationTargetException e) {
      throw new IllegalStateException(getter.toString(), e);
    }
  }

  private static String propertyName(Method getter) {
    String name = getter.getName().substring(3);
    return Character.toLowerCase(name.charAt(0)) + name.substring(1);
  }
}
