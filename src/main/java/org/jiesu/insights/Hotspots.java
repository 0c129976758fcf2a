package org.jiesu.insights;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jiesu.platform.Times;
import org.jiesu.ticket.ChangeRows;

/**
 * 热点: cells with unusually many calls in a window against their own weekday-aware baseline. SQL counts
 * (one index range scan over receivedAt for all cells; one street's range for the check at intake),
 * {@link Cells} rolls up and {@link HotspotStatistic} judges. Proactive tasks are not calls: never counted.
 *
 * <p>Why an index and not counters kept by a listener: the covering index on (received_at) carrying the cell
 * serves any window length and any end instant, costs intake one index entry and no row lock, and a
 * window of a day over a million tickets reads a few tens of thousands of index entries (see README
 * figures). Hourly counters would tie windows to whole hours and make every call in a burst wait for the
 * same counter row.
 */
public final class Hotspots {

  public static final int MAX_IDS = 20;

  /**
   * All cells of one window: each of the five windows is one index range scan (no per-row date arithmetic),
   * leaf cells are counted, then rolled up to every category prefix, and only cells with at least the
   * minimum count in the window come back (a cell below it can never be a hotspot).
   */
  static final String ALL_CELLS = """
      WITH leaf AS (
        SELECT category, district, street, k, count(*) AS n, min(received_at) AS first_at,
               max(received_at) AS last_at
          FROM (%s) calls
         GROUP BY 1, 2, 3, 4)
      SELECT p.prefix AS category, l.district, l.street,
             coalesce(sum(l.n) FILTER (WHERE l.k = 0), 0)::int AS n0,
             coalesce(sum(l.n) FILTER (WHERE l.k = 1), 0)::int AS n1,
             coalesce(sum(l.n) FILTER (WHERE l.k = 2), 0)::int AS n2,
             coalesce(sum(l.n) FILTER (WHERE l.k = 3), 0)::int AS n3,
             coalesce(sum(l.n) FILTER (WHERE l.k = 4), 0)::int AS n4,
             min(l.first_at) FILTER (WHERE l.k = 0) AS first_at, max(l.last_at) FILTER (WHERE l.k = 0) AS last_at
        FROM leaf l
        CROSS JOIN LATERAL (
          SELECT array_to_string(parts[1:i], '.') AS prefix
            FROM (SELECT string_to_array(l.category, '.') AS parts) a, generate_series(1, cardinality(a.parts)) i) p
       WHERE $12::text IS NULL OR p.prefix = $12 OR starts_with(p.prefix, $12 || '.')
       GROUP BY 1, 2, 3
      HAVING coalesce(sum(l.n) FILTER (WHERE l.k = 0), 0) >= $13""".formatted(calls());

  /** One index range scan per window (a join against a list of ranges was planned as a full scan). */
  private static String calls() {
    java.util.List<String> parts = new java.util.ArrayList<>();
    for (int k = 0; k <= Cells.WEEKS; k++) {
      parts.add(("SELECT category, district, street, %d AS k, received_at FROM ticket"
          + " WHERE received_at >= $%d AND received_at < $%d AND channel <> 'PROACTIVE'"
          + " AND ($11::text IS NULL OR district = $11)"
          + " AND ($12::text IS NULL OR category = $12 OR starts_with(category, $12 || '.'))")
          .formatted(k, 2 * k + 1, 2 * k + 2));
    }
    return String.join("\n UNION ALL ", parts);
  }

  static final String ONE_STREET = """
      SELECT t.category, (w.i - 1)::int AS k, count(*)::int AS n, min(t.received_at) AS first_at,
             max(t.received_at) AS last_at
        FROM unnest($1::timestamptz[], $2::timestamptz[]) WITH ORDINALITY AS w(s, e, i)
        JOIN ticket t ON t.district = $3 AND t.street = $4 AND t.received_at >= w.s AND t.received_at < w.e
       WHERE t.channel <> 'PROACTIVE' AND (t.category = $5 OR starts_with(t.category, $5 || '.'))
       GROUP BY 1, 2""";

  // the newest calls of each cell listed; cells with a district and street use the street index
  private static final String IDS = """
      SELECT c.i, x.id
        FROM unnest($1::text[], $2::text[], $3::text[]) WITH ORDINALITY AS c(category, district, street, i)
        CROSS JOIN LATERAL (
          SELECT t.id FROM ticket t
           WHERE %s AND t.received_at >= $4 AND t.received_at < $5 AND t.channel <> 'PROACTIVE'
             AND (t.category = c.category OR starts_with(t.category, c.category || '.'))
           ORDER BY t.received_at DESC, t.id
           LIMIT %d) x""";
  static final String IDS_ON_STREETS = IDS.formatted("t.district = c.district AND t.street = c.street", MAX_IDS);
  static final String IDS_ELSEWHERE = IDS.formatted(
      "t.district IS NOT DISTINCT FROM c.district AND t.street IS NOT DISTINCT FROM c.street", MAX_IDS);

  /**
   * The new hotspots a call makes, as records of its intake's own statement ({@link ChangeRows}: joined to the
   * ticket made, so a call that is not made announces nothing): once per cell and window, the unique key
   * deciding, so replicas and concurrent intakes announce it once; in the order given (a call's cells,
   * highest score first), which the ids keep. The row is the event, streamed in (txid, id) order with the SLA
   * events by {@code SlaEventFeed}, which the NOTIFY (sent at commit, only when a row
   * was written) wakes on every replica.
   */
  static final String INTAKE_ANNOUNCE = """
      INSERT INTO insight_hotspot (category, district, street, window_seconds, window_start, count, expected,
                                   score, at, first_at, last_at, ticket_id)
      SELECT x.category, x.district, x.street, x.window_seconds, x.window_start, x.count, x.expected, x.score,
             x.at, x.first_at, x.last_at, x.ticket_id
        FROM jsonb_populate_recordset(NULL::insight_hotspot, $1::jsonb) WITH ORDINALITY AS x
        JOIN ins ON ins.id = x.ticket_id
       ORDER BY x.ordinality
      ON CONFLICT DO NOTHING
      RETURNING id""";
  static final String INTAKE_NOTIFY = "SELECT pg_notify('%s', '') FROM {rows} LIMIT 1"
      .formatted(org.jiesu.sla.TimerStore.EVENTS_CHANNEL);

  /** One listed hotspot. */
  public record Hotspot(Cells.Judged judged, List<UUID> ticketIds) {
    public JsonObject json() {
      HotspotStatistic.Verdict v = judged.verdict();
      return new JsonObject()
          .put("category", judged.cell().category())
          .put("district", judged.cell().district())
          .put("street", judged.cell().street())
          .put("count", v.count())
          .put("expected", round(v.expected()))
          .put("score", round(v.score()))
          .put("firstAt", Times.rfc3339(judged.firstAt()))
          .put("lastAt", Times.rfc3339(judged.lastAt()))
          .put("ticketIds", new io.vertx.core.json.JsonArray(ticketIds.stream().map(UUID::toString).toList()));
    }
  }

  private final InsightSettings settings;

  public Hotspots(InsightSettings settings) {
    this.settings = settings;
  }

  /** The hotspots of the window [at − length, at), highest score first, at most {@code limit}. */
  public Future<List<Hotspot>> list(SqlClient db, Duration length, Instant at, Optional<String> district,
      Optional<String> category, int limit) {
    OffsetDateTime[][] w = windows(at, length);
    return db.preparedQuery(ALL_CELLS)
        .execute(Tuple.from(new Object[] {w[0][0], w[1][0], w[0][1], w[1][1], w[0][2], w[1][2], w[0][3], w[1][3],
            w[0][4], w[1][4], district.orElse(null), category.orElse(null), settings.statistic().minimumCount()}))
        .compose(rows -> {
          List<Cells.Rolled> rolled = new ArrayList<>();
          for (Row r : rows) {
            rolled.add(new Cells.Rolled(new Cells.Cell(r.getString("category"), r.getString("district"),
                r.getString("street")), new int[] {r.getInteger("n0"), r.getInteger("n1"), r.getInteger("n2"),
                r.getInteger("n3"), r.getInteger("n4")}, instant(r, "first_at"), instant(r, "last_at")));
          }
          List<Cells.Judged> hot = Cells.hotspotsOfRolled(rolled, settings.statistic());
          List<Cells.Judged> page = hot.subList(0, Math.min(limit, hot.size()));
          return ids(db, page, at.minus(length), at).map(ids -> {
            List<Hotspot> out = new ArrayList<>();
            for (int i = 0; i < page.size(); i++) {
              out.add(new Hotspot(page.get(i), ids.getOrDefault(i, List.of())));
            }
            return out;
          });
        });
  }

  private Future<Map<Integer, List<UUID>>> ids(SqlClient db, List<Cells.Judged> cells, Instant from, Instant to) {
    Map<Integer, List<UUID>> out = new HashMap<>();
    List<Integer> onStreets = new ArrayList<>();
    List<Integer> elsewhere = new ArrayList<>();
    for (int i = 0; i < cells.size(); i++) {
      Cells.Cell c = cells.get(i).cell();
      (c.district() != null && c.street() != null ? onStreets : elsewhere).add(i);
    }
    return ids(db, IDS_ON_STREETS, cells, onStreets, from, to, out)
        .compose(v -> ids(db, IDS_ELSEWHERE, cells, elsewhere, from, to, out))
        .map(out);
  }

  private static Future<Void> ids(SqlClient db, String sql, List<Cells.Judged> cells, List<Integer> which,
      Instant from, Instant to, Map<Integer, List<UUID>> out) {
    if (which.isEmpty()) {
      return Future.succeededFuture();
    }
    String[] cat = new String[which.size()];
    String[] dis = new String[which.size()];
    String[] str = new String[which.size()];
    for (int j = 0; j < which.size(); j++) {
      Cells.Cell c = cells.get(which.get(j)).cell();
      cat[j] = c.category();
      dis[j] = c.district();
      str[j] = c.street();
    }
    return db.preparedQuery(sql).execute(Tuple.of(cat, dis, str, utc(from), utc(to))).map(rows -> {
      for (Row r : rows) {
        int index = which.get(r.getLong("i").intValue() - 1);
        out.computeIfAbsent(index, x -> new ArrayList<>()).add(r.getUUID("id"));
      }
      return null;
    });
  }

  /**
   * The parameters of {@link #ONE_STREET} for the check of a call in {@code category} on a street, over the
   * stream window ending {@code now}.
   */
  Object[] oneStreet(String category, String district, String street, Instant now) {
    OffsetDateTime[][] w = windows(now, settings.streamWindow());
    return new Object[] {w[0], w[1], district, street, Cells.prefixes(category).get(0)};
  }

  /**
   * Before a call is taken in: judges the cells it will fall in (its category and each prefix, its district
   * and street) over the stream window ending {@code now}, from the street's calls as they stand
   * ({@link #ONE_STREET}'s {@code rows}, read before the intake) and the new call with them, and answers the
   * new hotspots as rows for the intake's own statement ({@link #INTAKE_ANNOUNCE}), or nothing. Reading before
   * the intake, not in its transaction after it, lets a located call go in one statement with other intakes
   * (an intake alone in a transaction cost 1.0 ms of database time against 0.25 in a batch). Two calls on one
   * street taken in at the same moment do not count each other, as they did not when each counted in its own
   * transaction; the next call's check counts both. Calls without district and street are left to the list.
   */
  Optional<ChangeRows> announcements(Iterable<Row> rows, String category, String district, String street,
      UUID ticketId, Instant receivedAt, Instant now) {
    Duration length = settings.streamWindow();
    List<Cells.Count> counts = new ArrayList<>();
    for (Row r : rows) {
      counts.add(new Cells.Count(r.getString("category"), district, street, r.getInteger("k"),
          r.getInteger("n"), instant(r, "first_at"), instant(r, "last_at")));
    }
    counts.add(new Cells.Count(category, district, street, 0, 1, receivedAt, receivedAt)); // the new call
    List<String> mine = Cells.prefixes(category);
    JsonArray records = new JsonArray();
    for (Cells.Judged j : Cells.hotspots(counts, settings.statistic(), null)) {
      if (mine.contains(j.cell().category())) {
        records.add(record(j, length, now, ticketId));
      }
    }
    return records.isEmpty() ? Optional.empty()
        : Optional.of(new ChangeRows(INTAKE_ANNOUNCE, List.of(records), INTAKE_NOTIFY));
  }

  /** An {@code insight_hotspot} row as a record of {@link #INTAKE_ANNOUNCE}. */
  private JsonObject record(Cells.Judged j, Duration length, Instant now, UUID ticketId) {
    Instant windowStart = Cells.bucket(now, length, settings.zone());
    HotspotStatistic.Verdict v = j.verdict();
    return new JsonObject().put("category", j.cell().category()).put("district", j.cell().district())
        .put("street", j.cell().street()).put("window_seconds", (int) length.getSeconds())
        .put("window_start", utc(windowStart).toString()).put("count", v.count()).put("expected", v.expected())
        .put("score", v.score()).put("at", utc(now).toString()).put("first_at", utc(j.firstAt()).toString())
        .put("last_at", utc(j.lastAt()).toString()).put("ticket_id", ticketId.toString());
  }

  /** The {@code insight.hotspot} stream event of an {@code insight_hotspot} row (as the stream feed reads it). */
  public static JsonObject streamEvent(Row r) {
    return new JsonObject()
        .put("event", "insight.hotspot")
        .put("id", r.getLong("id"))
        .put("category", r.getString("category"))
        .put("district", r.getString("district"))
        .put("street", r.getString("street"))
        .put("window", Duration.ofSeconds(r.getInteger("window_seconds")).toString())
        .put("windowStart", Times.rfc3339(instant(r, "window_start")))
        .put("count", r.getInteger("count"))
        .put("expected", round(r.getDouble("expected")))
        .put("score", round(r.getDouble("score")))
        .put("firstAt", Times.rfc3339(instant(r, "first_at")))
        .put("lastAt", Times.rfc3339(instant(r, "last_at")))
        .put("ticketId", r.getUUID("ticket_id").toString())
        .put("at", Times.rfc3339(instant(r, "at")));
  }

  /** The window and its four baselines: starts, then ends. */
  private static OffsetDateTime[][] windows(Instant end, Duration length) {
    OffsetDateTime[][] out = new OffsetDateTime[2][Cells.WEEKS + 1];
    for (int k = 0; k <= Cells.WEEKS; k++) {
      Instant[] w = Cells.window(end, length, k);
      out[0][k] = utc(w[0]);
      out[1][k] = utc(w[1]);
    }
    return out;
  }

  static double round(double x) {
    return Math.round(x * 1000) / 1000.0;
  }

  static OffsetDateTime utc(Instant t) {
    return t.atOffset(ZoneOffset.UTC);
  }

  static Instant instant(Row r, String column) {
    OffsetDateTime t = r.getOffsetDateTime(column);
    return t == null ? null : t.toInstant();
  }
}
