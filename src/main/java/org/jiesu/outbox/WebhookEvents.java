package org.jiesu.outbox;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jiesu.ticket.workflow.Ticket;
import org.jiesu.ticket.workflow.TicketEvent;

/**
 * Which ticket events are told to subscribers, under which kind, and with which data. Pure. A delivery
 * carries no personal data: ids, states, departments, outcomes and times, never the caller, the address or
 * free text (answers, reasons, notes and comments may quote the caller, so none of them is sent).
 */
public final class WebhookEvents {

  public static final String SLA_WARNING = "sla.warning";
  public static final String SLA_BREACHED = "sla.breached";

  /** Timeline type → webhook kind and the event fields it may carry. */
  private static final Map<String, Kind> KINDS = new LinkedHashMap<>();

  private record Kind(String name, Set<String> fields) {}

  private static void kind(String timelineType, String name, String... fields) {
    KINDS.put(timelineType, new Kind(name, Set.of(fields)));
  }

  static {
    kind(TicketEvent.RECEIVED, "ticket.received", "type", "urgency", "category");
    kind(TicketEvent.DISPATCHED, "ticket.dispatched", "leadDepartment", "assistingDepartments", "repeat", "cause");
    kind(TicketEvent.SIGNED, "ticket.signed", "department");
    kind(TicketEvent.CONTACTED, "ticket.contacted", "contactedAt", "method", "first");
    kind(TicketEvent.RETURN_REQUESTED, "ticket.return_requested", "requestId", "suggestedDepartment");
    kind(TicketEvent.RETURN_APPROVED, "ticket.returned", "requestId", "department", "suggestedDepartment");
    kind(TicketEvent.RETURN_REJECTED, "ticket.return_rejected", "requestId", "department");
    kind(TicketEvent.EXTENSION_REQUESTED, "ticket.extension_requested", "requestId", "until");
    kind(TicketEvent.EXTENSION_APPROVED, "ticket.extended", "requestId", "until", "totalExtension");
    kind(TicketEvent.EXTENSION_REJECTED, "ticket.extension_rejected", "requestId");
    kind(TicketEvent.SUSPENSION_REQUESTED, "ticket.suspension_requested", "requestId");
    kind(TicketEvent.SUSPENDED, "ticket.suspended", "requestId");
    kind(TicketEvent.SUSPENSION_REJECTED, "ticket.suspension_rejected", "requestId");
    kind(TicketEvent.RESUMED, "ticket.resumed", "pausedFrom", "pausedTo");
    kind(TicketEvent.REPLIED, "ticket.replied", "outcome", "finding");
    kind(TicketEvent.CALLBACK, "ticket.callback", "resolved", "satisfaction", "rework");
    kind(TicketEvent.CLOSED, "ticket.closed", "satisfaction", "answeredBy");
    kind(TicketEvent.REWORK, "ticket.reworked", "newRound");
    kind(TicketEvent.MERGED, "ticket.merged", "into");
    kind(TicketEvent.SUPERVISION_ORDERED, "ticket.supervision_ordered", "orderId", "department", "respondBy");
    kind(TicketEvent.SUPERVISION_ACKNOWLEDGED, "ticket.supervision_acknowledged", "orderId", "late");
    kind(TicketEvent.MARKED_UNREASONABLE, "ticket.marked_unreasonable");
  }

  /** Every kind a subscription may ask for, in a fixed order. */
  public static final List<String> ALL = java.util.stream.Stream.concat(
      KINDS.values().stream().map(Kind::name), java.util.stream.Stream.of(SLA_WARNING, SLA_BREACHED)).toList();

  /** One event as it goes into the outbox: its kind, when it happened, and the data of the body. */
  public record Outgoing(String kind, Instant at, UUID ticketId, JsonObject data) {}

  private WebhookEvents() {}

  /** The deliverable events among {@code events}, with the ticket as it is after them. */
  public static List<Outgoing> of(Ticket ticket, List<TicketEvent> events) {
    return events.stream().map(e -> of(ticket, e)).flatMap(Optional::stream).toList();
  }

  static Optional<Outgoing> of(Ticket ticket, TicketEvent event) {
    Kind kind = KINDS.get(event.type());
    if (kind == null) {
      return Optional.empty(); // notes and the primary's side of a merge are not told
    }
    JsonObject data = new JsonObject()
        .put("ticketId", ticket.id().toString())
        .put("externalId", ticket.externalId())
        .put("state", ticket.state().name())
        .put("round", event.round())
        .put("leadDepartment", ticket.leadDepartment().orElse(null));
    event.fields().forEach((name, value) -> {
      if (kind.fields().contains(name) && value != null) {
        data.put(name, plain(value));
      }
    });
    return Optional.of(new Outgoing(kind.name(), event.at(), ticket.id(), data));
  }

  /**
   * The body of a delivery, {@code {type, timestamp, data}} (Standard Webhooks' recommended shape). Built
   * from the stored row alone, so every attempt sends the same bytes.
   */
  public static String body(String kind, Instant occurredAt, JsonObject data) {
    return new JsonObject().put("type", kind).put("timestamp", occurredAt.toString()).put("data", data).encode();
  }

  private static Object plain(Object v) {
    if (v instanceof Collection<?> c) {
      JsonArray a = new JsonArray();
      c.forEach(x -> a.add(plain(x)));
      return a;
    }
    if (v instanceof Boolean || v instanceof Integer || v instanceof Long) {
      return v;
    }
    if (v instanceof Enum<?> e) {
      return e.name();
    }
    if (v instanceof Instant || v instanceof Duration || v instanceof UUID) {
      return v.toString();
    }
    return String.valueOf(v);
  }
}
