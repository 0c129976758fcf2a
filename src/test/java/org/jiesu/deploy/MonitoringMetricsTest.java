package org.jiesu.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jiesu.auth.Role;
import org.jiesu.support.Tickets;
import org.jiesu.support.TestServer;
import org.jiesu.support.WithServer;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The Grafana dashboard and the alert rules in {@code k8s/base/monitoring} name only series a running server
 * exports: every metric name in their PromQL is in a real server's {@code /metrics}, and every equality label
 * matcher ({@code pool_type="sql"}) matches a series. A panel on a meter nobody publishes shows "no data"
 * forever and an alert on it never fires; this is where a renamed meter is caught.
 */
@WithServer(departments = "D-MON")
class MonitoringMetricsTest {

  static TestServer server;

  /**
   * Series another exporter provides, not jiesu: {@code kube_*} come from kube-state-metrics (the
   * Deployment's available replicas), {@code cnpg_*} from CloudNativePG's exporter on the PostgreSQL pods.
   */
  static final List<String> OTHER_EXPORTERS = List.of("kube_", "cnpg_");

  /** PromQL words that are not metric names: functions are followed by "(", these are not. */
  static final Set<String> KEYWORDS = Set.of("by", "without", "on", "ignoring", "group_left", "group_right",
      "bool", "and", "or", "unless", "offset", "inf", "nan");

  static final Path MONITORING = Path.of("k8s/base/monitoring");

  @Test
  void everyMetricTheDashboardAndAlertsUseIsExported() throws Exception {
    List<String> exprs = new ArrayList<>(dashboardExprs());
    exprs.addAll(alertExprs());
    assertThat(exprs).hasSizeGreaterThan(10);

    // traffic, so that labelled series exist: a ticket taken in (operation="createTicket"), a GC (the pause timer
    // is registered at the first collection this server sees)
    server.post("/api/v1/tickets", server.token(Role.HOTLINE), Tickets.dispatched("mon-1", "D-MON"));
    String metrics = "";
    for (int i = 0; i < 50 && !metrics.contains("jvm_gc_pause_seconds_sum"); i++) {
      System.gc();
      Thread.sleep(100);
      metrics = server.get("/metrics", null).body();
    }
    Set<String> exported = new TreeSet<>();
    for (String line : metrics.split("\n")) {
      if (!line.isEmpty() && !line.startsWith("#")) {
        exported.add(line.split("[{ ]", 2)[0]);
      }
    }

    Set<String> missing = new TreeSet<>();
    Set<String> unmatched = new TreeSet<>();
    for (String expr : exprs) {
      for (Selector s : selectors(expr)) {
        if (OTHER_EXPORTERS.stream().anyMatch(s.name()::startsWith)) {
          continue;
        }
        if (!exported.contains(s.name())) {
          missing.add(s.name());
          continue;
        }
        for (String matcher : s.equalities()) {
          if (!Pattern.compile("(?m)^" + Pattern.quote(s.name()) + "\\{[^}]*" + Pattern.quote(matcher)).matcher(metrics).find()) {
            unmatched.add(s.name() + "{" + matcher + "}");
          }
        }
      }
    }
    assertThat(missing).as("metrics used by the dashboard or the alerts that /metrics does not export").isEmpty();
    assertThat(unmatched).as("label matchers no exported series has").isEmpty();
  }

  @Test
  void theParserFindsNamesAndNotFunctionsOrLabels() {
    assertThat(selectors("histogram_quantile(0.99, sum by (le, operation) (rate(a_b_bucket{x=\"1\",y=~\"2..\"}[5m]))) > 60"))
        .containsExactly(new Selector("a_b_bucket", List.of("x=\"1\"")));
    assertThat(selectors("sum(rate(c[5m])) / sum(rate(d{s!~\"5..\"}[5m])) > 0.01 and max(e) < 2"))
        .extracting(Selector::name).containsExactly("c", "d", "e");
  }

  record Selector(String name, List<String> equalities) {}

  static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
  static final Pattern EQUALITY = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)\\s*=\\s*(\"[^\"]*\")");

  /** The metric names of a PromQL expression, each with its equality label matchers. */
  static List<Selector> selectors(String expr) {
    Set<Selector> out = new LinkedHashSet<>();
    String e = expr.replaceAll("\\[[^\\]]*\\]", " ") // range selectors [5m]
        .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " "); // grouping labels
    int i = 0;
    while (i < e.length()) {
      char c = e.charAt(i);
      if (c == '"') {
        i = e.indexOf('"', i + 1) + 1; // a string outside a selector: skip it
        continue;
      }
      Matcher m = NAME.matcher(e).region(i, e.length());
      if (!m.lookingAt() || (i > 0 && Character.isLetterOrDigit(e.charAt(i - 1)))) {
        i++;
        continue;
      }
      String word = m.group();
      int after = m.end();
      int j = after;
      while (j < e.length() && e.charAt(j) == ' ') {
        j++;
      }
      boolean function = j < e.length() && e.charAt(j) == '(';
      List<String> equalities = new ArrayList<>();
      int next = after;
      if (j < e.length() && e.charAt(j) == '{') {
        int close = e.indexOf('}', j);
        Matcher q = EQUALITY.matcher(e.substring(j + 1, close));
        while (q.find()) {
          equalities.add(q.group(1) + "=" + q.group(2));
        }
        next = close + 1;
      }
      if (!function && !KEYWORDS.contains(word.toLowerCase())) {
        out.add(new Selector(word, equalities));
      }
      i = next;
    }
    return new ArrayList<>(out);
  }

  static List<String> dashboardExprs() throws Exception {
    JsonNode dashboard = new ObjectMapper().readTree(Files.readString(MONITORING.resolve("jiesu-dashboard.json")));
    List<String> out = new ArrayList<>();
    dashboard.findValues("expr").forEach(n -> out.add(n.asText()));
    return out;
  }

  static List<String> alertExprs() throws Exception {
    JsonNode rules = new ObjectMapper().valueToTree(
        new Yaml().load(Files.readString(MONITORING.resolve("alerts.yaml"))));
    List<String> out = new ArrayList<>();
    rules.findValues("expr").forEach(n -> out.add(n.asText()));
    return out;
  }
}
