package org.jiesu.credit;

import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** The SQL of credit supervision. The caller decides whether {@code db} is the pool or a transaction. */
final class CreditRepository {

  /** A stored credit event with what the explanation shows besides the rule input. */
  record Stored(String creditCode, CreditEvent event, Optional<String> note) {}

  /** A complaint or report that named the entity, and the finding its reply gave, if any yet. */
  record Complaint(String creditCode, UUID ticket, Instant receivedAt, Optional<String> finding,
      Optional<Instant> findingAt, Optional<Instant> withdrawnAt) {

    /**
     * Unverified as of {@code at}: received by then, and by then neither substantiated nor found unfounded,
     * nor merged into another ticket or marked unreasonable.
     */
    boolean unverifiedAt(Instant at) {
      if (receivedAt.isAfter(at) || withdrawnAt.map(t -> !t.isAfter(at)).orElse(false)) {
        return false;
      }
      boolean decided = finding.filter(f -> f.equals("SUBSTANTIATED") || f.equals("UNSUBSTANTIATED")).isPresent()
          && findingAt.map(t -> !t.isAfter(at)).orElse(false);
      return !decided;
    }
  }

  private static final String ENTITY_COLUMNS = "credit_code, name, kind, district, status, created_at, updated_at";
  private static final String LOCK = "SELECT " + ENTITY_COLUMNS + " FROM credit_entity WHERE credit_code = $1 FOR UPDATE";
  private static final String GET = "SELECT " + ENTITY_COLUMNS + " FROM credit_entity WHERE credit_code = $1";
  private static final String INSERT = "INSERT INTO credit_entity (" + ENTITY_COLUMNS + ") VALUES ($1, $2, $3, $4, $5, $6, $6)"
      + " ON CONFLICT (credit_code) DO NOTHING";
  private static final String UPDATE = "UPDATE credit_entity SET name = $2, kind = $3, district = $4, status = 'VERIFIED',"
      + " updated_at = $5 WHERE credit_code = $1";
  private static final String PAGE = "SELECT " + ENTITY_COLUMNS + " FROM credit_entity"
      + " WHERE ($1::text IS NULL OR kind = $1) AND ($2::text IS NULL OR district = $2) AND credit_code > $3"
      + " ORDER BY credit_code LIMIT $4";
  private static final String EVENT_COLUMNS = "id, credit_code, kind, effective_at, points, repairs, note, source";
  private static final String EVENTS = "SELECT " + EVENT_COLUMNS + " FROM credit_event WHERE credit_code = ANY($1)"
      + " ORDER BY credit_code, effective_at, id";
  private static final String INSERT_EVENT = "INSERT INTO credit_event (" + EVENT_COLUMNS + ", ticket_id, recorded_at)"
      + " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (ticket_id) DO NOTHING";
  private static final String COMPLAINTS = "SELECT credit_code, ticket_id, received_at, finding, finding_at,"
      + " withdrawn_at FROM credit_complaint WHERE credit_code = ANY($1)";
  private static final String WITHDRAW = "UPDATE credit_complaint SET withdrawn_at = $2 WHERE ticket_id = $1"
      + " AND withdrawn_at IS NULL";
  private static final String INSERT_COMPLAINT = "INSERT INTO credit_complaint (ticket_id, credit_code, received_at)"
      + " VALUES ($1, $2, $3) ON CONFLICT (ticket_id) DO NOTHING";
  private static final String FINDING = "UPDATE credit_complaint SET finding = $2, finding_at = $3 WHERE ticket_id = $1";

  /**
   * A reply's finding as rows of the action's own statement ({@link org.jiesu.ticket.ChangeRows}: {@code ins}
   * is the ticket, $1 its id), doing what {@link #INSERT}, {@link #INSERT_COMPLAINT}, {@link #FINDING} and, for
   * SUBSTANTIATED, {@link #INSERT_EVENT} do one after another. Sibling rows of a statement do not see each
   * other's writes, so the complaint and its finding are one upsert; the foreign keys to the entity are
   * checked when the statement ends, by which time the entity row is written.
   */
  static final String CHANGE_ENTITY = "INSERT INTO credit_entity (" + ENTITY_COLUMNS + ")"
      + " SELECT $2::text, $3::text, $4::text, NULL, $5::text, $6::timestamptz, $6::timestamptz FROM ins"
      + " WHERE ins.id = $1 ON CONFLICT (credit_code) DO NOTHING";
  static final String CHANGE_FINDING = "INSERT INTO credit_complaint (ticket_id, credit_code, received_at, finding,"
      + " finding_at) SELECT $1::uuid, $2::text, $3::timestamptz, $4::text, $5::timestamptz FROM ins WHERE ins.id = $1"
      + " ON CONFLICT (ticket_id) DO UPDATE SET finding = EXCLUDED.finding, finding_at = EXCLUDED.finding_at";
  static final String CHANGE_EVENT = "INSERT INTO credit_event (" + EVENT_COLUMNS + ", ticket_id, recorded_at)"
      + " SELECT $2::uuid, $3::text, $4::text, $5::timestamptz, NULL, NULL, NULL, $6::text, $1::uuid,"
      + " $7::timestamptz FROM ins WHERE ins.id = $1"
      + " ON CONFLICT (ticket_id) DO NOTHING";
  /** {@link #WITHDRAW} as a row of the action's own statement. */
  static final String CHANGE_WITHDRAW = "UPDATE credit_complaint c SET withdrawn_at = $2::timestamptz FROM ins"
      + " WHERE ins.id = $1 AND c.ticket_id = $1 AND c.withdrawn_at IS NULL";

  Future<Optional<Entity>> lock(SqlClient db, String code) {
    return db.preparedQuery(LOCK).execute(Tuple.of(code)).map(CreditRepository::single);
  }

  Future<Optional<Entity>> get(SqlClient db, String code) {
    return db.preparedQuery(GET).execute(Tuple.of(code)).map(CreditRepository::single);
  }

  /** True when inserted; false when the code was there already. */
  Future<Boolean> insert(SqlClient db, Entity e) {
    return db.preparedQuery(INSERT).execute(Tuple.of(e.creditCode(), e.name(), e.kind(), e.district().orElse(null),
        e.status(), utc(e.createdAt()))).map(rows -> rows.rowCount() == 1);
  }

  Future<Void> update(SqlClient db, Entity e) {
    return db.preparedQuery(UPDATE).execute(Tuple.of(e.creditCode(), e.name(), e.kind(), e.district().orElse(null),
        utc(e.updatedAt()))).mapEmpty();
  }

  private static final String INSERT_ALL = "INSERT INTO credit_entity (" + ENTITY_COLUMNS + ")"
      + " SELECT u.code, u.name, u.kind, u.district, 'VERIFIED', $5, $5"
      + " FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS u(code, name, kind, district)"
      + " ON CONFLICT (credit_code) DO NOTHING RETURNING credit_code";
  private static final String LOCK_ALL = "SELECT " + ENTITY_COLUMNS + " FROM credit_entity"
      + " WHERE credit_code = ANY($1) ORDER BY credit_code FOR UPDATE";
  private static final String UPDATE_ALL = "UPDATE credit_entity e SET name = u.name, kind = u.kind,"
      + " district = u.district, status = 'VERIFIED', updated_at = $5"
      + " FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS u(code, name, kind, district)"
      + " WHERE e.credit_code = u.code";

  /** Inserts those not there yet, in one statement; answers the codes it inserted. */
  Future<java.util.Set<String>> insertAll(SqlClient db, List<Entity> entities, Instant now) {
    return db.preparedQuery(INSERT_ALL).execute(columns(entities).addOffsetDateTime(utc(now))).map(rows -> {
      java.util.Set<String> out = new java.util.HashSet<>();
      rows.forEach(r -> out.add(r.getString(0)));
      return out;
    });
  }

  Future<List<Entity>> lockAll(SqlClient db, List<String> codes) {
    return db.preparedQuery(LOCK_ALL).execute(Tuple.of(codes.toArray(String[]::new))).map(rows -> {
      List<Entity> out = new ArrayList<>();
      rows.forEach(r -> out.add(entity(r)));
      return out;
    });
  }

  Future<Void> updateAll(SqlClient db, List<Entity> entities, Instant now) {
    if (entities.isEmpty()) {
      return Future.succeededFuture();
    }
    return db.preparedQuery(UPDATE_ALL).execute(columns(entities).addOffsetDateTime(utc(now))).mapEmpty();
  }

  private static Tuple columns(List<Entity> entities) {
    return Tuple.of(entities.stream().map(Entity::creditCode).toArray(String[]::new),
        entities.stream().map(Entity::name).toArray(String[]::new),
        entities.stream().map(Entity::kind).toArray(String[]::new),
        entities.stream().map(e -> e.district().orElse(null)).toArray(String[]::new));
  }

  Future<List<Entity>> page(SqlClient db, Optional<String> kind, Optional<String> district, String after, int limit) {
    return db.preparedQuery(PAGE).execute(Tuple.of(kind.orElse(null), district.orElse(null), after, limit))
        .map(rows -> {
          List<Entity> out = new ArrayList<>();
          rows.forEach(r -> out.add(entity(r)));
          return out;
        });
  }

  Future<Map<String, List<Stored>>> events(SqlClient db, List<String> codes) {
    return db.preparedQuery(EVENTS).execute(Tuple.of(codes.toArray(String[]::new))).map(rows -> {
      Map<String, List<Stored>> out = new HashMap<>();
      for (Row r : rows) {
        Stored s = new Stored(r.getString("credit_code"), new CreditEvent(r.getUUID("id").toString(),
            CreditEvent.Kind.valueOf(r.getString("kind")), instant(r, "effective_at"),
            Optional.ofNullable(r.getInteger("points")),
            Optional.ofNullable(r.getUUID("repairs")).map(UUID::toString), r.getString("source")),
            Optional.ofNullable(r.getString("note")));
        out.computeIfAbsent(s.creditCode(), c -> new ArrayList<>()).add(s);
      }
      return out;
    });
  }

  /** Inserts the event; false when a ticket's event for the same ticket exists already. */
  Future<Boolean> insertEvent(SqlClient db, String code, CreditEvent e, Optional<String> note, Optional<UUID> ticket,
      Instant now) {
    return db.preparedQuery(INSERT_EVENT).execute(Tuple.from(new Object[] {UUID.fromString(e.id()), code,
        e.kind().name(), utc(e.effectiveAt()), e.points().orElse(null), e.repairs().map(UUID::fromString).orElse(null),
        note.orElse(null), e.source(), ticket.orElse(null), utc(now)})).map(rows -> rows.rowCount() == 1);
  }

  Future<Map<String, List<Complaint>>> complaints(SqlClient db, List<String> codes) {
    return db.preparedQuery(COMPLAINTS).execute(Tuple.of(codes.toArray(String[]::new))).map(rows -> {
      Map<String, List<Complaint>> out = new HashMap<>();
      for (Row r : rows) {
        Complaint c = new Complaint(r.getString("credit_code"), r.getUUID("ticket_id"), instant(r, "received_at"),
            Optional.ofNullable(r.getString("finding")), Optional.ofNullable(r.getOffsetDateTime("finding_at"))
            .map(OffsetDateTime::toInstant), Optional.ofNullable(r.getOffsetDateTime("withdrawn_at"))
            .map(OffsetDateTime::toInstant));
        out.computeIfAbsent(c.creditCode(), k -> new ArrayList<>()).add(c);
      }
      return out;
    });
  }

  Future<Void> complaint(SqlClient db, UUID ticket, String code, Instant receivedAt) {
    return db.preparedQuery(INSERT_COMPLAINT).execute(Tuple.of(ticket, code, utc(receivedAt))).mapEmpty();
  }

  Future<Void> finding(SqlClient db, UUID ticket, String finding, Instant at) {
    return db.preparedQuery(FINDING).execute(Tuple.of(ticket, finding, utc(at))).mapEmpty();
  }

  Future<Void> withdraw(SqlClient db, UUID ticket, Instant at) {
    return db.preparedQuery(WITHDRAW).execute(Tuple.of(ticket, utc(at))).mapEmpty();
  }

  private static Optional<Entity> single(RowSet<Row> rows) {
    var it = rows.iterator();
    return it.hasNext() ? Optional.of(entity(it.next())) : Optional.empty();
  }

  private static Entity entity(Row r) {
    return new Entity(r.getString("credit_code"), r.getString("name"), r.getString("kind"),
        Optional.ofNullable(r.getString("district")), r.getString("status"), instant(r, "created_at"),
        instant(r, "updated_at"));
  }

  static Instant instant(Row r, String column) {
    return r.getOffsetDateTime(column).toInstant();
  }

  static OffsetDateTime utc(Instant t) {
    return t.atOffset(ZoneOffset.UTC);
  }
}
