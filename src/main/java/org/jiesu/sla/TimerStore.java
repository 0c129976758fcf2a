package org.jiesu.sla;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import org.jiesu.ticket.ChangeRows;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** SQL of the timer table and of firing: every statement takes the client, so the caller owns the transaction. */
public final class TimerStore {

  /** The channel writers NOTIFY when a timer falls due sooner than the scheduler's next poll. */
  public static final String WAKE_CHANNEL = "jiesu_sla_wake";
  /** The channel the firing statement NOTIFYs with the newest event id: the supervision stream listens. */
  public static final String EVENTS_CHANNEL = "jiesu_sla_events";

  /**
   * One round trip fires a batch: claim the due timers nobody else holds (SKIP LOCKED), record each
   * warning and breach under its unique key (a repeat is silently nothing), append the timeline events for
   * the ones recorded, move the timers on, and NOTIFY the stream. Warnings that are overdue fire together
   * with the breach, so a warning is never skipped.
   */
  static final String FIRE = """
      WITH claimed AS (
        SELECT id, ticket_id, round, kind, due_at, warn_at, warned_due_at
          FROM sla_timer
         WHERE state = 'RUNNING' AND next_at <= $1
         ORDER BY next_at
         LIMIT $2
         FOR UPDATE SKIP LOCKED
      ), fired AS (
        SELECT c.ticket_id, c.round, c.kind, c.due_at, e.type, e.ord
          FROM claimed c
          CROSS JOIN LATERAL (VALUES ('SLA_WARNING', 1), ('SLA_BREACHED', 2)) AS e(type, ord)
         WHERE (e.type = 'SLA_WARNING' AND c.warn_at <= $1 AND c.warned_due_at IS DISTINCT FROM c.due_at)
            OR (e.type = 'SLA_BREACHED' AND c.due_at <= $1)
      ), moved AS (
        UPDATE sla_timer t
           SET warned_due_at = CASE WHEN c.warn_at <= $1 THEN c.due_at ELSE t.warned_due_at END,
               state         = CASE WHEN c.due_at <= $1 THEN 'BREACHED' ELSE t.state END,
               breached_at   = CASE WHEN c.due_at <= $1 THEN $1 ELSE t.breached_at END,
               next_at       = CASE WHEN c.due_at <= $1 THEN NULL ELSE c.due_at END
          FROM claimed c
         WHERE t.ticket_id = c.ticket_id AND t.round = c.round AND t.kind = c.kind AND t.id = c.id
      ), recorded AS (
        INSERT INTO sla_event (ticket_id, round, timer, type, due_at, at, department)
        SELECT f.ticket_id, f.round, f.kind, f.type, f.due_at, $1, k.lead_department
          FROM fired f JOIN ticket k ON k.id = f.ticket_id
         ORDER BY f.due_at, f.ord
        ON CONFLICT DO NOTHING
        RETURNING id, ticket_id, round, timer, type, due_at, at, department
      ), timeline AS (
        INSERT INTO ticket_event (ticket_id, round, type, at, actor_sub, actor_role, details)
        SELECT ticket_id, round, type, at, 'jiesu-sla', 'SYSTEM',
               jsonb_build_object('timer', timer, 'dueAt', due_at, 'slaEventId', id)
          FROM recorded
      ), hint AS (
        SELECT pg_notify('%s', max(id)::text) FROM recorded HAVING count(*) > 0
      )
      SELECT (SELECT count(*) FROM claimed) AS claimed,
             r.id, r.ticket_id, r.round, r.timer, r.type, r.due_at, r.at, r.department,
             (SELECT count(*) FROM hint) AS hinted
        FROM (SELECT 1) one LEFT JOIN recorded r ON true
      """.formatted(EVENTS_CHANNEL);

  /** The partial index on next_at makes this one index probe. */
  static final String NEXT_DUE = """
      SELECT min(next_at) AS next FROM sla_timer WHERE state = 'RUNNING' AND next_at IS NOT NULL
      """;

  static final String COLUMNS = """
      t.id, t.ticket_id, t.round, t.kind, t.clock, t.allowed, t.warning_share, t.policy_key, t.started_at,
      t.due_at, t.warn_at, t.state, t.met_at, t.breached_at, t.paused_at, t.paused_us, t.extended_us,
      t.calendar_missing, t.warned_due_at""";

  static final String OF_TICKET = "SELECT " + COLUMNS + " FROM sla_timer t WHERE t.ticket_id = $1 ORDER BY t.round, t.id";

  /**
   * The timers of the ticket {@code $1} as one JSON array (objects keyed by column, in the order of
   * {@link #OF_TICKET}), for the statement that locks the ticket to read them with it ({@link #stored(JsonArray)}).
   */
  static final String OF_TICKET_JSON = "(SELECT coalesce(json_agg(x ORDER BY x.round, x.id), '[]'::json) FROM (SELECT "
      + COLUMNS + " FROM sla_timer t WHERE t.ticket_id = $1) x)";

  /** Open timers computed with older settings, with what policy selection needs, claimed for recomputation. */
  static final String STALE = "SELECT " + COLUMNS + """
      , k.type AS ticket_type, k.urgency AS ticket_urgency, k.category AS ticket_category
        FROM sla_timer t JOIN ticket k ON k.id = t.ticket_id
       WHERE t.state IN ('RUNNING','PAUSED') AND t.config_version < $1
       ORDER BY t.config_version, t.id
       LIMIT $2
       FOR UPDATE OF t SKIP LOCKED""";

  static final String INSERT = """
      INSERT INTO sla_timer (ticket_id, round, kind, clock, allowed, warning_share, policy_key, started_at, due_at,
                             warn_at, state, calendar_missing, next_at, config_version)
      SELECT $1, u.round, u.kind, u.clock, u.allowed, u.share, $2, u.started_at, u.due_at, u.warn_at, u.state,
             u.missing, u.next_at, $3
        FROM unnest($4::int[], $5::text[], $6::text[], $7::text[], $8::float8[], $9::timestamptz[],
                    $10::timestamptz[], $11::timestamptz[], $12::text[], $13::bool[], $14::timestamptz[])
             AS u(round, kind, clock, allowed, share, started_at, due_at, warn_at, state, missing, next_at)""";

  /** What both updates set, from the rows {@code u} they are given. */
  private static final String SET_TIMERS = """
      UPDATE sla_timer t
         SET clock = u.clock, allowed = u.allowed, warning_share = u.share, due_at = u.due_at, warn_at = u.warn_at,
             state = u.state, met_at = u.met_at, breached_at = u.breached_at, paused_at = u.paused_at,
             paused_us = u.paused_us, extended_us = u.extended_us, calendar_missing = u.missing,
             next_at = u.next_at, config_version = greatest(t.config_version, u.version)
      """;

  /**
   * Timers of any tickets (a settings change recomputes them in batches). One array per column, so
   * PostgreSQL plans each call afresh (a known array is estimated by its length; 0.13 ms of planning). Tried:
   * one JSON array ({@code jsonb_to_recordset}, as the outbox's enqueue), which keeps a generic plan, but that
   * plan assumes 100 rows and hash-joined a sequential scan of every timer (6.5 ms at 15,000 timers).
   */
  static final String UPDATE = SET_TIMERS + """
        FROM unnest($1::bigint[], $2::text[], $3::text[], $4::float8[], $5::timestamptz[], $6::timestamptz[],
                    $7::text[], $8::timestamptz[], $9::timestamptz[], $10::timestamptz[], $11::bigint[],
                    $12::bigint[], $13::bool[], $14::timestamptz[], $15::bigint[], $16::uuid[])
             AS u(id, clock, allowed, share, due_at, warn_at, state, met_at, breached_at, paused_at, paused_us,
                  extended_us, missing, next_at, version, ticket)
       WHERE t.ticket_id = u.ticket AND t.id = u.id""";

  /**
   * Timers of one ticket (every action's), found by the ticket (the primary key's leading column) and given
   * as one JSON array, like the outbox's enqueue: with arrays of each column PostgreSQL estimated a known array
   * by its length and a parameter by a default, so a fresh plan always looked cheaper and every action's update
   * was planned again (pg_stat_statements: 11,008 plans in 10,992 calls, 0.12 ms each). {@code
   * jsonb_to_recordset} is estimated alike either way, so the generic plan is kept; it cannot scan other
   * tickets' timers, which is what the same change did to the multi-ticket {@link #UPDATE} (not narrowed).
   */
  static final String UPDATE_OF_TICKET = SET_TIMERS + """
        FROM jsonb_to_recordset($1::jsonb)
             AS u(id bigint, clock text, allowed text, share float8, due_at timestamptz, warn_at timestamptz,
                  state text, met_at timestamptz, breached_at timestamptz, paused_at timestamptz, paused_us bigint,
                  extended_us bigint, missing boolean, next_at timestamptz, version bigint)
       WHERE t.ticket_id = $2 AND t.id = u.id""";

  /**
   * {@link #UPDATE_OF_TICKET} as rows of an action's own statement ({@link ChangeRows}): the ticket is the
   * parameter $2, so the primary key finds its timers whatever the statistics say, and {@code ins.id = $2}
   * writes nothing when the statement wrote no ticket.
   */
  static final String CHANGE_UPDATE = SET_TIMERS + """
        FROM jsonb_to_recordset($1::jsonb)
             AS u(id bigint, clock text, allowed text, share float8, due_at timestamptz, warn_at timestamptz,
                  state text, met_at timestamptz, breached_at timestamptz, paused_at timestamptz, paused_us bigint,
                  extended_us bigint, missing boolean, next_at timestamptz, version bigint), ins
       WHERE ins.id = $2::uuid AND t.ticket_id = $2::uuid AND t.id = u.id""";

  /** The nearest pending deadline of each ticket, from its timers (for tickets whose timers were recomputed). */
  static final String NEAREST = """
      SELECT k.id AS ticket_id,
             (SELECT min(t.due_at) FROM sla_timer t
               WHERE t.ticket_id = k.id
                 AND (t.state IN ('RUNNING','PAUSED') OR (t.state = 'BREACHED' AND t.met_at IS NULL))) AS due_at
        FROM unnest($1::uuid[]) AS k(id)""";

  public Future<Map<UUID, Instant>> nearest(SqlClient db, java.util.Collection<UUID> tickets) {
    return db.preparedQuery(NEAREST).execute(Tuple.of((Object) tickets.toArray(new UUID[0]))).map(rows -> {
      Map<UUID, Instant> out = new java.util.HashMap<>();
      rows.forEach(r -> out.put(r.getUUID("ticket_id"), instant(r::getValue, "due_at")));
      return out;
    });
  }

  /** A timer as stored: its row id and ticket, the rule-level timer, and the due time it last warned for. */
  public record Stored(long id, UUID ticketId, Timer timer, Instant warnedDueAt, String policyKey) {

    public Stored with(Timer next) {
      return new Stored(id, ticketId, next, warnedDueAt, policyKey);
    }

    /** When the scheduler must look next: the warning not yet given for this due time, else the due time. */
    Instant nextAt() {
      if (timer.state() != TimerState.RUNNING) {
        return null;
      }
      return timer.dueAt().equals(warnedDueAt) ? timer.dueAt() : timer.warnAt();
    }
  }

  /** A stale timer with the ticket facts that choose its policy. */
  public record Stale(Stored stored, String type, String urgency, String category) {}

  /** A fired warning or breach, as the stream and the supervision views carry it. */
  public record Fired(long id, UUID ticketId, int round, String timer, String type, Instant dueAt, Instant at,
      String department) {}

  /** A fired batch: how many timers were claimed, and the events recorded (none for repeats). */
  public record Batch(int claimed, List<Fired> events) {}

  public Future<Batch> fire(SqlClient db, Instant now, int limit) {
    return db.preparedQuery(FIRE).execute(Tuple.of(utc(now), limit)).map(rows -> {
      int claimed = 0;
      List<Fired> events = new ArrayList<>();
      for (Row r : rows) {
        claimed = r.getInteger("claimed");
        if (r.getLong("id") != null) {
          events.add(fired(r));
        }
      }
      return new Batch(claimed, events);
    });
  }

  /** Running and paused timers (the partial index {@code sla_timer_one_open} answers it, V34). */
  public Future<Long> countOpen(SqlClient db) {
    return db.query("SELECT count(*) AS n FROM sla_timer WHERE state IN ('RUNNING','PAUSED')").execute()
        .map(rows -> rows.iterator().next().getLong("n"));
  }

  public Future<Optional<Instant>> nextDue(SqlClient db) {
    return db.query(NEXT_DUE).execute().map(rows -> {
      OffsetDateTime next = rows.iterator().next().getOffsetDateTime("next");
      return Optional.ofNullable(next).map(OffsetDateTime::toInstant);
    });
  }

  public Future<List<Stored>> ofTicket(SqlClient db, UUID ticketId) {
    return db.preparedQuery(OF_TICKET).execute(Tuple.of(ticketId)).map(rows -> {
      List<Stored> timers = new ArrayList<>();
      rows.forEach(r -> timers.add(stored(r)));
      return timers;
    });
  }

  public Future<List<Stale>> claimStale(SqlClient db, long version, int limit) {
    return db.preparedQuery(STALE).execute(Tuple.of(version, limit)).map(rows -> {
      List<Stale> stale = new ArrayList<>();
      rows.forEach(r -> stale.add(new Stale(stored(r), r.getString("ticket_type"), r.getString("ticket_urgency"),
          r.getString("ticket_category"))));
      return stale;
    });
  }

  /** New timers of one ticket, one statement. */
  public Future<Void> insert(SqlClient db, UUID ticketId, String policyKey, long version, List<Timer> timers) {
    if (timers.isEmpty()) {
      return Future.succeededFuture();
    }
    Object[] columns = columns(ticketId, policyKey, timers);
    Object[] values = new Object[3 + columns.length];
    values[0] = ticketId;
    values[1] = policyKey;
    values[2] = version;
    System.arraycopy(columns, 0, values, 3, columns.length);
    return db.preparedQuery(INSERT).execute(Tuple.from(values)).mapEmpty();
  }

  /**
   * {@link #INSERT} as rows of the intake's own statement ({@link ChangeRows}: one JSON record a timer, joined
   * to the ticket made), so a new ticket's timers go in the round trip that inserts it.
   */
  static final String INTAKE_INSERT = insertOfRecords("$1", "");

  /** New timers given as JSON records (the parameter {@code records}) of the tickets in {@code ins}. */
  private static String insertOfRecords(String records, String where) {
    return """
        INSERT INTO sla_timer (ticket_id, round, kind, clock, allowed, warning_share, policy_key, started_at, due_at,
                               warn_at, state, calendar_missing, next_at, config_version)
        SELECT u.ticket_id, u.round, u.kind, u.clock, u.allowed, u.warning_share, u.policy_key, u.started_at,
               u.due_at, u.warn_at, u.state, u.calendar_missing, u.next_at, u.config_version
          FROM jsonb_populate_recordset(NULL::sla_timer, %s::jsonb) WITH ORDINALITY AS u JOIN ins ON ins.id = u.ticket_id
         %s
         ORDER BY u.ordinality
        RETURNING 1""".formatted(records, where);
  }

  /**
   * A new round's timers after the old round's are cancelled, in an action's own statement (a re-dispatch):
   * {@link #CHANGE_UPDATE}, then (as its {@link ChangeRows#after}) the insert of the new timers ($3), which
   * reads every row the update returned before it inserts one. The unique index of open timers (V16) would
   * otherwise meet the new round's timer while the old one of the same kind was still open: sibling CTEs run
   * in no given order.
   */
  static final String CHANGE_REPLACE = CHANGE_UPDATE + "\nRETURNING 1";
  static final String CHANGE_REPLACE_AFTER = insertOfRecords("$3", "WHERE (SELECT count(*) FROM {rows}) >= 0");

  /** The timers a new ticket starts, written by the intake's statement. */
  ChangeRows intakeRows(UUID ticketId, String policyKey, long version, List<Timer> timers) {
    return new ChangeRows(INTAKE_INSERT, List.of(records(ticketId, policyKey, version, timers)));
  }

  /** An action's changed timers, then the timers it starts ({@link #CHANGE_REPLACE}). */
  ChangeRows replaceRows(List<Stored> changed, UUID ticketId, String policyKey, long version, List<Timer> started) {
    return new ChangeRows(CHANGE_REPLACE, List.of(records(changed, 0), ticketId,
        records(ticketId, policyKey, version, started)), CHANGE_REPLACE_AFTER);
  }

  /** New timers as JSON records of the table's own columns. */
  private static JsonArray records(UUID ticketId, String policyKey, long version, List<Timer> timers) {
    JsonArray records = new JsonArray(new ArrayList<>(timers.size()));
    for (Timer t : timers) {
      records.add(new io.vertx.core.json.JsonObject().put("ticket_id", ticketId.toString()).put("round", t.round())
          .put("kind", t.kind().name()).put("clock", t.clock().name()).put("allowed", t.allowed().toString())
          .put("warning_share", t.warningShare()).put("policy_key", policyKey)
          .put("started_at", text(utc(t.startedAt()))).put("due_at", text(utc(t.dueAt())))
          .put("warn_at", text(utc(t.warnAt()))).put("state", t.state().name())
          .put("calendar_missing", t.calendarMissing())
          .put("next_at", text(utc(new Stored(0, ticketId, t, null, policyKey).nextAt())))
          .put("config_version", version));
    }
    return records;
  }

  /** A timestamp as JSON carries it to {@code jsonb_to_recordset} (ISO 8601 with its offset), or null. */
  private static String text(OffsetDateTime at) {
    return at == null ? null : at.toString();
  }

  /** The per-timer arrays both inserts take, in their order: round, kind, clock, … next_at. */
  private static Object[] columns(UUID ticketId, String policyKey, List<Timer> timers) {
    int n = timers.size();
    Integer[] round = new Integer[n];
    String[] kind = new String[n];
    String[] clock = new String[n];
    String[] allowed = new String[n];
    Double[] share = new Double[n];
    OffsetDateTime[] started = new OffsetDateTime[n];
    OffsetDateTime[] due = new OffsetDateTime[n];
    OffsetDateTime[] warn = new OffsetDateTime[n];
    String[] state = new String[n];
    Boolean[] missing = new Boolean[n];
    OffsetDateTime[] next = new OffsetDateTime[n];
    for (int i = 0; i < n; i++) {
      Timer t = timers.get(i);
      round[i] = t.round();
      kind[i] = t.kind().name();
      clock[i] = t.clock().name();
      allowed[i] = t.allowed().toString();
      share[i] = t.warningShare();
      started[i] = utc(t.startedAt());
      due[i] = utc(t.dueAt());
      warn[i] = utc(t.warnAt());
      state[i] = t.state().name();
      missing[i] = t.calendarMissing();
      next[i] = utc(new Stored(0, ticketId, t, null, policyKey).nextAt());
    }
    return new Object[] {round, kind, clock, allowed, share, started, due, warn, state, missing, next};
  }

  /** Changed timers, one statement; {@code version} is the settings version they now reflect (0: unchanged). */
  public Future<Void> update(SqlClient db, List<Stored> timers, long version) {
    if (timers.isEmpty()) {
      return Future.succeededFuture();
    }
    UUID ticket = timers.get(0).ticketId();
    if (timers.stream().allMatch(t -> t.ticketId().equals(ticket))) {
      return db.preparedQuery(UPDATE_OF_TICKET).execute(Tuple.of(records(timers, version), ticket)).mapEmpty();
    }
    int n = timers.size();
    Long[] id = new Long[n];
    String[] clock = new String[n];
    String[] allowed = new String[n];
    Double[] share = new Double[n];
    OffsetDateTime[] due = new OffsetDateTime[n];
    OffsetDateTime[] warn = new OffsetDateTime[n];
    String[] state = new String[n];
    OffsetDateTime[] met = new OffsetDateTime[n];
    OffsetDateTime[] breached = new OffsetDateTime[n];
    OffsetDateTime[] paused = new OffsetDateTime[n];
    Long[] pausedUs = new Long[n];
    Long[] extendedUs = new Long[n];
    Boolean[] missing = new Boolean[n];
    OffsetDateTime[] next = new OffsetDateTime[n];
    Long[] versions = new Long[n];
    UUID[] tickets = new UUID[n];
    for (int i = 0; i < n; i++) {
      Stored s = timers.get(i);
      Timer t = s.timer();
      id[i] = s.id();
      tickets[i] = s.ticketId();
      clock[i] = t.clock().name();
      allowed[i] = t.allowed().toString();
      share[i] = t.warningShare();
      due[i] = utc(t.dueAt());
      warn[i] = utc(t.warnAt());
      state[i] = t.state().name();
      met[i] = utc(t.metAt());
      breached[i] = utc(t.breachedAt());
      paused[i] = utc(t.pausedAt());
      pausedUs[i] = micros(t.pausedTotal());
      extendedUs[i] = micros(t.extendedBy());
      missing[i] = t.calendarMissing();
      next[i] = utc(s.nextAt());
      versions[i] = version;
    }
    Object[] values = {id, clock, allowed, share, due, warn, state, met, breached, paused, pausedUs, extendedUs,
        missing, next, versions, tickets};
    return db.preparedQuery(UPDATE).execute(Tuple.from(values)).mapEmpty();
  }

  /** Changed timers of an action's ticket, written by the action's own statement ({@link #CHANGE_UPDATE}). */
  ChangeRows changeRows(List<Stored> timers) {
    return new ChangeRows(CHANGE_UPDATE, List.of(records(timers, 0), timers.get(0).ticketId()));
  }

  /** Timers of one ticket as the JSON records {@link #UPDATE_OF_TICKET} and {@link #CHANGE_UPDATE} take. */
  private static JsonArray records(List<Stored> timers, long version) {
    JsonArray rows = new JsonArray(new ArrayList<>(timers.size()));
    for (Stored s : timers) {
      Timer t = s.timer();
      rows.add(new JsonObject().put("id", s.id()).put("clock", t.clock().name()).put("allowed", t.allowed().toString())
          .put("share", t.warningShare()).put("due_at", text(utc(t.dueAt()))).put("warn_at", text(utc(t.warnAt())))
          .put("state", t.state().name()).put("met_at", text(utc(t.metAt())))
          .put("breached_at", text(utc(t.breachedAt()))).put("paused_at", text(utc(t.pausedAt())))
          .put("paused_us", micros(t.pausedTotal())).put("extended_us", micros(t.extendedBy()))
          .put("missing", t.calendarMissing()).put("next_at", text(utc(s.nextAt()))).put("version", version));
    }
    return rows;
  }

  static Stored stored(Row r) {
    return stored(r::getValue);
  }

  /** Timers as {@link #OF_TICKET_JSON} reads them. */
  static List<Stored> stored(JsonArray rows) {
    List<Stored> timers = new ArrayList<>(rows.size());
    for (int i = 0; i < rows.size(); i++) {
      timers.add(stored(rows.getJsonObject(i)::getValue));
    }
    return timers;
  }

  /**
   * One timer from its columns by name: a row's values, or the JSON of {@link #OF_TICKET_JSON}, where times
   * and ids are strings and numbers may come back narrower.
   */
  private static Stored stored(java.util.function.Function<String, Object> column) {
    Timer t = new Timer(TimerKind.valueOf((String) column.apply("kind")), number(column, "round").intValue(),
        TimerClock.valueOf((String) column.apply("clock")), SlaDuration.parse((String) column.apply("allowed")),
        number(column, "warning_share").doubleValue(), instant(column, "started_at"), instant(column, "due_at"),
        instant(column, "warn_at"), TimerState.valueOf((String) column.apply("state")), instant(column, "met_at"),
        instant(column, "breached_at"), instant(column, "paused_at"),
        java.time.Duration.of(number(column, "paused_us").longValue(), java.time.temporal.ChronoUnit.MICROS),
        java.time.Duration.of(number(column, "extended_us").longValue(), java.time.temporal.ChronoUnit.MICROS),
        (Boolean) column.apply("calendar_missing"));
    Object ticket = column.apply("ticket_id");
    return new Stored(number(column, "id").longValue(), ticket instanceof UUID u ? u : UUID.fromString((String) ticket),
        t, instant(column, "warned_due_at"), (String) column.apply("policy_key"));
  }

  private static Number number(java.util.function.Function<String, Object> column, String name) {
    return (Number) column.apply(name);
  }

  private static Instant instant(java.util.function.Function<String, Object> column, String name) {
    Object v = column.apply(name);
    return v == null ? null : v instanceof OffsetDateTime t ? t.toInstant() : OffsetDateTime.parse((String) v).toInstant();
  }

  private static long micros(java.time.Duration d) {
    return d.toNanos() / 1000;
  }

  static Fired fired(Row r) {
    return new Fired(r.getLong("id"), r.getUUID("ticket_id"), r.getInteger("round"), r.getString("timer"),
        r.getString("type"), r.getOffsetDateTime("due_at").toInstant(), r.getOffsetDateTime("at").toInstant(),
        r.getString("department"));
  }

  static OffsetDateTime utc(Instant t) {
    return t == null ? null : t.atOffset(ZoneOffset.UTC);
  }
}
