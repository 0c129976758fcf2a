package org.jiesu.insights;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import java.util.List;
import org.jiesu.platform.Problem;
import org.jiesu.ticket.workflow.Channel;
import org.jiesu.ticket.workflow.Ticket;
import org.jiesu.ticket.TicketListener;
import org.jiesu.ticket.workflow.TicketEvent;

/**
 * A proactive task (channel PROACTIVE) has no caller, so there is nobody to call back (issue 11: "no caller,
 * no callback"): a callback on one is refused with 422 naming why, and the change's transaction rolls back.
 */
public final class NoCallbackForTasks implements TicketListener {

  @Override
  public Future<Void> onEvents(SqlConnection tx, Ticket ticket, List<TicketEvent> events) {
    if (ticket.channel() == Channel.PROACTIVE && events.stream().anyMatch(TicketEvent.CallbackMade.class::isInstance)) {
      return Future.failedFuture(Problem.ruleViolation("/resolved",
          "the ticket is a proactive task (channel PROACTIVE): it has no caller, so there is no callback"));
    }
    return Future.succeededFuture();
  }
}
