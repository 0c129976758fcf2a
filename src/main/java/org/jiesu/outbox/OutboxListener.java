package org.jiesu.outbox;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import java.util.List;
import java.util.function.Consumer;
import org.jiesu.ticket.ChangeRows;
import org.jiesu.ticket.workflow.Ticket;
import org.jiesu.ticket.TicketListener;
import org.jiesu.ticket.workflow.TicketEvent;

/**
 * Writes the outbox rows of a ticket change in the change's own transaction: one per (subscription, event)
 * the subscription asked for (an intake's and an action's as rows of the change's own statement,
 * {@link ChangeRows}). If the change rolls back, nothing is delivered; if it commits, the relay finds the rows
 * even after a crash. The commit's NOTIFY wakes the relays.
 */
public final class OutboxListener implements TicketListener {

  private final OutboxStore store;

  public OutboxListener(OutboxStore store) {
    this.store = store;
  }

  /** A new ticket's rows go in the intake's own statement, in its round trip. */
  @Override
  public Ticket beforeIntake(Ticket ticket, List<TicketEvent> events, Consumer<ChangeRows> rows) {
    if (received(events)) {
      changeRows(ticket, events, null, rows);
    }
    return ticket;
  }

  /** Everything it writes for a new ticket is in the intake's statement. */
  @Override
  public boolean hearsIntake(Ticket ticket, List<TicketEvent> events) {
    return false;
  }

  /** An action's rows go in its events statement, in its round trip. */
  @Override
  public boolean changeRows(Ticket ticket, List<TicketEvent> events, Object locked, Consumer<ChangeRows> rows) {
    List<WebhookEvents.Outgoing> outgoing = WebhookEvents.of(ticket, events);
    if (!outgoing.isEmpty()) {
      rows.accept(store.changeRows(outgoing));
    }
    return true;
  }

  @Override
  public Future<Void> onEvents(SqlConnection tx, Ticket ticket, List<TicketEvent> events) {
    return store.enqueue(tx, WebhookEvents.of(ticket, events)); // not for an intake: it does not hear one
  }

  private static boolean received(List<TicketEvent> events) {
    return events.stream().anyMatch(TicketEvent.Received.class::isInstance);
  }
}
