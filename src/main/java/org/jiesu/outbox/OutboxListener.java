package org.jiesu.outbox;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import java.util.List;
import org.jiesu.ticket.workflow.Ticket;
import org.jiesu.ticket.TicketListener;
import org.jiesu.ticket.workflow.TicketEvent;

/**
 * Writes the outbox rows of a ticket change in the change's own transaction: one per (subscription, event)
 * the subscription asked for. If the change rolls back, nothing is delivered; if it commits, the relay
 * finds the rows even after a crash. The commit's NOTIFY wakes the relays.
 */
public final class OutboxListener implements TicketListener {

  private final OutboxStore store;

  public OutboxListener(OutboxStore store) {
    this.store = store;
  }

  @Override
  public Future<Void> onEvents(SqlConnection tx, Ticket ticket, List<TicketEvent> events) {
    return store.enqueue(tx, WebhookEvents.of(ticket, events));
  }
}
