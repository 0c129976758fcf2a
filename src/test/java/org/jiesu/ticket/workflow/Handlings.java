package org.jiesu.ticket.workflow;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jiesu.auth.Actor;
import org.jiesu.auth.Role;
import org.jiesu.ticket.workflow.Handling.ExtensionRequest;
import org.jiesu.ticket.workflow.Handling.ReturnRequest;
import org.jiesu.ticket.workflow.Handling.SupervisionOrder;
import org.jiesu.ticket.workflow.Handling.SuspensionRequest;

/** Tickets in every state, and the people who act on them, for the workflow tests. */
final class Handlings {

  static final Instant NOW = Instant.parse("2026-03-02T02:00:00Z");
  static final Instant DISPATCHED_AT = NOW.minus(Duration.ofHours(1));
  static final Instant SIGNED_AT = NOW.minus(Duration.ofMinutes(50));
  static final Instant SUSPENDED_AT = NOW.minus(Duration.ofMinutes(20));

  static final String LEAD = "D-LEAD";
  static final String HELPER = "D-HELP";
  static final String STRANGER = "D-OTHER";

  static final UUID ID = UUID.fromString("00000000-0000-0000-0000-000000000001");
  static final UUID PRIMARY_ID = UUID.fromString("00000000-0000-0000-0000-000000000002");
  static final UUID REQUEST_ID = UUID.fromString("00000000-0000-0000-0000-0000000000a1");
  static final UUID OTHER_REQUEST_ID = UUID.fromString("00000000-0000-0000-0000-0000000000a2");
  static final UUID ORDER_ID = UUID.fromString("00000000-0000-0000-0000-0000000000b1");

  /** The actor kinds of the table test. */
  enum Kind {
    HOTLINE(Actor.of("hotline-1", Role.HOTLINE)),
    SUPERVISOR(Actor.of("sup-1", Role.SUPERVISOR)),
    LEAD_STAFF(Actor.staff("lead-1", LEAD)),
    ASSISTING_STAFF(Actor.staff("help-1", HELPER)),
    OTHER_STAFF(Actor.staff("other-1", STRANGER)),
    ADMIN(Actor.of("admin-1", Role.ADMIN));

    final Actor actor;

    Kind(Actor actor) {
      this.actor = actor;
    }
  }

  static final Actor HOTLINE = Kind.HOTLINE.actor;
  static final Actor SUPERVISOR = Kind.SUPERVISOR.actor;
  static final Actor LEAD_STAFF = Kind.LEAD_STAFF.actor;
  static final Actor ASSISTING_STAFF = Kind.ASSISTING_STAFF.actor;
  static final Actor OTHER_STAFF = Kind.OTHER_STAFF.actor;
  static final Actor STAFF_WITHOUT_DEPT = new Actor("nodept-1", Set.of(Role.STAFF), Optional.empty());

  private Handlings() {}

  /** A ticket just taken in and not yet dispatched, in its first round, with nothing pending. */
  static Handling received(UUID id, TicketType type, boolean hasSubject) {
    return received(id, type, hasSubject, Channel.HOTLINE);
  }

  static Handling received(UUID id, TicketType type, boolean hasSubject, Channel channel) {
    return Handling.of(new Ticket(id, 1, "EXT-" + id, "hash", type, Urgency.NORMAL, "market.agency", "title",
        "content", NOW.minus(Duration.ofHours(2)), new Ticket.Caller("张三", "13800001234", false),
        new Ticket.Location("海淀区", "中关村街道", "x", null, null),
        hasSubject ? Optional.of(new Ticket.Subject("91110108MA01ABCD2X", "某公司")) : Optional.empty(),
        TicketState.RECEIVED, 1, Optional.empty(), List.of(), Optional.empty(), 1, NOW, NOW,
        Ticket.Progress.none(Optional.empty(), Optional.empty()), Optional.empty(), channel));
  }

  /** A HELP ticket without a subject, lead D-LEAD assisted by D-HELP (none while RECEIVED). */
  static Handling in(TicketState state) {
    return in(state, TicketType.HELP, false);
  }

  static Handling in(TicketState state, TicketType type, boolean hasSubject) {
    return in(state, type, hasSubject, Channel.HOTLINE);
  }

  static Handling in(TicketState state, TicketType type, boolean hasSubject, Channel channel) {
    Handling received = received(ID, type, hasSubject, channel);
    if (state == TicketState.RECEIVED) {
      return received;
    }
    return received.with(t -> t.withState(state)
        .withAssignment(Optional.of(LEAD), List.of(HELPER), Optional.of(DISPATCHED_AT))
        .withProgress(p -> p.withDispatchCount(1)
            .withSignedAt(state != TicketState.DISPATCHED ? Optional.of(SIGNED_AT) : Optional.empty())
            .withSuspendedAt(state == TicketState.SUSPENDED ? Optional.of(SUSPENDED_AT) : Optional.empty())
            .withMergedInto(state == TicketState.MERGED ? Optional.of(PRIMARY_ID) : Optional.empty())));
  }

  /** The open ticket duplicates are merged into. */
  static Handling primary() {
    return received(PRIMARY_ID, TicketType.HELP, false);
  }

  static Handling withPendingReturn(Handling t, Optional<String> suggested) {
    return t.withPendingReturn(Optional.of(
        new ReturnRequest(REQUEST_ID, LEAD, NOW.minusSeconds(600), "not our jurisdiction", suggested)));
  }

  static Handling withPendingExtension(Handling t, Duration length) {
    return t.withPendingExtension(Optional.of(new ExtensionRequest(OTHER_REQUEST_ID, LEAD,
        NOW.minusSeconds(600), NOW.plus(length), length, "waiting for an expert opinion")));
  }

  static Handling withPendingSuspension(Handling t) {
    return t.withPendingSuspension(Optional.of(
        new SuspensionRequest(REQUEST_ID, LEAD, NOW.minusSeconds(600), "waiting for a court ruling")));
  }

  static Handling withGranted(Handling t, Duration granted) {
    return t.withProgress(p -> p.withGrantedExtension(granted));
  }

  static Handling withOrder(Handling t, String department, Instant respondBy) {
    List<SupervisionOrder> orders = new ArrayList<>(t.supervisionOrders());
    orders.add(new SupervisionOrder(ORDER_ID, department, "call the caller today", respondBy, "sup-1",
        NOW.minusSeconds(3600), Optional.empty()));
    return t.withSupervisionOrders(orders);
  }
}
