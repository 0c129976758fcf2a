package org.jiesu.ticket.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.jiesu.ticket.workflow.TicketState.CLOSED;
import static org.jiesu.ticket.workflow.TicketState.DISPATCHED;
import static org.jiesu.ticket.workflow.TicketState.MERGED;
import static org.jiesu.ticket.workflow.TicketState.RECEIVED;
import static org.jiesu.ticket.workflow.TicketState.REPLIED;
import static org.jiesu.ticket.workflow.TicketState.SIGNED;
import static org.jiesu.ticket.workflow.TicketState.SUSPENDED;
import static org.jiesu.ticket.workflow.Handlings.ASSISTING_STAFF;
import static org.jiesu.ticket.workflow.Handlings.DISPATCHED_AT;
import static org.jiesu.ticket.workflow.Handlings.HELPER;
import static org.jiesu.ticket.workflow.Handlings.HOTLINE;
import static org.jiesu.ticket.workflow.Handlings.LEAD;
import static org.jiesu.ticket.workflow.Handlings.LEAD_STAFF;
import static org.jiesu.ticket.workflow.Handlings.NOW;
import static org.jiesu.ticket.workflow.Handlings.ORDER_ID;
import static org.jiesu.ticket.workflow.Handlings.OTHER_REQUEST_ID;
import static org.jiesu.ticket.workflow.Handlings.OTHER_STAFF;
import static org.jiesu.ticket.workflow.Handlings.PRIMARY_ID;
import static org.jiesu.ticket.workflow.Handlings.REQUEST_ID;
import static org.jiesu.ticket.workflow.Handlings.SIGNED_AT;
import static org.jiesu.ticket.workflow.Handlings.SUPERVISOR;
import static org.jiesu.ticket.workflow.Handlings.in;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.jiesu.auth.Actor;
import org.jiesu.auth.Role;
import org.jiesu.ticket.workflow.Handlings.Kind;
import org.jiesu.ticket.workflow.Outcome.Changed;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

class TransitionsTest {

  static final Duration WINDOW = Duration.ofHours(24); // the configured default (JIESU_RETURN_WINDOW)
  static final Duration CAP = Duration.ofDays(10);

  // ---------------------------------------------------------------------------------------------------
  // The table: every state × action × actor kind, against the rules stated independently below.
  // ---------------------------------------------------------------------------------------------------

  static final Set<TicketState> OPEN = EnumSet.of(RECEIVED, DISPATCHED, SIGNED, SUSPENDED, REPLIED);
  static final Set<TicketState> ASSIGNED = EnumSet.of(DISPATCHED, SIGNED, SUSPENDED, REPLIED);
  static final Set<TicketState> ALL = EnumSet.allOf(TicketState.class);
  static final Set<Kind> HOTLINE_OR_SUPERVISOR = EnumSet.of(Kind.HOTLINE, Kind.SUPERVISOR);

  /**
   * Each action with valid input, what it needs set up, where it is legal, who may do it, the state it
   * leads to (null: unchanged), its first event, and whether it changes the version.
   */
  enum Action {
    DISPATCH(EnumSet.of(RECEIVED, DISPATCHED, SIGNED), HOTLINE_OR_SUPERVISOR, DISPATCHED, TicketEvent.DISPATCHED, true) {
      Outcome run(Handling t, Actor a) {
        return Transitions.dispatch(t, a, NOW, new Inputs.Dispatch("D-NEW", List.of(), Optional.of("wrong unit")));
      }
    },
    SIGN(EnumSet.of(DISPATCHED), EnumSet.of(Kind.LEAD_STAFF), SIGNED, TicketEvent.SIGNED, true) {
      Outcome run(Handling t, Actor a) {
        return Transitions.sign(t, a, NOW);
      }
    },
    CONTACT(EnumSet.of(SIGNED, SUSPENDED), EnumSet.of(Kind.LEAD_STAFF), null, TicketEvent.CONTACTED, true) {
      Outcome run(Handling t, Actor a) {
        return Transitions.contact(t, a, NOW,
            new Inputs.Contact(NOW.minusSeconds(600), ContactMethod.PHONE, Optional.empty()));
      }
    },
    NOTE(OPEN, EnumSet.of(Kind.HOTLINE, Kind.SUPERVISOR, Kind.LEAD_STAFF, Kind.ASSISTING_STAFF), null,
        TicketEvent.NOTE_ADDED, false) {
      Outcome run(Handling t, Actor a) {
        return Transitions.note(t, a, NOW, "the caller phoned again");
      }
    },
    REQUEST_RETURN(EnumSet.of(DISPATCHED, SIGNED), EnumSet.of(Kind.LEAD_STAFF), null, TicketEvent.RETURN_REQUESTED, true) {
      Outcome run(Handling t, Actor a) {
        return Transitions.requestReturn(t, a, NOW, REQUEST_ID,
            new Inputs.Return("not our jurisdiction", Optional.empty()), WINDOW);
      }
    },
    DECIDE_RETURN(EnumSet.of(DISPATCHED, SIGNED), HOTLINE_OR_SUPERVISOR, RECEIVED, TicketEvent.RETURN_APPROVED, true) {
      Handling prepare(Handling t) {
        return Handlings.withPendingReturn(t, Optional.empty());
      }

      Outcome run(Handling t, Actor a) {
        return Transitions.decideReturn(t, a, NOW, Inputs.Decision.approve("agreed"));
      }
    },
    REQUEST_EXTENSION(EnumSet.of(SIGNED), EnumSet.of(Kind.LEAD_STAFF), null, TicketEvent.EXTENSION_REQUESTED, true) {
      Outcome run(Handling t, Actor a) {
        return Transitions.requestExtension(t, a, NOW, REQUEST_ID,
            new Inputs.Extension(NOW.plus(Duration.ofDays(3)), Duration.ofDays(3), "expert opinion"), CAP);
      }
    },
    DECIDE_EXTENSION(EnumSet.of(SIGNED, SUSPENDED), EnumSet.of(Kind.SUPERVISOR), null, TicketEvent.EXTENSION_APPROVED,
        true) {
      Handling prepare(Handling t) {
        return Handlings.withPendingExtension(t, Duration.ofDays(3));
      }

      Outcome run(Handling t, Actor a) {
        return Transitions.decideExtension(t, a, NOW, Inputs.Decision.approve(null));
      }
    },
    REQUEST_SUSPENSION(EnumSet.of(SIGNED), EnumSet.of(Kind.LEAD_STAFF), null, TicketEvent.SUSPENSION_REQUESTED, true) {
      Outcome run(Handling t, Actor a) {
        return Transitions.requestSuspension(t, a, NOW, REQUEST_ID, "waiting for a court ruling");
      }
    },
    DECIDE_SUSPENSION(EnumSet.of(SIGNED), EnumSet.of(Kind.SUPERVISOR), SUSPENDED, TicketEvent.SUSPENDED, true) {
      Handling prepare(Handling t) {
        return Handlings.withPendingSuspension(t);
      }

      Outcome run(Handling t, Actor a) {
        return Transitions.decideSuspension(t, a, NOW, Inputs.Decision.approve(null));
      }
    },
    RESUME(EnumSet.of(SUSPENDED), EnumSet.of(Kind.SUPERVISOR, Kind.LEAD_STAFF), SIGNED, TicketEvent.RESUMED, true) {
      Outcome run(Handling t, Actor a) {
        return Transitions.resume(t, a, NOW, Optional.of("the ruling arrived"));
      }
    },
    REPLY(EnumSet.of(SIGNED), EnumSet.of(Kind.LEAD_STAFF), REPLIED, TicketEvent.REPLIED, true) {
      Outcome run(Handling t, Actor a) {
        return Transitions.reply(t, a, NOW, new Inputs.Reply(ReplyOutcome.RESOLVED, "repaired", Optional.empty()));
      }
    },
    CALLBACK(EnumSet.of(REPLIED), EnumSet.of(Kind.HOTLINE), CLOSED, TicketEvent.CALLBACK, true) {
      Outcome run(Handling t, Actor a) {
        return Transitions.callback(t, a, NOW,
            new Inputs.Callback(true, Satisfaction.SATISFIED, Optional.empty(), false));
      }
    },
    MERGE(OPEN, HOTLINE_OR_SUPERVISOR, MERGED, TicketEvent.MERGED, true) {
      Outcome run(Handling t, Actor a) {
        return Transitions.merge(t, Handlings.primary(), a, NOW, Optional.of("same pothole"));
      }
    },
    ORDER_SUPERVISION(ASSIGNED, EnumSet.of(Kind.SUPERVISOR), null, TicketEvent.SUPERVISION_ORDERED, true) {
      Outcome run(Handling t, Actor a) {
        return Transitions.orderSupervision(t, a, NOW, ORDER_ID,
            new Inputs.SupervisionOrder("call the caller today", NOW.plus(Duration.ofHours(4))));
      }
    },
    ACKNOWLEDGE_SUPERVISION(ASSIGNED, EnumSet.of(Kind.LEAD_STAFF), null, TicketEvent.SUPERVISION_ACKNOWLEDGED, true) {
      Handling prepare(Handling t) {
        return Handlings.withOrder(t, LEAD, NOW.plus(Duration.ofHours(4)));
      }

      Outcome run(Handling t, Actor a) {
        return Transitions.acknowledgeSupervision(t, a, NOW, ORDER_ID, Optional.of("on it"));
      }
    },
    MARK_UNREASONABLE(ALL, EnumSet.of(Kind.SUPERVISOR), null, TicketEvent.MARKED_UNREASONABLE, true) {
      Outcome run(Handling t, Actor a) {
        return Transitions.markUnreasonable(t, a, NOW, "asks for compensation the law does not provide");
      }
    };

    final Set<TicketState> legalIn;
    final Set<Kind> by;
    final TicketState leadsTo;
    final String firstEvent;
    final boolean changesVersion;

    Action(Set<TicketState> legalIn, Set<Kind> by, TicketState leadsTo, String firstEvent, boolean changesVersion) {
      this.legalIn = legalIn;
      this.by = by;
      this.leadsTo = leadsTo;
      this.firstEvent = firstEvent;
      this.changesVersion = changesVersion;
    }

    Handling prepare(Handling t) {
      return t;
    }

    abstract Outcome run(Handling t, Actor a);
  }

  static Stream<Arguments> matrix() {
    List<Arguments> cells = new ArrayList<>();
    for (Action action : Action.values()) {
      for (TicketState state : TicketState.values()) {
        for (Kind kind : Kind.values()) {
          cells.add(Arguments.of(action, state, kind));
        }
      }
    }
    return cells.stream();
  }

  /** DESIGN §7 and the brief, restated: see, then may act, then state. */
  static Optional<Refusal> expected(Action action, TicketState state, Kind kind) {
    boolean sees = switch (kind) {
      case HOTLINE, SUPERVISOR -> true;
      // a RECEIVED ticket has no departments yet
      case LEAD_STAFF, ASSISTING_STAFF -> state != RECEIVED;
      case OTHER_STAFF, ADMIN -> false;
    };
    if (!sees) {
      return Optional.of(Refusal.NOT_FOUND);
    }
    if (!action.by.contains(kind)) {
      return Optional.of(Refusal.FORBIDDEN);
    }
    if (!action.legalIn.contains(state)) {
      return Optional.of(Refusal.conflict(state));
    }
    return Optional.empty();
  }

  @ParameterizedTest(name = "{0} in {1} by {2}")
  @MethodSource("matrix")
  void everyActionInEveryStateByEveryKindOfActor(Action action, TicketState state, Kind kind) {
    Handling before = action.prepare(in(state));
    Outcome outcome = action.run(before, kind.actor);

    Optional<Refusal> refusal = expected(action, state, kind);
    if (refusal.isPresent()) {
      assertThat(outcome.refusal()).contains(refusal.get());
      return;
    }
    Changed change = outcome.orElseThrow();
    assertThat(change.after().state()).isEqualTo(action.leadsTo == null ? state : action.leadsTo);
    assertThat(change.after().version()).isEqualTo(before.version() + (action.changesVersion ? 1 : 0));
    assertThat(change.events().get(0).type()).isEqualTo(action.firstEvent);
    assertThat(change.events()).allSatisfy(e -> {
      assertThat(e.actor()).isEqualTo(kind.actor);
      assertThat(e.at()).isEqualTo(NOW);
    });
  }

  @Test
  void theTableCoversEveryStateActionAndActorKind() {
    assertThat(matrix().count()).isEqualTo(7L * 17 * 6);
    // and it is not vacuous: some cells are allowed, and every kind of refusal occurs
    List<Optional<Refusal>> outcomes = matrix()
        .map(a -> expected((Action) a.get()[0], (TicketState) a.get()[1], (Kind) a.get()[2])).toList();
    assertThat(outcomes).contains(Optional.empty(), Optional.of(Refusal.NOT_FOUND), Optional.of(Refusal.FORBIDDEN),
        Optional.of(Refusal.conflict(CLOSED)));
  }

  // ---------------------------------------------------------------------------------------------------
  // Access and the order of checks
  // ---------------------------------------------------------------------------------------------------

  @Nested
  class Access {

    @Test
    void assistingDepartmentMayReadButNotSign() {
      assertThat(Transitions.sign(in(DISPATCHED), ASSISTING_STAFF, NOW).refusal()).contains(Refusal.FORBIDDEN);
    }

    @Test
    void assistingDepartmentMayAddANote() {
      Changed change = Transitions.note(in(SIGNED), ASSISTING_STAFF, NOW, "  we checked the pipes  ").orElseThrow();
      assertThat(change.events().get(0).details()).containsEntry("text", "we checked the pipes");
    }

    @Test
    void staffWithoutADepartmentSeeNothing() {
      assertThat(Transitions.note(in(SIGNED), Handlings.STAFF_WITHOUT_DEPT, NOW, "x").refusal())
          .contains(Refusal.NOT_FOUND);
    }

    @Test
    void invisibilityWinsOverBadInput() {
      Outcome outcome = Transitions.contact(in(SIGNED), OTHER_STAFF, NOW, new Inputs.Contact(null, null, null));
      assertThat(outcome.refusal()).contains(Refusal.NOT_FOUND);
    }

    @Test
    void permissionIsCheckedBeforeState() {
      assertThat(Transitions.sign(in(REPLIED), ASSISTING_STAFF, NOW).refusal()).contains(Refusal.FORBIDDEN);
      assertThat(Transitions.callback(in(SIGNED), SUPERVISOR, NOW,
          new Inputs.Callback(true, Satisfaction.SATISFIED, Optional.empty(), false)).refusal())
          .contains(Refusal.FORBIDDEN);
    }

    @Test
    void stateIsCheckedBeforeInput() {
      Outcome outcome = Transitions.contact(in(DISPATCHED), LEAD_STAFF, NOW, new Inputs.Contact(null, null, null));
      assertThat(outcome.refusal()).contains(Refusal.conflict(DISPATCHED));
    }

    @Test
    void aSupervisorWhoIsAlsoStaffElsewhereActsAsSupervisor() {
      Actor both = new Actor("sup-2", Set.of(Role.STAFF, Role.SUPERVISOR), Optional.of(Handlings.STRANGER));
      Handling t = Handlings.withPendingSuspension(in(SIGNED));
      assertThat(Transitions.decideSuspension(t, both, NOW, Inputs.Decision.approve(null)).orElseThrow()
          .after().state()).isEqualTo(SUSPENDED);
      // but not as the lead department
      assertThat(Transitions.sign(in(DISPATCHED), both, NOW).refusal()).contains(Refusal.FORBIDDEN);
    }

    @ParameterizedTest
    @EnumSource(TicketState.class)
    void visibilityIsTheSameAsForReadingTheTicket(TicketState state) {
      Handling h = in(state);
      Ticket ticket = ticketLike(h);
      for (Kind kind : Kind.values()) {
        assertThat(Gate.canSee(kind.actor, h)).as(kind.name())
            .isEqualTo(TicketAccess.view(kind.actor, ticket) != TicketAccess.View.NONE);
      }
      assertThat(Gate.canSee(Handlings.STAFF_WITHOUT_DEPT, h))
          .isEqualTo(TicketAccess.view(Handlings.STAFF_WITHOUT_DEPT, ticket) != TicketAccess.View.NONE);
    }

    @Test
    void aConflictCarriesTheCurrentState() {
      Refusal refusal = Transitions.sign(in(REPLIED), LEAD_STAFF, NOW).refusal().orElseThrow();
      assertThat(refusal).isInstanceOfSatisfying(Refusal.Conflict.class,
          c -> assertThat(c.state()).isEqualTo(REPLIED));
    }
  }

  // ---------------------------------------------------------------------------------------------------
  // Dispatch and sign
  // ---------------------------------------------------------------------------------------------------

  @Nested
  class Dispatch {

    @Test
    void firstDispatchAssignsDepartmentsAndStartsTheClock() {
      Handling t = in(RECEIVED);
      Changed change = Transitions.dispatch(t, HOTLINE, NOW,
          new Inputs.Dispatch(LEAD, List.of(HELPER), Optional.empty())).orElseThrow();
      Handling after = change.after();
      assertThat(after.state()).isEqualTo(DISPATCHED);
      assertThat(after.leadDepartment()).contains(LEAD);
      assertThat(after.assistingDepartments()).containsExactly(HELPER);
      assertThat(after.dispatchedAt()).contains(NOW);
      assertThat(after.version()).isEqualTo(t.version() + 1);
      assertThat(change.events()).singleElement().satisfies(e -> {
        assertThat(e.type()).isEqualTo(TicketEvent.DISPATCHED);
        assertThat(e.details()).containsEntry("repeat", false).containsEntry("cause", "DISPATCH")
            .containsEntry("assistingDepartments", List.of(HELPER)).doesNotContainKey("previousLead");
      });
    }

    @Test
    void reDispatchFromSignedStartsAFreshAssignmentAndCountsAsRepeat() {
      Handling t = in(SIGNED).withProgress(p -> p.withFirstContactAt(Optional.of(SIGNED_AT.plusSeconds(60))));
      Changed change = Transitions.dispatch(t, SUPERVISOR, NOW,
          new Inputs.Dispatch("D-NEW", List.of(), Optional.of("the water company is responsible"))).orElseThrow();
      Handling after = change.after();
      assertThat(after.state()).isEqualTo(DISPATCHED);
      assertThat(after.leadDepartment()).contains("D-NEW");
      assertThat(after.assistingDepartments()).isEmpty();
      assertThat(after.dispatchedAt()).contains(NOW);
      assertThat(after.signedAt()).isEmpty();
      assertThat(after.firstContactAt()).isEmpty();
      assertThat(change.events().get(0).details()).containsEntry("repeat", true)
          .containsEntry("previousLead", LEAD).containsEntry("reason", "the water company is responsible");
    }

    @Test
    void reDispatchWithdrawsRequestsOfTheOldAssignmentAndResetsTheExtensionTotal() {
      Handling t = Handlings.withGranted(Handlings.withPendingExtension(in(SIGNED), Duration.ofDays(2)),
          Duration.ofDays(3));
      Changed change = Transitions.dispatch(t, HOTLINE, NOW,
          new Inputs.Dispatch("D-NEW", List.of(), Optional.of("wrong unit"))).orElseThrow();
      assertThat(change.after().pendingExtension()).isEmpty();
      assertThat(change.after().grantedExtension()).isZero();
      assertThat(change.events().get(0).details()).containsEntry("withdrawnRequests", List.of(OTHER_REQUEST_ID));
    }

    @Test
    void reDispatchNeedsAReason() {
      assertInvalid(Transitions.dispatch(in(DISPATCHED), HOTLINE, NOW,
          new Inputs.Dispatch("D-NEW", List.of(), Optional.of("   "))), "/reason");
    }

    @Test
    void reDispatchToTheSameDepartmentsIsRefusedBecauseItWouldOnlyRestartTheClocks() {
      assertInvalid(Transitions.dispatch(in(SIGNED), HOTLINE, NOW,
          new Inputs.Dispatch(LEAD, List.of(HELPER), Optional.of("again"))), "/leadDepartment");
      // changing only the assisting departments is a real change
      assertThat(Transitions.dispatch(in(SIGNED), HOTLINE, NOW,
          new Inputs.Dispatch(LEAD, List.of(), Optional.of("no help needed"))).refusal()).isEmpty();
    }

    @Test
    void dispatchNeedsALeadDepartment() {
      assertInvalid(Transitions.dispatch(in(RECEIVED), HOTLINE, NOW,
          new Inputs.Dispatch(" ", List.of(), Optional.empty())), "/leadDepartment");
      assertInvalid(Transitions.dispatch(in(RECEIVED), HOTLINE, NOW,
          new Inputs.Dispatch(null, List.of(), Optional.empty())), "/leadDepartment");
    }

    @Test
    void theLeadDepartmentDoesNotAlsoAssist() {
      assertInvalid(Transitions.dispatch(in(RECEIVED), HOTLINE, NOW,
          new Inputs.Dispatch(LEAD, List.of(HELPER, LEAD), Optional.empty())), "/assistingDepartments");
    }

    @Test
    void anAssistingDepartmentIsNamedOnce() {
      assertInvalid(Transitions.dispatch(in(RECEIVED), HOTLINE, NOW,
          new Inputs.Dispatch(LEAD, List.of(HELPER, HELPER), Optional.empty())), "/assistingDepartments");
    }

    @Test
    void reDispatchWaitsForAPendingReturnDecision() {
      Outcome outcome = Transitions.dispatch(Handlings.withPendingReturn(in(SIGNED), Optional.empty()), HOTLINE,
          NOW, new Inputs.Dispatch("D-NEW", List.of(), Optional.of("wrong unit")));
      assertConflict(outcome, SIGNED, "return request is pending");
    }

    @Test
    void signRecordsWhenAndWho() {
      Changed change = Transitions.sign(in(DISPATCHED), LEAD_STAFF, NOW).orElseThrow();
      assertThat(change.after().signedAt()).contains(NOW);
      assertThat(change.events()).singleElement().satisfies(e -> {
        assertThat(e.type()).isEqualTo(TicketEvent.SIGNED);
        assertThat(e.details()).containsEntry("department", LEAD);
        assertThat(e.round()).isEqualTo(1);
      });
    }
  }

  // ---------------------------------------------------------------------------------------------------
  // Contact and notes
  // ---------------------------------------------------------------------------------------------------

  @Nested
  class Contact {

    Outcome contactAt(Handling t, Instant at) {
      return Transitions.contact(t, LEAD_STAFF, NOW, new Inputs.Contact(at, ContactMethod.PHONE, Optional.of("ok")));
    }

    @Test
    void theFirstContactIsRecorded() {
      Changed change = contactAt(in(SIGNED), NOW.minusSeconds(300)).orElseThrow();
      assertThat(change.after().firstContactAt()).contains(NOW.minusSeconds(300));
      assertThat(change.events().get(0).details()).containsEntry("first", true)
          .containsEntry("method", ContactMethod.PHONE).containsEntry("note", "ok");
    }

    @Test
    void aLaterContactKeepsTheFirstAndTheVersion() {
      Handling t = contactAt(in(SIGNED), NOW.minusSeconds(300)).orElseThrow().after();
      Changed change = contactAt(t, NOW.minusSeconds(60)).orElseThrow();
      assertThat(change.after()).isEqualTo(t);
      assertThat(change.events().get(0).details()).containsEntry("first", false);
    }

    @Test
    void anEarlierContactRecordedLateBecomesTheFirst() {
      Handling t = contactAt(in(SIGNED), NOW.minusSeconds(60)).orElseThrow().after();
      assertThat(contactAt(t, NOW.minusSeconds(600)).orElseThrow().after().firstContactAt())
          .contains(NOW.minusSeconds(600));
    }

    @Test
    void aContactCannotBeInTheFuture() {
      assertInvalid(contactAt(in(SIGNED), NOW.plusSeconds(1)), "/at");
      assertThat(contactAt(in(SIGNED), NOW).refusal()).isEmpty();
    }

    @Test
    void aContactCannotPrecedeTheDispatch() {
      assertInvalid(contactAt(in(SIGNED), DISPATCHED_AT.minusSeconds(1)), "/at");
      assertThat(contactAt(in(SIGNED), DISPATCHED_AT).refusal()).isEmpty();
    }

    @Test
    void aContactNeedsATimeAndAMethod() {
      assertInvalid(contactAt(in(SIGNED), null), "/at");
      assertInvalid(Transitions.contact(in(SIGNED), LEAD_STAFF, NOW,
          new Inputs.Contact(NOW, null, Optional.empty())), "/method");
    }

    @Test
    void aContactWhileSuspendedIsRecorded() {
      assertThat(contactAt(in(SUSPENDED), NOW.minusSeconds(60)).orElseThrow().after().firstContactAt())
          .contains(NOW.minusSeconds(60));
    }

    @Test
    void aNoteNeedsText() {
      assertInvalid(Transitions.note(in(SIGNED), HOTLINE, NOW, " "), "/text");
      assertInvalid(Transitions.note(in(SIGNED), HOTLINE, NOW, null), "/text");
    }

    @Test
    void aClosedTicketTakesNoMoreNotes() {
      assertThat(Transitions.note(in(CLOSED), SUPERVISOR, NOW, "late news").refusal())
          .contains(Refusal.conflict(CLOSED));
    }
  }

  // ---------------------------------------------------------------------------------------------------
  // Return
  // ---------------------------------------------------------------------------------------------------

  @Nested
  class Return {

    Outcome requestAt(Handling t, Instant now, Duration window) {
      return Transitions.requestReturn(t, LEAD_STAFF, now, REQUEST_ID,
          new Inputs.Return("not our jurisdiction", Optional.of("D-WATER")), window);
    }

    @Test
    void aReturnAtExactlyTheEndOfTheWindowIsAccepted() {
      Instant edge = DISPATCHED_AT.plus(Duration.ofHours(24));
      assertThat(requestAt(in(SIGNED), edge, WINDOW).refusal()).isEmpty();
    }

    @Test
    void aReturnJustAfterTheWindowIsAConflict() {
      Instant late = DISPATCHED_AT.plus(Duration.ofHours(24)).plusNanos(1);
      assertConflict(requestAt(in(SIGNED), late, WINDOW), SIGNED, "return window");
    }

    @Test
    void theWindowIsAParameter() {
      Instant after30h = DISPATCHED_AT.plus(Duration.ofHours(30));
      assertThat(requestAt(in(DISPATCHED), after30h, Duration.ofHours(48)).refusal()).isEmpty();
      assertThat(requestAt(in(DISPATCHED), after30h, WINDOW).refusal()).isPresent();
    }

    @Test
    void aReturnRequestKeepsTheStateAndTheClocks() {
      Handling t = in(SIGNED);
      Changed change = requestAt(t, NOW, WINDOW).orElseThrow();
      Handling after = change.after();
      assertThat(after.state()).isEqualTo(SIGNED);
      assertThat(after.dispatchedAt()).isEqualTo(t.dispatchedAt());
      assertThat(after.signedAt()).isEqualTo(t.signedAt());
      assertThat(after.pendingReturn()).hasValueSatisfying(r -> {
        assertThat(r.id()).isEqualTo(REQUEST_ID);
        assertThat(r.requestedBy()).isEqualTo(LEAD);
        assertThat(r.suggestedDepartment()).contains("D-WATER");
      });
      assertThat(change.events().get(0).details()).containsEntry("requestId", REQUEST_ID)
          .containsEntry("reason", "not our jurisdiction").containsEntry("suggestedDepartment", "D-WATER");
    }

    @Test
    void onlyOneReturnRequestAtATime() {
      Handling t = Handlings.withPendingReturn(in(SIGNED), Optional.empty());
      assertConflict(requestAt(t, NOW, WINDOW), SIGNED, "already pending");
    }

    @Test
    void aReturnNeedsAReason() {
      assertInvalid(Transitions.requestReturn(in(SIGNED), LEAD_STAFF, NOW, REQUEST_ID,
          new Inputs.Return("", Optional.empty()), WINDOW), "/reason");
    }

    @Test
    void aDepartmentCannotSuggestItself() {
      assertInvalid(Transitions.requestReturn(in(SIGNED), LEAD_STAFF, NOW, REQUEST_ID,
          new Inputs.Return("not ours", Optional.of(LEAD)), WINDOW), "/suggestedDepartment");
    }

    @Test
    void approvedWithASuggestedDepartmentRedispatchesToItAlone() {
      Handling t = Handlings.withPendingReturn(in(SIGNED), Optional.of("D-WATER"));
      Changed change = Transitions.decideReturn(t, HOTLINE, NOW, Inputs.Decision.approve("agreed")).orElseThrow();
      Handling after = change.after();
      assertThat(after.state()).isEqualTo(DISPATCHED);
      assertThat(after.leadDepartment()).contains("D-WATER");
      assertThat(after.assistingDepartments()).isEmpty();
      assertThat(after.dispatchedAt()).contains(NOW);
      assertThat(after.signedAt()).isEmpty();
      assertThat(after.pendingReturn()).isEmpty();
      assertThat(change.events()).extracting(TicketEvent::type).containsExactly(TicketEvent.RETURN_APPROVED, TicketEvent.DISPATCHED);
      assertThat(change.events().get(1).details()).containsEntry("repeat", true).containsEntry("cause", "RETURN")
          .containsEntry("previousLead", LEAD);
      // the returning department no longer sees the ticket
      assertThat(Transitions.note(after, LEAD_STAFF, NOW, "x").refusal()).contains(Refusal.NOT_FOUND);
    }

    @Test
    void approvedWithoutASuggestionGoesBackToTheManualQueue() {
      Handling t = Handlings.withPendingReturn(in(DISPATCHED), Optional.empty());
      Changed change = Transitions.decideReturn(t, SUPERVISOR, NOW, Inputs.Decision.approve(null)).orElseThrow();
      Handling after = change.after();
      assertThat(after.state()).isEqualTo(RECEIVED);
      assertThat(after.leadDepartment()).isEmpty();
      assertThat(after.assistingDepartments()).isEmpty();
      assertThat(after.dispatchedAt()).isEmpty();
      assertThat(change.events()).extracting(TicketEvent::type).containsExactly(TicketEvent.RETURN_APPROVED);
      assertThat(change.events().get(0).details()).containsEntry("department", LEAD);
    }

    @Test
    void approvalWithdrawsTheOtherPendingRequests() {
      Handling t = Handlings.withPendingExtension(Handlings.withPendingReturn(in(SIGNED), Optional.empty()),
          Duration.ofDays(1));
      Changed change = Transitions.decideReturn(t, SUPERVISOR, NOW, Inputs.Decision.approve(null)).orElseThrow();
      assertThat(change.after().pendingExtension()).isEmpty();
      assertThat(change.events().get(0).details()).containsEntry("withdrawnRequests", List.of(OTHER_REQUEST_ID));
    }

    @Test
    void rejectedTheDepartmentKeepsIt() {
      Handling t = Handlings.withPendingReturn(in(SIGNED), Optional.of("D-WATER"));
      Changed change = Transitions.decideReturn(t, HOTLINE, NOW,
          Inputs.Decision.reject("the pipe is on your street")).orElseThrow();
      Handling after = change.after();
      assertThat(after.state()).isEqualTo(SIGNED);
      assertThat(after.leadDepartment()).contains(LEAD);
      assertThat(after.assistingDepartments()).containsExactly(HELPER);
      assertThat(after.dispatchedAt()).isEqualTo(t.dispatchedAt());
      assertThat(after.pendingReturn()).isEmpty();
      assertThat(change.events()).singleElement().satisfies(e -> {
        assertThat(e.type()).isEqualTo(TicketEvent.RETURN_REJECTED);
        assertThat(e.details()).containsEntry("reason", "the pipe is on your street")
            .containsEntry("requestId", REQUEST_ID);
      });
    }

    @Test
    void aRejectionNeedsAReason() {
      Handling t = Handlings.withPendingReturn(in(SIGNED), Optional.empty());
      assertInvalid(Transitions.decideReturn(t, HOTLINE, NOW, Inputs.Decision.reject(" ")), "/reason");
    }

    @Test
    void aDecisionNeedsAVerdict() {
      Handling t = Handlings.withPendingReturn(in(SIGNED), Optional.empty());
      assertInvalid(Transitions.decideReturn(t, HOTLINE, NOW, new Inputs.Decision(null, Optional.of("x"))),
          "/verdict");
    }

    @Test
    void nothingToDecideIsAConflict() {
      assertConflict(Transitions.decideReturn(in(SIGNED), HOTLINE, NOW, Inputs.Decision.approve(null)), SIGNED,
          "no return request");
    }
  }

  // ---------------------------------------------------------------------------------------------------
  // Extension
  // ---------------------------------------------------------------------------------------------------

  @Nested
  class Extension {

    Outcome request(Handling t, Instant until, Duration length) {
      return Transitions.requestExtension(t, LEAD_STAFF, NOW, REQUEST_ID,
          new Inputs.Extension(until, length, "waiting for the inspection report"), CAP);
    }

    @Test
    void untilMustBeInTheFuture() {
      assertInvalid(request(in(SIGNED), NOW.minusSeconds(1), Duration.ofDays(1)), "/until");
      assertInvalid(request(in(SIGNED), NOW, Duration.ofDays(1)), "/until");
      assertInvalid(request(in(SIGNED), null, null), "/until");
    }

    @Test
    void untilMustMoveTheDeadline() {
      assertInvalid(request(in(SIGNED), NOW.plusSeconds(60), Duration.ZERO), "/until");
    }

    @Test
    void theTotalMayReachTheCapButNotExceedIt() {
      Handling granted7 = Handlings.withGranted(in(SIGNED), Duration.ofDays(7));
      assertThat(request(granted7, NOW.plus(Duration.ofDays(3)), Duration.ofDays(3)).refusal()).isEmpty();
      Outcome over = request(granted7, NOW.plus(Duration.ofDays(4)), Duration.ofDays(3).plusSeconds(1));
      assertInvalid(over, "/until");
      assertThat(((Refusal.Invalid) over.refusal().orElseThrow()).message()).contains("cap");
    }

    @Test
    void aRequestIsRecordedAndKeepsTheState() {
      Changed change = request(in(SIGNED), NOW.plus(Duration.ofDays(3)), Duration.ofDays(2)).orElseThrow();
      assertThat(change.after().state()).isEqualTo(SIGNED);
      assertThat(change.after().pendingExtension()).hasValueSatisfying(r -> {
        assertThat(r.until()).isEqualTo(NOW.plus(Duration.ofDays(3)));
        assertThat(r.length()).isEqualTo(Duration.ofDays(2));
      });
      assertThat(change.after().grantedExtension()).isZero();
    }

    @Test
    void onlyOneExtensionRequestAtATime() {
      Handling t = Handlings.withPendingExtension(in(SIGNED), Duration.ofDays(1));
      assertConflict(request(t, NOW.plus(Duration.ofDays(2)), Duration.ofDays(1)), SIGNED, "already pending");
    }

    @Test
    void anExtensionNeedsAReason() {
      assertInvalid(Transitions.requestExtension(in(SIGNED), LEAD_STAFF, NOW, REQUEST_ID,
          new Inputs.Extension(NOW.plus(Duration.ofDays(1)), Duration.ofDays(1), null), CAP), "/reason");
    }

    @Test
    void approvalRecordsTheGrantForTheSlaEngine() {
      Handling t = Handlings.withGranted(Handlings.withPendingExtension(in(SIGNED), Duration.ofDays(3)),
          Duration.ofDays(2));
      Changed change = Transitions.decideExtension(t, SUPERVISOR, NOW, Inputs.Decision.approve("justified"))
          .orElseThrow();
      assertThat(change.after().grantedExtension()).isEqualTo(Duration.ofDays(5));
      assertThat(change.after().pendingExtension()).isEmpty();
      assertThat(change.events()).singleElement().satisfies(e -> {
        assertThat(e.type()).isEqualTo(TicketEvent.EXTENSION_APPROVED);
        assertThat(e.details()).containsEntry("until", NOW.plus(Duration.ofDays(3)))
            .containsEntry("grantedAt", NOW).containsEntry("length", Duration.ofDays(3))
            .containsEntry("totalExtension", Duration.ofDays(5)).containsEntry("requestId", OTHER_REQUEST_ID);
      });
    }

    @Test
    void rejectionLeavesTheTotal() {
      Handling t = Handlings.withPendingExtension(in(SIGNED), Duration.ofDays(3));
      Changed change = Transitions.decideExtension(t, SUPERVISOR, NOW, Inputs.Decision.reject("plan better"))
          .orElseThrow();
      assertThat(change.after().grantedExtension()).isZero();
      assertThat(change.after().pendingExtension()).isEmpty();
      assertThat(change.events().get(0).type()).isEqualTo(TicketEvent.EXTENSION_REJECTED);
    }

    @Test
    void theHotlineCannotDecideAnExtension() {
      Handling t = Handlings.withPendingExtension(in(SIGNED), Duration.ofDays(3));
      assertThat(Transitions.decideExtension(t, HOTLINE, NOW, Inputs.Decision.approve(null)).refusal())
          .contains(Refusal.FORBIDDEN);
    }
  }

  // ---------------------------------------------------------------------------------------------------
  // Suspension
  // ---------------------------------------------------------------------------------------------------

  @Nested
  class Suspension {

    @Test
    void approvalSuspendsFromNow() {
      Handling t = Handlings.withPendingSuspension(in(SIGNED));
      Changed change = Transitions.decideSuspension(t, SUPERVISOR, NOW, Inputs.Decision.approve("court case"))
          .orElseThrow();
      assertThat(change.after().state()).isEqualTo(SUSPENDED);
      assertThat(change.after().suspendedAt()).contains(NOW);
      assertThat(change.after().pendingSuspension()).isEmpty();
      assertThat(change.events().get(0).details()).containsEntry("requestReason", "waiting for a court ruling")
          .containsEntry("reason", "court case");
    }

    @Test
    void rejectionKeepsTheTicketInHand() {
      Handling t = Handlings.withPendingSuspension(in(SIGNED));
      Changed change = Transitions.decideSuspension(t, SUPERVISOR, NOW, Inputs.Decision.reject("not a reason"))
          .orElseThrow();
      assertThat(change.after().state()).isEqualTo(SIGNED);
      assertThat(change.after().suspendedAt()).isEmpty();
      assertThat(change.events().get(0).type()).isEqualTo(TicketEvent.SUSPENSION_REJECTED);
    }

    @Test
    void noSuspensionWhileAReturnIsUndecided() {
      Handling t = Handlings.withPendingSuspension(Handlings.withPendingReturn(in(SIGNED), Optional.empty()));
      assertConflict(Transitions.decideSuspension(t, SUPERVISOR, NOW, Inputs.Decision.approve(null)), SIGNED,
          "return request is pending");
      assertThat(Transitions.decideSuspension(t, SUPERVISOR, NOW, Inputs.Decision.reject("no")).refusal()).isEmpty();
    }

    @Test
    void onlyOneSuspensionRequestAtATime() {
      assertConflict(Transitions.requestSuspension(Handlings.withPendingSuspension(in(SIGNED)), LEAD_STAFF, NOW,
          OTHER_REQUEST_ID, "again"), SIGNED, "already pending");
    }

    @Test
    void aSuspensionNeedsAReason() {
      assertInvalid(Transitions.requestSuspension(in(SIGNED), LEAD_STAFF, NOW, REQUEST_ID, "\t"), "/reason");
    }

    @Test
    void resumingRecordsThePausedSpan() {
      Handling t = in(SUSPENDED);
      Changed change = Transitions.resume(t, LEAD_STAFF, NOW, Optional.empty()).orElseThrow();
      assertThat(change.after().state()).isEqualTo(SIGNED);
      assertThat(change.after().suspendedAt()).isEmpty();
      assertThat(change.events()).singleElement().satisfies(e -> {
        assertThat(e.type()).isEqualTo(TicketEvent.RESUMED);
        assertThat(e.details()).containsEntry("pausedFrom", Handlings.SUSPENDED_AT).containsEntry("pausedTo", NOW)
            .containsEntry("paused", Duration.ofMinutes(20)).doesNotContainKey("reason");
      });
    }

    @Test
    void theHotlineCannotResume() {
      assertThat(Transitions.resume(in(SUSPENDED), HOTLINE, NOW, Optional.empty()).refusal())
          .contains(Refusal.FORBIDDEN);
    }
  }

  // ---------------------------------------------------------------------------------------------------
  // Reply
  // ---------------------------------------------------------------------------------------------------

  @Nested
  class Reply {

    Outcome reply(Handling t, Optional<Finding> finding) {
      return Transitions.reply(t, LEAD_STAFF, NOW, new Inputs.Reply(ReplyOutcome.RESOLVED, "we inspected the agency",
          finding));
    }

    @Test
    void aComplaintNamingABusinessNeedsAFinding() {
      assertInvalid(reply(in(SIGNED, TicketType.COMPLAINT, true), Optional.empty()), "/finding");
    }

    @Test
    void aReportNamingABusinessNeedsAFinding() {
      assertInvalid(reply(in(SIGNED, TicketType.REPORT, true), Optional.empty()), "/finding");
    }

    @Test
    void theFindingIsRecorded() {
      Changed change = reply(in(SIGNED, TicketType.COMPLAINT, true), Optional.of(Finding.SUBSTANTIATED)).orElseThrow();
      assertThat(change.after().state()).isEqualTo(REPLIED);
      assertThat(change.events().get(0).details()).containsEntry("finding", Finding.SUBSTANTIATED)
          .containsEntry("outcome", ReplyOutcome.RESOLVED).containsEntry("answer", "we inspected the agency");
    }

    @Test
    void aProactiveTaskIsClosedByItsReplyForItHasNoCallerToCallBack() {
      Changed change = reply(in(SIGNED, TicketType.HELP, false, Channel.PROACTIVE), Optional.empty()).orElseThrow();
      assertThat(change.after().state()).isEqualTo(TicketState.CLOSED);
      assertThat(change.after().ticket().progress().closedAt()).contains(NOW);
      assertThat(change.events()).extracting(TicketEvent::type).containsExactly("REPLIED", "CLOSED");
      assertThat(reply(in(SIGNED, TicketType.HELP, false), Optional.empty()).orElseThrow().after().state())
          .isEqualTo(REPLIED);
    }

    @Test
    void aFindingIsRefusedWhereThereIsNoBusiness() {
      assertInvalid(reply(in(SIGNED, TicketType.COMPLAINT, false), Optional.of(Finding.UNSUBSTANTIATED)), "/finding");
    }

    @Test
    void aFindingIsRefusedOnOtherTypesEvenWithABusiness() {
      assertInvalid(reply(in(SIGNED, TicketType.HELP, true), Optional.of(Finding.NOT_DETERMINED)), "/finding");
      assertThat(reply(in(SIGNED, TicketType.HELP, true), Optional.empty()).refusal()).isEmpty();
    }

    @Test
    void aReplyNeedsAnOutcomeAndAnAnswer() {
      assertInvalid(Transitions.reply(in(SIGNED), LEAD_STAFF, NOW, new Inputs.Reply(null, "x", Optional.empty())),
          "/outcome");
      assertInvalid(Transitions.reply(in(SIGNED), LEAD_STAFF, NOW,
          new Inputs.Reply(ReplyOutcome.EXPLAINED, " ", Optional.empty())), "/answer");
    }

    @Test
    void noReplyWhileAReturnIsUndecided() {
      assertConflict(reply(Handlings.withPendingReturn(in(SIGNED), Optional.empty()), Optional.empty()), SIGNED,
          "return request is pending");
    }

    @Test
    void aReplyWithdrawsPendingExtensionAndSuspension() {
      Handling t = Handlings.withPendingSuspension(Handlings.withPendingExtension(in(SIGNED), Duration.ofDays(1)));
      Changed change = reply(t, Optional.empty()).orElseThrow();
      assertThat(change.after().pendingExtension()).isEmpty();
      assertThat(change.after().pendingSuspension()).isEmpty();
      assertThat(change.events().get(0).details())
          .containsEntry("withdrawnRequests", List.of(OTHER_REQUEST_ID, REQUEST_ID));
    }
  }

  // ---------------------------------------------------------------------------------------------------
  // Callback and rework
  // ---------------------------------------------------------------------------------------------------

  @Nested
  class Callback {

    Outcome callback(Handling t, boolean resolved, Satisfaction satisfaction, boolean rework) {
      return Transitions.callback(t, HOTLINE, NOW,
          new Inputs.Callback(resolved, satisfaction, Optional.of("caller says"), rework));
    }

    @Test
    void aCallbackWithoutReworkCloses() {
      Changed change = callback(in(REPLIED), false, Satisfaction.UNSATISFIED, false).orElseThrow();
      assertThat(change.after().state()).isEqualTo(CLOSED);
      assertThat(change.after().round()).isEqualTo(1);
      assertThat(change.events()).extracting(TicketEvent::type).containsExactly(TicketEvent.CALLBACK, TicketEvent.CLOSED);
      assertThat(change.events().get(0).details()).containsEntry("resolved", false)
          .containsEntry("satisfaction", Satisfaction.UNSATISFIED).containsEntry("comment", "caller says");
    }

    @Test
    void reworkStartsANewRoundWithTheSameDepartmentsAndFreshClocks() {
      Handling t = in(REPLIED).withProgress(p -> p.withFirstContactAt(Optional.of(SIGNED_AT))
          .withGrantedExtension(Duration.ofDays(2)));
      Changed change = callback(t, false, Satisfaction.UNSATISFIED, true).orElseThrow();
      Handling after = change.after();
      assertThat(after.round()).isEqualTo(2);
      assertThat(after.state()).isEqualTo(DISPATCHED);
      assertThat(after.leadDepartment()).contains(LEAD);
      assertThat(after.assistingDepartments()).containsExactly(HELPER);
      assertThat(after.dispatchedAt()).contains(NOW);
      assertThat(after.signedAt()).isEmpty();
      assertThat(after.firstContactAt()).isEmpty();
      assertThat(after.grantedExtension()).isZero();
      assertThat(change.events()).extracting(TicketEvent::type)
          .containsExactly(TicketEvent.CALLBACK, TicketEvent.REWORK, TicketEvent.DISPATCHED);
      assertThat(change.events()).extracting(TicketEvent::round).containsExactly(1, 1, 2);
      assertThat(change.events().get(2).details()).containsEntry("cause", "REWORK").containsEntry("repeat", true);
    }

    @Test
    void aSecondReworkReachesRoundThree() {
      Handling round2 = callback(in(REPLIED), false, Satisfaction.UNSATISFIED, true).orElseThrow().after();
      Handling signed = Transitions.sign(round2, LEAD_STAFF, NOW).orElseThrow().after();
      Handling replied = Transitions.reply(signed, LEAD_STAFF, NOW,
          new Inputs.Reply(ReplyOutcome.PARTIALLY_RESOLVED, "more work done", Optional.empty())).orElseThrow().after();
      assertThat(callback(replied, true, Satisfaction.UNSATISFIED, true).orElseThrow().after().round()).isEqualTo(3);
    }

    @Test
    void noReworkWhenResolvedAndSatisfied() {
      assertInvalid(callback(in(REPLIED), true, Satisfaction.SATISFIED, true), "/rework");
    }

    @Test
    void noReworkWhenResolvedAndBasicallySatisfied() {
      assertInvalid(callback(in(REPLIED), true, Satisfaction.BASICALLY_SATISFIED, true), "/rework");
    }

    @Test
    void reworkWhenUnresolvedEvenIfSatisfied() {
      assertThat(callback(in(REPLIED), false, Satisfaction.SATISFIED, true).orElseThrow().after().round())
          .isEqualTo(2);
    }

    @Test
    void reworkWhenResolvedButUnsatisfied() {
      assertThat(callback(in(REPLIED), true, Satisfaction.UNSATISFIED, true).orElseThrow().after().round())
          .isEqualTo(2);
    }

    @Test
    void aCallbackNeedsTheSatisfaction() {
      assertInvalid(callback(in(REPLIED), true, null, false), "/satisfaction");
    }
  }

  // ---------------------------------------------------------------------------------------------------
  // Merge, supervision, unreasonable
  // ---------------------------------------------------------------------------------------------------

  @Nested
  class Merge {

    @Test
    void aTicketCannotBeMergedIntoItself() {
      Handling t = in(SIGNED);
      assertInvalid(Transitions.merge(t, t, HOTLINE, NOW, Optional.empty()), "/into");
    }

    @Test
    void theTargetMustBeOpen() {
      Handling closed = Handlings.received(PRIMARY_ID, TicketType.HELP, false).withState(CLOSED);
      Handling merged = Handlings.received(PRIMARY_ID, TicketType.HELP, false).with(s -> s.withState(MERGED)
          .withProgress(p -> p.withMergedInto(Optional.of(UUID.randomUUID()))));
      assertInvalid(Transitions.merge(in(SIGNED), closed, HOTLINE, NOW, Optional.empty()), "/into");
      assertInvalid(Transitions.merge(in(SIGNED), merged, HOTLINE, NOW, Optional.empty()), "/into");
      assertInvalid(Transitions.merge(in(SIGNED), null, HOTLINE, NOW, Optional.empty()), "/into");
    }

    @Test
    void aMergedDuplicateEndsItsSuspensionAndRequests() {
      Handling t = Handlings.withPendingExtension(in(SUSPENDED), Duration.ofDays(1));
      Changed change = Transitions.merge(t, Handlings.primary(), SUPERVISOR, NOW, Optional.of("same matter"))
          .orElseThrow();
      Handling after = change.after();
      assertThat(after.state()).isEqualTo(MERGED);
      assertThat(after.mergedInto()).contains(PRIMARY_ID);
      assertThat(after.suspendedAt()).isEmpty();
      assertThat(after.pendingExtension()).isEmpty();
      assertThat(change.events().get(0).details()).containsEntry("into", PRIMARY_ID)
          .containsEntry("previousState", SUSPENDED).containsEntry("suspendedSince", Handlings.SUSPENDED_AT)
          .containsEntry("withdrawnRequests", List.of(OTHER_REQUEST_ID));
      // terminal: nothing but the unreasonable mark any more
      assertThat(Transitions.note(after, HOTLINE, NOW, "x").refusal()).contains(Refusal.conflict(MERGED));
    }
  }

  @Nested
  class Supervision {

    @Test
    void anOrderIsAddressedToTheLeadDepartment() {
      Changed change = Transitions.orderSupervision(in(SIGNED), SUPERVISOR, NOW, ORDER_ID,
          new Inputs.SupervisionOrder("  call the caller today ", NOW.plus(Duration.ofHours(2)))).orElseThrow();
      assertThat(change.after().supervisionOrders()).singleElement().satisfies(o -> {
        assertThat(o.department()).isEqualTo(LEAD);
        assertThat(o.instruction()).isEqualTo("call the caller today");
        assertThat(o.orderedBy()).isEqualTo("sup-1");
        assertThat(o.acknowledgedAt()).isEmpty();
      });
    }

    @Test
    void anOrderNeedsAnInstructionAndAFutureDeadline() {
      assertInvalid(Transitions.orderSupervision(in(SIGNED), SUPERVISOR, NOW, ORDER_ID,
          new Inputs.SupervisionOrder("act", NOW)), "/respondBy");
      assertInvalid(Transitions.orderSupervision(in(SIGNED), SUPERVISOR, NOW, ORDER_ID,
          new Inputs.SupervisionOrder("", NOW.plusSeconds(60))), "/instruction");
    }

    @Test
    void theLeadDepartmentAcknowledgesOnceAndLatenessIsRecorded() {
      Handling t = Handlings.withOrder(in(SIGNED), LEAD, NOW.minusSeconds(1));
      Changed change = Transitions.acknowledgeSupervision(t, LEAD_STAFF, NOW, ORDER_ID, Optional.empty())
          .orElseThrow();
      assertThat(change.after().supervisionOrder(ORDER_ID).orElseThrow().acknowledgedAt()).contains(NOW);
      assertThat(change.events().get(0).details()).containsEntry("late", true);
      assertConflict(Transitions.acknowledgeSupervision(change.after(), LEAD_STAFF, NOW, ORDER_ID, Optional.empty()),
          SIGNED, "already acknowledged");
    }

    @Test
    void anUnknownOrderIsNotFound() {
      assertThat(Transitions.acknowledgeSupervision(in(SIGNED), LEAD_STAFF, NOW, ORDER_ID, Optional.empty())
          .refusal()).contains(Refusal.NOT_FOUND);
    }

    @Test
    void anAssistingDepartmentCannotAcknowledge() {
      Handling t = Handlings.withOrder(in(SIGNED), LEAD, NOW.plusSeconds(3600));
      assertThat(Transitions.acknowledgeSupervision(t, ASSISTING_STAFF, NOW, ORDER_ID, Optional.empty()).refusal())
          .contains(Refusal.FORBIDDEN);
    }

    @Test
    void anOrderToAnEarlierLeadIsNotTheNewLeadsToAcknowledge() {
      Handling t = Handlings.withOrder(in(SIGNED), LEAD, NOW.plusSeconds(3600));
      Handling moved = Transitions.dispatch(t, HOTLINE, NOW,
          new Inputs.Dispatch("D-NEW", List.of(), Optional.of("wrong unit"))).orElseThrow().after();
      assertThat(Transitions.acknowledgeSupervision(moved, Actor.staff("new-1", "D-NEW"), NOW, ORDER_ID,
          Optional.empty()).refusal()).contains(Refusal.FORBIDDEN);
      assertThat(Transitions.acknowledgeSupervision(moved, LEAD_STAFF, NOW, ORDER_ID, Optional.empty()).refusal())
          .contains(Refusal.NOT_FOUND);
    }
  }

  @Nested
  class Unreasonable {

    @Test
    void aTicketIsMarkedOnlyOnce() {
      Handling marked = Transitions.markUnreasonable(in(CLOSED), SUPERVISOR, NOW, "wants a private favour")
          .orElseThrow().after();
      assertThat(marked.unreasonable()).isTrue();
      assertThat(marked.state()).isEqualTo(CLOSED);
      assertConflict(Transitions.markUnreasonable(marked, SUPERVISOR, NOW, "again"), CLOSED, "already marked");
    }

    @Test
    void theMarkNeedsAReason() {
      assertInvalid(Transitions.markUnreasonable(in(REPLIED), SUPERVISOR, NOW, null), "/reason");
    }
  }

  // ---------------------------------------------------------------------------------------------------
  // The snapshot itself
  // ---------------------------------------------------------------------------------------------------

  @Test
  void anInconsistentSnapshotIsRejectedAtOnce() {
    Handling received = Handlings.received(UUID.randomUUID(), TicketType.HELP, false);
    assertThatThrownBy(() -> received.withState(SIGNED)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> received.with(s -> s.withState(SUSPENDED)
        .withAssignment(Optional.of(LEAD), List.of(), Optional.of(DISPATCHED_AT))
        .withProgress(p -> p.withSignedAt(Optional.of(SIGNED_AT)))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("suspendedAt");
    assertThatThrownBy(() -> in(SIGNED).with(s -> s.withAssignment(Optional.of(LEAD), List.of(LEAD),
        Optional.of(DISPATCHED_AT)))).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aRefusedOutcomeNamesItsCauseWhenForced() {
    assertThatThrownBy(() -> Transitions.sign(in(SIGNED), LEAD_STAFF, NOW).orElseThrow())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("SIGNED");
  }

  // ---------------------------------------------------------------------------------------------------

  static void assertInvalid(Outcome outcome, String field) {
    assertThat(outcome.refusal()).as("refusal").get()
        .isInstanceOfSatisfying(Refusal.Invalid.class, i -> assertThat(i.field()).isEqualTo(field));
  }

  static void assertConflict(Outcome outcome, TicketState state, String detail) {
    assertThat(outcome.refusal()).as("refusal").get().isInstanceOfSatisfying(Refusal.Conflict.class, c -> {
      assertThat(c.state()).isEqualTo(state);
      assertThat(c.detail()).contains(detail);
    });
  }

  /** A stored ticket with the same state and departments as a snapshot, for the visibility comparison. */
  static Ticket ticketLike(Handling h) {
    return new Ticket(h.id(), 1, "EXT-1", "hash", h.type(), Urgency.NORMAL, "market.agency", "title", "content",
        NOW, new Ticket.Caller("张三", "13800001234", false),
        new Ticket.Location("海淀区", "中关村街道", "x", null, null), Optional.empty(), h.state(), h.round(),
        h.leadDepartment(), h.assistingDepartments(), h.dispatchedAt(), h.version(), NOW, NOW,
        Ticket.Progress.atIntake(h.dispatchedAt().isPresent()), Optional.empty(), Channel.HOTLINE);
  }
}
