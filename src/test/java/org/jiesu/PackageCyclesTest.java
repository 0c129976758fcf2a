package org.jiesu;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * No package of src/main/java depends on a package that depends back on it, directly or through others.
 * Dependencies are read from the {@code import} lines (static ones included): the imported name cut at its
 * first capitalised segment is the package. Cycles are the strongly connected components of that graph.
 */
class PackageCyclesTest {

  private static final Path SOURCES = Path.of("src/main/java");
  private static final Pattern PACKAGE = Pattern.compile("(?m)^package\\s+([\\w.]+)\\s*;");
  private static final Pattern IMPORT = Pattern.compile("(?m)^import\\s+(?:static\\s+)?([\\w.]+)(?:\\.\\*)?\\s*;");

  @Test
  void noPackageCycleInMainSources() throws IOException {
    Map<String, Set<String>> graph = packageGraph(SOURCES);
    assertThat(graph).containsKeys("org.jiesu.ticket", "org.jiesu.ticket.workflow", "org.jiesu.routing");
    assertThat(cycles(graph)).as("package cycles (each a set of packages that reach each other)").isEmpty();
  }

  @Test
  void rulesAndRoutingDoNotDependOnTheTicketService() throws IOException {
    Map<String, Set<String>> graph = packageGraph(SOURCES);
    assertThat(graph.get("org.jiesu.ticket.workflow")).doesNotContain("org.jiesu.ticket");
    assertThat(graph.get("org.jiesu.routing")).noneMatch(p -> p.startsWith("org.jiesu.ticket"));
  }

  @Test
  void theCheckFindsACycle() {
    Map<String, Set<String>> graph = new TreeMap<>();
    graph.put("a", Set.of("b"));
    graph.put("b", Set.of("c", "d"));
    graph.put("c", Set.of("a"));
    graph.put("d", Set.of());
    assertThat(cycles(graph)).containsExactly(Set.of("a", "b", "c"));
  }

  @Test
  void importsAreReadAsPackages() {
    assertThat(packageOf("org.jiesu.ticket.workflow.Ticket.Progress")).isEqualTo("org.jiesu.ticket.workflow");
    assertThat(packageOf("org.jiesu.platform")).isEqualTo("org.jiesu.platform");
  }

  /** Package → the org.jiesu packages it imports from (itself left out). */
  static Map<String, Set<String>> packageGraph(Path root) throws IOException {
    Map<String, Set<String>> graph = new TreeMap<>();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
        String source = Files.readString(file);
        Matcher pkg = PACKAGE.matcher(source);
        if (!pkg.find()) {
          continue;
        }
        String from = pkg.group(1);
        Set<String> targets = graph.computeIfAbsent(from, k -> new TreeSet<>());
        Matcher imports = IMPORT.matcher(source);
        while (imports.find()) {
          String to = packageOf(imports.group(1));
          if (to.startsWith("org.jiesu") && !to.equals(from)) {
            targets.add(to);
          }
        }
      }
    }
    return graph;
  }

  static String packageOf(String name) {
    List<String> parts = new ArrayList<>();
    for (String part : name.split("\\.")) {
      if (Character.isUpperCase(part.charAt(0))) {
        break;
      }
      parts.add(part);
    }
    return String.join(".", parts);
  }

  /** Tarjan's strongly connected components with more than one package. */
  static List<Set<String>> cycles(Map<String, Set<String>> graph) {
    Map<String, Integer> index = new HashMap<>();
    Map<String, Integer> low = new HashMap<>();
    Deque<String> stack = new ArrayDeque<>();
    Set<String> onStack = new TreeSet<>();
    List<Set<String>> found = new ArrayList<>();
    for (String node : graph.keySet()) {
      if (!index.containsKey(node)) {
        visit(node, graph, index, low, stack, onStack, found);
      }
    }
    return found;
  }

  private static void visit(String node, Map<String, Set<String>> graph, Map<String, Integer> index,
      Map<String, Integer> low, Deque<String> stack, Set<String> onStack, List<Set<String>> found) {
    index.put(node, index.size());
    low.put(node, index.get(node));
    stack.push(node);
    onStack.add(node);
    for (String next : graph.getOrDefault(node, Set.of())) {
      if (!index.containsKey(next)) {
        visit(next, graph, index, low, stack, onStack, found);
        low.put(node, Math.min(low.get(node), low.get(next)));
      } else if (onStack.contains(next)) {
        low.put(node, Math.min(low.get(node), index.get(next)));
      }
    }
    if (low.get(node).equals(index.get(node))) {
      Set<String> component = new TreeSet<>();
      String member;
      do {
        member = stack.pop();
        onStack.remove(member);
        component.add(member);
      } while (!member.equals(node));
      if (component.size() > 1) {
        found.add(component);
      }
    }
  }
}
