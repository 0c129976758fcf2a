package org.jiesu.ticket;

import org.jiesu.ticket.workflow.Channel;
import org.jiesu.ticket.workflow.Urgency;
import org.jiesu.ticket.workflow.TicketType;
import org.jiesu.ticket.workflow.Ticket;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What the hotline sends to create a ticket, already checked against the contract and normalised. The
 * intake hash is computed over this normalised form, so the same request sent twice always matches.
 */
public record Intake(
    String externalId,
    TicketType type,
    Urgency urgency,
    String category,
    String title,
    String content,
    Instant receivedAt,
    Ticket.Caller caller,
    Ticket.Location location,
    Optional<Ticket.Subject> subject,
    Optional<String> leadDepartment,
    List<String> assistingDepartments,
    Optional<String> answeredBy,
    Optional<java.util.UUID> knowledgeArticleId,
    Channel channel) {

  public Intake {
    assistingDepartments = List.copyOf(assistingDepartments);
  }

  /** A consultation the hotline answered itself: created CLOSED, it counts as a direct answer. */
  public boolean answeredByHotline() {
    return answeredBy.isPresent();
  }

  /** Every department the intake names, lead first. */
  public List<String> namedDepartments() {
    java.util.ArrayList<String> all = new java.util.ArrayList<>();
    leadDepartment.ifPresent(all::add);
    all.addAll(assistingDepartments);
    return all;
  }
}
