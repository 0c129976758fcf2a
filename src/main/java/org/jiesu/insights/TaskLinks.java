package org.jiesu.insights;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.jiesu.platform.Problem;
import org.jiesu.platform.Times;
import org.jiesu.ticket.workflow.Channel;
import org.jiesu.ticket.workflow.Ticket;
import org.jiesu.ticket.TicketAnnex;
import org.jiesu.ticket.TicketListener;
import org.jiesu.ticket.workflow.TicketEvent;

/**
 * The link between a proactive task and the tickets behind it. Written by the intake's own transaction (as
 * a listener), so a task never exists without its links and a link to a missing ticket rolls the task back
 * (422); shown on both sides of every ticket read (as an annex: {@code proactiveLinks}).
 *
 * <p>{@link ProactiveTasks} tells this listener what to link before it calls the intake, keyed by the
 * task's externalId, which it makes unique; both live in the same process.
 */
public final class TaskLinks implements TicketListener, TicketAnnex {

  /** What a task links, and its target date. */
  public record Pending(List<UUID> related, Optional<Instant> dueAt) {}

  static final String TASK = "INSERT INTO insight_task (ticket_id, due_at, created_by, created_at) VALUES ($1, $2, $3, $4)";
  static final String LINK = """
      INSERT INTO insight_task_link (task_id, ticket_id)
      SELECT $1, t.id FROM ticket t WHERE t.id = ANY($2::uuid[])
      RETURNING ticket_id""";
  static final String LINKS = """
      SELECT (SELECT due_at FROM insight_task WHERE ticket_id = $1) AS due_at,
             (SELECT ticket_id FROM insight_task WHERE ticket_id = $1) IS NOT NULL AS is_task,
             ARRAY(SELECT ticket_id FROM insight_task_link WHERE task_id = $1 ORDER BY ticket_id) AS related,
             ARRAY(SELECT task_id FROM insight_task_link WHERE ticket_id = $1 ORDER BY task_id) AS tasks""";

  private final Map<String, Pending> pending = new ConcurrentHashMap<>();

  void expect(String externalId, Pending links) {
    pending.put(externalId, links);
  }

  void forget(String externalId) {
    pending.remove(externalId);
  }

  /** A proactive task gets its row and links in the intake's transaction. */
  @Override
  public boolean hearsIntake(Ticket ticket, List<TicketEvent> events) {
    return ticket.channel() == Channel.PROACTIVE;
  }

  @Override
  public Future<Void> onEvents(SqlConnection tx, Ticket ticket, List<TicketEvent> events) {
    Optional<TicketEvent.Received> received = events.stream().filter(TicketEvent.Received.class::isInstance)
        .map(TicketEvent.Received.class::cast).findFirst();
    if (received.isEmpty() || ticket.channel() != Channel.PROACTIVE) {
      return Future.succeededFuture();
    }
    Pending links = pending.getOrDefault(ticket.externalId(), new Pending(List.of(), Optional.empty()));
    UUID[] ids = links.related().toArray(new UUID[0]);
    return tx.preparedQuery(TASK).execute(Tuple.of(ticket.id(), links.dueAt().map(Hotspots::utc).orElse(null),
            received.get().actor().sub(), Hotspots.utc(ticket.createdAt())))
        .compose(v -> tx.preparedQuery(LINK).execute(Tuple.tuple().addUUID(ticket.id()).addArrayOfUUID(ids)))
        .compose(rows -> {
          if (rows.rowCount() == ids.length) {
            return Future.succeededFuture();
          }
          List<UUID> found = new ArrayList<>();
          rows.forEach(r -> found.add(r.getUUID("ticket_id")));
          for (int i = 0; i < ids.length; i++) {
            if (!found.contains(ids[i])) {
              return Future.failedFuture(Problem.unprocessable("/relatedTickets/" + i, "no ticket " + ids[i]));
            }
          }
          return Future.succeededFuture();
        });
  }

  @Override
  public String field() {
    return "proactiveLinks";
  }

  @Override
  public Future<Object> of(SqlClient db, Ticket ticket) {
    return db.preparedQuery(LINKS).execute(Tuple.of(ticket.id())).map(rows -> {
      Row r = rows.iterator().next();
      JsonArray related = new JsonArray();
      for (UUID id : r.getArrayOfUUIDs("related")) {
        related.add(id.toString());
      }
      JsonArray tasks = new JsonArray();
      for (UUID id : r.getArrayOfUUIDs("tasks")) {
        tasks.add(id.toString());
      }
      java.time.OffsetDateTime due = r.getOffsetDateTime("due_at");
      return new JsonObject().put("task", r.getBoolean("is_task"))
          .put("taskDueAt", due == null ? null : Times.rfc3339(due.toInstant()))
          .put("relatedTickets", related).put("tasks", tasks);
    });
  }
}
