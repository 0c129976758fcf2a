package org.jiesu.ticket;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.UUID;

/**
 * One stored step of a ticket's timeline, as read back for the timeline endpoint: who, when, what (type),
 * in which round, and the event's fields as {@link TicketJson#details} wrote them.
 */
public record TimelineEntry(long id, UUID ticketId, int round, String type, Instant at, String actorSub,
    String actorRole, String actorDept, JsonObject details) {}
