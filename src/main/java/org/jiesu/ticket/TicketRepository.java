package org.jiesu.ticket;

import org.jiesu.ticket.workflow.TicketAccess;
import org.jiesu.ticket.workflow.Channel;
import org.jiesu.ticket.workflow.Urgency;
import org.jiesu.ticket.workflow.TicketType;
import org.jiesu.ticket.workflow.TicketState;
import org.jiesu.ticket.workflow.Ticket;
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
import io.vertx.core.json.JsonArray;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jiesu.ticket.workflow.Handling;
import org.jiesu.ticket.workflow.Handling.ExtensionRequest;
import org.jiesu.ticket.workflow.Handling.ReturnRequest;
import org.jiesu.ticket.workflow.Handling.SupervisionOrder;
import org.jiesu.ticket.workflow.Handling.SuspensionRequest;
import org.jiesu.ticket.workflow.TicketEvent;

/** Ticket and timeline SQL. Takes the client so the service decides whether it runs in a transaction. */
public final class TicketRepository {

  private static final String COLUMNS = """
      id, seq, external_id, intake_hash, type, urgency, category, title, content, received_at,
      caller_name, caller_phone, caller_confidential, district, street, address, lat, lon,
      subject_credit_code, subject_name, status, round, lead_department, assisting_departments,
      dispatched_at, version, created_at, updated_at, signed_at, first_contact_at, suspended_at,
      granted_extension_seconds, merged_into, unreasonable, dispatch_count, replied_at, reply_outcome,
      reply_finding, callback_resolved, callback_satisfaction, closed_at, answered_by, knowledge_article_id,
      extended_until, channel""";

  /** What every read maps ({@link #ticket}): the stored columns and the deadline the SLA engine keeps. */
  public static final String READ = COLUMNS + ", due_at";

  /** What the intake inserts of each record of its $1 ({@link #INTAKE}): every column but seq. */
  private static final String INTAKE_COLUMNS = java.util.Arrays.stream((COLUMNS + ", due_at").split(","))
      .map(String::strip).filter(c -> !c.equals("seq")).map(c -> "r." + c)
      .collect(java.util.stream.Collectors.joining(", "));

  private static final String INSERT = "INSERT INTO ticket (" + COLUMNS.replace("seq, ", "") + """
      ) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19,
                $20, $21, $22, $23, $24, $25, $26, $27, $28, $29, $30, $31, $32, $33, $34, $35, $36, $37, $38,
                $39, $40, $41, $42, $43, $44)
      ON CONFLICT (external_id) DO NOTHING
      RETURNING """ + " " + READ;

  private static final String BY_ID = "SELECT " + READ + " FROM ticket WHERE id = $1";

  /**
   * New tickets in one statement (one or a batch of them: {@link IntakeBatches}): for each the named
   * departments checked (an array has no foreign key; the lead's is the backstop), the ticket inserted unless
   * a department is unknown or its externalId exists (ON CONFLICT waits for a concurrent first intake to
   * end; a second of the same externalId in the batch is skipped alike), and its events inserted with it
   * (and, as further CTEs, the listeners' rows: the audit entry among them). $1 the tickets (JSON records
   * named by column), $2 each one's departments by its place in $1, $3 their events (JSON records with the
   * ticket's id): JSON rather than arrays of each column, because a JSON array's rows are estimated alike
   * whatever its length, so the statement keeps its generic plan whatever the batch (see OutboxStore).
   * Answers the tickets made (id, seq) and the first unknown department of those refused (place, position).
   * The tickets go in in externalId order: two batches that both hold the same two externalIds (a client
   * sending its requests again on two connections) take their keys in one order, so neither waits for the
   * other's second while holding its first.
   */
  private static final String INTAKE = """
      WITH unknown AS (
        SELECT t.ord, min(d.n) AS n
          FROM jsonb_to_recordset($2::jsonb) AS t(ord int, departments text[])
          CROSS JOIN LATERAL unnest(t.departments) WITH ORDINALITY AS d(code, n)
         WHERE NOT EXISTS (SELECT 1 FROM department WHERE department.code = d.code)
         GROUP BY t.ord
      ), ins AS (
        INSERT INTO ticket (""" + COLUMNS.replace("seq, ", "") + """
      , due_at)
        SELECT""" + " " + INTAKE_COLUMNS + """
          FROM jsonb_populate_recordset(NULL::ticket, $1::jsonb) WITH ORDINALITY AS r
         WHERE NOT EXISTS (SELECT 1 FROM unknown WHERE unknown.ord = r.ordinality)
         ORDER BY r.external_id
        ON CONFLICT (external_id) DO NOTHING
        RETURNING id, seq
      ), events AS (
        INSERT INTO ticket_event (ticket_id, round, type, at, actor_sub, actor_role, actor_dept, details)
        SELECT e.ticket_id, e.round, e.type, e.at, e.actor_sub, e.actor_role, e.actor_dept, e.details
          FROM jsonb_populate_recordset(NULL::ticket_event, $3::jsonb) WITH ORDINALITY AS e
          JOIN ins ON ins.id = e.ticket_id
         ORDER BY e.ordinality
      )""";
  /** The parameters {@link #INTAKE} numbers itself; the listeners' rows ({@link ChangeRows}) number theirs after. */
  private static final int INTAKE_PARAMS = 3;
  private static final String INTAKE_ANSWER = " SELECT (SELECT json_agg(json_build_array(id, seq)) FROM ins) AS made,"
      + " (SELECT json_agg(json_build_array(ord, n)) FROM unknown) AS unknown";
  private static final java.util.regex.Pattern PARAM = java.util.regex.Pattern.compile("\\$(\\d+)");
  /** The intake statement for each list of listeners' rows seen (a handful: one per set of listeners that write). */
  private static final java.util.concurrent.ConcurrentMap<List<String>, String> INTAKES =
      new java.util.concurrent.ConcurrentHashMap<>();
  /** The same for an action's events insert ({@link #changeStatement}). */
  private static final java.util.concurrent.ConcurrentMap<List<String>, String> CHANGES =
      new java.util.concurrent.ConcurrentHashMap<>();
  /** The same with the ticket's update ({@link #changeStatementWithUpdate}). */
  private static final java.util.concurrent.ConcurrentMap<List<String>, String> UPDATING_CHANGES =
      new java.util.concurrent.ConcurrentHashMap<>();

  /**
   * {@link #INTAKE} with the listeners' rows as CTEs x1, x2… (parameters renumbered after its own); the answer
   * counts those that are SELECTs, so that they run too. Each row is given as {@link #key}.
   */
  static String intakeStatement(List<String> rows) {
    return withRows(INTAKE, INTAKE_PARAMS, INTAKE_ANSWER, rows);
  }

  /**
   * An action's events insert with the listeners' rows ({@link ChangeRows}): the acting ticket is {@code ins}
   * ($9), the events are {@link #INSERT_EVENTS}' $1–$8.
   */
  static String changeStatement(List<String> rows) {
    return withRows("WITH ins AS (SELECT $9::uuid AS id), ev AS (\n" + INSERT_EVENTS + "\n)", 9,
        " SELECT (SELECT id FROM ins) AS ticket", rows);
  }

  /**
   * The same for an action that moves the ticket's version: its {@link #UPDATE} ($1–$24, guarded by the
   * version read under the lock) is {@code ins}, so the row, the events ($25–$32) and the listeners' rows are
   * one statement. The answer's ticket is null when the guard found the ticket changed.
   */
  static String changeStatementWithUpdate(List<String> rows) {
    return withRows("WITH ins AS (\n" + UPDATE + "\nRETURNING id), ev AS (\n" + renumbered(INSERT_EVENTS, 8, UPDATE_PARAMS)
        + "\n)", UPDATE_PARAMS + 8, " SELECT (SELECT id FROM ins) AS ticket", rows);
  }

  /** A listener's statement with its parameters $1…$params numbered from $(next + 1); a higher one is refused. */
  private static String renumbered(String sql, int params, int next) {
    java.util.regex.Matcher m = PARAM.matcher(sql);
    StringBuilder renumbered = new StringBuilder();
    while (m.find()) {
      int n = Integer.parseInt(m.group(1));
      if (n < 1 || n > params) {
        throw new IllegalArgumentException("$" + n + " in rows with " + params + " parameters: " + sql);
      }
      m.appendReplacement(renumbered, "\\$" + (next + n));
    }
    m.appendTail(renumbered);
    return renumbered.toString();
  }

  /** {@code head} (a WITH list, numbering {@code own} parameters) and the rows' CTEs, then {@code answer}. */
  private static String withRows(String head, int own, String answer, List<String> rows) {
    StringBuilder sql = new StringBuilder(head);
    int next = own;
    List<String> ctes = new ArrayList<>();
    for (int i = 0; i < rows.size(); i++) {
      String[] parts = rows.get(i).split(AFTER, 3);
      int params = Integer.parseInt(parts[0]);
      String name = "x" + (i + 1);
      sql.append(", ").append(name).append(" AS (\n").append(renumbered(parts[1], params, next)).append("\n)");
      if (!MODIFYING.matcher(parts[1]).lookingAt()) {
        ctes.add(name); // a SELECT (a pg_notify) runs only if read
      }
      if (parts.length > 2) {
        sql.append(", ").append(name).append("a AS (\n")
            .append(renumbered(parts[2].replace("{rows}", name), params, next)).append("\n)");
        if (!MODIFYING.matcher(parts[2]).lookingAt()) {
          ctes.add(name + "a");
        }
      }
      next += params;
    }
    sql.append(answer);
    for (String cte : ctes) {
      sql.append(", (SELECT count(*) FROM ").append(cte).append(") AS ").append(cte);
    }
    return sql.toString();
  }

  /**
   * A data-modifying statement: as a CTE it runs to completion whether anything reads it or not (PostgreSQL
   * docs, "Data-Modifying Statements in WITH"), so the answer does not read it (each read was a subplan the
   * executor set up, ran and counted on every intake).
   */
  private static final java.util.regex.Pattern MODIFYING =
      java.util.regex.Pattern.compile("\\s*(INSERT|UPDATE|DELETE|MERGE)\\b", java.util.regex.Pattern.CASE_INSENSITIVE);

  /** Between the parts of {@link #key} (no statement contains it). */
  private static final String AFTER = "\0";

  /** A listener's rows as {@link #intakeStatement} takes them: its parameter count, its statement, its after. */
  static String key(ChangeRows r) {
    return r.params().size() + AFTER + r.sql() + (r.after() == null ? "" : AFTER + r.after());
  }
  private static final String BY_EXTERNAL_ID = "SELECT " + READ + " FROM ticket WHERE external_id = $1";

  /**
   * The list query: every filter is optional (a NULL parameter switches it off), the scope limits staff to
   * their department, and the keyset cursor (received_at, seq) pages without OFFSET. Array containment
   * ({@code @>}) rather than {@code = ANY} so the GIN index on assisting departments can serve it.
   */
  private static final String LIST_DESC = "SELECT " + READ + " FROM ticket WHERE "
      + listFilter() + " AND ($9::timestamptz IS NULL OR (received_at, seq) < ($9::timestamptz, $10::bigint))"
      + " ORDER BY received_at DESC, seq DESC LIMIT $11::int";
  private static final String LIST_ASC = "SELECT " + READ + " FROM ticket WHERE "
      + listFilter() + " AND ($9::timestamptz IS NULL OR (received_at, seq) > ($9::timestamptz, $10::bigint))"
      + " ORDER BY received_at ASC, seq ASC LIMIT $11::int";

  private static final String LIST_DUE = "SELECT " + READ + " FROM ticket WHERE "
      + listFilter() + " AND due_at IS NOT NULL AND ($12::timestamptz IS NULL OR due_at < $12::timestamptz)"
      + " AND ($9::timestamptz IS NULL OR (due_at, seq) > ($9::timestamptz, $10::bigint))"
      + " ORDER BY due_at ASC, seq ASC LIMIT $11::int";

  private static final String MERGED_FROM = "SELECT id FROM ticket WHERE merged_into = $1 ORDER BY seq";

  /** Every event of a change in one statement, in order (their ids give the timeline its order). */
  private static final String INSERT_EVENTS = """
      INSERT INTO ticket_event (ticket_id, round, type, at, actor_sub, actor_role, actor_dept, details)
      SELECT t, r, ty, a, s, ro, d, x::jsonb
      FROM unnest($1::uuid[], $2::int[], $3::text[], $4::timestamptz[], $5::text[], $6::text[], $7::text[], $8::text[])
        WITH ORDINALITY AS e(t, r, ty, a, s, ro, d, x, n)
      ORDER BY n""";

  /** The pending requests and the live supervision orders the rules of some actions need, read with the lock. */
  private static final String REQUESTS = """
      , (SELECT coalesce(json_agg(json_build_object('id', r.id, 'kind', r.kind, 'requestedBy', r.requested_by,
           'requestedAt', r.requested_at, 'reason', r.reason, 'suggestedDepartment', r.suggested_department,
           'until', r.until, 'lengthSeconds', r.length_seconds)), '[]'::json)
         FROM ticket_request r WHERE r.ticket_id = t.id AND r.status = 'PENDING') AS pending,
        (SELECT coalesce(json_agg(json_build_object('id', o.id, 'department', o.department,
           'instruction', o.instruction, 'respondBy', o.respond_by, 'orderedBy', o.ordered_by,
           'orderedAt', o.ordered_at, 'acknowledgedAt', o.acknowledged_at) ORDER BY o.ordered_at, o.id), '[]'::json)
         FROM supervision_order o WHERE o.ticket_id = t.id AND o.superseded_at IS NULL) AS orders""";

  /**
   * Whether the row locked is the version this statement's snapshot sees. When a concurrent change held the
   * lock, FOR UPDATE waits for it and then locks and returns its new row, but everything else the statement
   * reads (requests, orders, the listeners' reads) comes from the snapshot taken before the wait: stale.
   */
  private static final String FRESH = ", t.xmin = (SELECT s.xmin FROM ticket s WHERE s.id = $1) AS fresh";

  /** Locks the ticket row for the rest of the transaction and reads it, with what the listeners read. */
  private final String lock;

  /** As {@link #lock}, with the pending requests and the live supervision orders the rules may need. */
  private final String lockWithRequests;

  /**
   * Which column of the lock holds each listener's read (by position; -1: none): {@code locked_i}, i the first
   * listener asking for that same expression, so two listeners that need the same (the SLA engine and the
   * scorecard facts, the ticket's timers) have it read once.
   */
  private final int[] lockedReads;

  /** A repository whose lock reads nothing besides the ticket. */
  public TicketRepository() {
    this(List.of());
  }

  /**
   * {@code lockedReads}: SQL expressions the statement that locks a ticket also evaluates ({@code $1} is the
   * ticket's id), by position (null: none); see {@link TicketListener#readWithLock}.
   */
  public TicketRepository(List<String> lockedReads) {
    StringBuilder reads = new StringBuilder();
    this.lockedReads = new int[lockedReads.size()];
    for (int i = 0; i < lockedReads.size(); i++) {
      String read = lockedReads.get(i);
      int first = read == null ? -1 : lockedReads.indexOf(read);
      if (first == i) {
        reads.append(",\n  ").append(read).append(" AS locked_").append(i);
      }
      this.lockedReads[i] = first;
    }
    this.lock = "SELECT " + READ + reads + FRESH + "\n FROM ticket t WHERE t.id = $1 FOR UPDATE OF t";
    this.lockWithRequests = "SELECT " + READ + REQUESTS + reads + FRESH
        + "\n FROM ticket t WHERE t.id = $1 FOR UPDATE OF t";
  }

  /** The statement that locks and reads a ticket without its requests (for tests of its reads). */
  String lockStatement() {
    return lock;
  }

  /** Which column holds each listener's read ({@link #lockedReads}). */
  int[] lockedColumns() {
    return lockedReads.clone();
  }

  private static final String INSERT_REQUEST = """
      INSERT INTO ticket_request (id, ticket_id, kind, round, status, requested_by, requested_by_sub, requested_at,
                                  reason, suggested_department, until, length_seconds)
      VALUES ($1, $2, $3, $4, 'PENDING', $5, $6, $7, $8, $9, $10, $11)""";
  private static final String CLOSE_REQUESTS = """
      UPDATE ticket_request SET status = $2, decided_at = $3, decided_by_sub = $4, decision_reason = $5
      WHERE id = ANY($1::uuid[]) AND status = 'PENDING'""";
  private static final String INSERT_ORDER = """
      INSERT INTO supervision_order (id, ticket_id, round, department, instruction, respond_by, ordered_by, ordered_at)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8)""";
  private static final String ACK_ORDER = """
      UPDATE supervision_order SET acknowledged_at = $2, acknowledged_by = $3 WHERE id = $1 AND acknowledged_at IS NULL""";
  /** Orders addressed to a department that lost the ticket can no longer be acknowledged. */
  private static final String SUPERSEDE_ORDERS = """
      UPDATE supervision_order SET superseded_at = $3
      WHERE ticket_id = $1 AND acknowledged_at IS NULL AND superseded_at IS NULL
        AND ($2::text IS NULL OR department <> $2)""";
  private static final String INSERT_FACT = """
      INSERT INTO handling_fact (ticket_id, round, kind, request_id, granted_at, starts_at, ends_at, length_seconds)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8)""";
  private static final String END_SUSPENSION = """
      UPDATE handling_fact SET ends_at = $2 WHERE ticket_id = $1 AND kind = 'SUSPENSION' AND ends_at IS NULL""";
  /** A change seen only on another ticket (a duplicate merged into it) still moves that ticket's version. */
  private static final String TOUCH = "UPDATE ticket SET version = version + 1, updated_at = $2 WHERE id = $1"
      + " RETURNING " + READ;
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
      List<String> statuses,
      List<String> types,
      Optional<String> department,
      Optional<Instant> receivedFrom,
      Optional<Instant> receivedTo,
      Optional<String> category,
      Sort sort,
      Optional<Instant> dueBefore,
      Optional<Cursor> after,
      int limit) {}

  /** The orders of the list: by when the citizen called, or soonest deadline first (tickets with one). */
  public enum Sort { RECEIVED_DESC, RECEIVED_ASC, DUE }

  /** Position after the last row of a page: the sort instant (received or due) and the seq. */
  public record Cursor(Instant at, long seq) {}

  /**
   * One ticket, the duplicates merged into it, and — when the reader sees its personal data — the audit
   * entry of that read, in one statement: run on its own (autocommit), it is committed before the answer
   * arrives, so the entry is durable before the data leaves.
   */
  private static final String READ_AUDITED = "WITH t AS (SELECT " + READ + """
      , (SELECT coalesce(array_agg(m.id ORDER BY m.seq), '{}') FROM ticket m WHERE m.merged_into = ticket.id)
          AS merged_from
        FROM ticket WHERE id = $1
      ), audited AS (
        INSERT INTO audit_entry (at, actor_sub, actor_role, actor_dept, action, ticket_id, detail)
        SELECT $2, $3, $4, $5, 'PERSONAL_DATA_READ', t.id, '{"tickets":["' || t.id || '"]}' FROM t
         WHERE """ + TicketAccess.fullViewSql(6, 7) + """
       AND (t.caller_name IS NOT NULL OR t.caller_phone IS NOT NULL OR t.address IS NOT NULL)
        RETURNING 1
      )
      SELECT t.*, EXISTS (SELECT 1 FROM audited) AS audited FROM t""";

  /** A ticket read with {@link #readAudited}. */
  public record Read(Ticket ticket, List<UUID> mergedFrom, boolean audited) {}

  /**
   * Reads a ticket for {@code actor} ({@code sub}, {@code role}, {@code dept} as audited), recording the
   * read of its personal data in the same statement when {@link TicketAccess#fullViewSql} holds.
   */
  public Future<Optional<Read>> readAudited(SqlClient db, UUID id, Instant at, String sub, String role,
      String dept, Object[] fullViewParameters) {
    Object[] values = {id, utc(at), sub, role, dept, fullViewParameters[0], fullViewParameters[1]};
    return db.preparedQuery(READ_AUDITED).execute(Tuple.from(values)).map(rows -> {
      if (rows.size() == 0) {
        return Optional.empty();
      }
      Row r = rows.iterator().next();
      UUID[] merged = r.getArrayOfUUIDs("merged_from");
      return Optional.of(new Read(ticket(r), merged == null ? List.of() : Arrays.asList(merged),
          r.getBoolean("audited")));
    });
  }

  /** What the intake statement did for one ticket: the new row's seq, or why there is none. */
  public record Inserted(Optional<Long> seq, Optional<Integer> unknownDepartment) {}

  /**
   * A new ticket as the intake statement takes it: the ticket, the departments it names (lead first), its
   * events and the rows the listeners write for it ({@link ChangeRows}, each with one JSON array of records).
   */
  public record NewTicket(Ticket ticket, List<String> departments, List<TicketEvent> events, List<ChangeRows> rows) {
    /** The statement's key: tickets batch together only when their listeners write the same rows. */
    public List<String> shape() {
      List<String> keys = new ArrayList<>(rows.size());
      rows.forEach(r -> keys.add(key(r)));
      return keys;
    }
  }

  /**
   * Inserts new tickets with their events and the listeners' rows, in one statement: for each ticket of
   * {@code batch} (all of one {@link NewTicket#shape}), in order, what became of it. Nothing is made of a
   * ticket that names an unknown department ({@code unknownDepartment}: its 0-based position in its
   * departments) or whose externalId is taken (both empty). A knowledge article that does not exist, or a
   * department removed since the check, fails the whole statement (23503), as does any other error: nothing
   * of the batch is written.
   */
  public Future<List<Inserted>> intake(SqlClient db, List<NewTicket> batch) {
    List<String> shape = batch.get(0).shape();
    JsonArray tickets = new JsonArray(new ArrayList<>(batch.size()));
    JsonArray departments = new JsonArray(new ArrayList<>(batch.size()));
    JsonArray events = new JsonArray(new ArrayList<>(batch.size() * 2));
    // a listener's rows take one JSON array of records (concatenated over the batch) or nothing at all
    List<ChangeRows> first = batch.get(0).rows();
    JsonArray[] rows = new JsonArray[first.size()];
    int params = 0;
    for (int r = 0; r < rows.length; r++) {
      if (!first.get(r).params().isEmpty()) {
        rows[r] = new JsonArray();
        params++;
      }
    }
    for (int i = 0; i < batch.size(); i++) {
      NewTicket n = batch.get(i);
      if (!sameRows(n.rows(), first)) {
        throw new IllegalArgumentException("a batch of intakes whose listeners write different rows");
      }
      tickets.add(record(n.ticket()));
      departments.add(new JsonObject().put("ord", i + 1).put("departments", new JsonArray(new ArrayList<>(n.departments()))));
      for (TicketEvent e : n.events()) {
        events.add(new JsonObject().put("ticket_id", e.ticket().toString()).put("round", e.round())
            .put("type", e.type()).put("at", utc(e.at()).toString()).put("actor_sub", e.actor().sub())
            .put("actor_role", e.actor().mainRole() == null ? null : e.actor().mainRole().name())
            .put("actor_dept", e.actor().dept().orElse(null)).put("details", TicketJson.details(e)));
      }
      for (int r = 0; r < rows.length; r++) {
        if (rows[r] != null) {
          rows[r].addAll(intakeRecords(n.rows().get(r)));
        }
      }
    }
    Object[] values = new Object[INTAKE_PARAMS + params];
    values[0] = tickets;
    values[1] = departments;
    values[2] = events;
    int at = INTAKE_PARAMS;
    for (JsonArray r : rows) {
      if (r != null) {
        values[at++] = r;
      }
    }
    String sql = INTAKES.computeIfAbsent(shape, TicketRepository::intakeStatement);
    return db.preparedQuery(sql).execute(Tuple.from(values)).map(answer -> {
      Row r = answer.iterator().next();
      Map<String, Long> made = new java.util.HashMap<>();
      pairs(r.getValue("made")).forEach(p -> made.put(p.getString(0), p.getLong(1)));
      Map<Integer, Integer> unknown = new java.util.HashMap<>();
      pairs(r.getValue("unknown")).forEach(p -> unknown.put(p.getInteger(0), p.getInteger(1) - 1));
      List<Inserted> out = new ArrayList<>(batch.size());
      for (int i = 0; i < batch.size(); i++) {
        out.add(new Inserted(Optional.ofNullable(made.get(batch.get(i).ticket().id().toString())),
            Optional.ofNullable(unknown.get(i + 1))));
      }
      return out;
    });
  }

  /** Whether two intakes' listeners write the same rows: {@link NewTicket#shape} without building it again. */
  private static boolean sameRows(List<ChangeRows> a, List<ChangeRows> b) {
    if (a.size() != b.size()) {
      return false;
    }
    for (int r = 0; r < a.size(); r++) {
      ChangeRows x = a.get(r);
      ChangeRows y = b.get(r);
      if (x.params().size() != y.params().size() || !x.sql().equals(y.sql())
          || !java.util.Objects.equals(x.after(), y.after())) {
        return false;
      }
    }
    return true;
  }

  /** The one parameter of a listener's intake rows: its records ({@link ChangeRows}). */
  private static JsonArray intakeRecords(ChangeRows r) {
    if (r.params().size() != 1 || !(r.params().get(0) instanceof JsonArray records)) {
      throw new IllegalArgumentException("a listener's intake rows take one JSON array of records: " + r.sql());
    }
    return records;
  }

  /** A {@code json_agg} of two-element arrays as the SQL client decodes it (null when it aggregated nothing). */
  private static List<JsonArray> pairs(Object value) {
    if (value == null) {
      return List.of();
    }
    JsonArray all = value instanceof JsonArray a ? a : new JsonArray(value.toString());
    List<JsonArray> out = new ArrayList<>(all.size());
    for (int i = 0; i < all.size(); i++) {
      out.add(all.getJsonArray(i));
    }
    return out;
  }

  private static final String[] RECORD_NAMES =
      Arrays.stream(COLUMNS.replace("seq, ", "").split(",")).map(String::strip).toArray(String[]::new);

  /** A new ticket as one record of the intake's $1: its columns by name, as JSON carries them. */
  private static JsonObject record(Ticket t) {
    Object[] values = values(t);
    JsonObject out = new JsonObject(new LinkedHashMap<>(64));
    for (int i = 0; i < RECORD_NAMES.length; i++) {
      out.put(RECORD_NAMES[i], json(values[i]));
    }
    out.put("due_at", json(t.dueAt().map(TicketRepository::utc).orElse(null)));
    return out;
  }

  /** A column's value as JSON carries it to {@code jsonb_populate_recordset}. */
  private static Object json(Object value) {
    if (value instanceof OffsetDateTime || value instanceof UUID) {
      return value.toString();
    }
    if (value instanceof String[] array) {
      return new JsonArray(new ArrayList<>(Arrays.asList(array)));
    }
    return value;
  }

  /** Inserts unless the externalId exists; empty when it did. */
  public Future<Optional<Ticket>> insert(SqlClient db, Ticket t) {
    return db.preparedQuery(INSERT).execute(Tuple.from(values(t))).map(TicketRepository::first);
  }

  /** A ticket's columns in the order of {@link #COLUMNS}, without seq. */
  private static Object[] values(Ticket t) {
    Ticket.Progress p = t.progress();
    return new Object[] {
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
        p.knowledgeArticleId().orElse(null), p.extendedUntil().map(TicketRepository::utc).orElse(null),
        t.channel().name()};
  }

  public Future<Optional<Ticket>> byId(SqlClient db, UUID id) {
    return db.preparedQuery(BY_ID).execute(Tuple.of(id)).map(TicketRepository::first);
  }

  public Future<Optional<Ticket>> byExternalId(SqlClient db, String externalId) {
    return db.preparedQuery(BY_EXTERNAL_ID).execute(Tuple.of(externalId)).map(TicketRepository::first);
  }

  /** One page of the list, limited to what {@code scope} may see. */
  public Future<List<Ticket>> list(SqlClient db, TicketAccess.ListScope scope, ListQuery q) {
    Object[] values = {
        scope.all(), scope.department(),
        q.statuses().isEmpty() ? null : q.statuses().toArray(new String[0]),
        q.types().isEmpty() ? null : q.types().toArray(new String[0]),
        q.department().orElse(null),
        q.receivedFrom().map(TicketRepository::utc).orElse(null),
        q.receivedTo().map(TicketRepository::utc).orElse(null),
        q.category().orElse(null),
        q.after().map(c -> utc(c.at())).orElse(null),
        q.after().map(Cursor::seq).orElse(0L),
        q.limit(),
        q.dueBefore().map(TicketRepository::utc).orElse(null)};
    String sql = switch (q.sort()) {
      case RECEIVED_ASC -> LIST_ASC;
      case RECEIVED_DESC -> LIST_DESC;
      case DUE -> LIST_DUE;
    };
    if (q.sort() != Sort.DUE) {
      values = java.util.Arrays.copyOf(values, 11); // the received-order queries take no due bound
    }
    return db.preparedQuery(sql).execute(Tuple.from(values))
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

  /** A locked ticket, and what the lock statement read for the listeners (by position, null: nothing). */
  public record Locked(Handling handling, Object[] reads) {

    public Ticket ticket() {
      return handling.ticket();
    }
  }

  /**
   * Locks and reads a ticket in one statement; empty when there is none. {@code withRequests} also reads
   * its pending requests and supervision orders, for the actions whose rules look at them; without it the
   * handling shows none. When the ticket changed while the lock was awaited, the statement is run again,
   * now that the lock is held, so that nothing it answers predates that change.
   */
  public Future<Optional<Locked>> lock(SqlClient tx, UUID id, boolean withRequests) {
    return lock(tx, id, withRequests, false);
  }

  private Future<Optional<Locked>> lock(SqlClient tx, UUID id, boolean withRequests, boolean held) {
    return tx.preparedQuery(withRequests ? lockWithRequests : lock).execute(Tuple.of(id)).compose(rows -> {
      if (rows.size() == 0) {
        return Future.succeededFuture(Optional.empty());
      }
      Row row = rows.iterator().next();
      if (!Boolean.TRUE.equals(row.getBoolean("fresh"))) {
        // with the lock held nobody can change the row: a second miss would be a fault, not a race
        return held ? Future.failedFuture(new IllegalStateException("ticket " + id + " changed under its lock"))
            : lock(tx, id, withRequests, true);
      }
      Ticket t = ticket(row);
      Object[] reads = new Object[lockedReads.length];
      for (int i = 0; i < reads.length; i++) {
        reads[i] = lockedReads[i] < 0 ? null : row.getValue("locked_" + lockedReads[i]);
      }
      return Future.succeededFuture(Optional.of(new Locked(withRequests
          ? handling(t, (JsonArray) row.getValue("pending"), (JsonArray) row.getValue("orders"))
          : Handling.of(t), reads)));
    });
  }

  private static Handling handling(Ticket t, JsonArray pending, JsonArray orders) {
    Optional<ReturnRequest> ret = Optional.empty();
    Optional<ExtensionRequest> ext = Optional.empty();
    Optional<SuspensionRequest> susp = Optional.empty();
    for (int i = 0; i < pending.size(); i++) {
      JsonObject r = pending.getJsonObject(i);
      UUID id = UUID.fromString(r.getString("id"));
      String by = r.getString("requestedBy");
      Instant at = jsonInstant(r.getString("requestedAt"));
      String reason = r.getString("reason");
      switch (r.getString("kind")) {
        case "RETURN" -> ret = Optional.of(new ReturnRequest(id, by, at, reason,
            Optional.ofNullable(r.getString("suggestedDepartment"))));
        case "EXTENSION" -> ext = Optional.of(new ExtensionRequest(id, by, at, jsonInstant(r.getString("until")),
            Duration.ofSeconds(r.getLong("lengthSeconds")), reason));
        case "SUSPENSION" -> susp = Optional.of(new SuspensionRequest(id, by, at, reason));
        default -> throw new IllegalStateException("unknown request kind " + r.getString("kind"));
      }
    }
    List<SupervisionOrder> list = new ArrayList<>();
    for (int i = 0; i < orders.size(); i++) {
      JsonObject o = orders.getJsonObject(i);
      list.add(new SupervisionOrder(UUID.fromString(o.getString("id")), o.getString("department"),
          o.getString("instruction"), jsonInstant(o.getString("respondBy")), o.getString("orderedBy"),
          jsonInstant(o.getString("orderedAt")),
          Optional.ofNullable(o.getString("acknowledgedAt")).map(TicketRepository::jsonInstant)));
    }
    return new Handling(t, ret, ext, susp, list);
  }

  /** A timestamp as PostgreSQL writes it in JSON ({@code 2026-03-02T10:00:00.123456+08:00}). */
  private static Instant jsonInstant(String text) {
    return OffsetDateTime.parse(text).toInstant();
  }

  /**
   * Stores a decision: the ticket row as the rule left it (when the rule moved its version), then, for each
   * event, what that kind of event writes besides (requests opened and closed, orders, granted facts), then
   * the events themselves. Nothing is compared with the ticket before: the rule's ticket is the row. Answers
   * every ticket the change touched, as it now is; a note or a later contact, which leave the ticket as it
   * was, write no ticket row.
   */
  public Future<Map<UUID, Ticket>> save(SqlClient tx, int versionBefore, Ticket after, List<TicketEvent> events,
      String actorSub, Instant now) {
    return save(tx, versionBefore, after, events, actorSub, now, List.of());
  }

  /** As above, with the listeners' rows written by the events' statement ({@link ChangeRows}, ins = {@code after}). */
  public Future<Map<UUID, Ticket>> save(SqlClient tx, int versionBefore, Ticket after, List<TicketEvent> events,
      String actorSub, Instant now, List<ChangeRows> rows) {
    Map<UUID, Ticket> touched = new LinkedHashMap<>();
    touched.put(after.id(), after);
    List<Future<?>> writes = new ArrayList<>();
    boolean moved = after.version() != versionBefore;
    if (moved && rows.isEmpty()) {
      writes.add(updateTicket(tx, versionBefore, after));
    }
    for (TicketEvent e : events) {
      writes.addAll(sideEffects(tx, e, actorSub, now, touched));
    }
    // with rows, the ticket's update goes in the events' statement (after the side effects: none of them
    // reads the ticket row, and the listeners' statements, issued after this, see it updated)
    writes.add(rows.isEmpty() ? insertEvents(tx, events)
        : moved ? updateWithEvents(tx, versionBefore, after, events, rows)
        : insertEvents(tx, events, after.id(), rows));
    // one connection runs them in order, pipelined; all() only waits for them
    return Future.all(writes).map(touched);
  }

  /**
   * The handling columns of a ticket, as a rule left them, and its nearest deadline, as the listeners set it
   * before the save (else the one read under the lock, unchanged); guarded by the version read under the lock.
   */
  private static final String UPDATE = """
      UPDATE ticket SET status = $3, round = $4, lead_department = $5, assisting_departments = $6,
        dispatched_at = $7, signed_at = $8, first_contact_at = $9, suspended_at = $10,
        granted_extension_seconds = $11, merged_into = $12, unreasonable = $13, dispatch_count = $14,
        replied_at = $15, reply_outcome = $16, reply_finding = $17, callback_resolved = $18,
        callback_satisfaction = $19, closed_at = $20, extended_until = $21, version = $22, updated_at = $23,
        due_at = $24
      WHERE id = $1 AND version = $2""";

  private static final int UPDATE_PARAMS = 24;

  private Future<Void> updateTicket(SqlClient tx, int versionBefore, Ticket t) {
    return tx.preparedQuery(UPDATE).execute(Tuple.from(updateValues(versionBefore, t))).compose(rows -> rows.rowCount() == 1
        ? Future.<Void>succeededFuture()
        : Future.failedFuture(changedUnderLock(t)));
  }

  /** {@link #UPDATE}, the events and the listeners' rows, one statement ({@link #changeStatementWithUpdate}). */
  private Future<Void> updateWithEvents(SqlClient tx, int versionBefore, Ticket t, List<TicketEvent> events,
      List<ChangeRows> rows) {
    List<Object> values = new ArrayList<>(Arrays.asList(updateValues(versionBefore, t)));
    values.addAll(Arrays.asList(eventColumns(events)));
    List<String> statements = new ArrayList<>(rows.size());
    for (ChangeRows r : rows) {
      values.addAll(r.params());
      statements.add(key(r));
    }
    return tx.preparedQuery(UPDATING_CHANGES.computeIfAbsent(statements, TicketRepository::changeStatementWithUpdate))
        .execute(Tuple.from(values)).compose(answer -> answer.iterator().next().getUUID("ticket") != null
            ? Future.<Void>succeededFuture()
            : Future.failedFuture(changedUnderLock(t)));
  }

  private static IllegalStateException changedUnderLock(Ticket t) {
    return new IllegalStateException("ticket " + t.id() + " changed under its lock");
  }

  /** {@link #UPDATE}'s parameters: the id, the version read under the lock, then the columns it sets. */
  private static Object[] updateValues(int versionBefore, Ticket t) {
    Ticket.Progress p = t.progress();
    return new Object[] {t.id(), versionBefore, t.state().name(), t.round(), t.leadDepartment().orElse(null),
        t.assistingDepartments().toArray(new String[0]), t.dispatchedAt().map(TicketRepository::utc).orElse(null),
        p.signedAt().map(TicketRepository::utc).orElse(null), p.firstContactAt().map(TicketRepository::utc).orElse(null),
        p.suspendedAt().map(TicketRepository::utc).orElse(null), p.grantedExtension().toSeconds(),
        p.mergedInto().orElse(null), p.unreasonable(), p.dispatchCount(),
        p.repliedAt().map(TicketRepository::utc).orElse(null), p.replyOutcome().orElse(null),
        p.replyFinding().orElse(null), p.callbackResolved().orElse(null), p.callbackSatisfaction().orElse(null),
        p.closedAt().map(TicketRepository::utc).orElse(null), p.extendedUntil().map(TicketRepository::utc).orElse(null),
        t.version(), utc(t.updatedAt()), t.dueAt().map(TicketRepository::utc).orElse(null)};
  }

  /** What one event writes besides the ticket row and the timeline. */
  private List<Future<?>> sideEffects(SqlClient tx, TicketEvent event, String actorSub, Instant now,
      Map<UUID, Ticket> touched) {
    OffsetDateTime at = utc(now);
    UUID ticket = event.ticket();
    if (event instanceof TicketEvent.ReturnRequested r) {
      return List.of(insertRequest(tx, r, "RETURN", r.requestId(), r.department(), actorSub, r.reason(),
          r.suggestedDepartment().orElse(null), null, null));
    }
    if (event instanceof TicketEvent.ExtensionRequested r) {
      return List.of(insertRequest(tx, r, "EXTENSION", r.requestId(), r.department(), actorSub, r.reason(), null,
          utc(r.until()), r.length().toSeconds()));
    }
    if (event instanceof TicketEvent.SuspensionRequested r) {
      return List.of(insertRequest(tx, r, "SUSPENSION", r.requestId(), r.department(), actorSub, r.reason(), null,
          null, null));
    }
    if (event instanceof TicketEvent.ReturnApproved a) {
      List<Future<?>> out = new ArrayList<>(List.of(
          close(tx, List.of(a.requestId()), "APPROVED", at, actorSub, a.reason()),
          close(tx, a.withdrawnRequests(), "WITHDRAWN", at, actorSub, a.reason())));
      if (a.suggestedDepartment().isEmpty()) {
        // back to RECEIVED: no department may acknowledge an order any more (with a suggestion, the
        // dispatch that follows supersedes the orders of the department that lost the ticket)
        out.add(tx.preparedQuery(SUPERSEDE_ORDERS).execute(Tuple.of(ticket, null, at)));
      }
      return out;
    }
    if (event instanceof TicketEvent.ReturnRejected r) {
      return List.of(close(tx, List.of(r.requestId()), "REJECTED", at, actorSub, r.reason()));
    }
    if (event instanceof TicketEvent.ExtensionApproved a) {
      return List.of(close(tx, List.of(a.requestId()), "APPROVED", at, actorSub, a.reason()),
          tx.preparedQuery(INSERT_FACT).execute(Tuple.from(new Object[] {ticket, a.round(), "EXTENSION",
              a.requestId(), at, at, utc(a.until()), a.length().toSeconds()})));
    }
    if (event instanceof TicketEvent.ExtensionRejected r) {
      return List.of(close(tx, List.of(r.requestId()), "REJECTED", at, actorSub, r.reason()));
    }
    if (event instanceof TicketEvent.Suspended s) {
      return List.of(close(tx, List.of(s.requestId()), "APPROVED", at, actorSub, s.reason()),
          tx.preparedQuery(INSERT_FACT).execute(Tuple.from(new Object[] {ticket, s.round(), "SUSPENSION",
              s.requestId(), at, utc(s.at()), null, null})));
    }
    if (event instanceof TicketEvent.SuspensionRejected r) {
      return List.of(close(tx, List.of(r.requestId()), "REJECTED", at, actorSub, r.reason()));
    }
    if (event instanceof TicketEvent.Resumed) {
      return List.of(tx.preparedQuery(END_SUSPENSION).execute(Tuple.of(ticket, at)));
    }
    if (event instanceof TicketEvent.Dispatched d) {
      return List.of(close(tx, d.withdrawnRequests(), "WITHDRAWN", at, actorSub, d.reason()),
          tx.preparedQuery(SUPERSEDE_ORDERS).execute(Tuple.of(ticket, d.leadDepartment(), at)));
    }
    if (event instanceof TicketEvent.Replied r) {
      return List.of(close(tx, r.withdrawnRequests(), "WITHDRAWN", at, actorSub, Optional.empty()));
    }
    if (event instanceof TicketEvent.Merged m) {
      Future<?> withdraw = close(tx, m.withdrawnRequests(), "WITHDRAWN", at, actorSub, m.reason());
      return m.suspendedSince().isEmpty() ? List.of(withdraw)
          : List.of(withdraw, tx.preparedQuery(END_SUSPENSION).execute(Tuple.of(ticket, at)));
    }
    if (event instanceof TicketEvent.MergedFrom) {
      return List.of(tx.preparedQuery(TOUCH).execute(Tuple.of(ticket, at))
          .map(rows -> touched.put(ticket, ticket(rows.iterator().next()))));
    }
    if (event instanceof TicketEvent.SupervisionOrdered o) {
      return List.of(tx.preparedQuery(INSERT_ORDER).execute(Tuple.from(new Object[] {o.orderId(), ticket,
          o.round(), o.department(), o.instruction(), utc(o.respondBy()), actorSub, at})));
    }
    if (event instanceof TicketEvent.SupervisionAcknowledged a) {
      return List.of(tx.preparedQuery(ACK_ORDER).execute(Tuple.of(a.orderId(), at, actorSub)));
    }
    // the rest (received, signed, contacted, note, callback, closed, rework, unreasonable) live in the
    // ticket row and the timeline only
    return List.of();
  }

  private Future<?> insertRequest(SqlClient tx, TicketEvent e, String kind, UUID id, String by, String bySub,
      String reason, String suggested, OffsetDateTime until, Long lengthSeconds) {
    return tx.preparedQuery(INSERT_REQUEST).execute(Tuple.from(new Object[] {
        id, e.ticket(), kind, e.round(), by, bySub, utc(e.at()), reason, suggested, until, lengthSeconds}));
  }

  private Future<?> close(SqlClient tx, List<UUID> requests, String status, OffsetDateTime at, String bySub,
      Optional<String> reason) {
    if (requests.isEmpty()) {
      return Future.succeededFuture();
    }
    return tx.preparedQuery(CLOSE_REQUESTS).execute(Tuple.of(requests.toArray(new UUID[0]), status, at, bySub,
        reason.orElse(null)));
  }

  /** Inserts the events, all of them in one statement. */
  public Future<Void> insertEvents(SqlClient tx, List<TicketEvent> events) {
    return tx.preparedQuery(INSERT_EVENTS).execute(Tuple.from(eventColumns(events))).mapEmpty();
  }

  private Future<Void> insertEvents(SqlClient tx, List<TicketEvent> events, UUID ticket, List<ChangeRows> rows) {
    List<Object> values = new ArrayList<>(Arrays.asList(eventColumns(events)));
    values.add(ticket);
    List<String> statements = new ArrayList<>(rows.size());
    for (ChangeRows r : rows) {
      values.addAll(r.params());
      statements.add(key(r));
    }
    return tx.preparedQuery(CHANGES.computeIfAbsent(statements, TicketRepository::changeStatement))
        .execute(Tuple.from(values)).mapEmpty();
  }

  /** The events as the columns the event inserts unnest: ticket, round, type, at, actor (3), details. */
  private static Object[][] eventColumns(List<TicketEvent> events) {
    int n = events.size();
    UUID[] tickets = new UUID[n];
    Integer[] rounds = new Integer[n];
    String[] types = new String[n];
    OffsetDateTime[] ats = new OffsetDateTime[n];
    String[] subs = new String[n];
    String[] roles = new String[n];
    String[] depts = new String[n];
    String[] details = new String[n];
    for (int i = 0; i < n; i++) {
      TicketEvent e = events.get(i);
      tickets[i] = e.ticket();
      rounds[i] = e.round();
      types[i] = e.type();
      ats[i] = utc(e.at());
      subs[i] = e.actor().sub();
      roles[i] = e.actor().mainRole() == null ? null : e.actor().mainRole().name();
      depts[i] = e.actor().dept().orElse(null);
      details[i] = TicketJson.details(e).encode();
    }
    return new Object[][] {tickets, rounds, types, ats, subs, roles, depts, details};
  }

  public Future<List<TimelineEntry>> events(SqlClient db, UUID ticketId, long afterId, int limit) {
    return db.preparedQuery(EVENTS).execute(Tuple.of(ticketId, afterId, limit)).map(rows -> {
      List<TimelineEntry> out = new ArrayList<>();
      for (Row r : rows) {
        out.add(new TimelineEntry(r.getLong("id"), r.getUUID("ticket_id"), r.getInteger("round"),
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
    int[] at = rows.size() == 0 ? null : readColumns(rows.columnsNames());
    rows.forEach(r -> out.add(ticket(r, at)));
    return out;
  }

  /** The {@link #READ} columns in order; {@link #readColumns} finds each in a result. */
  private static final List<String> READ_COLUMNS = Arrays.stream(READ.split(",")).map(String::strip).toList();

  private static int column(String name) {
    int i = READ_COLUMNS.indexOf(name);
    if (i < 0) {
      throw new IllegalStateException("no column " + name + " in READ");
    }
    return i;
  }

  private static final int ID = column("id"), SEQ = column("seq"), EXTERNAL_ID = column("external_id"),
      INTAKE_HASH = column("intake_hash"), TYPE = column("type"), URGENCY = column("urgency"),
      CATEGORY = column("category"), TITLE = column("title"), CONTENT = column("content"),
      RECEIVED_AT = column("received_at"), CALLER_NAME = column("caller_name"),
      CALLER_PHONE = column("caller_phone"), CALLER_CONFIDENTIAL = column("caller_confidential"),
      DISTRICT = column("district"), STREET = column("street"), ADDRESS = column("address"), LAT = column("lat"),
      LON = column("lon"), SUBJECT_CREDIT_CODE = column("subject_credit_code"), SUBJECT_NAME = column("subject_name"),
      STATUS = column("status"), ROUND = column("round"), LEAD_DEPARTMENT = column("lead_department"),
      ASSISTING_DEPARTMENTS = column("assisting_departments"), DISPATCHED_AT = column("dispatched_at"),
      VERSION = column("version"), CREATED_AT = column("created_at"), UPDATED_AT = column("updated_at"),
      SIGNED_AT = column("signed_at"), FIRST_CONTACT_AT = column("first_contact_at"),
      SUSPENDED_AT = column("suspended_at"), GRANTED_EXTENSION_SECONDS = column("granted_extension_seconds"),
      MERGED_INTO = column("merged_into"), UNREASONABLE = column("unreasonable"),
      DISPATCH_COUNT = column("dispatch_count"), REPLIED_AT = column("replied_at"),
      REPLY_OUTCOME = column("reply_outcome"), REPLY_FINDING = column("reply_finding"),
      CALLBACK_RESOLVED = column("callback_resolved"), CALLBACK_SATISFACTION = column("callback_satisfaction"),
      CLOSED_AT = column("closed_at"), ANSWERED_BY = column("answered_by"),
      KNOWLEDGE_ARTICLE_ID = column("knowledge_article_id"), EXTENDED_UNTIL = column("extended_until"),
      CHANNEL = column("channel"), DUE_AT = column("due_at");

  /**
   * Where each {@link #READ} column is (by its index in READ) in a result with the columns {@code names}. A
   * read by name is a linear search over the result's columns: for the 46 columns of each row of a list that
   * was about a quarter of a list's server CPU (JFR, README "Measured"), so a list looks them up once.
   */
  static int[] readColumns(List<String> names) {
    int[] at = new int[READ_COLUMNS.size()];
    for (int i = 0; i < at.length; i++) {
      at[i] = names.indexOf(READ_COLUMNS.get(i));
      if (at[i] < 0) {
        throw new IllegalStateException("no column " + READ_COLUMNS.get(i) + " in the result");
      }
    }
    return at;
  }

  /** A ticket from a row with the {@link #READ} columns (also for statements that read more than the ticket). */
  public static Ticket ticket(Row r) {
    int[] at = new int[READ_COLUMNS.size()];
    for (int i = 0; i < at.length; i++) {
      at[i] = r.getColumnIndex(READ_COLUMNS.get(i));
    }
    return ticket(r, at);
  }

  /** A ticket from a row whose {@link #READ} columns are where {@code at} says ({@link #readColumns}). */
  static Ticket ticket(Row r, int[] at) {
    String creditCode = r.getString(at[SUBJECT_CREDIT_CODE]);
    String[] assisting = r.getArrayOfStrings(at[ASSISTING_DEPARTMENTS]);
    return new Ticket(
        r.getUUID(at[ID]), r.getLong(at[SEQ]), r.getString(at[EXTERNAL_ID]), r.getString(at[INTAKE_HASH]),
        TicketType.valueOf(r.getString(at[TYPE])), Urgency.valueOf(r.getString(at[URGENCY])),
        r.getString(at[CATEGORY]), r.getString(at[TITLE]), r.getString(at[CONTENT]), instant(r, at[RECEIVED_AT]),
        new Ticket.Caller(r.getString(at[CALLER_NAME]), r.getString(at[CALLER_PHONE]),
            r.getBoolean(at[CALLER_CONFIDENTIAL])),
        new Ticket.Location(r.getString(at[DISTRICT]), r.getString(at[STREET]), r.getString(at[ADDRESS]),
            r.getDouble(at[LAT]), r.getDouble(at[LON])),
        creditCode == null ? Optional.empty()
            : Optional.of(new Ticket.Subject(creditCode, r.getString(at[SUBJECT_NAME]))),
        TicketState.valueOf(r.getString(at[STATUS])), r.getInteger(at[ROUND]),
        Optional.ofNullable(r.getString(at[LEAD_DEPARTMENT])),
        assisting == null ? List.of() : Arrays.asList(assisting),
        optionalInstant(r, at[DISPATCHED_AT]),
        r.getInteger(at[VERSION]), instant(r, at[CREATED_AT]), instant(r, at[UPDATED_AT]),
        new Ticket.Progress(optionalInstant(r, at[SIGNED_AT]), optionalInstant(r, at[FIRST_CONTACT_AT]),
            optionalInstant(r, at[SUSPENDED_AT]), Duration.ofSeconds(r.getLong(at[GRANTED_EXTENSION_SECONDS])),
            Optional.ofNullable(r.getUUID(at[MERGED_INTO])), r.getBoolean(at[UNREASONABLE]),
            r.getInteger(at[DISPATCH_COUNT]), optionalInstant(r, at[REPLIED_AT]),
            Optional.ofNullable(r.getString(at[REPLY_OUTCOME])), Optional.ofNullable(r.getString(at[REPLY_FINDING])),
            Optional.ofNullable(r.getBoolean(at[CALLBACK_RESOLVED])),
            Optional.ofNullable(r.getString(at[CALLBACK_SATISFACTION])), optionalInstant(r, at[CLOSED_AT]),
            Optional.ofNullable(r.getString(at[ANSWERED_BY])), Optional.ofNullable(r.getUUID(at[KNOWLEDGE_ARTICLE_ID])),
            optionalInstant(r, at[EXTENDED_UNTIL])),
        optionalInstant(r, at[DUE_AT]),
        Channel.valueOf(r.getString(at[CHANNEL])));
  }

  private static Optional<Instant> optionalInstant(Row r, int column) {
    return Optional.ofNullable(r.getOffsetDateTime(column)).map(OffsetDateTime::toInstant);
  }

  private static Instant instant(Row r, int column) {
    return r.getOffsetDateTime(column).toInstant();
  }

  private static Instant instant(Row r, String column) {
    return r.getOffsetDateTime(column).toInstant();
  }

  static OffsetDateTime utc(Instant instant) {
    return instant.atOffset(ZoneOffset.UTC);
  }
}
