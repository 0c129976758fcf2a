package org.jiesu.sla;

import java.time.Duration;
import java.time.Instant;

/**
 * One SLA timer of one handling round. Besides its due and warning times it keeps what a recomputation
 * needs (DESIGN §3: a policy or calendar change recomputes running timers): the allowed duration, the
 * paused time and the granted extension, both measured in the timer's own clock. The achieved time
 * ({@code metAt}) is stored so reports never recompute it from history.
 */
public record Timer(TimerKind kind, int round, TimerClock clock, SlaDuration allowed, double warningShare,
    Instant startedAt, Instant dueAt, Instant warnAt, TimerState state, Instant metAt, Instant breachedAt,
    Instant pausedAt, Duration pausedTotal, Duration extendedBy, boolean calendarMissing) {

  Timer with(TimerState nextState) {
    return new Timer(kind, round, clock, allowed, warningShare, startedAt, dueAt, warnAt, nextState, metAt,
        breachedAt, pausedAt, pausedTotal, extendedBy, calendarMissing);
  }

  Timer withDue(Instant nextDue, Instant nextWarn, boolean missing) {
    return new Timer(kind, round, clock, allowed, warningShare, startedAt, nextDue, nextWarn, state, metAt,
        breachedAt, pausedAt, pausedTotal, extendedBy, missing);
  }

  Timer withMet(Instant at) {
    return new Timer(kind, round, clock, allowed, warningShare, startedAt, dueAt, warnAt,
        state == TimerState.BREACHED ? TimerState.BREACHED : TimerState.MET, at, breachedAt, null, pausedTotal,
        extendedBy, calendarMissing);
  }

  Timer withBreach(Instant at) {
    return new Timer(kind, round, clock, allowed, warningShare, startedAt, dueAt, warnAt, TimerState.BREACHED,
        metAt, at, pausedAt, pausedTotal, extendedBy, calendarMissing);
  }

  Timer withPause(Instant at, Duration total) {
    return new Timer(kind, round, clock, allowed, warningShare, startedAt, dueAt, warnAt,
        at == null ? TimerState.RUNNING : TimerState.PAUSED, metAt, breachedAt, at, total, extendedBy,
        calendarMissing);
  }

  Timer withExtension(Duration total) {
    return new Timer(kind, round, clock, allowed, warningShare, startedAt, dueAt, warnAt, state, metAt,
        breachedAt, pausedAt, pausedTotal, total, calendarMissing);
  }

  /** Whether the timer was met no later than its due time: the on-time facts of the scorecards. */
  public boolean metOnTime() {
    return metAt != null && !metAt.isAfter(dueAt);
  }
}
