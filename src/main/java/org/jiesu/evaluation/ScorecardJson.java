package org.jiesu.evaluation;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;
import org.jiesu.department.Department;
import org.jiesu.evaluation.ScorecardService.Detail;
import org.jiesu.evaluation.ScorecardService.Month;
import org.jiesu.evaluation.ScorecardStore.CallbackFact;
import org.jiesu.evaluation.ScorecardStore.RoundFact;
import org.jiesu.evaluation.ScorecardStore.Versioned;
import org.jiesu.evaluation.Scorecards.Scorecard;
import org.jiesu.evaluation.Scorecards.Settings;
import org.jiesu.platform.Times;

/** The scorecards as the API shows them (JSON and CSV), and the settings as the API takes them. */
final class ScorecardJson {

  /** CSV columns, in order; the header row uses these names. */
  static final List<String> CSV_COLUMNS = List.of("period", "department", "name", "group", "tickets", "rounds",
      "callbacks", "responseRate", "resolutionRate", "satisfactionRate", "composite", "onTimeResolutionRate",
      "returnRate", "reworkRate", "rank", "smallSample", "proactiveTasks", "proactiveOnTime", "settingsVersion");

  private ScorecardJson() {}

  static JsonObject month(Month m, Predicate<Scorecard> visible) {
    JsonArray items = new JsonArray();
    m.cards().stream().filter(visible).forEach(c -> items.add(item(c, m)));
    return new JsonObject().put("period", m.period().toString()).put("fixed", m.fixed())
        .put("settings", settings(m.settings())).put("items", items);
  }

  static JsonObject item(Scorecard c, Month m) {
    Scorecards.Facts f = c.facts();
    Department d = m.departments().get(f.department());
    return new JsonObject().put("department", f.department()).put("name", d == null ? null : d.name())
        .put("group", f.group()).put("tickets", f.tickets()).put("rounds", f.rounds()).put("callbacks", f.callbacks())
        .put("responseRate", c.responseRate()).put("resolutionRate", c.resolutionRate())
        .put("satisfactionRate", c.satisfactionRate()).put("composite", c.composite())
        .put("onTimeResolutionRate", c.onTimeResolutionRate()).put("returnRate", c.returnRate())
        .put("reworkRate", c.reworkRate()).put("rank", c.rank()).put("smallSample", c.smallSample())
        .put("proactiveTasks", f.proactiveTasks()).put("proactiveOnTime", f.proactiveOnTime());
  }

  /** The department's scorecard and, for each rate, the tickets that counted against it. */
  static JsonObject detail(Detail d) {
    List<RoundFact> rounds = d.rounds().stream().filter(RoundFact::counted).toList();
    List<CallbackFact> callbacks = d.callbacks().stream().filter(CallbackFact::counted).toList();
    JsonObject against = new JsonObject()
        .put("response", rounds(rounds, r -> !r.responded()))
        .put("onTimeResolution", rounds(rounds, r -> "LATE".equals(r.resolve())))
        .put("returns", rounds(rounds, RoundFact::returned))
        .put("resolution", callbacks(callbacks, c -> !c.resolved()))
        .put("satisfaction", callbacks(callbacks, c -> !"SATISFIED".equals(c.satisfaction())))
        .put("reworks", callbacks(callbacks, CallbackFact::rework));
    JsonObject excluded = new JsonObject()
        .put("unreasonable", ids(d.callbacks().stream().filter(CallbackFact::unreasonable).map(CallbackFact::ticket)
            .distinct().toList()))
        .put("merged", ids(d.rounds().stream().filter(RoundFact::merged).map(RoundFact::ticket).distinct().toList()))
        .put("proactive", ids(d.rounds().stream().filter(RoundFact::proactive).map(RoundFact::ticket).distinct()
            .toList()));
    return new JsonObject().put("period", d.month().period().toString()).put("fixed", d.month().fixed())
        .put("settings", settings(d.month().settings())).put("item", item(d.card(), d.month()))
        .put("against", against).put("excluded", excluded);
  }

  private static JsonArray rounds(List<RoundFact> rounds, Predicate<RoundFact> against) {
    return list(rounds, against, r -> new JsonObject().put("ticketId", r.ticket().toString()).put("round", r.round())
        .put("dispatchedAt", Times.rfc3339(r.dispatchedAt())).put("sign", r.sign()).put("contact", r.contact())
        .put("resolve", r.resolve()).put("returned", r.returned()));
  }

  private static JsonArray callbacks(List<CallbackFact> callbacks, Predicate<CallbackFact> against) {
    return list(callbacks, against, c -> new JsonObject().put("ticketId", c.ticket().toString())
        .put("round", c.round()).put("at", Times.rfc3339(c.at())).put("resolved", c.resolved())
        .put("satisfaction", c.satisfaction()).put("rework", c.rework()));
  }

  private static <T> JsonArray list(List<T> facts, Predicate<T> against, Function<T, JsonObject> json) {
    JsonArray out = new JsonArray();
    facts.stream().filter(against).map(json).forEach(out::add);
    return out;
  }

  private static JsonArray ids(List<java.util.UUID> ids) {
    JsonArray out = new JsonArray();
    ids.forEach(id -> out.add(id.toString()));
    return out;
  }

  static JsonObject settings(Versioned v) {
    Settings s = v.settings();
    return new JsonObject().put("version", v.version())
        .put("weights", new JsonObject().put("response", s.responseWeight()).put("resolution", s.resolutionWeight())
            .put("satisfaction", s.satisfactionWeight()))
        .put("satisfactionWeights", new JsonObject().put("SATISFIED", s.satisfiedScore())
            .put("BASICALLY_SATISFIED", s.basicallySatisfiedScore()).put("UNSATISFIED", s.unsatisfiedScore()))
        .put("minimumSample", s.minimumSample())
        .put("changedAt", v.changedAt() == null ? null : Times.rfc3339(v.changedAt()))
        .put("changedBy", v.changedBy());
  }

  /** The body of a settings change, already checked against the contract. */
  static Settings settings(JsonObject body) {
    JsonObject w = body.getJsonObject("weights");
    JsonObject s = body.getJsonObject("satisfactionWeights");
    return new Settings(w.getDouble("response"), w.getDouble("resolution"), w.getDouble("satisfaction"),
        s.getDouble("SATISFIED"), s.getDouble("BASICALLY_SATISFIED"), s.getDouble("UNSATISFIED"),
        body.getInteger("minimumSample"));
  }

  /** UTF-8 with a byte order mark, so a spreadsheet opens Chinese names correctly; CRLF lines (RFC 4180). */
  static String csv(Month m) {
    StringBuilder out = new StringBuilder("\uFEFF");
    out.append(String.join(",", CSV_COLUMNS)).append("\r\n");
    for (Scorecard c : m.cards()) {
      JsonObject item = item(c, m);
      List<Object> values = List.of(m.period().toString(), item.getString("department"), text(item.getString("name")),
          item.getString("group"), f(item, "tickets"), f(item, "rounds"), f(item, "callbacks"), f(item, "responseRate"),
          f(item, "resolutionRate"), f(item, "satisfactionRate"), f(item, "composite"), f(item, "onTimeResolutionRate"),
          f(item, "returnRate"), f(item, "reworkRate"), f(item, "rank"), f(item, "smallSample"),
          f(item, "proactiveTasks"), f(item, "proactiveOnTime"), m.settings().version());
      StringBuilder line = new StringBuilder();
      for (Object v : values) {
        if (line.length() > 0) {
          line.append(',');
        }
        line.append(cell(String.valueOf(v)));
      }
      out.append(line).append("\r\n");
    }
    return out.toString();
  }

  private static Object f(JsonObject item, String key) {
    Object v = item.getValue(key);
    return v == null ? "" : v;
  }

  private static String text(String s) {
    return s == null ? "" : s;
  }

  /**
   * A CSV cell: quoted when it holds a separator, quote or line break; a leading =, +, -, @ is neutralised
   * with an apostrophe so a spreadsheet never runs a department name as a formula.
   */
  static String cell(String v) {
    String s = !v.isEmpty() && "=+-@".indexOf(v.charAt(0)) >= 0 && !v.matches("-?[0-9.]+") ? "'" + v : v;
    if (s.contains(",") || s.contains("\"") || s.contains("\n") || s.contains("\r")) {
      return '"' + s.replace("\"", "\"\"") + '"';
    }
    return s;
  }
}
