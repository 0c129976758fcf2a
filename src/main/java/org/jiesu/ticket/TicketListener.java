package org.jiesu.ticket;

import org.jiesu.ticket.workflow.Ticket;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import java.util.List;
import org.jiesu.ticket.workflow.TicketEvent;

/**
 * Reacts to what happened to a ticket, inside the transaction that made it happen: the audit trail today;
 * SLA timers, the outbox and credit tomorrow. Registered once at wiring; the ticket package does not know
 * who listens. {@code ticket} is the ticket as stored after the change, {@code events} what happened to it,
 * in order. A failed future fails (rolls back) the whole change.
 *
 * <p>Listeners are called as soon as the rule has decided, with the ticket the rule left (the row the
 * change writes), while the ticket's own statements are still on their way: issue statements on {@code tx}
 * without waiting needlessly and they follow the ticket's on the same connection, in order, in the same
 * round trip (a read of the ticket through {@code tx} sees the change). At intake the new ticket's
 * {@code seq} is not known yet (0); its id is.
 */
@FunctionalInterface
public interface TicketListener {
  Future<Void> onEvents(SqlConnection tx, Ticket ticket, List<TicketEvent> events);

  /**
   * Whether this listener reads what listeners registered before it wrote (the scorecard facts read the
   * SLA timers the SLA listener just met): it is then called only once they have all finished, instead of
   * together with them. Costs a round trip, so only listeners that need it say so.
   */
  default boolean readsEarlierListeners() {
    return false;
  }

  /**
   * A new ticket, before its one INSERT, with the derived columns this listener keeps on the ticket row set
   * (the SLA engine's nearest deadline): updating the row just inserted would write it, and every index of
   * the ticket table, a second time in the same transaction. Plain Java, no I/O; by default unchanged.
   */
  default Ticket beforeIntake(Ticket ticket, List<TicketEvent> events) {
    return ticket;
  }
}
