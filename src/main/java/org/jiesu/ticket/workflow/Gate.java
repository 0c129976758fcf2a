package org.jiesu.ticket.workflow;

import java.util.Arrays;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.jiesu.auth.Actor;
import org.jiesu.auth.Role;

/**
 * The checks every action runs, in the order the contract fixes: visibility (404), then who may act (403),
 * then the state (409), then the input (400). The first failing check wins and later ones are not
 * evaluated, so a later check may rely on the earlier ones (an input check may assume the state it needs).
 */
final class Gate {

  /** How an actor takes part in a ticket. An actor may be several at once (e.g. STAFF and SUPERVISOR). */
  enum Party {
    HOTLINE, SUPERVISOR, LEAD, ASSISTING;

    boolean is(Actor actor, Handling t) {
      return switch (this) {
        case HOTLINE -> actor.has(Role.HOTLINE);
        case SUPERVISOR -> actor.has(Role.SUPERVISOR);
        case LEAD -> actor.has(Role.STAFF) && actor.dept().map(t::isLead).orElse(false);
        case ASSISTING -> actor.has(Role.STAFF) && actor.dept().map(t::isAssisting).orElse(false);
      };
    }
  }

  private final Handling t;
  private final Actor actor;
  private Refusal refusal;

  private Gate(Handling t, Actor actor) {
    this.t = t;
    this.actor = actor;
  }

  /** Starts the checks with visibility: an actor who cannot see the ticket gets NOT_FOUND. */
  static Gate check(Handling t, Actor actor) {
    Gate gate = new Gate(t, actor);
    if (!canSee(actor, t)) {
      gate.refusal = Refusal.NOT_FOUND;
    }
    return gate;
  }

  /** The one visibility rule (DESIGN §7), {@link TicketAccess}, applied to the snapshot. */
  static boolean canSee(Actor actor, Handling t) {
    return TicketAccess.canSee(actor, t.ticket());
  }

  /** Only these parties may act; anyone else who sees the ticket gets FORBIDDEN. */
  Gate by(Party... parties) {
    if (refusal == null && Arrays.stream(parties).noneMatch(p -> p.is(actor, t))) {
      refusal = Refusal.FORBIDDEN;
    }
    return this;
  }

  /** Refuses with an arbitrary refusal, for checks on things inside the ticket (a supervision order). */
  Gate refuseIf(BooleanSupplier condition, Refusal why) {
    if (refusal == null && condition.getAsBoolean()) {
      refusal = why;
    }
    return this;
  }

  /** The action is legal only in these states. */
  Gate in(TicketState... states) {
    if (refusal == null && Arrays.stream(states).noneMatch(s -> s == t.state())) {
      refusal = Refusal.conflict(t.state());
    }
    return this;
  }

  /** A conflict beyond the state itself (something pending, a window closed), still carrying the state. */
  Gate conflictIf(BooleanSupplier condition, String detail) {
    if (refusal == null && condition.getAsBoolean()) {
      refusal = Refusal.conflict(t.state(), detail);
    }
    return this;
  }

  /** An input rule: {@code holds} must be true, else the field is invalid. */
  Gate require(String field, BooleanSupplier holds, String message) {
    if (refusal == null && !holds.getAsBoolean()) {
      refusal = Refusal.invalid(field, message);
    }
    return this;
  }

  /** A required, non-blank text field. */
  Gate text(String field, String value) {
    return require(field, () -> value != null && !value.isBlank(), "is required");
  }

  /** A required field of any other type. */
  Gate present(String field, Object value) {
    return require(field, () -> value != null, "is required");
  }

  /** A decision needs a verdict, and a rejection needs a reason: the department must learn why. */
  Gate decision(Inputs.Decision d) {
    return present("/verdict", d.verdict())
        .require("/reason", () -> d.verdict() == Verdict.APPROVE || d.reason().isPresent(), "is required to reject");
  }

  /** The change, computed only when every check passed. */
  Outcome then(Supplier<Outcome> change) {
    return refusal != null ? Outcome.refused(refusal) : change.get();
  }
}
