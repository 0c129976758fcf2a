package org.jiesu.credit;

import org.jiesu.platform.CreditCode;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import java.util.List;
import org.jiesu.ticket.workflow.Ticket;
import org.jiesu.ticket.ChangeRows;
import org.jiesu.ticket.TicketListener;
import org.jiesu.ticket.workflow.TicketType;
import org.jiesu.ticket.workflow.TicketEvent;

/**
 * Tickets feed credit (DESIGN §6), inside the ticket change's transaction: a complaint or report naming an
 * entity is remembered as unverified when received (three or more in 90 days flag a targeted check); its
 * reply's finding settles it, and SUBSTANTIATED creates a substantiated-complaint event; a merged duplicate
 * or a ticket marked unreasonable stops counting. A code nobody
 * registered creates the entity as UNVERIFIED rather than losing the link.
 */
public final class CreditTicketFeed implements TicketListener {

  private final Credit credit;

  public CreditTicketFeed(Credit credit) {
    this.credit = credit;
  }

  /** A new complaint or report naming an entity is remembered in the intake's transaction. */
  @Override
  public boolean hearsIntake(Ticket ticket, List<TicketEvent> events) {
    return feeds(ticket);
  }

  /**
   * An action's credit rows go in its own statement: a reply's finding ({@link Credit#findingRows}), a
   * ticket marked unreasonable ({@link Credit#withdrawnRows}). A change with both (no action makes one) is
   * left to {@link #onEvents}, since sibling rows could not see each other's complaint row.
   */
  @Override
  public boolean changeRows(Ticket ticket, List<TicketEvent> events, Object locked,
      java.util.function.Consumer<ChangeRows> rows) {
    if (!feeds(ticket)) {
      return true;
    }
    List<TicketEvent.Replied> findings = events.stream().filter(TicketEvent.Replied.class::isInstance)
        .map(TicketEvent.Replied.class::cast).filter(r -> r.finding().isPresent()).toList();
    List<TicketEvent> withdrawn = events.stream()
        .filter(e -> e instanceof TicketEvent.Merged || e instanceof TicketEvent.MarkedUnreasonable).toList();
    if (findings.size() + withdrawn.size() > 1 || events.stream().anyMatch(TicketEvent.Received.class::isInstance)) {
      return false;
    }
    Ticket.Subject subject = ticket.subject().get();
    for (TicketEvent.Replied r : findings) {
      credit.findingRows(ticket.id(), subject.creditCode(), java.util.Optional.ofNullable(subject.name()),
          ticket.receivedAt(), r.finding().get().name(), r.at()).forEach(rows);
    }
    for (TicketEvent e : withdrawn) {
      rows.accept(credit.withdrawnRows(ticket.id(), e.at()));
    }
    return true;
  }

  @Override
  public Future<Void> onEvents(SqlConnection tx, Ticket ticket, List<TicketEvent> events) {
    if (!feeds(ticket)) {
      return Future.succeededFuture();
    }
    Ticket.Subject subject = ticket.subject().get();
    java.util.Optional<String> name = java.util.Optional.ofNullable(subject.name());
    Future<Void> chain = Future.succeededFuture();
    for (TicketEvent e : events) {
      if (e instanceof TicketEvent.Received) {
        chain = chain.compose(v -> credit.complaintReceived(tx, ticket.id(), subject.creditCode(), name,
            ticket.receivedAt()));
      } else if (e instanceof TicketEvent.Replied r && r.finding().isPresent()) {
        chain = chain.compose(v -> credit.finding(tx, ticket.id(), subject.creditCode(), name, ticket.receivedAt(),
            r.finding().get().name(), r.at()));
      } else if (e instanceof TicketEvent.Merged || e instanceof TicketEvent.MarkedUnreasonable) {
        // a duplicate is counted on its primary; an unreasonable demand is no sign of a problem
        chain = chain.compose(v -> credit.complaintWithdrawn(tx, ticket.id(), e.at()));
      }
    }
    return chain;
  }

  /**
   * A complaint or report naming an entity by a valid code: intake refuses other codes; a row from before that
   * check has nothing to attach to.
   */
  private static boolean feeds(Ticket ticket) {
    return ticket.subject().isPresent() && (ticket.type() == TicketType.COMPLAINT || ticket.type() == TicketType.REPORT)
        && CreditCode.isValid(ticket.subject().get().creditCode());
  }
}
