package org.jiesu.open311;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jiesu.ticket.workflow.Ticket;
import org.jiesu.ticket.workflow.TicketState;
import org.jiesu.ticket.workflow.TicketEvent;

/**
 * What the public learns of a ticket's progress: GeoReport's two statuses and a fixed note per step that
 * matters to the reporter. Plain Java. Notes are written here, never copied from what staff typed (replies,
 * notes, reasons may name the caller), and internal steps (requests, contacts, supervision) are not shown.
 */
final class PublicStatus {

  private PublicStatus() {}

  static String status(TicketState state) {
    return state == TicketState.CLOSED || state == TicketState.MERGED ? "closed" : "open";
  }

  /** The public updates for these events of this ticket (as stored after them), in order. */
  static List<Open311Store.Update> updates(Ticket ticket, List<TicketEvent> events) {
    List<Open311Store.Update> out = new ArrayList<>();
    String lead = ticket.leadDepartment().orElse("the handling department");
    for (TicketEvent e : events) {
      Optional<String> note = switch (e.type()) {
        case TicketEvent.RECEIVED -> Optional.of("Received.");
        case TicketEvent.DISPATCHED -> Optional.of("Sent to " + lead + ".");
        case TicketEvent.SIGNED -> Optional.of("Accepted by " + lead + ".");
        case TicketEvent.RETURN_APPROVED -> Optional.of("Being sent to the department responsible.");
        case TicketEvent.SUSPENDED -> Optional.of("On hold.");
        case TicketEvent.RESUMED -> Optional.of("Handling resumed.");
        case TicketEvent.REPLIED -> Optional.of("Replied: " + ticket.progress().replyOutcome()
            .map(o -> o.toLowerCase(java.util.Locale.ROOT).replace('_', ' ')).orElse("answered") + ".");
        case TicketEvent.REWORK -> Optional.of("Reopened for another round of handling.");
        case TicketEvent.CLOSED -> Optional.of("Closed.");
        case TicketEvent.MERGED -> Optional.of("Closed as a duplicate of another request.");
        default -> Optional.empty();
      };
      String status = switch (e.type()) {
        case TicketEvent.CLOSED, TicketEvent.MERGED -> "closed";
        default -> "open";
      };
      note.ifPresent(n -> out.add(new Open311Store.Update(0, ticket.id(), status, e.type(), n, e.at())));
    }
    return out;
  }
}
