package org.jiesu.insights;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * 每月一题 candidates: (category, district) ranked by the month's calls (receivedAt in Asia/Shanghai), with
 * the previous month's count and the change, the share of callbacks that said unresolved and unsatisfied,
 * and the lead departments with their on-time rate (RESOLVE met by its due time, among the finished ones).
 * Proactive tasks are not calls and are left out.
 */
public final class Topics {

  static final String RANK = """
      WITH cur AS (
        SELECT category, district, count(*)::int AS n,
               count(*) FILTER (WHERE callback_satisfaction IS NOT NULL)::int AS callbacks,
               count(*) FILTER (WHERE callback_resolved = false)::int AS unresolved,
               count(*) FILTER (WHERE callback_satisfaction = 'UNSATISFIED')::int AS unsatisfied
          FROM ticket
         WHERE received_at >= $1 AND received_at < $2 AND channel <> 'PROACTIVE'
         GROUP BY category, district),
      prev AS (
        SELECT category, district, count(*)::int AS n
          FROM ticket
         WHERE received_at >= $3 AND received_at < $1 AND channel <> 'PROACTIVE'
         GROUP BY category, district)
      SELECT cur.*, coalesce(prev.n, 0) AS previous
        FROM cur LEFT JOIN prev
          ON prev.category = cur.category AND prev.district IS NOT DISTINCT FROM cur.district
       ORDER BY cur.n DESC, cur.category, cur.district NULLS LAST
       LIMIT $4""";

  // the on-time rate reads the SLA engine's RESOLVE timers of each ticket's current round
  static final String DEPARTMENTS = """
      SELECT c.i, t.lead_department AS department, count(*)::int AS n,
             count(r.id) FILTER (WHERE r.met_at IS NOT NULL OR r.state = 'BREACHED')::int AS finished,
             count(r.id) FILTER (WHERE r.met_at IS NOT NULL AND r.met_at <= r.due_at)::int AS on_time
        FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS c(category, district, i)
        JOIN ticket t ON t.category = c.category AND t.district IS NOT DISTINCT FROM c.district
        LEFT JOIN sla_timer r ON r.ticket_id = t.id AND r.round = t.round AND r.kind = 'RESOLVE'
       WHERE t.received_at >= $3 AND t.received_at < $4 AND t.channel <> 'PROACTIVE'
         AND t.lead_department IS NOT NULL
       GROUP BY c.i, t.lead_department
       ORDER BY c.i, n DESC, t.lead_department""";

  /** A department's share of a topic. */
  public record Department(String code, int tickets, int finished, int onTime) {
    public Double onTimeRate() {
      return finished == 0 ? null : Hotspots.round((double) onTime / finished);
    }
  }

  /** One candidate topic. */
  public record Topic(String category, String district, int count, int previous, int callbacks, int unresolved,
      int unsatisfied, List<Department> departments) {

    public Double change() {
      return previous == 0 ? null : Hotspots.round((double) (count - previous) / previous);
    }

    public Double unresolvedShare() {
      return callbacks == 0 ? null : Hotspots.round((double) unresolved / callbacks);
    }

    public Double unsatisfiedShare() {
      return callbacks == 0 ? null : Hotspots.round((double) unsatisfied / callbacks);
    }

    public JsonObject json() {
      JsonArray depts = new JsonArray();
      departments.forEach(d -> depts.add(new JsonObject().put("department", d.code()).put("tickets", d.tickets())
          .put("onTimeRate", d.onTimeRate())));
      return new JsonObject().put("category", category).put("district", district).put("count", count)
          .put("previousCount", previous).put("change", change()).put("callbacks", callbacks)
          .put("unresolvedShare", unresolvedShare()).put("unsatisfiedShare", unsatisfiedShare())
          .put("departments", depts);
    }
  }

  private final InsightSettings settings;

  public Topics(InsightSettings settings) {
    this.settings = settings;
  }

  public Future<List<Topic>> rank(SqlClient db, YearMonth period, int limit) {
    Instant start = period.atDay(1).atStartOfDay(settings.zone()).toInstant();
    Instant end = period.plusMonths(1).atDay(1).atStartOfDay(settings.zone()).toInstant();
    Instant prevStart = period.minusMonths(1).atDay(1).atStartOfDay(settings.zone()).toInstant();
    return db.preparedQuery(RANK).execute(Tuple.of(Hotspots.utc(start), Hotspots.utc(end), Hotspots.utc(prevStart),
        limit)).compose(rows -> {
          List<Row> ranked = new ArrayList<>();
          rows.forEach(ranked::add);
          String[] cats = ranked.stream().map(r -> r.getString("category")).toArray(String[]::new);
          String[] dists = ranked.stream().map(r -> r.getString("district")).toArray(String[]::new);
          return db.preparedQuery(DEPARTMENTS).execute(Tuple.of(cats, dists, Hotspots.utc(start), Hotspots.utc(end)))
              .map(deptRows -> {
                Map<Integer, List<Department>> byTopic = new LinkedHashMap<>();
                for (Row d : deptRows) {
                  byTopic.computeIfAbsent(d.getLong("i").intValue() - 1, x -> new ArrayList<>())
                      .add(new Department(d.getString("department"), d.getInteger("n"), d.getInteger("finished"),
                          d.getInteger("on_time")));
                }
                List<Topic> out = new ArrayList<>();
                for (int i = 0; i < ranked.size(); i++) {
                  Row r = ranked.get(i);
                  out.add(new Topic(r.getString("category"), r.getString("district"), r.getInteger("n"),
                      r.getInteger("previous"), r.getInteger("callbacks"), r.getInteger("unresolved"),
                      r.getInteger("unsatisfied"), byTopic.getOrDefault(i, List.of())));
                }
                return out;
              });
        });
  }

  /** The same list for spreadsheets: UTF-8 with a byte-order mark (Excel reads Chinese right), CRLF lines. */
  public static String csv(YearMonth period, List<Topic> topics) {
    StringBuilder out = new StringBuilder("\uFEFF");
    out.append("period,rank,category,district,count,previousCount,change,callbacks,unresolvedShare,"
        + "unsatisfiedShare,departments\r\n");
    int rank = 0;
    for (Topic t : topics) {
      List<String> depts = new ArrayList<>();
      t.departments().forEach(d -> depts.add(d.code() + ":" + d.tickets() + ":"
          + (d.onTimeRate() == null ? "" : num(d.onTimeRate()))));
      out.append(String.join(",", period.toString(), Integer.toString(++rank), cell(t.category()),
          cell(t.district()), Integer.toString(t.count()), Integer.toString(t.previous()), num(t.change()),
          Integer.toString(t.callbacks()), num(t.unresolvedShare()), num(t.unsatisfiedShare()),
          cell(String.join(";", depts)))).append("\r\n");
    }
    return out.toString();
  }

  private static String num(Double d) {
    return d == null ? "" : String.format(Locale.ROOT, "%.3f", d);
  }

  /**
   * RFC 4180 quoting; a text starting with = + - @ (or a tab or CR) gets a leading apostrophe so a
   * spreadsheet does not run it as a formula.
   */
  static String cell(String s) {
    String v = Objects.toString(s, "");
    if (!v.isEmpty() && "=+-@\t\r".indexOf(v.charAt(0)) >= 0) {
      v = "'" + v;
    }
    if (v.contains(",") || v.contains("\"") || v.contains("\n") || v.contains("\r")) {
      v = "\"" + v.replace("\"", "\"\"") + "\"";
    }
    return v;
  }
}
