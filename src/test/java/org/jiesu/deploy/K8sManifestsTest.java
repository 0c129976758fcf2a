package org.jiesu.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.openshift.api.model.monitoring.v1.PodMonitor;
import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.Draft;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.JsonSchemaOptions;
import io.vertx.json.schema.OutputUnit;
import io.vertx.json.schema.Validator;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The {@code k8s/} overlays render, every object they make is a valid Kubernetes (or operator) object, and the
 * production shape holds: non-root, read-only, probed, sized, secrets only by reference, PostgreSQL with
 * synchronous standbys. Rendering uses {@code kubectl kustomize} (or {@code kustomize build}) found on the
 * PATH; on a machine with neither, {@link Kustomize} renders the same files in Java (the subset of kustomize
 * these files use), so the checks never silently shrink.
 */
class K8sManifestsTest {

  static final Path K8S = Path.of("k8s");
  static final List<String> OVERLAYS = List.of("dev", "prod");

  /** Each kind this repository ships, and the model class that knows its schema. */
  static final Map<String, Class<? extends KubernetesResource>> MODELS = Map.of(
      "v1/ServiceAccount", ServiceAccount.class,
      "v1/ConfigMap", ConfigMap.class,
      "v1/Service", Service.class,
      "apps/v1/Deployment", Deployment.class,
      "policy/v1/PodDisruptionBudget", PodDisruptionBudget.class,
      "autoscaling/v2/HorizontalPodAutoscaler", HorizontalPodAutoscaler.class,
      "networking.k8s.io/v1/NetworkPolicy", NetworkPolicy.class,
      "monitoring.coreos.com/v1/PodMonitor", PodMonitor.class,
      "monitoring.coreos.com/v1/PrometheusRule", PrometheusRule.class);

  static final ObjectMapper MAPPER = new ObjectMapper()
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

  @ParameterizedTest
  @ValueSource(strings = {"dev", "prod"})
  void everyObjectMatchesItsSchema(String overlay) throws Exception {
    List<Map<String, Object>> objects = render(overlay);
    assertThat(objects).extracting(K8sManifestsTest::kindOf).contains("apps/v1/Deployment", "v1/Service",
        "policy/v1/PodDisruptionBudget", "autoscaling/v2/HorizontalPodAutoscaler", "networking.k8s.io/v1/NetworkPolicy",
        "v1/ConfigMap", "postgresql.cnpg.io/v1/Cluster", "postgresql.cnpg.io/v1/ScheduledBackup",
        "monitoring.coreos.com/v1/PodMonitor", "monitoring.coreos.com/v1/PrometheusRule");
    Validator cluster = clusterValidator();
    for (Map<String, Object> object : objects) {
      String kind = kindOf(object);
      if (kind.equals("postgresql.cnpg.io/v1/Cluster")) {
        OutputUnit result = cluster.validate(new JsonObject(object).copy());
        assertThat(result.getValid()).as("Cluster against the CloudNativePG CRD: %s", result.getErrors()).isTrue();
        continue;
      }
      if (kind.equals("postgresql.cnpg.io/v1/ScheduledBackup")) {
        assertScheduledBackupShape(object);
        continue;
      }
      Class<? extends KubernetesResource> model = MODELS.get(kind);
      assertThat(model).as("a schema for %s", kind).isNotNull();
      KubernetesResource typed = MAPPER.convertValue(object, model);
      assertThat(unknownFields(typed, kind)).as("fields the %s schema does not know", kind).isEmpty();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"dev", "prod"})
  void deploymentHasTheProductionShape(String overlay) throws Exception {
    List<Map<String, Object>> objects = render(overlay);
    Deployment deployment = only(objects, Deployment.class);
    var pod = deployment.getSpec().getTemplate().getSpec();
    assertThat(deployment.getSpec().getReplicas()).isGreaterThanOrEqualTo(2);
    assertThat(pod.getAutomountServiceAccountToken()).isFalse();
    assertThat(only(objects, ServiceAccount.class).getAutomountServiceAccountToken()).isFalse();
    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(pod.getSecurityContext().getRunAsUser()).isPositive();
    assertThat(pod.getTerminationGracePeriodSeconds()).as("longer than the 20 s drain plus the preStop pause")
        .isGreaterThan(20L + 5L);
    assertThat(pod.getTopologySpreadConstraints()).extracting(c -> c.getTopologyKey())
        .contains("kubernetes.io/hostname");

    Container app = pod.getContainers().get(0);
    assertThat(app.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(app.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
    assertThat(app.getSecurityContext().getCapabilities().getDrop()).contains("ALL");
    assertThat(path(app.getStartupProbe())).isEqualTo("/health/ready");
    assertThat(path(app.getReadinessProbe())).isEqualTo("/health/ready");
    assertThat(path(app.getLivenessProbe())).isEqualTo("/health/live");
    for (String resource : List.of("cpu", "memory")) {
      assertThat(app.getResources().getRequests()).containsKey(resource);
      assertThat(app.getResources().getLimits()).containsKey(resource);
      assertThat(Quantity.getAmountInBytes(app.getResources().getLimits().get(resource))).isPositive();
    }
    // the heap is a share of the memory limit, the event loops follow the CPU limit
    Map<String, EnvVar> env = envOf(app);
    assertThat(env.get("JIESU_CPU_LIMIT").getValueFrom().getResourceFieldRef().getResource()).isEqualTo("limits.cpu");
    assertThat(env.get("JAVA_TOOL_OPTIONS").getValue()).contains("-XX:MaxRAMPercentage=", "-XX:ActiveProcessorCount=$(JIESU_CPU_LIMIT)")
        .doesNotContain("-Xmx");
    // the application connects through the operator's read-write service, with credentials from its Secret
    assertThat(env.get("JIESU_DB_URL").getValue()).startsWith("postgresql://$(JIESU_DB_USER):$(JIESU_DB_PASSWORD)@jiesu-pg-rw:");
    assertThat(env.get("JIESU_DB_PASSWORD").getValueFrom().getSecretKeyRef().getName()).isEqualTo("jiesu-pg-app");
    // the Service, the probes and the NetworkPolicy name the one HTTP port
    assertThat(app.getPorts()).singleElement().satisfies(p -> assertThat(p.getContainerPort()).isEqualTo(8080));
    NetworkPolicy policy = objects(objects, NetworkPolicy.class).stream()
        .filter(p -> "jiesu".equals(p.getSpec().getPodSelector().getMatchLabels().get("app.kubernetes.io/name")))
        .findFirst().orElseThrow();
    assertThat(policy.getSpec().getPolicyTypes()).containsExactlyInAnyOrder("Ingress", "Egress");
    assertThat(policy.getSpec().getIngress()).flatExtracting(r -> r.getPorts())
        .extracting(p -> p.getPort().getIntVal()).containsOnly(8080);
    assertThat(policy.getSpec().getEgress()).flatExtracting(r -> r.getPorts())
        .extracting(p -> p.getPort().getIntVal()).containsOnly(5432, 53, 443);
    HorizontalPodAutoscaler hpa = only(objects, HorizontalPodAutoscaler.class);
    assertThat(hpa.getSpec().getMinReplicas()).isGreaterThanOrEqualTo(2);
    assertThat(hpa.getSpec().getMetrics()).extracting(m -> m.getResource().getName()).containsExactly("cpu");
    assertThat(only(objects, PodDisruptionBudget.class).getSpec().getMinAvailable().getIntVal()).isPositive();
    // connections: every replica the autoscaler may make, each with its pool and six own connections
    // (LISTEN, readiness probe, the webhook relay's two, the SLA scheduler's two), fits PostgreSQL's
    // max_connections with room for the operator
    int pool = Integer.parseInt(configValue(objects, "JIESU_DB_POOL_SIZE"));
    int maxConnections = Integer.parseInt(String.valueOf(
        path(only(objects, "Cluster"), "spec", "postgresql", "parameters", "max_connections")));
    assertThat(hpa.getSpec().getMaxReplicas() * (pool + 6)).isLessThan(maxConnections - 10);
  }

  @ParameterizedTest
  @ValueSource(strings = {"dev", "prod"})
  void postgresIsHighlyAvailableAndBackedUp(String overlay) throws Exception {
    Map<String, Object> cluster = only(render(overlay), "Cluster");
    assertThat(path(cluster, "spec", "instances")).isEqualTo(3);
    assertThat(path(cluster, "spec", "postgresql", "synchronous", "number")).isEqualTo(1);
    assertThat(path(cluster, "spec", "postgresql", "synchronous", "dataDurability")).isEqualTo("required");
    assertThat(path(cluster, "spec", "backup", "barmanObjectStore", "destinationPath")).asString().startsWith("s3://");
    assertThat(render(overlay)).filteredOn(o -> kindOf(o).endsWith("/PodMonitor"))
        .extracting(o -> path(o, "spec", "selector", "matchLabels", "cnpg.io/cluster")).contains("jiesu-pg");
  }

  /**
   * The ScheduledBackup's CRD is not among the schemas this repository carries, so its shape is checked here
   * by hand, field for field as CloudNativePG's {@code scheduledbackups.postgresql.cnpg.io} v1 declares it:
   * only its spec fields, the two required ones, its enums, booleans where it has booleans. The cron is the
   * six-field form with seconds (robfig/cron), which a five-field Kubernetes CronJob schedule is not.
   */
  static void assertScheduledBackupShape(Map<String, Object> backup) {
    assertThat(backup).containsOnlyKeys("apiVersion", "kind", "metadata", "spec");
    Map<String, Object> spec = asMap(backup.get("spec"));
    assertThat(spec.keySet()).as("ScheduledBackup spec fields").isSubsetOf("backupOwnerReference", "cluster",
        "immediate", "method", "online", "onlineConfiguration", "pluginConfiguration", "schedule", "suspend", "target");
    assertThat(spec).containsKeys("cluster", "schedule");
    assertThat(asMap(spec.get("cluster"))).containsOnlyKeys("name");
    assertThat(path(backup, "spec", "cluster", "name")).isInstanceOf(String.class);
    assertThat(spec.get("schedule")).asString().matches("\\S+( \\S+){5}");
    assertThat(spec.getOrDefault("backupOwnerReference", "none")).isIn("none", "self", "cluster");
    assertThat(spec.getOrDefault("method", "barmanObjectStore")).isIn("barmanObjectStore", "volumeSnapshot", "plugin");
    assertThat(spec.getOrDefault("target", "primary")).isIn("primary", "prefer-standby");
    for (String flag : List.of("immediate", "online", "suspend")) {
      assertThat(spec.getOrDefault(flag, false)).as(flag).isInstanceOf(Boolean.class);
    }
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> asMap(Object o) {
    assertThat(o).isInstanceOf(Map.class);
    return (Map<String, Object>) o;
  }

  @ParameterizedTest
  @ValueSource(strings = {"dev", "prod"})
  void baseBackupsAreScheduledForTheClusterToItsObjectStore(String overlay) throws Exception {
    List<Map<String, Object>> objects = render(overlay);
    Map<String, Object> cluster = only(objects, "Cluster");
    Map<String, Object> backup = only(objects, "ScheduledBackup");
    assertThat(path(backup, "spec", "cluster", "name")).isEqualTo(path(cluster, "metadata", "name"));
    assertThat(path(backup, "metadata", "namespace")).isEqualTo(path(cluster, "metadata", "namespace"));
    // the method it asks for is the one the Cluster declares a destination for
    assertThat(path(backup, "spec", "method")).isEqualTo("barmanObjectStore");
    assertThat(path(cluster, "spec", "backup", "barmanObjectStore")).isNotNull();
    assertThat(path(backup, "spec", "suspend")).isNull();
    assertScheduledBackupShape(backup);
  }

  @Test
  void theScheduledBackupCheckRefusesWhatTheCrdRefuses() {
    Map<String, Object> good = new java.util.HashMap<>(Map.of("apiVersion", "postgresql.cnpg.io/v1",
        "kind", "ScheduledBackup", "metadata", Map.of("name", "b"),
        "spec", Map.of("cluster", Map.of("name", "c"), "schedule", "0 0 2 * * *")));
    assertScheduledBackupShape(good);
    for (Map<String, Object> spec : List.<Map<String, Object>>of(
        Map.of("cluster", Map.of("name", "c"), "schedule", "0 2 * * *"),        // five fields: a CronJob's
        Map.of("cluster", Map.of("name", "c"), "schedule", "0 0 2 * * *", "retention", "30d"), // unknown field
        Map.of("schedule", "0 0 2 * * *"),                                      // no cluster
        Map.of("cluster", Map.of("name", "c"), "schedule", "0 0 2 * * *", "target", "standby"))) {
      Map<String, Object> bad = new java.util.HashMap<>(good);
      bad.put("spec", spec);
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> assertScheduledBackupShape(bad)).as("%s", spec)
          .isInstanceOf(AssertionError.class);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"dev", "prod"})
  void noLiteralSecrets(String overlay) throws Exception {
    List<Map<String, Object>> objects = render(overlay);
    assertThat(objects).extracting(K8sManifestsTest::kindOf).doesNotContain("v1/Secret");
    String text = MAPPER.writeValueAsString(objects);
    assertThat(text).doesNotContain("-----BEGIN").doesNotContainPattern("postgresql://[^$\"@]+:[^$\"@]+@");
    for (ConfigMap map : objects(objects, ConfigMap.class)) {
      assertThat(map.getData().keySet()).noneMatch(k -> k.matches("(?i).*(password|secret|private).*"));
    }
    Deployment deployment = only(objects, Deployment.class);
    for (Container c : deployment.getSpec().getTemplate().getSpec().getContainers()) {
      for (EnvVar e : c.getEnv()) {
        if (e.getName().matches("(?i).*(password|secret|token|private).*")) {
          assertThat(e.getValueFrom().getSecretKeyRef()).as("%s comes from a Secret", e.getName()).isNotNull();
        }
      }
    }
    // references to Secrets that the operator or the operator's user makes, never the Secret itself
    assertThat(MAPPER.writeValueAsString(objects)).contains("\"jiesu-pg-app\"", "\"jiesu-pg-backup\"");
  }

  @Test
  void dashboardAndAlertsCoverWhatTheIssueAsks() throws Exception {
    JsonObject dashboard = new JsonObject(Files.readString(K8S.resolve("base/monitoring/jiesu-dashboard.json")));
    String exprs = dashboard.getJsonArray("panels").stream().map(p -> ((JsonObject) p).getJsonArray("targets").encode())
        .reduce("", String::concat);
    assertThat(exprs).contains("createTicket", "jiesu_http_requests_seconds_bucket", "jiesu_sla_breach_lateness",
        "jiesu_sla_open_timers", "jiesu_webhook_backlog", "vertx_pool_in_use", "jvm_memory_used_bytes");
    PrometheusRule rules = only(render("prod"), PrometheusRule.class);
    assertThat(rules.getSpec().getGroups()).flatExtracting(g -> g.getRules()).extracting(r -> r.getAlert())
        .contains("JiesuBreachDetectionLag", "JiesuOutboxAge", "JiesuNotReady", "JiesuServerErrors");
  }

  @Test
  void kustomizeAndTheJavaRenderingAgree() throws Exception {
    Optional<List<String>> tool = kustomizeCommand();
    if (tool.isEmpty()) {
      // nothing to compare with on this machine; the other tests ran on the Java rendering
      assertThat(Kustomize.render(K8S.resolve("overlays/prod"))).isNotEmpty();
      return;
    }
    for (String overlay : OVERLAYS) {
      assertThat(Kustomize.normalised(Kustomize.render(K8S.resolve("overlays/" + overlay))))
          .as(overlay).isEqualTo(Kustomize.normalised(runKustomize(tool.get(), overlay)));
    }
  }

  // --- rendering

  static final Map<String, List<Map<String, Object>>> RENDERED = new LinkedHashMap<>();

  static synchronized List<Map<String, Object>> render(String overlay) throws Exception {
    if (!RENDERED.containsKey(overlay)) {
      Optional<List<String>> tool = kustomizeCommand();
      RENDERED.put(overlay, tool.isPresent() ? runKustomize(tool.get(), overlay)
          : Kustomize.render(K8S.resolve("overlays/" + overlay)));
    }
    return RENDERED.get(overlay);
  }

  static Optional<List<String>> kustomizeCommand() {
    for (List<String> candidate : List.of(List.of("kubectl", "kustomize"), List.of("kustomize", "build"))) {
      String exe = candidate.get(0);
      boolean found = Stream.of(System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator))
          .anyMatch(dir -> Files.isExecutable(Path.of(dir, exe)));
      if (found) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  static List<Map<String, Object>> runKustomize(List<String> tool, String overlay) throws Exception {
    List<String> command = new ArrayList<>(tool);
    command.add(K8S.resolve("overlays/" + overlay).toString());
    Path out = Files.createTempFile("kustomize", ".yaml");
    Path err = Files.createTempFile("kustomize", ".err");
    try {
      Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
      assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("kustomize finished").isTrue();
      assertThat(p.exitValue()).as("kustomize: %s", Files.readString(err)).isZero();
      return parseAll(Files.readString(out, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> parseAll(String yaml) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Object doc : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(yaml)) {
      if (doc != null) {
        out.add((Map<String, Object>) doc);
      }
    }
    return out;
  }

  // --- schema checks

  /** The CRD's schema as JSON Schema, with unknown fields refused where the CRD does not preserve them. */
  static Validator clusterValidator() throws IOException {
    Map<String, Object> crd = parseAll(Files.readString(Path.of("src/test/resources/k8s/cnpg-cluster-crd.yaml"))).get(0);
    JsonObject schema = null;
    for (Object v : (List<?>) path(crd, "spec", "versions")) {
      if ("v1".equals(((Map<?, ?>) v).get("name"))) {
        schema = new JsonObject((Map<String, Object>) path(v, "schema", "openAPIV3Schema"));
      }
    }
    assertThat(schema).as("v1 schema in the CRD").isNotNull();
    JsonObject strict = strict(schema.copy());
    // metadata is checked by the API server, not by the CRD; status is the operator's
    strict.getJsonObject("properties").put("metadata", new JsonObject().put("type", "object"));
    return Validator.create(JsonSchema.of(strict), new JsonSchemaOptions().setDraft(Draft.DRAFT4)
        .setBaseUri("https://jiesu.invalid/cnpg").setOutputFormat(io.vertx.json.schema.OutputFormat.Basic));
  }

  static JsonObject strict(JsonObject schema) {
    if (schema.containsKey("properties") && !schema.getBoolean("x-kubernetes-preserve-unknown-fields", false)
        && !schema.containsKey("additionalProperties")) {
      schema.put("additionalProperties", false);
    }
    // OpenAPI formats (int32, int-or-string…) are not JSON Schema's: types and structure are what is checked
    schema.remove("format");
    for (String key : schema.fieldNames()) {
      Object v = schema.getValue(key);
      if (key.equals("properties") && v instanceof JsonObject props) {
        props.fieldNames().forEach(p -> {
          if (props.getValue(p) instanceof JsonObject s) {
            strict(s);
          }
        });
      } else if (v instanceof JsonObject s) {
        strict(s);
      } else if (v instanceof JsonArray array) {
        array.forEach(e -> {
          if (e instanceof JsonObject s) {
            strict(s);
          }
        });
      }
    }
    return schema;
  }

  /**
   * Fabric8's model classes keep fields they do not know in {@code additionalProperties} rather than failing;
   * any such field anywhere in the object is a field the Kubernetes schema does not have.
   */
  static List<String> unknownFields(Object value, String where) {
    List<String> found = new ArrayList<>();
    walk(value, where, found, new IdentityHashMap<>());
    return found;
  }

  private static void walk(Object value, String where, List<String> found, Map<Object, Boolean> seen) {
    if (value == null || seen.put(value, Boolean.TRUE) != null) {
      return;
    }
    if (value instanceof Collection<?> list) {
      int i = 0;
      for (Object e : list) {
        walk(e, where + "[" + i++ + "]", found, seen);
      }
      return;
    }
    if (value instanceof Map<?, ?> map) {
      map.forEach((k, v) -> walk(v, where + "." + k, found, seen));
      return;
    }
    if (!value.getClass().getName().startsWith("io.fabric8.")) {
      return;
    }
    for (Method m : value.getClass().getMethods()) {
      if (m.getParameterCount() != 0 || !m.getName().startsWith("get") || m.getDeclaringClass() == Object.class) {
        continue;
      }
      try {
        Object child = m.invoke(value);
        if (m.getName().equals("getAdditionalProperties")) {
          if (child instanceof Map<?, ?> extra && !extra.isEmpty()) {
            extra.keySet().forEach(k -> found.add(where + "." + k));
          }
        } else {
          walk(child, where + "." + m.getName().substring(3), found, seen);
        }
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  // --- helpers

  static String kindOf(Map<String, Object> object) {
    return object.get("apiVersion") + "/" + object.get("kind");
  }

  static <T extends KubernetesResource> List<T> objects(List<Map<String, Object>> objects, Class<T> type) {
    String kind = type.getSimpleName();
    return objects.stream().filter(o -> kind.equals(o.get("kind"))).map(o -> MAPPER.convertValue(o, type)).toList();
  }

  static <T extends KubernetesResource> T only(List<Map<String, Object>> objects, Class<T> type) {
    List<T> all = objects(objects, type);
    assertThat(all).as(type.getSimpleName()).hasSize(1);
    return all.get(0);
  }

  static Map<String, Object> only(List<Map<String, Object>> objects, String kind) {
    List<Map<String, Object>> all = objects.stream().filter(o -> kind.equals(o.get("kind"))).toList();
    assertThat(all).as(kind).hasSize(1);
    return all.get(0);
  }

  static String configValue(List<Map<String, Object>> objects, String key) {
    return objects(objects, ConfigMap.class).stream().filter(m -> m.getMetadata().getName().startsWith("jiesu-config"))
        .map(m -> m.getData().get(key)).findFirst().orElseThrow();
  }

  static Object path(Object root, String... keys) {
    Object at = root;
    for (String k : keys) {
      at = at instanceof Map<?, ?> m ? m.get(k) : null;
    }
    return at;
  }

  static String path(Probe probe) {
    assertThat(probe).isNotNull();
    return probe.getHttpGet().getPath();
  }

  static Map<String, EnvVar> envOf(Container c) {
    Map<String, EnvVar> env = new LinkedHashMap<>();
    c.getEnv().forEach(e -> env.put(e.getName(), e));
    return env;
  }

}
