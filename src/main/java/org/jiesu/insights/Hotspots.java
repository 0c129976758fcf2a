package org.jiesu.insights;

import io.vertx.core.Future;
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

  /** NOTIFY channel of announced hotspots; every replica LISTENs and publishes them to its stream clients. */
  public static final String CHANNEL = "jiesu_insight_events";
  /** Local event-bus address of announced hotspots (JSON as {@link #announce} makes it). */
  public static final String ADDRESS = "jiesu.supervision.insights";
  public static final int MAX_IDS = 20;

  // the k-th week back of the window: ago in (k weeks, k+1 weeks]; in the window when ago − k weeks ≤ length
  private static final String WINDOWED = """
      ceil(extract(epoch FROM ($1::timestamptz - received_at)) / 604800)::int - 1 AS k,
      extract(epoch FROM ($1::timestamptz - received_at)) AS ago""";
  private static final String RANGE = """
      received_at >= $1::timestamptz - $2::bigint * interval '1 second' - interval '28 days'
      AND received_at < $1::timestamptz AND channel <> 'PROACTIVE'""";

  static final String ALL_CELLS = """
      SELECT category, district, street, k, count(*)::int AS n, min(received_at) AS first_at,
             max(received_at) AS last_at
        FROM (SELECT category, district, street, received_at, %s
                FROM ticket
               WHERE %s
                 AND ($3::text IS NULL OR district = $3)
                 AND ($4::text IS NULL OR category = $4 OR starts_with(category, $4 || '.'))) t
       WHERE ago - k * 604800 <= $2
       GROUP BY category, district, street, k""".formatted(WINDOWED, RANGE);

  static final String ONE_STREET = """
      SELECT category, k, count(*)::int AS n, min(received_at) AS first_at, max(received_at) AS last_at
        FROM (SELECT category, received_at, %s
                FROM ticket
               WHERE district = $3 AND street = $4 AND %s
                 AND (category = $5 OR starts_with(category, $5 || '.'))) t
       WHERE ago - k * 604800 <= $2
       GROUP BY category, k""".formatted(WINDOWED, RANGE);

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

  static final String ANNOUNCE = """
      WITH ins AS (
        INSERT INTO insight_hotspot (category, district, street, window_seconds, window_start, count, expected,
                                     score, at)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
        ON CONFLICT DO NOTHING
        RETURNING id)
      SELECT id, pg_notify('%s', jsonb_set($10::text::jsonb, '{id}', to_jsonb(id))::text) FROM ins""".formatted(CHANNEL);

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
    return db.preparedQuery(ALL_CELLS)
        .execute(Tuple.of(utc(at), length.getSeconds(), district.orElse(null), category.orElse(null)))
        .compose(rows -> {
          List<Cells.Count> counts = new ArrayList<>();
          for (Row r : rows) {
            counts.add(new Cells.Count(r.getString("category"), r.getString("district"), r.getString("street"),
                r.getInteger("k"), r.getInteger("n"), instant(r, "first_at"), instant(r, "last_at")));
          }
          List<Cells.Judged> hot = Cells.hotspots(counts, settings.statistic(), category.orElse(null));
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
   * After a call is taken in: judges the cells it falls in (its category and each prefix, its district and
   * street) over the stream window ending now, and announces each new hotspot once per cell and window
   * (the unique key decides, so replicas and concurrent intakes announce it once). The NOTIFY is sent at
   * commit, so a rolled-back intake announces nothing. Calls without district and street are left to the list.
   */
  public Future<Void> check(SqlClient tx, String category, String district, String street, UUID ticketId,
      Instant now) {
    Duration length = settings.streamWindow();
    String top = Cells.prefixes(category).get(0);
    return tx.preparedQuery(ONE_STREET)
        .execute(Tuple.of(utc(now), length.getSeconds(), district, street, top))
        .compose(rows -> {
          List<Cells.Count> counts = new ArrayList<>();
          for (Row r : rows) {
            counts.add(new Cells.Count(r.getString("category"), district, street, r.getInteger("k"),
                r.getInteger("n"), instant(r, "first_at"), instant(r, "last_at")));
          }
          List<String> mine = Cells.prefixes(category);
          Future<Void> chain = Future.succeededFuture();
          for (Cells.Judged j : Cells.hotspots(counts, settings.statistic(), null)) {
            if (mine.contains(j.cell().category())) {
              chain = chain.compose(v -> announce(tx, j, length, now, ticketId));
            }
          }
          return chain;
        });
  }

  private Future<Void> announce(SqlClient tx, Cells.Judged j, Duration length, Instant now, UUID ticketId) {
    Instant windowStart = Cells.bucket(now, length, settings.zone());
    HotspotStatistic.Verdict v = j.verdict();
    JsonObject event = new JsonObject()
        .put("event", "insight.hotspot")
        .put("id", 0)
        .put("category", j.cell().category())
        .put("district", j.cell().district())
        .put("street", j.cell().street())
        .put("window", length.toString())
        .put("windowStart", Times.rfc3339(windowStart))
        .put("count", v.count())
        .put("expected", round(v.expected()))
        .put("score", round(v.score()))
        .put("firstAt", Times.rfc3339(j.firstAt()))
        .put("lastAt", Times.rfc3339(j.lastAt()))
        .put("ticketId", ticketId.toString())
        .put("at", Times.rfc3339(now));
    return tx.preparedQuery(ANNOUNCE).execute(Tuple.from(new Object[] {j.cell().category(), j.cell().district(),
        j.cell().street(), (int) length.getSeconds(), utc(windowStart), v.count(), v.expected(), v.score(), utc(now),
        event.encode()})).mapEmpty();
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
