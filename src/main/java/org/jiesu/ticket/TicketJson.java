package org.jiesu.ticket;

import org.jiesu.ticket.workflow.TicketAccess;
import org.jiesu.ticket.workflow.Ticket;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.jiesu.platform.Times;
import org.jiesu.ticket.workflow.TicketAccess.View;
import org.jiesu.ticket.workflow.TicketEvent;

/**
 * What each actor may see of a ticket, decided in this one place: fields are listed one by one (no entity
 * dumps) and caller data is masked per {@link TicketAccess}.
 */
public final class TicketJson {

  private TicketJson() {}

  public static JsonObject view(Ticket t, View view) {
    if (view == View.NONE) {
      throw new IllegalArgumentException("no view of a ticket the actor may not see");
    }
    boolean full = view == View.FULL;
    boolean withheld = view == View.WITHHELD || view == View.RELAY;
    Ticket.Caller c = t.caller();
    Ticket.Location l = t.location();
    Ticket.Progress p = t.progress();
    JsonObject json = new JsonObject()
        .put("id", t.id().toString())
        .put("externalId", t.externalId())
        .put("type", t.type().name())
        .put("urgency", t.urgency().name())
        .put("category", t.category())
        .put("title", t.title())
        .put("content", t.content())
        .put("receivedAt", Times.rfc3339(t.receivedAt()))
        .put("status", t.state().name())
        .put("round", t.round())
        .put("caller", caller(t, view))
        .put("location", new JsonObject()
            .put("district", l.district())
            .put("street", l.street())
            .put("address", full ? l.address() : withheld ? withheld(l.address()) : Masking.address(l.address()))
            .put("lat", full ? l.lat() : withheld ? null : Masking.coordinate(l.lat()))
            .put("lon", full ? l.lon() : withheld ? null : Masking.coordinate(l.lon())))
        .put("subject", t.subject().map(s -> new JsonObject().put("creditCode", s.creditCode())
            .put("name", s.name())).orElse(null))
        .put("leadDepartment", t.leadDepartment().orElse(null))
        .put("assistingDepartments", new JsonArray(t.assistingDepartments()))
        .put("dispatchedAt", t.dispatchedAt().map(Times::rfc3339).orElse(null))
        .put("signedAt", p.signedAt().map(Times::rfc3339).orElse(null))
        .put("firstContactAt", p.firstContactAt().map(Times::rfc3339).orElse(null))
        .put("suspendedAt", p.suspendedAt().map(Times::rfc3339).orElse(null))
        .put("reply", p.repliedAt().isEmpty() ? null : new JsonObject()
            .put("at", Times.rfc3339(p.repliedAt().get()))
            .put("outcome", p.replyOutcome().orElse(null))
            .put("finding", p.replyFinding().orElse(null)))
        .put("callback", p.callbackSatisfaction().isEmpty() ? null : new JsonObject()
            .put("resolved", p.callbackResolved().orElse(null))
            .put("satisfaction", p.callbackSatisfaction().orElse(null)))
        .put("closedAt", p.closedAt().map(Times::rfc3339).orElse(null))
        .put("mergedInto", p.mergedInto().map(Object::toString).orElse(null))
        .put("unreasonable", p.unreasonable())
        .put("answeredBy", p.answeredBy().orElse(null))
        .put("knowledgeArticleId", p.knowledgeArticleId().map(Object::toString).orElse(null))
        .put("version", t.version())
        .put("createdAt", Times.rfc3339(t.createdAt()))
        .put("updatedAt", Times.rfc3339(t.updatedAt()))
        .put("dueAt", t.dueAt().map(Times::rfc3339).orElse(null))
        .put("channel", t.channel().name());
    return json;
  }

  private static JsonObject caller(Ticket t, View view) {
    Ticket.Caller c = t.caller();
    JsonObject json = new JsonObject();
    switch (view) {
      case FULL -> json.put("name", c.name()).put("phone", c.phone());
      case MASKED -> json.put("name", Masking.name(c.name())).put("phone", Masking.phone(c.phone()));
      default -> json.put("name", withheld(c.name())).put("phone", withheld(c.phone()));
    }
    json.put("confidential", t.confidential()).put("masked", view != View.FULL);
    if (view == View.RELAY) {
      // the lead department must reach the caller without learning who it is: through the hotline
      json.put("contactChannel", new JsonObject().put("type", "HOTLINE_RELAY").put("reference", t.externalId())
          .put("instruction", "call the 12345 hotline and quote the reference; the hotline connects you"));
    }
    return json;
  }

  private static String withheld(String value) {
    return value == null ? null : Masking.WITHHELD;
  }

  /** True when the view shows personal data that is actually there: such reads are audited. */
  public static boolean showsPersonalData(Ticket t, View view) {
    Ticket.Caller c = t.caller();
    return view == View.FULL && (c.name() != null || c.phone() != null || t.location().address() != null);
  }

  /**
   * The details of an event as stored and shown in the timeline: one shape per kind, every key of the kind
   * present (null or [] when it does not apply), whichever action emitted it. Instants are RFC 3339 text,
   * durations ISO-8601, enums and ids their names.
   */
  public static JsonObject details(TicketEvent e) {
    JsonObject json = new JsonObject();
    e.fields().forEach((k, v) -> json.put(k, jsonValue(v)));
    return json;
  }

  private static Object jsonValue(Object v) {
    if (v == null || v instanceof String || v instanceof Boolean || v instanceof Number) {
      return v;
    }
    if (v instanceof java.time.Instant i) {
      return Times.rfc3339(i);
    }
    if (v instanceof java.time.Duration d) {
      return d.toString();
    }
    if (v instanceof Iterable<?> list) {
      JsonArray array = new JsonArray();
      list.forEach(x -> array.add(jsonValue(x)));
      return array;
    }
    return v.toString(); // enums, UUIDs
  }

  public static JsonObject event(TimelineEntry e) {
    JsonObject actor = new JsonObject().put("sub", e.actorSub()).put("role", e.actorRole())
        .put("dept", e.actorDept());
    return new JsonObject()
        .put("id", Long.toString(e.id()))
        .put("type", e.type())
        .put("at", Times.rfc3339(e.at()))
        .put("round", e.round())
        .put("actor", actor)
        .put("details", e.details());
  }


}
