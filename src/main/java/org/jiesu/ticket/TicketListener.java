package org.jiesu.ticket;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import java.util.List;
import org.jiesu.ticket.workflow.TicketEvent;

/**
 * Reacts to what happened to a ticket, inside the transaction that made it happen: the audit trail today;
 * SLA timers, the outbox and credit tomorrow. Registered once at wiring; the ticket package does not know
 * who listens. {@code ticket} is the ticket as stored after the change, {@code events} what happened to it,
 * in order. A failed future fails (rolls back) the whole change.
 */
@FunctionalInterface
public interface TicketListener {
  Future<Void> onEvents(SqlConnection tx, Ticket ticket, List<TicketEvent> events);
}
