package org.jiesu.insights;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jiesu.auth.Actor;
import org.jiesu.platform.JsonValues;
import org.jiesu.platform.Problem;
import org.jiesu.ticket.workflow.Channel;
import org.jiesu.ticket.Intake;
import org.jiesu.ticket.workflow.Ticket;
import org.jiesu.ticket.TicketService;
import org.jiesu.ticket.workflow.TicketType;
import org.jiesu.ticket.workflow.Urgency;

/**
 * 主动治理任务: a supervisor turns a hotspot or a topic into a ticket of channel PROACTIVE. It is taken in
 * through {@link TicketService#intake} like any call (routing or the named departments, the same workflow,
 * the same SLA timers, the audit trail), with no caller, and linked to the tickets that caused it in the
 * same transaction ({@link TaskLinks}).
 */
public final class ProactiveTasks {

  private final TicketService tickets;
  private final TaskLinks links;
  private final Clock clock;

  public ProactiveTasks(TicketService tickets, TaskLinks links, Clock clock) {
    this.tickets = tickets;
    this.links = links;
    this.clock = clock;
  }

  /** A body that passed the contract; what the contract cannot say is checked here (400 naming the field). */
  public Future<Ticket> create(Actor actor, JsonObject body) {
    Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
    List<Problem.FieldError> errors = new ArrayList<>();
    Optional<Instant> dueAt = Optional.ofNullable(body.getString("dueAt")).map(t -> {
      try {
        return java.time.OffsetDateTime.parse(t).toInstant();
      } catch (RuntimeException e) {
        errors.add(new Problem.FieldError("/dueAt", "must be an RFC 3339 date-time with offset"));
        return null;
      }
    });
    if (dueAt.isPresent() && !dueAt.get().isAfter(now)) {
      errors.add(new Problem.FieldError("/dueAt", "lies in the past"));
    }
    LinkedHashSet<UUID> related = new LinkedHashSet<>();
    JsonArray raw = body.getJsonArray("relatedTickets", new JsonArray());
    for (int i = 0; i < raw.size(); i++) {
      Optional<UUID> id = JsonValues.uuid(raw.getString(i));
      if (id.isEmpty()) {
        errors.add(new Problem.FieldError("/relatedTickets/" + i, "is not a ticket id"));
      } else {
        related.add(id.get());
      }
    }
    List<String> assisting = new ArrayList<>();
    body.getJsonArray("assistingDepartments", new JsonArray()).forEach(d -> assisting.add((String) d));
    Optional<String> lead = Optional.ofNullable(body.getString("leadDepartment"));
    if (lead.isEmpty() && !assisting.isEmpty()) {
      errors.add(new Problem.FieldError("/leadDepartment", "assisting departments need a lead department"));
    }
    if (lead.isPresent() && assisting.contains(lead.get())) {
      errors.add(new Problem.FieldError("/assistingDepartments", "contains the lead department"));
    }
    if (new LinkedHashSet<>(assisting).size() != assisting.size()) {
      errors.add(new Problem.FieldError("/assistingDepartments", "names a department twice"));
    }
    if (!errors.isEmpty()) {
      return Future.failedFuture(Problem.invalid(errors));
    }
    String externalId = "PROACTIVE-" + UUID.randomUUID();
    Intake intake = new Intake(externalId, TicketType.valueOf(body.getString("type", "HELP")),
        Urgency.valueOf(body.getString("urgency", "NORMAL")), body.getString("category").trim(),
        body.getString("title").trim(), body.getString("description"), now, new Ticket.Caller(null, null, false),
        new Ticket.Location(blank(body.getString("district")), blank(body.getString("street")), null, null, null),
        Optional.empty(), lead, assisting, Optional.empty(), Optional.empty(), Channel.PROACTIVE);
    links.expect(externalId, new TaskLinks.Pending(List.copyOf(related), dueAt));
    return tickets.intake(actor, intake)
        .map(TicketService.IntakeResult::ticket)
        .andThen(r -> links.forget(externalId));
  }

  private static String blank(String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }
}
