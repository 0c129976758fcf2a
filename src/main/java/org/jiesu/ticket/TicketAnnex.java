package org.jiesu.ticket;

import org.jiesu.ticket.workflow.Ticket;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;

/**
 * What another feature keeps about a ticket and shows with it when one ticket is read (the SLA engine's
 * timers). Registered at wiring, like a {@link TicketListener}; the ticket package does not know who.
 */
public interface TicketAnnex {

  /** The field of the ticket representation it fills. */
  String field();

  /** Its value for this ticket (JSON-encodable), read with the caller's client. */
  Future<Object> of(SqlClient db, Ticket ticket);
}
