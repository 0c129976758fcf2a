package org.jiesu.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The subset of kustomize that {@code k8s/} uses, in Java, for machines without kubectl: resources (files and
 * kustomization folders), {@code namespace}, {@code labels} (metadata only), {@code configMapGenerator}
 * ({@code envs}, {@code files}, {@code literals}, {@code behavior: merge}), {@code images}, {@code replicas} and
 * inline JSON 6902 {@code replace}/{@code add} patches. Generated names get no hash suffix here; {@link
 * #normalised} drops kustomize's, so the two renderings can be compared. A kustomization using anything else
 * is refused, so this never renders something different in silence.
 */
final class Kustomize {

  private static final List<String> KNOWN = List.of("apiVersion", "kind", "resources", "namespace", "labels",
      "configMapGenerator", "images", "replicas", "patches");

  private Kustomize() {}

  static List<Map<String, Object>> render(Path folder) throws IOException {
    Map<String, Object> k = load(folder.resolve("kustomization.yaml")).get(0);
    for (String key : k.keySet()) {
      if (!KNOWN.contains(key)) {
        throw new IllegalArgumentException("the Java rendering does not know kustomize's " + key + " (" + folder + ")");
      }
    }
    List<Map<String, Object>> objects = new ArrayList<>();
    for (Object r : list(k.get("resources"))) {
      Path p = folder.resolve((String) r).normalize();
      if (Files.isDirectory(p)) {
        objects.addAll(render(p));
      } else {
        objects.addAll(load(p));
      }
    }
    for (Object g : list(k.get("configMapGenerator"))) {
      generate(folder, map(g), objects);
    }
    for (Object l : list(k.get("labels"))) {
      Map<String, Object> labels = map(map(l).get("pairs"));
      for (Map<String, Object> o : objects) {
        map(o.get("metadata")).computeIfAbsent("labels", x -> new LinkedHashMap<>());
        map(map(o.get("metadata")).get("labels")).putAll(labels);
      }
    }
    if (k.get("namespace") instanceof String ns) {
      objects.forEach(o -> map(o.get("metadata")).put("namespace", ns));
    }
    for (Object i : list(k.get("images"))) {
      Map<String, Object> image = map(i);
      for (Map<String, Object> o : objects) {
        for (Object c : containers(o)) {
          if (image.get("name").equals(map(c).get("image"))) {
            map(c).put("image", image.get("newName") + ":" + image.get("newTag"));
          }
        }
      }
    }
    for (Object r : list(k.get("replicas"))) {
      for (Map<String, Object> o : objects) {
        if (map(r).get("name").equals(map(o.get("metadata")).get("name")) && o.get("kind").equals("Deployment")) {
          map(o.get("spec")).put("replicas", map(r).get("count"));
        }
      }
    }
    for (Object p : list(k.get("patches"))) {
      Map<String, Object> target = map(map(p).get("target"));
      for (Object op : list(new Yaml(new SafeConstructor(new LoaderOptions())).load((String) map(p).get("patch")))) {
        for (Map<String, Object> o : objects) {
          if (target.get("kind").equals(o.get("kind")) && target.get("name").equals(map(o.get("metadata")).get("name"))) {
            apply(o, map(op));
          }
        }
      }
    }
    return objects;
  }

  /** Objects in a stable form: keys sorted, generated-name hash suffixes gone. */
  static String normalised(List<Map<String, Object>> objects) {
    List<String> out = new ArrayList<>();
    for (Map<String, Object> o : objects) {
      out.add(sorted(o).toString().replaceAll("(jiesu-config)-[a-z0-9]{10}", "$1"));
    }
    out.sort(String::compareTo);
    return String.join("\n", out);
  }

  private static Object sorted(Object v) {
    if (v instanceof Map<?, ?> m) {
      Map<String, Object> s = new TreeMap<>();
      m.forEach((key, value) -> s.put(String.valueOf(key), sorted(value)));
      return s;
    }
    if (v instanceof List<?> l) {
      return l.stream().map(Kustomize::sorted).toList();
    }
    // kustomize writes scalars of generated ConfigMaps as strings; numbers elsewhere keep their type
    return v;
  }

  private static void generate(Path folder, Map<String, Object> g, List<Map<String, Object>> objects)
      throws IOException {
    Map<String, Object> data = new LinkedHashMap<>();
    for (Object e : list(g.get("envs"))) {
      for (String line : Files.readAllLines(folder.resolve((String) e), StandardCharsets.UTF_8)) {
        if (!line.isBlank() && !line.startsWith("#")) {
          data.put(line.substring(0, line.indexOf('=')), line.substring(line.indexOf('=') + 1));
        }
      }
    }
    for (Object f : list(g.get("files"))) {
      Path file = folder.resolve((String) f);
      data.put(file.getFileName().toString(), Files.readString(file, StandardCharsets.UTF_8));
    }
    for (Object l : list(g.get("literals"))) {
      String s = (String) l;
      data.put(s.substring(0, s.indexOf('=')), s.substring(s.indexOf('=') + 1));
    }
    String name = (String) g.get("name");
    if ("merge".equals(g.get("behavior"))) {
      Map<String, Object> existing = objects.stream()
          .filter(o -> "ConfigMap".equals(o.get("kind")) && name.equals(map(o.get("metadata")).get("name")))
          .findFirst().orElseThrow(() -> new IllegalArgumentException("nothing to merge into: " + name));
      map(existing.get("data")).putAll(data);
      return;
    }
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("name", name);
    if (g.get("options") instanceof Map<?, ?> options && options.get("labels") instanceof Map<?, ?> labels) {
      metadata.put("labels", new LinkedHashMap<>(map(labels)));
    }
    Map<String, Object> cm = new LinkedHashMap<>();
    cm.put("apiVersion", "v1");
    cm.put("kind", "ConfigMap");
    cm.put("metadata", metadata);
    cm.put("data", data);
    objects.add(cm);
  }

  private static void apply(Map<String, Object> object, Map<String, Object> op) {
    String[] parts = ((String) op.get("path")).substring(1).split("/");
    Object at = object;
    for (int i = 0; i < parts.length - 1; i++) {
      at = at instanceof List<?> l ? l.get(Integer.parseInt(parts[i])) : map(at).get(parts[i]);
    }
    String last = parts[parts.length - 1];
    String kind = (String) op.get("op");
    if (!kind.equals("replace") && !kind.equals("add")) {
      throw new IllegalArgumentException("the Java rendering applies replace and add only, not " + kind);
    }
    if (at instanceof List<?> l) {
      @SuppressWarnings("unchecked")
      List<Object> list = (List<Object>) l;
      list.set(Integer.parseInt(last), op.get("value"));
    } else {
      if (kind.equals("replace") && !map(at).containsKey(last)) {
        throw new IllegalArgumentException("replace of a missing " + op.get("path"));
      }
      map(at).put(last, op.get("value"));
    }
  }

  private static List<Object> containers(Map<String, Object> o) {
    Object spec = o.get("spec");
    Object pod = spec instanceof Map<?, ?> s && s.get("template") instanceof Map<?, ?> t ? t.get("spec") : null;
    return pod instanceof Map<?, ?> p ? list(p.get("containers")) : List.of();
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> load(Path file) throws IOException {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Object doc : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(Files.readString(file))) {
      if (doc != null) {
        out.add((Map<String, Object>) doc);
      }
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object o) {
    return (Map<String, Object>) o;
  }

  @SuppressWarnings("unchecked")
  private static List<Object> list(Object o) {
    return o == null ? List.of() : (List<Object>) o;
  }
}
