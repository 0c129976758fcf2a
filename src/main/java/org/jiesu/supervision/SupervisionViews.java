package org.jiesu.supervision;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jiesu.platform.Times;

/** What supervisors watch: breaches (newest first) and timers past their warning, not yet due (soonest first). */
public final class SupervisionViews {

  /** Filters shared by both views; a STAFF caller's department is forced by the handler. */
  public record Filter(Optional<String> department, Optional<String> timer, Optional<Instant> from,
      Optional<Instant> to) {}

  /** Keyset position: the sort instant and the row id. */
  public record Position(Instant at, long id) {}

  static final String BREACHES = """
      SELECT e.id, e.ticket_id, k.external_id, e.department, e.round, e.timer, e.due_at, e.at
        FROM sla_event e JOIN ticket k ON k.id = e.ticket_id
       WHERE e.type = 'SLA_BREACHED'
         AND ($1::text IS NULL OR e.department = $1)
         AND ($2::text IS NULL OR e.timer = $2)
         AND ($3::timestamptz IS NULL OR e.at >= $3)
         AND ($4::timestamptz IS NULL OR e.at < $4)
         AND ($5::timestamptz IS NULL OR (e.at, e.id) < ($5, $6))
       ORDER BY e.at DESC, e.id DESC
       LIMIT $7
      """;

  static final String AT_RISK = """
      SELECT t.id, t.ticket_id, k.external_id, k.lead_department AS department, t.round, t.kind AS timer,
             t.due_at, t.warn_at
        FROM sla_timer t JOIN ticket k ON k.id = t.ticket_id
       WHERE t.state = 'RUNNING' AND t.warn_at <= $1 AND t.due_at > $1
         AND ($2::text IS NULL OR k.lead_department = $2)
         AND ($3::text IS NULL OR t.kind = $3)
         AND ($4::timestamptz IS NULL OR t.due_at >= $4)
         AND ($5::timestamptz IS NULL OR t.due_at < $5)
         AND ($6::timestamptz IS NULL OR (t.due_at, t.id) > ($6, $7))
       ORDER BY t.due_at, t.id
       LIMIT $8
      """;

  /** A page of rows plus the keyset position of each, so the handler can make the next cursor. */
  public record Item(JsonObject json, Position position) {}

  public Future<List<Item>> breaches(SqlClient db, Filter f, Optional<Position> after, int limit) {
    return db.preparedQuery(BREACHES).execute(Tuple.from(new Object[] {f.department().orElse(null),
        f.timer().orElse(null), utc(f.from()), utc(f.to()), after.map(p -> utc(p.at())).orElse(null),
        after.map(Position::id).orElse(0L), limit})).map(rows -> {
          List<Item> items = new ArrayList<>();
          for (Row r : rows) {
            Instant at = r.getOffsetDateTime("at").toInstant();
            items.add(new Item(base(r).put("breachedAt", Times.rfc3339(at)), new Position(at, r.getLong("id"))));
          }
          return items;
        });
  }

  public Future<List<Item>> atRisk(SqlClient db, Instant now, Filter f, Optional<Position> after, int limit) {
    return db.preparedQuery(AT_RISK).execute(Tuple.from(new Object[] {now.atOffset(ZoneOffset.UTC),
        f.department().orElse(null), f.timer().orElse(null), utc(f.from()), utc(f.to()),
        after.map(p -> utc(p.at())).orElse(null), after.map(Position::id).orElse(0L), limit})).map(rows -> {
          List<Item> items = new ArrayList<>();
          for (Row r : rows) {
            Instant due = r.getOffsetDateTime("due_at").toInstant();
            items.add(new Item(base(r).put("warnAt", Times.rfc3339(r.getOffsetDateTime("warn_at").toInstant())),
                new Position(due, r.getLong("id"))));
          }
          return items;
        });
  }

  private static JsonObject base(Row r) {
    return new JsonObject()
        .put("ticketId", r.getUUID("ticket_id").toString())
        .put("externalId", r.getString("external_id"))
        .put("department", r.getString("department"))
        .put("round", r.getInteger("round"))
        .put("timer", r.getString("timer"))
        .put("dueAt", Times.rfc3339(r.getOffsetDateTime("due_at").toInstant()));
  }

  private static OffsetDateTime utc(Optional<Instant> t) {
    return t.map(i -> i.atOffset(ZoneOffset.UTC)).orElse(null);
  }

  private static OffsetDateTime utc(Instant t) {
    return t.atOffset(ZoneOffset.UTC);
  }
}
