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
import org.jiesu.ticket.TicketState;
import org.jiesu.ticket.TicketType;
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

  /** A HELP ticket without a subject, lead D-LEAD assisted by D-HELP (none while RECEIVED). */
  static Handling in(TicketState state) {
    return in(state, TicketType.HELP, false);
  }

  static Handling in(TicketState state, TicketType type, boolean hasSubject) {
    Handling received = Handling.received(ID, type, hasSubject);
    if (state == TicketState.RECEIVED) {
      return received;
    }
    Handling.Draft d = received.draft().state(state).lead(Optional.of(LEAD)).assisting(List.of(HELPER))
        .dispatchedAt(Optional.of(DISPATCHED_AT));
    if (state != TicketState.DISPATCHED) {
      d.signedAt(Optional.of(SIGNED_AT));
    }
    if (state == TicketState.SUSPENDED) {
      d.suspendedAt(Optional.of(SUSPENDED_AT));
    }
    if (state == TicketState.MERGED) {
      d.mergedInto(Optional.of(PRIMARY_ID));
    }
    return d.build();
  }

  /** The open ticket duplicates are merged into. */
  static Handling primary() {
    return Handling.received(PRIMARY_ID, TicketType.HELP, false);
  }

  static Handling withPendingReturn(Handling t, Optional<String> suggested) {
    return t.draft().pendingReturn(Optional.of(
        new ReturnRequest(REQUEST_ID, LEAD, NOW.minusSeconds(600), "not our jurisdiction", suggested))).build();
  }

  static Handling withPendingExtension(Handling t, Duration length) {
    return t.draft().pendingExtension(Optional.of(new ExtensionRequest(OTHER_REQUEST_ID, LEAD,
        NOW.minusSeconds(600), NOW.plus(length), length, "waiting for an expert opinion"))).build();
  }

  static Handling withPendingSuspension(Handling t) {
    return t.draft().pendingSuspension(Optional.of(
        new SuspensionRequest(REQUEST_ID, LEAD, NOW.minusSeconds(600), "waiting for a court ruling"))).build();
  }

  static Handling withGranted(Handling t, Duration granted) {
    return t.draft().grantedExtension(granted).build();
  }

  static Handling withOrder(Handling t, String department, Instant respondBy) {
    List<SupervisionOrder> orders = new ArrayList<>(t.supervisionOrders());
    orders.add(new SupervisionOrder(ORDER_ID, department, "call the caller today", respondBy, "sup-1",
        NOW.minusSeconds(3600), Optional.empty()));
    return t.draft().supervisionOrders(orders).build();
  }
}
