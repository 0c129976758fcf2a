package org.jiesu.ticket.workflow;

import static java.util.Objects.requireNonNull;
import static org.jiesu.ticket.workflow.TicketState.DISPATCHED;
import static org.jiesu.ticket.workflow.TicketState.RECEIVED;
import static org.jiesu.ticket.workflow.TicketState.REPLIED;
import static org.jiesu.ticket.workflow.TicketState.SIGNED;
import static org.jiesu.ticket.workflow.TicketState.SUSPENDED;
import static org.jiesu.ticket.workflow.Gate.Party.ASSISTING;
import static org.jiesu.ticket.workflow.Gate.Party.HOTLINE;
import static org.jiesu.ticket.workflow.Gate.Party.LEAD;
import static org.jiesu.ticket.workflow.Gate.Party.SUPERVISOR;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jiesu.auth.Actor;
import org.jiesu.ticket.workflow.Handling.ExtensionRequest;
import org.jiesu.ticket.workflow.Handling.ReturnRequest;
import org.jiesu.ticket.workflow.Handling.SupervisionOrder;
import org.jiesu.ticket.workflow.Handling.SuspensionRequest;
import org.jiesu.ticket.workflow.TicketEvent.Cause;

/**
 * The ticket workflow of DESIGN §2 as pure functions: a snapshot, an actor, the instant of the action and
 * its input in; a refusal or the changed snapshot with its timeline events out. No clock, no I/O, no ids
 * of its own — the service passes {@code now} and the ids of new requests, so every decision is repeatable.
 *
 * <p>Every action checks, in this order: can the actor see the ticket (else NOT_FOUND), may this actor do
 * this (else FORBIDDEN), is it legal in the current state and with what is pending (else CONFLICT with the
 * state), is the input valid (else INVALID naming the field).
 */
public final class Transitions {

  /** Every state in which the ticket is still being handled. */
  private static final TicketState[] OPEN = {RECEIVED, DISPATCHED, SIGNED, SUSPENDED, REPLIED};

  /** The open states with a lead department. */
  private static final TicketState[] ASSIGNED = {DISPATCHED, SIGNED, SUSPENDED, REPLIED};

  private Transitions() {}

  /**
   * 受理: the state a new ticket starts in. A consultation the hotline answered itself is CLOSED at once;
   * a ticket with departments (named by the hotline, or chosen by a routing rule) is DISPATCHED; any other
   * waits in RECEIVED for a manual dispatch. The departments were checked to exist before.
   */
  public static Outcome intake(Handling received, Actor actor, Instant now, Inputs.Intake in) {
    List<TicketEvent> events = new ArrayList<>();
    events.add(new TicketEvent.Received(received.id(), 1, actor, now, in.externalId(), received.type(),
        in.urgency(), in.category()));
    Handling after = received;
    if (in.answeredBy().isPresent()) {
      after = received.with(t -> t.withState(TicketState.CLOSED).withProgress(p -> p.withClosedAt(Optional.of(now))));
      events.add(new TicketEvent.Closed(received.id(), 1, actor, now, Optional.empty(), in.answeredBy(),
          in.knowledgeArticleId()));
    } else if (in.leadDepartment().isPresent()) {
      after = received.with(t -> t.withState(DISPATCHED)
          .withAssignment(in.leadDepartment(), in.assistingDepartments(), Optional.of(now))
          .withProgress(p -> p.withDispatchCount(p.dispatchCount() + 1)));
      events.add(new TicketEvent.Dispatched(received.id(), 1, actor, now, in.leadDepartment().get(),
          in.assistingDepartments(), false, Cause.DISPATCH, in.ruleId().isPresent() ? "ROUTING" : chooser(actor),
          in.ruleId(), Optional.empty(), Optional.empty(), List.of()));
    }
    return Outcome.changed(after.changedAt(now), events);
  }

  /**
   * 派单 by the hotline or a supervisor: a first dispatch from RECEIVED, or a re-dispatch that takes the
   * ticket from its department (from DISPATCHED or SIGNED). Not from SUSPENDED: resume first, so the
   * paused span is recorded. A re-dispatch needs a reason, cannot repeat the current assignment (it would
   * only restart the clocks), and is refused while a return request is pending, because the return
   * decision feeds the department's return rate and must be made explicitly. Other pending requests
   * belonged to the old assignment and are withdrawn.
   */
  public static Outcome dispatch(Handling t, Actor actor, Instant now, Inputs.Dispatch in) {
    boolean repeat = t.state() != RECEIVED;
    return Gate.check(t, actor).by(HOTLINE, SUPERVISOR).in(RECEIVED, DISPATCHED, SIGNED)
        .conflictIf(() -> t.pendingReturn().isPresent(), "a return request is pending: decide it first")
        .text("/leadDepartment", in.leadDepartment())
        .require("/assistingDepartments",
            () -> in.assistingDepartments().stream().noneMatch(d -> d == null || d.isBlank()),
            "names a blank department")
        .require("/assistingDepartments",
            () -> Set.copyOf(in.assistingDepartments()).size() == in.assistingDepartments().size(),
            "names a department twice")
        .require("/assistingDepartments", () -> !in.assistingDepartments().contains(in.leadDepartment()),
            "contains the lead department")
        .require("/reason", () -> !repeat || in.reason().isPresent(),
            "is required to take a ticket from its department")
        .require("/leadDepartment", () -> !sameAssignment(t, in),
            "the ticket is already assigned to exactly these departments")
        .then(() -> {
          Handling after = assign(t, in.leadDepartment(), in.assistingDepartments(), now).changedAt(now);
          return Outcome.changed(after,
              List.of(dispatched(t, after, actor, now, repeat, Cause.DISPATCH, in.reason(), t.pendingRequestIds())));
        });
  }

  /** 签收 by staff of the lead department. */
  public static Outcome sign(Handling t, Actor actor, Instant now) {
    return Gate.check(t, actor).by(LEAD).in(DISPATCHED)
        .then(() -> change(now, t.with(s -> s.withState(SIGNED).withProgress(p -> p.withSignedAt(Optional.of(now)))),
            new TicketEvent.Signed(t.id(), t.round(), actor, now, dept(actor))));
  }

  /**
   * A contact with the caller, by the lead department once it has signed. Also while SUSPENDED: telling the
   * caller why the matter waits is good practice, and refusing it would only make the record untrue.
   * {@code at} is when the contact happened (it may be recorded later), never in the future nor before the
   * dispatch. The earliest contact is the first contact that meets the CONTACT timer, even when recorded
   * out of order; recording a later contact changes nothing but the timeline.
   */
  public static Outcome contact(Handling t, Actor actor, Instant now, Inputs.Contact in) {
    return Gate.check(t, actor).by(LEAD).in(SIGNED, SUSPENDED)
        .present("/at", in.at())
        .require("/at", () -> !in.at().isAfter(now), "may not be in the future")
        .require("/at", () -> !in.at().isBefore(t.dispatchedAt().orElseThrow()),
            "may not be before the ticket was dispatched")
        .present("/method", in.method())
        .then(() -> {
          boolean first = t.firstContactAt().map(in.at()::isBefore).orElse(true);
          TicketEvent contacted = new TicketEvent.Contacted(t.id(), t.round(), actor, now, in.at(), in.method(),
              in.note(), first);
          return first ? change(now, t.withProgress(p -> p.withFirstContactAt(Optional.of(in.at()))), contacted)
              : Outcome.changed(t, List.of(contacted));
        });
  }

  /**
   * A note in the timeline, by anyone taking part (assisting departments may read and add notes, DESIGN
   * §7). Not on a CLOSED or MERGED ticket: the closed timeline is what the department was evaluated on, and
   * news about the matter belongs to a new ticket. A note changes no state and not the version, so it never
   * makes a concurrent action fail its If-Match.
   */
  public static Outcome note(Handling t, Actor actor, Instant now, String text) {
    return Gate.check(t, actor).by(HOTLINE, SUPERVISOR, LEAD, ASSISTING).in(OPEN)
        .text("/text", text)
        .then(() -> Outcome.changed(t,
            List.of(new TicketEvent.NoteAdded(t.id(), t.round(), actor, now, text.strip()))));
  }

  /**
   * 退单 request by the lead department, within {@code returnWindow} of the dispatch (the edge itself
   * included), one at a time. Until decided the ticket keeps its state and clocks.
   */
  public static Outcome requestReturn(Handling t, Actor actor, Instant now, UUID requestId, Inputs.Return in,
      Duration returnWindow) {
    return Gate.check(t, actor).by(LEAD).in(DISPATCHED, SIGNED)
        .conflictIf(() -> t.pendingReturn().isPresent(), "a return request is already pending")
        .conflictIf(() -> now.isAfter(t.dispatchedAt().orElseThrow().plus(returnWindow)),
            "the return window of " + returnWindow + " after dispatch has closed")
        .text("/reason", in.reason())
        .require("/suggestedDepartment", () -> in.suggestedDepartment().map(d -> !t.isLead(d)).orElse(true),
            "is the lead department itself")
        .then(() -> {
          ReturnRequest request =
              new ReturnRequest(requestId, dept(actor), now, in.reason().strip(), in.suggestedDepartment());
          return change(now, t.withPendingReturn(Optional.of(request)),
              new TicketEvent.ReturnRequested(t.id(), t.round(), actor, now, requestId, request.requestedBy(),
                  request.reason(), request.suggestedDepartment()));
        });
  }

  /**
   * The hotline's or a supervisor's decision on a pending return. Approved: re-dispatched to the suggested
   * department alone, or back to RECEIVED without any department. Rejected: the department keeps it.
   */
  public static Outcome decideReturn(Handling t, Actor actor, Instant now, Inputs.Decision d) {
    return Gate.check(t, actor).by(HOTLINE, SUPERVISOR).in(DISPATCHED, SIGNED)
        .conflictIf(() -> t.pendingReturn().isEmpty(), "no return request is pending")
        .decision(d)
        .then(() -> d.verdict() == Verdict.APPROVE ? approveReturn(t, actor, now, d) : rejectReturn(t, actor, now, d));
  }

  private static Outcome approveReturn(Handling t, Actor actor, Instant now, Inputs.Decision d) {
    ReturnRequest r = t.pendingReturn().orElseThrow();
    List<UUID> withdrawn = new ArrayList<>(t.pendingRequestIds());
    withdrawn.remove(r.id());
    TicketEvent approved = new TicketEvent.ReturnApproved(t.id(), t.round(), actor, now, r.id(), r.requestedBy(),
        d.reason(), r.suggestedDepartment(), withdrawn);
    if (r.suggestedDepartment().isEmpty()) {
      return change(now, unassign(t), approved);
    }
    Handling after = assign(t, r.suggestedDepartment().get(), List.of(), now).changedAt(now);
    return Outcome.changed(after,
        List.of(approved, dispatched(t, after, actor, now, true, Cause.RETURN, d.reason(), List.of())));
  }

  private static Outcome rejectReturn(Handling t, Actor actor, Instant now, Inputs.Decision d) {
    ReturnRequest r = t.pendingReturn().orElseThrow();
    return change(now, t.withPendingReturn(Optional.empty()),
        new TicketEvent.ReturnRejected(t.id(), t.round(), actor, now, r.id(), r.requestedBy(), d.reason()));
  }

  /**
   * 延期 request by the lead department while it handles the ticket (SIGNED), one at a time. The cap is
   * enforced here, on the request, so the department hears at once that it asks too much; the arithmetic
   * of working days belongs to the SLA engine, which measures {@code in.length()} and the cap in the same
   * clock. A request that would bring the total to exactly the cap is allowed.
   */
  public static Outcome requestExtension(Handling t, Actor actor, Instant now, UUID requestId,
      Inputs.Extension in, Duration maxTotalExtension) {
    return Gate.check(t, actor).by(LEAD).in(SIGNED)
        .conflictIf(() -> t.pendingExtension().isPresent(), "an extension request is already pending")
        .present("/until", in.until())
        .require("/until", () -> in.until().isAfter(now), "must be in the future")
        .text("/reason", in.reason())
        .require("/until", () -> requireNonNull(in.length(), "length").compareTo(Duration.ZERO) > 0,
            "must be later than the current resolve deadline")
        .require("/until", () -> t.grantedExtension().plus(in.length()).compareTo(maxTotalExtension) <= 0,
            "would exceed the total extension cap of " + maxTotalExtension + " (granted so far: "
                + t.grantedExtension() + ")")
        .then(() -> {
          ExtensionRequest request =
              new ExtensionRequest(requestId, dept(actor), now, in.until(), in.length(), in.reason().strip());
          return change(now, t.withPendingExtension(Optional.of(request)),
              new TicketEvent.ExtensionRequested(t.id(), t.round(), actor, now, requestId, request.requestedBy(),
                  in.until(), in.length(), request.reason()));
        });
  }

  /**
   * A supervisor's decision on a pending extension. Approval records the grant — the new deadline, its
   * length and when it was granted — in the event, for the SLA engine to move the RESOLVE timer; the
   * snapshot keeps the running total against the cap. Also while SUSPENDED, since a suspension may be
   * approved while an extension waits.
   */
  public static Outcome decideExtension(Handling t, Actor actor, Instant now, Inputs.Decision d) {
    return Gate.check(t, actor).by(SUPERVISOR).in(SIGNED, SUSPENDED)
        .conflictIf(() -> t.pendingExtension().isEmpty(), "no extension request is pending")
        .decision(d)
        .then(() -> {
          ExtensionRequest r = t.pendingExtension().orElseThrow();
          Handling decided = t.withPendingExtension(Optional.empty());
          if (d.verdict() == Verdict.REJECT) {
            return change(now, decided, new TicketEvent.ExtensionRejected(t.id(), t.round(), actor, now, r.id(),
                d.reason()));
          }
          Duration total = t.grantedExtension().plus(r.length());
          // the deadline it sets is kept with the ticket: the next request is measured from it
          return change(now, decided.withProgress(p -> p.withGrantedExtension(total)
              .withExtendedUntil(Optional.of(r.until()))), new TicketEvent.ExtensionApproved(t.id(), t.round(), actor,
              now, r.id(), r.until(), r.length(), r.requestedAt(), total, d.reason()));
        });
  }

  /** 挂起 request by the lead department while it handles the ticket, one at a time. */
  public static Outcome requestSuspension(Handling t, Actor actor, Instant now, UUID requestId, String reason) {
    return Gate.check(t, actor).by(LEAD).in(SIGNED)
        .conflictIf(() -> t.pendingSuspension().isPresent(), "a suspension request is already pending")
        .text("/reason", reason)
        .then(() -> {
          SuspensionRequest request = new SuspensionRequest(requestId, dept(actor), now, reason.strip());
          return change(now, t.withPendingSuspension(Optional.of(request)),
              new TicketEvent.SuspensionRequested(t.id(), t.round(), actor, now, requestId, request.requestedBy(),
                  request.reason()));
        });
  }

  /**
   * A supervisor's decision on a pending suspension. Approval pauses the clocks from {@code now}. It is
   * refused while a return request is pending (a conflict checked after the input, since it depends on the
   * verdict): the return decision may re-dispatch, which a suspended ticket cannot be.
   */
  public static Outcome decideSuspension(Handling t, Actor actor, Instant now, Inputs.Decision d) {
    return Gate.check(t, actor).by(SUPERVISOR).in(SIGNED)
        .conflictIf(() -> t.pendingSuspension().isEmpty(), "no suspension request is pending")
        .decision(d)
        .conflictIf(() -> d.verdict() == Verdict.APPROVE && t.pendingReturn().isPresent(),
            "a return request is pending: decide it before suspending")
        .then(() -> {
          SuspensionRequest r = t.pendingSuspension().orElseThrow();
          Handling decided = t.withPendingSuspension(Optional.empty());
          return d.verdict() == Verdict.REJECT
              ? change(now, decided, new TicketEvent.SuspensionRejected(t.id(), t.round(), actor, now, r.id(),
                  d.reason()))
              : change(now, decided.with(s -> s.withState(SUSPENDED).withProgress(p -> p.withSuspendedAt(
                  Optional.of(now)))), new TicketEvent.Suspended(t.id(),
                  t.round(), actor, now, r.id(), r.reason(), d.reason()));
        });
  }

  /**
   * Ends a suspension: SUSPENDED → SIGNED, recording the paused span for the SLA engine to shift due times.
   * A supervisor may resume, and so may the lead department without approval — it is the first to know the
   * awaited ruling arrived, and resuming only restarts its own clocks, so there is nothing to guard against.
   */
  public static Outcome resume(Handling t, Actor actor, Instant now, Optional<String> reason) {
    return Gate.check(t, actor).by(SUPERVISOR, LEAD).in(SUSPENDED)
        .then(() -> {
          Instant from = t.suspendedAt().orElseThrow();
          return change(now, t.with(s -> s.withState(SIGNED).withProgress(p -> p.withSuspendedAt(Optional.empty()))),
              new TicketEvent.Resumed(t.id(), t.round(), actor, now, from, optionalText(reason)));
        });
  }

  /**
   * 答复 by the lead department: SIGNED → REPLIED (not from SUSPENDED: resume first); a proactive task
   * (channel PROACTIVE) has no caller to call back, so its reply closes it. A finding is required
   * for complaints and reports that name a business and refused on any other ticket: there it has no
   * entity to attach to, and a stored finding nobody can act on would only be mistaken later for a credit
   * fact. Refused while a return is pending (replying contradicts "not our jurisdiction" until that is
   * decided); pending extension and suspension requests are withdrawn, the handling being over.
   */
  public static Outcome reply(Handling t, Actor actor, Instant now, Inputs.Reply in) {
    boolean needsFinding = needsFinding(t);
    return Gate.check(t, actor).by(LEAD).in(SIGNED)
        .conflictIf(() -> t.pendingReturn().isPresent(), "a return request is pending: decide it first")
        .present("/outcome", in.outcome())
        .text("/answer", in.answer())
        .require("/finding", () -> !needsFinding || in.finding().isPresent(),
            "is required for a complaint or report that names a business")
        .require("/finding", () -> needsFinding || in.finding().isEmpty(),
            "applies only to a complaint or report that names a business")
        .then(() -> {
          Handling replied = t.with(s -> s.withState(REPLIED).withProgress(p -> p.withReply(Optional.of(now),
              Optional.of(in.outcome().name()), in.finding().map(Enum::name)))).withoutPending();
          TicketEvent reply = new TicketEvent.Replied(t.id(), t.round(), actor, now, in.outcome(), in.answer().strip(),
              in.finding(), t.pendingRequestIds());
          if (t.ticket().channel() != Channel.PROACTIVE) {
            return change(now, replied, reply);
          }
          // a proactive task has no caller, so nobody is called back: the department's reply closes it
          return change(now, replied.with(s -> s.withState(TicketState.CLOSED)
                  .withProgress(p -> p.withClosedAt(Optional.of(now)))), reply,
              new TicketEvent.Closed(t.id(), t.round(), actor, now, Optional.empty(), Optional.empty(), Optional.empty()));
        });
  }

  /** Complaints and reports about a regulated business feed its credit (DESIGN §6). */
  public static boolean needsFinding(Handling t) {
    return t.hasSubject() && (t.type() == TicketType.COMPLAINT || t.type() == TicketType.REPORT);
  }

  /**
   * 回访 by the hotline: REPLIED → CLOSED, or with rework a new round dispatched to the same departments
   * with fresh clocks. Rework is only for a callback that is unresolved or UNSATISFIED (DESIGN §2:
   * "unsatisfied or unresolved may trigger rework"); a resolved, (basically) satisfied matter is closed.
   */
  public static Outcome callback(Handling t, Actor actor, Instant now, Inputs.Callback in) {
    return Gate.check(t, actor).by(HOTLINE).in(REPLIED)
        .present("/satisfaction", in.satisfaction())
        .require("/rework", () -> !in.rework() || !in.resolved() || in.satisfaction() == Satisfaction.UNSATISFIED,
            "only an unresolved or unsatisfied callback may trigger rework")
        .then(() -> {
          TicketEvent callback = new TicketEvent.CallbackMade(t.id(), t.round(), actor, now, in.resolved(),
              in.satisfaction(), in.comment(), in.rework());
          if (!in.rework()) {
            return change(now, t.with(s -> s.withState(TicketState.CLOSED).withProgress(p -> p
                .withCallback(Optional.of(in.resolved()), Optional.of(in.satisfaction().name()))
                .withClosedAt(Optional.of(now)))), callback, new TicketEvent.Closed(t.id(), t.round(),
                actor, now, Optional.of(in.satisfaction()), Optional.empty(), Optional.empty()));
          }
          // the previous round's reply and callback are history, in the timeline
          Handling after = assign(t, t.leadDepartment().orElseThrow(), t.assistingDepartments(), now)
              .with(s -> s.withRound(t.round() + 1).withProgress(p -> p
                  .withReply(Optional.empty(), Optional.empty(), Optional.empty())
                  .withCallback(Optional.empty(), Optional.empty())))
              .changedAt(now);
          return Outcome.changed(after, List.of(callback,
              new TicketEvent.Rework(t.id(), t.round(), actor, now, after.round()),
              dispatched(t, after, actor, now, true, Cause.REWORK, Optional.empty(), List.of())));
        });
  }

  /**
   * 并单 by the hotline or a supervisor: a duplicate becomes MERGED (terminal) into an open ticket. Its
   * pending requests are withdrawn and a suspension simply ends; the SLA engine cancels its timers.
   */
  public static Outcome merge(Handling t, Handling target, Actor actor, Instant now, Optional<String> reason) {
    // the primary's timeline shows the other end of the link, and its version moves: GET shows mergedFrom
    return Gate.check(t, actor).by(HOTLINE, SUPERVISOR).in(OPEN)
        .present("/into", target)
        .require("/into", () -> !target.id().equals(t.id()), "a ticket cannot be merged into itself")
        .require("/into", () -> !target.isTerminal(), "must be an open ticket, not CLOSED or MERGED")
        .then(() -> change(now,
            t.with(s -> s.withState(TicketState.MERGED).withProgress(p -> p.withMergedInto(Optional.of(target.id()))
                .withSuspendedAt(Optional.empty()))).withoutPending(),
            new TicketEvent.Merged(t.id(), t.round(), actor, now, target.id(), t.state(), optionalText(reason),
                t.suspendedAt(), t.pendingRequestIds()),
            new TicketEvent.MergedFrom(target.id(), target.round(), actor, now, t.id())));
  }

  /**
   * 督办 by a supervisor, addressed to the current lead department, on any open ticket that has one.
   */
  public static Outcome orderSupervision(Handling t, Actor actor, Instant now, UUID orderId,
      Inputs.SupervisionOrder in) {
    return Gate.check(t, actor).by(SUPERVISOR).in(ASSIGNED)
        .text("/instruction", in.instruction())
        .present("/respondBy", in.respondBy())
        .require("/respondBy", () -> in.respondBy().isAfter(now), "must be in the future")
        .then(() -> {
          SupervisionOrder order = new SupervisionOrder(orderId, t.leadDepartment().orElseThrow(),
              in.instruction().strip(), in.respondBy(), actor.sub(), now, Optional.empty());
          List<SupervisionOrder> orders = new ArrayList<>(t.supervisionOrders());
          orders.add(order);
          return change(now, t.withSupervisionOrders(orders),
              new TicketEvent.SupervisionOrdered(t.id(), t.round(), actor, now, orderId, order.department(),
                  order.instruction(), order.respondBy()));
        });
  }

  /**
   * Acknowledgement of a supervision order by the department it was addressed to, which must still be the
   * lead. An unknown order is NOT_FOUND; an order addressed to an earlier lead is FORBIDDEN to the new one.
   */
  public static Outcome acknowledgeSupervision(Handling t, Actor actor, Instant now, UUID orderId,
      Optional<String> comment) {
    return Gate.check(t, actor).by(LEAD)
        .refuseIf(() -> t.supervisionOrder(orderId).isEmpty(), Refusal.NOT_FOUND)
        .refuseIf(() -> !t.supervisionOrder(orderId).orElseThrow().department().equals(dept(actor)),
            Refusal.FORBIDDEN)
        .in(ASSIGNED)
        .conflictIf(() -> t.supervisionOrder(orderId).orElseThrow().acknowledgedAt().isPresent(),
            "the supervision order is already acknowledged")
        .then(() -> {
          SupervisionOrder order = t.supervisionOrder(orderId).orElseThrow();
          List<SupervisionOrder> orders = t.supervisionOrders().stream()
              .map(o -> o.id().equals(orderId) ? o.acknowledged(now) : o).toList();
          return change(now, t.withSupervisionOrders(orders),
              new TicketEvent.SupervisionAcknowledged(t.id(), t.round(), actor, now, orderId, optionalText(comment),
                  now.isAfter(order.respondBy())));
        });
  }

  /**
   * 不合理诉求: a supervisor excludes the ticket from resolution and satisfaction rates (DESIGN §5). In any
   * state, terminal ones included — it matters most after the callback — and only once.
   */
  public static Outcome markUnreasonable(Handling t, Actor actor, Instant now, String reason) {
    return Gate.check(t, actor).by(SUPERVISOR)
        .conflictIf(t::unreasonable, "the ticket is already marked unreasonable")
        .text("/reason", reason)
        .then(() -> change(now, t.withProgress(p -> p.withUnreasonable(true)),
            new TicketEvent.MarkedUnreasonable(t.id(), t.round(), actor, now, reason.strip())));
  }

  /**
   * A fresh assignment: new dispatch time (one more dispatch), clocks and extensions of the old one gone,
   * its requests withdrawn.
   */
  private static Handling assign(Handling t, String lead, List<String> assisting, Instant now) {
    return t.with(s -> s.withState(DISPATCHED).withAssignment(Optional.of(lead), assisting, Optional.of(now))
        .withProgress(p -> fresh(p).withDispatchCount(p.dispatchCount() + 1))).withoutPending();
  }

  /** Back to the manual dispatch queue, with no department at all. */
  private static Handling unassign(Handling t) {
    return t.with(s -> s.withState(RECEIVED).withAssignment(Optional.empty(), List.of(), Optional.empty())
        .withProgress(Transitions::fresh)).withoutPending();
  }

  /** What an assignment ends with: its signature, contacts, suspension and extensions. */
  private static Ticket.Progress fresh(Ticket.Progress p) {
    return p.withSignedAt(Optional.empty()).withFirstContactAt(Optional.empty()).withSuspendedAt(Optional.empty())
        .withGrantedExtension(Duration.ZERO).withExtendedUntil(Optional.empty());
  }

  private static boolean sameAssignment(Handling t, Inputs.Dispatch in) {
    return t.isLead(in.leadDepartment())
        && Set.copyOf(t.assistingDepartments()).equals(Set.copyOf(in.assistingDepartments()));
  }

  private static TicketEvent dispatched(Handling before, Handling after, Actor actor, Instant now, boolean repeat,
      Cause cause, Optional<String> reason, List<UUID> withdrawn) {
    return new TicketEvent.Dispatched(after.id(), after.round(), actor, now, after.leadDepartment().orElseThrow(),
        after.assistingDepartments(), repeat, cause, chooser(actor), Optional.empty(), before.leadDepartment(),
        reason, withdrawn);
  }

  /** Who chose the departments of a dispatch an actor made: the hotline, else a supervisor. */
  private static String chooser(Actor actor) {
    return actor.has(org.jiesu.auth.Role.HOTLINE) ? "HOTLINE" : "SUPERVISOR";
  }

  /** A change: the ticket as the rule left it, one version further, with its events. */
  private static Outcome change(Instant now, Handling after, TicketEvent... events) {
    return Outcome.changed(after.changedAt(now), List.of(events));
  }

  /** Optional free text as the timeline keeps it: stripped, and blank counts as absent. */
  private static Optional<String> optionalText(Optional<String> text) {
    return text.map(String::strip).filter(s -> !s.isEmpty());
  }

  /** The actor's department; only called after the actor was found to be lead staff. */
  private static String dept(Actor actor) {
    return actor.dept().orElseThrow();
  }
}
