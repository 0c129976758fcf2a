package org.jiesu.ticket;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jiesu.auth.Actor;
import org.jiesu.auth.Role;
import org.jiesu.platform.Times;

/**
 * The return, extension and suspension requests, newest first: supervisors' and the hotline's queue of
 * decisions to take (filter {@code status=PENDING}); a department sees the requests it made.
 */
public final class RequestQueue {

  private static final String PAGE = """
      SELECT id, ticket_id, kind, round, status, requested_by, requested_at, reason, suggested_department, until,
             length_seconds, decided_at, decision_reason
      FROM ticket_request
      WHERE ($1::text IS NULL OR status = $1) AND ($2::text IS NULL OR kind = $2) AND ($3::text IS NULL OR requested_by = $3)
        AND ($4::timestamptz IS NULL OR (requested_at, id) < ($4::timestamptz, $5::uuid))
      ORDER BY requested_at DESC, id DESC
      LIMIT $6""";

  /** Filters of the queue. */
  public record Query(Optional<String> status, Optional<String> kind, Optional<String> department,
      Optional<Instant> beforeAt, Optional<UUID> beforeId, int limit) {}

  private final Pool pool;

  public RequestQueue(Pool pool) {
    this.pool = pool;
  }

  public Future<List<JsonObject>> page(Actor actor, Query q) {
    // staff see their own department's requests whatever they ask for
    Optional<String> department = actor.has(Role.HOTLINE) || actor.has(Role.SUPERVISOR) ? q.department() : actor.dept();
    return pool.preparedQuery(PAGE).execute(Tuple.from(new Object[] {q.status().orElse(null), q.kind().orElse(null),
            department.orElse(null), q.beforeAt().map(TicketRepository::utc).orElse(null), q.beforeId().orElse(null),
            q.limit()}))
        .map(rows -> {
          List<JsonObject> out = new ArrayList<>();
          for (Row r : rows) {
            out.add(json(r));
          }
          return out;
        });
  }

  private static JsonObject json(Row r) {
    Long length = r.getLong("length_seconds");
    return new JsonObject()
        .put("id", r.getUUID("id").toString())
        .put("kind", r.getString("kind"))
        .put("status", r.getString("status"))
        .put("ticketId", r.getUUID("ticket_id").toString())
        .put("round", r.getInteger("round"))
        .put("requestedBy", r.getString("requested_by"))
        .put("requestedAt", Times.rfc3339(r.getOffsetDateTime("requested_at").toInstant()))
        .put("reason", r.getString("reason"))
        .put("suggestedDepartment", r.getString("suggested_department"))
        .put("until", r.getOffsetDateTime("until") == null ? null : Times.rfc3339(r.getOffsetDateTime("until").toInstant()))
        .put("length", length == null ? null : java.time.Duration.ofSeconds(length).toString())
        .put("decidedAt", r.getOffsetDateTime("decided_at") == null ? null
            : Times.rfc3339(r.getOffsetDateTime("decided_at").toInstant()))
        .put("decisionReason", r.getString("decision_reason"));
  }
}
