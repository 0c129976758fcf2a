package org.jiesu.ticket;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;

/**
 * The ticket's nearest deadline, which the SLA engine keeps current so the ticket list can be sorted and
 * filtered by due time with an index. It is derived data: changing it does not move the ticket's version.
 */
public final class TicketDeadlines {

  private static final String SET = """
      UPDATE ticket t SET due_at = u.due_at
        FROM unnest($1::uuid[], $2::timestamptz[]) AS u(id, due_at)
       WHERE t.id = u.id AND t.due_at IS DISTINCT FROM u.due_at""";

  /** Sets each ticket's nearest deadline (null: none open), in the caller's transaction, one statement. */
  public Future<Void> record(SqlClient tx, Map<UUID, Instant> dueAt) {
    if (dueAt.isEmpty()) {
      return Future.succeededFuture();
    }
    UUID[] ids = dueAt.keySet().toArray(new UUID[0]);
    OffsetDateTime[] due = new OffsetDateTime[ids.length];
    for (int i = 0; i < ids.length; i++) {
      Instant d = dueAt.get(ids[i]);
      due[i] = d == null ? null : d.atOffset(ZoneOffset.UTC);
    }
    return tx.preparedQuery(SET).execute(Tuple.from(new Object[] {ids, due})).mapEmpty();
  }
}
