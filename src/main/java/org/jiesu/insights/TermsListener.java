package org.jiesu.insights;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import java.util.List;
import java.util.function.Consumer;
import org.jiesu.ticket.ChangeRows;
import org.jiesu.ticket.workflow.Ticket;
import org.jiesu.ticket.TicketListener;
import org.jiesu.ticket.workflow.TicketEvent;

/**
 * Stores a ticket's comparison terms when it is taken in ({@link StoredTerms}): in the intake's own statement
 * (title and content never change afterwards, so nothing is written later).
 */
public final class TermsListener implements TicketListener {

  @Override
  public Ticket beforeIntake(Ticket ticket, List<TicketEvent> events, Consumer<ChangeRows> rows) {
    if (events.stream().anyMatch(TicketEvent.Received.class::isInstance)) {
      rows.accept(StoredTerms.intakeRows(ticket.id(), ticket.title(), ticket.content()));
    }
    return ticket;
  }

  /** Everything it writes for a new ticket is in the intake's statement. */
  @Override
  public boolean hearsIntake(Ticket ticket, List<TicketEvent> events) {
    return false;
  }

  @Override
  public Future<Void> onEvents(SqlConnection tx, Ticket ticket, List<TicketEvent> events) {
    return Future.succeededFuture();
  }
}
