package org.jiesu.insights;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import java.util.List;
import org.jiesu.ticket.workflow.Ticket;
import org.jiesu.ticket.TicketListener;
import org.jiesu.ticket.workflow.TicketEvent;

/** Stores a ticket's comparison terms when it is taken in ({@link StoredTerms}), in the intake's transaction. */
public final class TermsListener implements TicketListener {

  @Override
  public Future<Void> onEvents(SqlConnection tx, Ticket ticket, List<TicketEvent> events) {
    if (events.stream().noneMatch(TicketEvent.Received.class::isInstance)) {
      return Future.succeededFuture();
    }
    return StoredTerms.write(tx, ticket.id(), ticket.title(), ticket.content());
  }
}
