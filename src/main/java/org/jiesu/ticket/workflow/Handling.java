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
import org.jiesu.ticket.TicketState;
import org.jiesu.ticket.TicketType;

/**
 * What the workflow rules need to know about a ticket: a snapshot the service maps from storage, hands to
 * {@link Transitions}, and stores back from the {@link Outcome}. It deliberately leaves out the caller,
 * the text and everything else the rules never decide on, so a rule cannot leak or depend on it.
 *
 * <p>The constructor enforces the invariants the rules rely on (for example a SIGNED ticket has a lead
 * department and a dispatch time), so a mapping mistake fails loudly here instead of producing a wrong
 * decision later.
 *
 * @param hasSubject the ticket names a regulated business (a creditCode), which makes a finding mandatory
 *     in the reply of complaints and reports
 * @param suspendedAt when the current suspension began; present exactly while SUSPENDED
 * @param grantedExtension total extension granted in the current assignment, measured by the SLA engine in
 *     the clock of the cap (see {@link Transitions#requestExtension})
 * @param supervisionOrders every supervision order of the ticket, acknowledged or not
 * @param version the ETag; every change that a reader of the ticket can see increments it
 */
public record Handling(
    UUID id,
    TicketType type,
    TicketState state,
    int round,
    Optional<String> leadDepartment,
    List<String> assistingDepartments,
    boolean hasSubject,
    Optional<Instant> dispatchedAt,
    Optional<Instant> signedAt,
    Optional<Instant> firstContactAt,
    Optional<Instant> suspendedAt,
    Optional<ReturnRequest> pendingReturn,
    Optional<ExtensionRequest> pendingExtension,
    Optional<SuspensionRequest> pendingSuspension,
    Duration grantedExtension,
    List<SupervisionOrder> supervisionOrders,
    Optional<UUID> mergedInto,
    boolean unreasonable,
    int version) {

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
    requireNonNull(id, "id");
    requireNonNull(type, "type");
    requireNonNull(state, "state");
    requireNonNull(leadDepartment, "leadDepartment");
    assistingDepartments = List.copyOf(assistingDepartments);
    requireNonNull(dispatchedAt, "dispatchedAt");
    requireNonNull(signedAt, "signedAt");
    requireNonNull(firstContactAt, "firstContactAt");
    requireNonNull(suspendedAt, "suspendedAt");
    requireNonNull(pendingReturn, "pendingReturn");
    requireNonNull(pendingExtension, "pendingExtension");
    requireNonNull(pendingSuspension, "pendingSuspension");
    requireNonNull(grantedExtension, "grantedExtension");
    supervisionOrders = List.copyOf(supervisionOrders);
    requireNonNull(mergedInto, "mergedInto");
    check(round >= 1, "round starts at 1");
    check(!grantedExtension.isNegative(), "granted extension cannot be negative");
    check(state != TicketState.RECEIVED
            || (leadDepartment.isEmpty() && assistingDepartments.isEmpty() && dispatchedAt.isEmpty()),
        "a RECEIVED ticket has no departments and no dispatch time");
    check(!ASSIGNED.contains(state) || (leadDepartment.isPresent() && dispatchedAt.isPresent()),
        "a " + state + " ticket has a lead department and a dispatch time");
    check(!SIGNED_FOR.contains(state) || signedAt.isPresent(), "a " + state + " ticket was signed");
    check((state == TicketState.SUSPENDED) == suspendedAt.isPresent(),
        "suspendedAt is present exactly while SUSPENDED");
    check((state == TicketState.MERGED) == mergedInto.isPresent(), "mergedInto is present exactly when MERGED");
    check(leadDepartment.isEmpty() || !assistingDepartments.contains(leadDepartment.get()),
        "the lead department does not also assist");
  }

  private static void check(boolean holds, String invariant) {
    if (!holds) {
      throw new IllegalArgumentException("inconsistent handling: " + invariant);
    }
  }

  /** A ticket just accepted and not yet dispatched, in its first round. */
  public static Handling received(UUID id, TicketType type, boolean hasSubject) {
    return blank(id, type, hasSubject, 1);
  }

  /**
   * A ticket not stored yet, for {@link Transitions#intake}: the intake decision builds version 1 from it,
   * since every decision moves the version by one.
   */
  public static Handling unsaved(UUID id, TicketType type, boolean hasSubject) {
    return blank(id, type, hasSubject, 0);
  }

  private static Handling blank(UUID id, TicketType type, boolean hasSubject, int version) {
    return new Handling(id, type, TicketState.RECEIVED, 1, Optional.empty(), List.of(), hasSubject,
        Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
        Optional.empty(), Optional.empty(), Duration.ZERO, List.of(), Optional.empty(), false, version);
  }

  public boolean isLead(String dept) {
    return leadDepartment.map(dept::equals).orElse(false);
  }

  public boolean isAssisting(String dept) {
    return assistingDepartments.contains(dept);
  }

  /** CLOSED and MERGED: the handling is over. */
  public boolean isTerminal() {
    return state == TicketState.CLOSED || state == TicketState.MERGED;
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

  Draft draft() {
    return new Draft(this);
  }

  /**
   * A mutable copy the rules edit and {@link #build()} back into a Handling. Building always increments
   * the version, so no transition can forget to change the ETag.
   */
  static final class Draft {
    private final Handling from;
    private TicketState state;
    private int round;
    private Optional<String> leadDepartment;
    private List<String> assistingDepartments;
    private Optional<Instant> dispatchedAt;
    private Optional<Instant> signedAt;
    private Optional<Instant> firstContactAt;
    private Optional<Instant> suspendedAt;
    private Optional<ReturnRequest> pendingReturn;
    private Optional<ExtensionRequest> pendingExtension;
    private Optional<SuspensionRequest> pendingSuspension;
    private Duration grantedExtension;
    private List<SupervisionOrder> supervisionOrders;
    private Optional<UUID> mergedInto;
    private boolean unreasonable;

    private Draft(Handling h) {
      from = h;
      state = h.state;
      round = h.round;
      leadDepartment = h.leadDepartment;
      assistingDepartments = h.assistingDepartments;
      dispatchedAt = h.dispatchedAt;
      signedAt = h.signedAt;
      firstContactAt = h.firstContactAt;
      suspendedAt = h.suspendedAt;
      pendingReturn = h.pendingReturn;
      pendingExtension = h.pendingExtension;
      pendingSuspension = h.pendingSuspension;
      grantedExtension = h.grantedExtension;
      supervisionOrders = h.supervisionOrders;
      mergedInto = h.mergedInto;
      unreasonable = h.unreasonable;
    }

    Draft state(TicketState value) {
      state = value;
      return this;
    }

    Draft round(int value) {
      round = value;
      return this;
    }

    Draft lead(Optional<String> value) {
      leadDepartment = value;
      return this;
    }

    Draft assisting(List<String> value) {
      assistingDepartments = value;
      return this;
    }

    Draft dispatchedAt(Optional<Instant> value) {
      dispatchedAt = value;
      return this;
    }

    Draft signedAt(Optional<Instant> value) {
      signedAt = value;
      return this;
    }

    Draft firstContactAt(Optional<Instant> value) {
      firstContactAt = value;
      return this;
    }

    Draft suspendedAt(Optional<Instant> value) {
      suspendedAt = value;
      return this;
    }

    Draft pendingReturn(Optional<ReturnRequest> value) {
      pendingReturn = value;
      return this;
    }

    Draft pendingExtension(Optional<ExtensionRequest> value) {
      pendingExtension = value;
      return this;
    }

    Draft pendingSuspension(Optional<SuspensionRequest> value) {
      pendingSuspension = value;
      return this;
    }

    /** Drops every pending request: they belonged to an assignment or a handling that has ended. */
    Draft withdrawPending() {
      return pendingReturn(Optional.empty()).pendingExtension(Optional.empty())
          .pendingSuspension(Optional.empty());
    }

    Draft grantedExtension(Duration value) {
      grantedExtension = value;
      return this;
    }

    Draft supervisionOrders(List<SupervisionOrder> value) {
      supervisionOrders = value;
      return this;
    }

    Draft mergedInto(Optional<UUID> value) {
      mergedInto = value;
      return this;
    }

    Draft unreasonable(boolean value) {
      unreasonable = value;
      return this;
    }

    Handling build() {
      return new Handling(from.id, from.type, state, round, leadDepartment, assistingDepartments,
          from.hasSubject, dispatchedAt, signedAt, firstContactAt, suspendedAt, pendingReturn,
          pendingExtension, pendingSuspension, grantedExtension, supervisionOrders, mergedInto,
          unreasonable, from.version + 1);
    }
  }
}
