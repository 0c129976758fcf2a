package org.jiesu.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jiesu.auth.Actor;
import org.jiesu.sla.DispatchTimers;
import org.jiesu.sla.SlaDuration;
import org.jiesu.sla.Timer;
import org.jiesu.sla.TimerClock;
import org.jiesu.sla.TimerKind;
import org.jiesu.sla.TimerState;
import org.jiesu.ticket.ChangeRows;
import org.jiesu.ticket.workflow.Channel;
import org.jiesu.ticket.workflow.Ticket;
import org.jiesu.ticket.workflow.TicketEvent;
import org.jiesu.ticket.workflow.TicketState;
import org.jiesu.ticket.workflow.TicketType;
import org.jiesu.ticket.workflow.Urgency;
import org.junit.jupiter.api.Test;

/**
 * The scorecard facts an action writes in its own statement: which facts may join it, and the timer outcomes
 * they copy from the SLA engine's plan. Plain Java; the database side is {@code ActionStatementTest} and
 * {@code ScorecardApiTest} (the facts kept equal the facts the migration derives from the timers).
 */
class ScorecardFactsTest {

  static final UUID ID = UUID.fromString("00000000-0000-0000-0000-0000000000f1");
  static final Actor STAFF = Actor.staff("lead-1", "D-A");
  static final Actor SUPERVISOR = Actor.of("sup-1", org.jiesu.auth.Role.SUPERVISOR);
  static final Instant DISPATCHED = at("2026-11-23T09:00:00");
  static final Instant DUE = at("2026-11-23T13:00:00");
  static final Object LOCKED = new Object(); // what the stub below is handed back

  static Instant at(String local) {
    return OffsetDateTime.parse(local + "+08:00").toInstant();
  }

  static Timer timer(TimerKind kind, TimerState state, Instant metAt) {
    return new Timer(kind, 1, TimerClock.WORKING, SlaDuration.parse("PT4H"), 0.6, DISPATCHED, DUE,
        at("2026-11-23T11:24:00"), state, metAt, null, null, Duration.ZERO, Duration.ZERO, false);
  }

  /** The SLA engine's plan as a stub: SIGN met on time, CONTACT open, no RESOLVE. */
  static final DispatchTimers PLAN = new DispatchTimers() {
    @Override
    public Set<TimerKind> startedAtIntake(Ticket ticket, List<TicketEvent> events, int round) {
      return Set.of();
    }

    @Override
    public String readWithLock() {
      return "(SELECT 1)";
    }

    @Override
    public Object decodeLocked(Object value) {
      return value;
    }

    @Override
    public Map<TimerKind, Timer> ofDispatch(Ticket ticket, List<TicketEvent> events, Object locked, int round,
        Instant dispatchedAt) {
      assertThat(locked).isSameAs(LOCKED);
      return Map.of(TimerKind.SIGN, timer(TimerKind.SIGN, TimerState.MET, at("2026-11-23T10:00:00")),
          TimerKind.CONTACT, timer(TimerKind.CONTACT, TimerState.RUNNING, null));
    }
  };

  static Ticket ticket() {
    return new Ticket(ID, 7, "EXT-1", "hash", TicketType.COMPLAINT, Urgency.NORMAL, "market.agency", "title",
        "content", at("2026-11-23T08:50:00"), new Ticket.Caller("张三", "13800001234", false),
        new Ticket.Location("海淀区", "中关村街道", "x", null, null), Optional.empty(), TicketState.SIGNED, 1,
        Optional.of("D-A"), List.of(), Optional.of(DISPATCHED), 3, at("2026-11-23T08:50:00"),
        at("2026-11-23T10:00:00"), Ticket.Progress.none(Optional.empty(), Optional.empty()), Optional.of(DUE),
        Channel.HOTLINE);
  }

  static TicketEvent signed() {
    return new TicketEvent.Signed(ID, 1, STAFF, at("2026-11-23T10:00:00"), "D-A");
  }

  static TicketEvent dispatched(Instant at) {
    return new TicketEvent.Dispatched(ID, 1, SUPERVISOR, at, "D-B", List.of(), true, TicketEvent.Cause.RETURN,
        "HOTLINE", Optional.empty(), Optional.of("D-A"), Optional.of("不属于本单位职责"), List.of());
  }

  static TicketEvent returnApproved(Instant at) {
    return new TicketEvent.ReturnApproved(ID, 1, SUPERVISOR, at, UUID.randomUUID(), "D-A", Optional.empty(),
        Optional.of("D-B"), List.of());
  }

  record Written(boolean all, List<ChangeRows> rows) {}

  static Written changeRows(Object locked, TicketEvent... events) {
    List<ChangeRows> rows = new ArrayList<>();
    boolean all = new ScorecardFacts(PLAN).changeRows(ticket(), List.of(events), locked, rows::add);
    return new Written(all, rows);
  }

  @Test
  void aTimersOutcomeIsMetOnTimeLateOrOpen() {
    assertThat(ScorecardFacts.outcome(null)).isNull();
    assertThat(ScorecardFacts.outcome(timer(TimerKind.SIGN, TimerState.RUNNING, null))).isEqualTo("OPEN");
    assertThat(ScorecardFacts.outcome(timer(TimerKind.SIGN, TimerState.BREACHED, null))).isEqualTo("OPEN");
    assertThat(ScorecardFacts.outcome(timer(TimerKind.SIGN, TimerState.CANCELLED, null))).isEqualTo("OPEN");
    assertThat(ScorecardFacts.outcome(timer(TimerKind.SIGN, TimerState.MET, DUE))).isEqualTo("MET");
    assertThat(ScorecardFacts.outcome(timer(TimerKind.SIGN, TimerState.MET, DUE.plusNanos(1000)))).isEqualTo("LATE");
    assertThat(ScorecardFacts.outcome(timer(TimerKind.SIGN, TimerState.BREACHED, DUE.plusSeconds(60))))
        .isEqualTo("LATE");
  }

  @Test
  void aSignRefreshesTheRoundWithTheOutcomesOfThePlan() {
    Written w = changeRows(LOCKED, signed());
    assertThat(w.all()).isTrue();
    assertThat(w.rows()).singleElement().satisfies(r -> {
      assertThat(r.sql()).isEqualTo(ScorecardFacts.CHANGE_TIMERS);
      assertThat(r.params()).containsExactly(ID, 1, "MET", "OPEN", null);
    });
  }

  @Test
  void aReturnApprovedAndItsRedispatchJoinTheStatementInThatOrder() {
    Instant now = at("2026-11-23T11:00:00");
    Written w = changeRows(LOCKED, returnApproved(now), dispatched(now));
    assertThat(w.all()).isTrue();
    assertThat(w.rows()).extracting(ChangeRows::sql)
        .containsExactly(ScorecardFacts.RETURNED, ScorecardFacts.CHANGE_ROUND);
  }

  @Test
  void aFactThatReadsWhatAnEarlierFactWroteIsLeftToOnEvents() {
    Instant now = at("2026-11-23T11:00:00");
    // the round the dispatch adds is not there for the return's statement to mark, in one statement
    assertThat(changeRows(LOCKED, dispatched(now), returnApproved(now)).all()).isFalse();
  }

  @Test
  void withoutTheLockedTimersOrForAMergeOnEventsWritesThem() {
    assertThat(changeRows(null, signed()).all()).isFalse();
    assertThat(changeRows(LOCKED, new TicketEvent.Merged(ID, 1, SUPERVISOR, at("2026-11-23T11:00:00"),
        UUID.randomUUID(), TicketState.SIGNED, Optional.empty(), Optional.empty(), List.of())).all()).isFalse();
  }

  @Test
  void aNoteWritesNoFact() {
    Written w = changeRows(LOCKED, new TicketEvent.NoteAdded(ID, 1, STAFF, at("2026-11-23T11:00:00"), "已联系"));
    assertThat(w.all()).isTrue();
    assertThat(w.rows()).isEmpty();
  }
}
