package org.jiesu.open311;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.jiesu.ticket.workflow.Channel;
import org.jiesu.ticket.workflow.Ticket;
import org.jiesu.ticket.ChangeRows;
import org.jiesu.ticket.TicketListener;
import org.jiesu.ticket.workflow.TicketEvent;

/**
 * Keeps the public face of Open311 requests in step with their tickets, in the ticket change's own
 * transaction: the request row is written with the ticket (so a request acknowledged with 2xx is readable
 * at once, and a rolled-back intake leaves nothing), and every step the public may see becomes an update.
 *
 * <p>The intake path knows nothing of Open311, so what the facade knows of a submission (service, client,
 * public description) is handed over here by externalId just before the intake and taken back after it.
 */
public final class Open311Listener implements TicketListener {

  /** What the facade knows of a submission that the ticket does not carry. */
  record Pending(String serviceCode, UUID clientId, String description, Optional<String> address,
      Optional<Double> lat, Optional<Double> lon) {}

  private final Open311Store store = new Open311Store();
  private final ConcurrentMap<String, Pending> pending = new ConcurrentHashMap<>();

  /** Hands a submission over for the intake that follows; the first of concurrent repeats wins. */
  Pending expect(String externalId, Pending p) {
    Pending before = pending.putIfAbsent(externalId, p);
    return before == null ? p : before;
  }

  void done(String externalId, Pending p) {
    pending.remove(externalId, p);
  }

  /** An Open311 submission gets its public request in the intake's transaction. */
  @Override
  public boolean hearsIntake(Ticket ticket, List<TicketEvent> events) {
    return ticket.channel() == Channel.OPEN311;
  }

  /** An action's public updates go in its own statement ({@link Open311Store#changeRows}). */
  @Override
  public boolean changeRows(Ticket ticket, List<TicketEvent> events, Object locked,
      java.util.function.Consumer<ChangeRows> rows) {
    if (ticket.channel() == Channel.OPEN311) {
      List<Open311Store.Update> updates = PublicStatus.updates(ticket, events);
      if (!updates.isEmpty()) {
        rows.accept(Open311Store.changeRows(ticket.id(), updates, ticket.leadDepartment()));
      }
    }
    return true;
  }

  @Override
  public Future<Void> onEvents(SqlConnection tx, Ticket ticket, List<TicketEvent> events) {
    if (ticket.channel() != Channel.OPEN311) {
      return Future.succeededFuture();
    }
    Future<Void> created = Future.succeededFuture();
    if (events.stream().anyMatch(e -> e.type().equals(TicketEvent.RECEIVED))) {
      Pending p = pending.get(ticket.externalId());
      if (p == null) {
        // an OPEN311 ticket that did not come through the facade has no public face
        return Future.succeededFuture();
      }
      Instant at = ticket.receivedAt();
      created = store.insertRequest(tx, new Open311Store.NewRequest(ticket.id(), ticket.externalId(),
          p.serviceCode(), p.clientId(), p.description(), p.address(), p.lat(), p.lon(), at),
          PublicStatus.status(ticket.state()), ticket.leadDepartment());
    }
    return created.compose(v -> store.addUpdates(tx, ticket.id(), PublicStatus.updates(ticket, events),
        ticket.leadDepartment())).mapEmpty();
  }
}
