package org.jiesu.ticket.workflow;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.UnaryOperator;

/**
 * What the workflow rules decide on: the stored {@link Ticket} — the one model of a ticket, which the rules
 * change through its record {@code with…} copies and the repository stores as it comes back — together with
 * what is still waiting on it (pending requests, supervision orders), which live in their own tables. A
 * thin, immutable view: every accessor below reads the ticket, nothing is copied or kept twice, and nothing
 * is diffed afterwards, since the ticket the rule answers is the row to store.
 *
 * <p>The constructor enforces the invariants the rules rely on (for example a SIGNED ticket has a lead
 * department and a dispatch time), so a mapping mistake fails loudly here instead of producing a wrong
 * decision later.
 *
 * @param supervisionOrders every live supervision order of the ticket, acknowledged or not
 */
public record Handling(
    Ticket ticket,
    Optional<ReturnRequest> pendingReturn,
    Optional<ExtensionRequest> pendingExtension,
    Optional<SuspensionRequest> pendingSuspension,
    List<SupervisionOrder> supervisionOrders) {

  /** 退单 request: the lead department says the ticket is not its jurisdiction. */
  public record ReturnRequest(UUID id, String requestedBy, Instant requestedAt, String reason,
      Optional<String> suggestedDepartment) {
    public ReturnRequest {
      requireNonNull(id, "id");
      requireNonNull(requestedBy, "requestedBy");
      requireNonNull(requestedAt, "requestedAt");
      requireNonNull(reason, "reason");
      requireNonNull(suggestedDepartment, "suggestedDepartment");
    }
  }

  /**
   * 延期 request. {@code length} is how far {@code until} moves the RESOLVE deadline, measured by the SLA
   * engine in the clock of the extension cap; the rules only add and compare it.
   */
  public record ExtensionRequest(UUID id, String requestedBy, Instant requestedAt, Instant until,
      Duration length, String reason) {
    public ExtensionRequest {
      requireNonNull(id, "id");
      requireNonNull(requestedBy, "requestedBy");
      requireNonNull(requestedAt, "requestedAt");
      requireNonNull(until, "until");
      requireNonNull(length, "length");
      requireNonNull(reason, "reason");
    }
  }

  /** 挂起 request: pause the clocks for a reason outside the department's control. */
  public record SuspensionRequest(UUID id, String requestedBy, Instant requestedAt, String reason) {
    public SuspensionRequest {
      requireNonNull(id, "id");
      requireNonNull(requestedBy, "requestedBy");
      requireNonNull(requestedAt, "requestedAt");
      requireNonNull(reason, "reason");
    }
  }

  /**
   * 督办: a supervisor's order. It is addressed to the department that was lead when it was issued, which
   * alone may acknowledge it; a re-dispatch does not pass the order on to the next department.
   */
  public record SupervisionOrder(UUID id, String department, String instruction, Instant respondBy,
      String orderedBy, Instant orderedAt, Optional<Instant> acknowledgedAt) {
    public SupervisionOrder {
      requireNonNull(id, "id");
      requireNonNull(department, "department");
      requireNonNull(instruction, "instruction");
      requireNonNull(respondBy, "respondBy");
      requireNonNull(orderedBy, "orderedBy");
      requireNonNull(orderedAt, "orderedAt");
      requireNonNull(acknowledgedAt, "acknowledgedAt");
    }

    SupervisionOrder acknowledged(Instant at) {
      return new SupervisionOrder(id, department, instruction, respondBy, orderedBy, orderedAt,
          Optional.of(at));
    }
  }

  private static final Set<TicketState> ASSIGNED =
      EnumSet.of(TicketState.DISPATCHED, TicketState.SIGNED, TicketState.SUSPENDED, TicketState.REPLIED);
  private static final Set<TicketState> SIGNED_FOR =
      EnumSet.of(TicketState.SIGNED, TicketState.SUSPENDED, TicketState.REPLIED);

  public Handling {
    requireNonNull(ticket, "ticket");
    requireNonNull(pendingReturn, "pendingReturn");
    requireNonNull(pendingExtension, "pendingExtension");
    requireNonNull(pendingSuspension, "pendingSuspension");
    supervisionOrders = List.copyOf(supervisionOrders);
    TicketState state = ticket.state();
    Optional<String> leadDepartment = ticket.leadDepartment();
    List<String> assistingDepartments = ticket.assistingDepartments();
    Optional<Instant> dispatchedAt = ticket.dispatchedAt();
    Ticket.Progress p = ticket.progress();
    check(ticket.round() >= 1, "round starts at 1");
    check(!p.grantedExtension().isNegative(), "granted extension cannot be negative");
    check(state != TicketState.RECEIVED
            || (leadDepartment.isEmpty() && assistingDepartments.isEmpty() && dispatchedAt.isEmpty()),
        "a RECEIVED ticket has no departments and no dispatch time");
    check(!ASSIGNED.contains(state) || (leadDepartment.isPresent() && dispatchedAt.isPresent()),
        "a " + state + " ticket has a lead department and a dispatch time");
    check(!SIGNED_FOR.contains(state) || p.signedAt().isPresent(), "a " + state + " ticket was signed");
    check((state == TicketState.SUSPENDED) == p.suspendedAt().isPresent(),
        "suspendedAt is present exactly while SUSPENDED");
    check((state == TicketState.MERGED) == p.mergedInto().isPresent(), "mergedInto is present exactly when MERGED");
    check(leadDepartment.isEmpty() || !assistingDepartments.contains(leadDepartment.get()),
        "the lead department does not also assist");
  }

  /** A ticket with nothing pending: what intake starts from, and what actions that need no requests see. */
  public static Handling of(Ticket ticket) {
    return new Handling(ticket, Optional.empty(), Optional.empty(), Optional.empty(), List.of());
  }

  private static void check(boolean holds, String invariant) {
    if (!holds) {
      throw new IllegalArgumentException("inconsistent handling: " + invariant);
    }
  }

  // ---- the ticket, as the rules read it

  public UUID id() {
    return ticket.id();
  }

  public TicketType type() {
    return ticket.type();
  }

  public TicketState state() {
    return ticket.state();
  }

  public int round() {
    return ticket.round();
  }

  public Optional<String> leadDepartment() {
    return ticket.leadDepartment();
  }

  public List<String> assistingDepartments() {
    return ticket.assistingDepartments();
  }

  /** The ticket names a regulated business, which makes a finding mandatory in some replies. */
  public boolean hasSubject() {
    return ticket.subject().isPresent();
  }

  public Optional<Instant> dispatchedAt() {
    return ticket.dispatchedAt();
  }

  public Optional<Instant> signedAt() {
    return ticket.progress().signedAt();
  }

  public Optional<Instant> firstContactAt() {
    return ticket.progress().firstContactAt();
  }

  /** When the current suspension began; present exactly while SUSPENDED. */
  public Optional<Instant> suspendedAt() {
    return ticket.progress().suspendedAt();
  }

  /** Total extension granted in the current assignment, in the clock of the cap. */
  public Duration grantedExtension() {
    return ticket.progress().grantedExtension();
  }

  public Optional<UUID> mergedInto() {
    return ticket.progress().mergedInto();
  }

  public boolean unreasonable() {
    return ticket.progress().unreasonable();
  }

  /** The ETag; every change that a reader of the ticket can see increments it. */
  public int version() {
    return ticket.version();
  }

  public boolean isLead(String dept) {
    return ticket.isLead(dept);
  }

  public boolean isAssisting(String dept) {
    return ticket.isAssisting(dept);
  }

  /** CLOSED and MERGED: the handling is over. */
  public boolean isTerminal() {
    return state() == TicketState.CLOSED || state() == TicketState.MERGED;
  }

  public Optional<SupervisionOrder> supervisionOrder(UUID orderId) {
    return supervisionOrders.stream().filter(o -> o.id().equals(orderId)).findFirst();
  }

  /** Ids of the requests still waiting for a decision, in the order return, extension, suspension. */
  public List<UUID> pendingRequestIds() {
    List<UUID> ids = new ArrayList<>();
    pendingReturn.ifPresent(r -> ids.add(r.id()));
    pendingExtension.ifPresent(r -> ids.add(r.id()));
    pendingSuspension.ifPresent(r -> ids.add(r.id()));
    return ids;
  }

  // ---- record copies for the rules: each answers a new, checked view

  Handling withTicket(Ticket value) {
    return new Handling(value, pendingReturn, pendingExtension, pendingSuspension, supervisionOrders);
  }

  /** The ticket changed in one step, checked once (a state and the facts it requires change together). */
  Handling with(UnaryOperator<Ticket> change) {
    return withTicket(change.apply(ticket));
  }

  Handling withState(TicketState value) {
    return withTicket(ticket.withState(value));
  }

  Handling withProgress(UnaryOperator<Ticket.Progress> change) {
    return withTicket(ticket.withProgress(change.apply(ticket.progress())));
  }

  Handling withPendingReturn(Optional<ReturnRequest> value) {
    return new Handling(ticket, value, pendingExtension, pendingSuspension, supervisionOrders);
  }

  Handling withPendingExtension(Optional<ExtensionRequest> value) {
    return new Handling(ticket, pendingReturn, value, pendingSuspension, supervisionOrders);
  }

  Handling withPendingSuspension(Optional<SuspensionRequest> value) {
    return new Handling(ticket, pendingReturn, pendingExtension, value, supervisionOrders);
  }

  /** Drops every pending request: they belonged to an assignment or a handling that has ended. */
  Handling withoutPending() {
    return new Handling(ticket, Optional.empty(), Optional.empty(), Optional.empty(), supervisionOrders);
  }

  Handling withSupervisionOrders(List<SupervisionOrder> value) {
    return new Handling(ticket, pendingReturn, pendingExtension, pendingSuspension, value);
  }

  /** The view as a change leaves it: one version further, changed at {@code now}. */
  Handling changedAt(Instant now) {
    return withTicket(ticket.withVersion(ticket.version() + 1, now));
  }
}
