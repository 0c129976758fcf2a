package org.jiesu.ticket;

import org.jiesu.ticket.workflow.Ticket;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;
import java.util.List;
import org.jiesu.audit.AuditLog;
import org.jiesu.ticket.workflow.TicketEvent;

/**
 * The tamper-evident record of who did what to which ticket, committed with the change: one entry per
 * ticket and change, TICKET_INTAKE for a new ticket, TICKET_ACTION for anything later. The intake's entry is
 * written by the intake's own statement (TicketRepository.intake, one round trip with the ticket and its
 * events), so this listener records the changes after it.
 */
public final class TicketAuditTrail implements TicketListener {

  static final String INTAKE = "TICKET_INTAKE";

  private final AuditLog audit;

  public TicketAuditTrail(AuditLog audit) {
    this.audit = audit;
  }

  /** What the intake's entry says of the new ticket. */
  static JsonObject intakeDetail(Ticket ticket) {
    return new JsonObject().put("externalId", ticket.externalId()).put("status", ticket.state().name());
  }

  @Override
  public Future<Void> onEvents(SqlConnection tx, Ticket ticket, List<TicketEvent> events) {
    TicketEvent first = events.get(0);
    if (first instanceof TicketEvent.Received) {
      return Future.succeededFuture(); // written with the ticket (TicketService.intake)
    }
    JsonArray types = new JsonArray();
    events.forEach(e -> types.add(e.type()));
    return audit.append(tx, first.actor(), "TICKET_ACTION", ticket.id(),
        new JsonObject().put("events", types).put("toState", ticket.state().name()));
  }
}
