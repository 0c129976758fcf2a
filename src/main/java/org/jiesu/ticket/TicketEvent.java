package org.jiesu.ticket;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.UUID;
import org.jiesu.auth.Actor;

/** One step in a ticket's timeline: who, when, what (type), in which round, and the action's details. */
public record TicketEvent(long id, UUID ticketId, int round, String type, Instant at, String actorSub,
    String actorRole, String actorDept, JsonObject details) {

  public static TicketEvent of(Ticket ticket, String type, Actor actor, Instant at, JsonObject details) {
    return new TicketEvent(0, ticket.id(), ticket.round(), type, at, actor.sub(),
        actor.mainRole() == null ? null : actor.mainRole().name(), actor.dept().orElse(null), details);
  }
}
