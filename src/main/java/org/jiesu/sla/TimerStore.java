package org.jiesu.sla;

import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
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
         WHERE t.id = c.id
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

  public Future<Optional<Instant>> nextDue(SqlClient db) {
    return db.query(NEXT_DUE).execute().map(rows -> {
      OffsetDateTime next = rows.iterator().next().getOffsetDateTime("next");
      return Optional.ofNullable(next).map(OffsetDateTime::toInstant);
    });
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
