package org.jiesu.ticket;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Ticket and timeline SQL. Takes the client so the service decides whether it runs in a transaction. */
public final class TicketRepository {

  private static final String COLUMNS = """
      id, seq, external_id, intake_hash, type, urgency, category, title, content, received_at,
      caller_name, caller_phone, caller_confidential, district, street, address, lat, lon,
      subject_credit_code, subject_name, status, round, lead_department, assisting_departments,
      dispatched_at, version, created_at, updated_at, signed_at, first_contact_at, suspended_at,
      granted_extension_seconds, merged_into, unreasonable, dispatch_count, replied_at, reply_outcome,
      reply_finding, callback_resolved, callback_satisfaction, closed_at, answered_by, knowledge_article_id,
      extended_until""";

  private static final String INSERT = "INSERT INTO ticket (" + COLUMNS.replace("seq, ", "") + """
      ) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19,
                $20, $21, $22, $23, $24, $25, $26, $27, $28, $29, $30, $31, $32, $33, $34, $35, $36, $37, $38,
                $39, $40, $41, $42, $43)
      ON CONFLICT (external_id) DO NOTHING
      RETURNING """ + " " + COLUMNS;

  private static final String BY_ID = "SELECT " + COLUMNS + " FROM ticket WHERE id = $1";
  private static final String BY_EXTERNAL_ID = "SELECT " + COLUMNS + " FROM ticket WHERE external_id = $1";

  /**
   * The list query: every filter is optional (a NULL parameter switches it off), the scope limits staff to
   * their department, and the keyset cursor (received_at, seq) pages without OFFSET. Array containment
   * ({@code @>}) rather than {@code = ANY} so the GIN index on assisting departments can serve it.
   */
  private static final String LIST_DESC = "SELECT " + COLUMNS + " FROM ticket WHERE "
      + listFilter() + " AND ($9::timestamptz IS NULL OR (received_at, seq) < ($9::timestamptz, $10::bigint))"
      + " ORDER BY received_at DESC, seq DESC LIMIT $11::int";
  private static final String LIST_ASC = "SELECT " + COLUMNS + " FROM ticket WHERE "
      + listFilter() + " AND ($9::timestamptz IS NULL OR (received_at, seq) > ($9::timestamptz, $10::bigint))"
      + " ORDER BY received_at ASC, seq ASC LIMIT $11::int";

  private static final String MERGED_FROM = "SELECT id FROM ticket WHERE merged_into = $1 ORDER BY seq";

  private static final String INSERT_EVENT = """
      INSERT INTO ticket_event (ticket_id, round, type, at, actor_sub, actor_role, actor_dept, details)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8)""";
  private static final String EVENTS = """
      SELECT id, ticket_id, round, type, at, actor_sub, actor_role, actor_dept, details
      FROM ticket_event WHERE ticket_id = $1 AND id > $2 ORDER BY id LIMIT $3""";

  private static String listFilter() {
    return """
        ($1::boolean OR lead_department = $2::text OR assisting_departments @> ARRAY[$2::text])
        AND ($3::text[] IS NULL OR status = ANY($3))
        AND ($4::text[] IS NULL OR type = ANY($4))
        AND ($5::text IS NULL OR lead_department = $5 OR assisting_departments @> ARRAY[$5::text])
        AND ($6::timestamptz IS NULL OR received_at >= $6)
        AND ($7::timestamptz IS NULL OR received_at < $7)
        AND ($8::text IS NULL OR category = $8 OR starts_with(category, $8 || '.'))""";
  }

  /** Filters of the ticket list; empty means "any". */
  public record ListQuery(
      TicketAccess.ListScope scope,
      List<String> statuses,
      List<String> types,
      Optional<String> department,
      Optional<Instant> receivedFrom,
      Optional<Instant> receivedTo,
      Optional<String> category,
      boolean ascending,
      Optional<Cursor> after,
      int limit) {}

  /** Position after the last row of a page. */
  public record Cursor(Instant receivedAt, long seq) {}

  /** Inserts unless the externalId exists; empty when it did. */
  public Future<Optional<Ticket>> insert(SqlClient db, Ticket t) {
    Ticket.Progress p = t.progress();
    Object[] values = {
        t.id(), t.externalId(), t.intakeHash(), t.type().name(), t.urgency().name(), t.category(),
        t.title(), t.content(), utc(t.receivedAt()), t.caller().name(), t.caller().phone(),
        t.caller().confidential(), t.location().district(), t.location().street(), t.location().address(),
        t.location().lat(), t.location().lon(), t.subject().map(Ticket.Subject::creditCode).orElse(null),
        t.subject().map(Ticket.Subject::name).orElse(null), t.state().name(), t.round(),
        t.leadDepartment().orElse(null), t.assistingDepartments().toArray(new String[0]),
        t.dispatchedAt().map(TicketRepository::utc).orElse(null), t.version(), utc(t.createdAt()),
        utc(t.updatedAt()), p.signedAt().map(TicketRepository::utc).orElse(null),
        p.firstContactAt().map(TicketRepository::utc).orElse(null), p.suspendedAt().map(TicketRepository::utc).orElse(null),
        p.grantedExtension().toSeconds(), p.mergedInto().orElse(null), p.unreasonable(), p.dispatchCount(),
        p.repliedAt().map(TicketRepository::utc).orElse(null), p.replyOutcome().orElse(null),
        p.replyFinding().orElse(null), p.callbackResolved().orElse(null), p.callbackSatisfaction().orElse(null),
        p.closedAt().map(TicketRepository::utc).orElse(null), p.answeredBy().orElse(null),
        p.knowledgeArticleId().orElse(null), p.extendedUntil().map(TicketRepository::utc).orElse(null)};
    return db.preparedQuery(INSERT).execute(Tuple.from(values)).map(TicketRepository::first);
  }

  public Future<Optional<Ticket>> byId(SqlClient db, UUID id) {
    return db.preparedQuery(BY_ID).execute(Tuple.of(id)).map(TicketRepository::first);
  }

  public Future<Optional<Ticket>> byExternalId(SqlClient db, String externalId) {
    return db.preparedQuery(BY_EXTERNAL_ID).execute(Tuple.of(externalId)).map(TicketRepository::first);
  }

  public Future<List<Ticket>> list(SqlClient db, ListQuery q) {
    Object[] values = {
        q.scope().all(), q.scope().department(),
        q.statuses().isEmpty() ? null : q.statuses().toArray(new String[0]),
        q.types().isEmpty() ? null : q.types().toArray(new String[0]),
        q.department().orElse(null),
        q.receivedFrom().map(TicketRepository::utc).orElse(null),
        q.receivedTo().map(TicketRepository::utc).orElse(null),
        q.category().orElse(null),
        q.after().map(c -> utc(c.receivedAt())).orElse(null),
        q.after().map(Cursor::seq).orElse(0L),
        q.limit()};
    return db.preparedQuery(q.ascending() ? LIST_ASC : LIST_DESC).execute(Tuple.from(values))
        .map(TicketRepository::all);
  }

  /** The duplicates merged into a ticket: the other direction of the merge link. */
  public Future<List<UUID>> mergedFrom(SqlClient db, UUID id) {
    return db.preparedQuery(MERGED_FROM).execute(Tuple.of(id)).map(rows -> {
      List<UUID> out = new ArrayList<>();
      rows.forEach(r -> out.add(r.getUUID("id")));
      return out;
    });
  }

  public Future<Void> appendEvent(SqlClient db, TicketEvent e) {
    return db.preparedQuery(INSERT_EVENT).execute(Tuple.from(new Object[] {
        e.ticketId(), e.round(), e.type(), utc(e.at()), e.actorSub(), e.actorRole(), e.actorDept(),
        e.details()})).mapEmpty();
  }

  public Future<List<TicketEvent>> events(SqlClient db, UUID ticketId, long afterId, int limit) {
    return db.preparedQuery(EVENTS).execute(Tuple.of(ticketId, afterId, limit)).map(rows -> {
      List<TicketEvent> out = new ArrayList<>();
      for (Row r : rows) {
        out.add(new TicketEvent(r.getLong("id"), r.getUUID("ticket_id"), r.getInteger("round"),
            r.getString("type"), instant(r, "at"), r.getString("actor_sub"), r.getString("actor_role"),
            r.getString("actor_dept"), (JsonObject) r.getValue("details")));
      }
      return out;
    });
  }

  private static Optional<Ticket> first(RowSet<Row> rows) {
    return rows.size() == 0 ? Optional.empty() : Optional.of(ticket(rows.iterator().next()));
  }

  private static List<Ticket> all(RowSet<Row> rows) {
    List<Ticket> out = new ArrayList<>(rows.size());
    rows.forEach(r -> out.add(ticket(r)));
    return out;
  }

  static Ticket ticket(Row r) {
    String creditCode = r.getString("subject_credit_code");
    String[] assisting = r.getArrayOfStrings("assisting_departments");
    return new Ticket(
        r.getUUID("id"), r.getLong("seq"), r.getString("external_id"), r.getString("intake_hash"),
        TicketType.valueOf(r.getString("type")), Urgency.valueOf(r.getString("urgency")),
        r.getString("category"), r.getString("title"), r.getString("content"), instant(r, "received_at"),
        new Ticket.Caller(r.getString("caller_name"), r.getString("caller_phone"),
            r.getBoolean("caller_confidential")),
        new Ticket.Location(r.getString("district"), r.getString("street"), r.getString("address"),
            r.getDouble("lat"), r.getDouble("lon")),
        creditCode == null ? Optional.empty()
            : Optional.of(new Ticket.Subject(creditCode, r.getString("subject_name"))),
        TicketState.valueOf(r.getString("status")), r.getInteger("round"),
        Optional.ofNullable(r.getString("lead_department")),
        assisting == null ? List.of() : Arrays.asList(assisting),
        optionalInstant(r, "dispatched_at"),
        r.getInteger("version"), instant(r, "created_at"), instant(r, "updated_at"),
        new Ticket.Progress(optionalInstant(r, "signed_at"), optionalInstant(r, "first_contact_at"),
            optionalInstant(r, "suspended_at"), Duration.ofSeconds(r.getLong("granted_extension_seconds")),
            Optional.ofNullable(r.getUUID("merged_into")), r.getBoolean("unreasonable"), r.getInteger("dispatch_count"),
            optionalInstant(r, "replied_at"), Optional.ofNullable(r.getString("reply_outcome")),
            Optional.ofNullable(r.getString("reply_finding")), Optional.ofNullable(r.getBoolean("callback_resolved")),
            Optional.ofNullable(r.getString("callback_satisfaction")), optionalInstant(r, "closed_at"),
            Optional.ofNullable(r.getString("answered_by")), Optional.ofNullable(r.getUUID("knowledge_article_id")),
            optionalInstant(r, "extended_until")));
  }

  private static Optional<Instant> optionalInstant(Row r, String column) {
    return Optional.ofNullable(r.getOffsetDateTime(column)).map(OffsetDateTime::toInstant);
  }

  private static Instant instant(Row r, String column) {
    return r.getOffsetDateTime(column).toInstant();
  }

  static OffsetDateTime utc(Instant instant) {
    return instant.atOffset(ZoneOffset.UTC);
  }
}
