package org.jiesu.sla;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What happens to timers when a ticket changes (DESIGN §3), over one calendar. Pure: the SLA engine loads
 * timers, asks these rules, and stores the answer in the ticket's transaction.
 */
public final class TimerRules {

  private final Deadlines deadlines;

  public TimerRules(Deadlines deadlines) {
    this.deadlines = deadlines;
  }

  /** Dispatch starts a round: one running timer per timer the policy has. */
  public List<Timer> startRound(SlaPolicy policy, int round, Instant now) {
    List<Timer> timers = new ArrayList<>(3);
    for (TimerKind kind : TimerKind.values()) {
      policy.spec(kind).ifPresent(spec -> timers.add(start(kind, round, spec, policy.warningShare(), now)));
    }
    return timers;
  }

  Timer start(TimerKind kind, int round, TimerSpec spec, double share, Instant now) {
    Timer fresh = new Timer(kind, round, spec.clock(), spec.duration(), share, now, now, now, TimerState.RUNNING,
        null, null, null, Duration.ZERO, Duration.ZERO, false);
    return schedule(fresh);
  }

  /** Signing, first contact and reply meet their timer; a breached timer keeps its breach and gains the time. */
  public Optional<Timer> meet(Timer t, Instant now) {
    if (t.metAt() != null || t.state() == TimerState.CANCELLED) {
      return Optional.empty();
    }
    return Optional.of(t.withMet(now));
  }

  /** Suspension pauses every running timer. */
  public Optional<Timer> pause(Timer t, Instant now) {
    return t.state() == TimerState.RUNNING ? Optional.of(t.withPause(now, t.pausedTotal())) : Optional.empty();
  }

  /** Resuming shifts the due and warning times by the paused span, in the timer's own clock. */
  public Optional<Timer> resume(Timer t, Instant now) {
    if (t.state() != TimerState.PAUSED) {
      return Optional.empty();
    }
    Duration paused = deadlines.elapsed(t.clock(), t.pausedAt(), now);
    return Optional.of(schedule(t.withPause(null, t.pausedTotal().plus(paused))));
  }

  /** Return, re-dispatch, merge and close cancel what is still open. */
  public Optional<Timer> cancel(Timer t) {
    return t.state().open() ? Optional.of(t.with(TimerState.CANCELLED)) : Optional.empty();
  }

  /**
   * The deadline fired: a breach for an open timer that is really due. A paused timer does not breach,
   * and a timer whose due time moved later in the meantime is not due yet.
   */
  public Optional<Timer> breach(Timer t, Instant now) {
    if (t.state() != TimerState.RUNNING || now.isBefore(t.dueAt())) {
      return Optional.empty();
    }
    return Optional.of(t.withBreach(now));
  }

  /** Whether a warning is due now (a breached or paused timer no longer warns). */
  public boolean warningDue(Timer t, Instant now) {
    return t.state() == TimerState.RUNNING && !now.isBefore(t.warnAt()) && now.isBefore(t.dueAt());
  }

  /**
   * An approved extension moves RESOLVE to {@code until}. The extension is kept as clock time, so a later
   * recomputation keeps it; the warning moves with it. Refused (empty) when {@code until} is not after the current due time.
   */
  public Optional<Timer> extend(Timer t, Instant until) {
    if (t.kind() != TimerKind.RESOLVE || !t.state().open() || !until.isAfter(t.dueAt())) {
      return Optional.empty();
    }
    Duration more = deadlines.elapsed(t.clock(), t.dueAt(), until);
    // on a working clock an `until` outside office hours lands on the office close before it: the same time
    return Optional.of(schedule(t.withExtension(t.extendedBy().plus(more))));
  }

  /**
   * The latest {@code until} an extension may name: the due time without any extension plus the cap in
   * whole working days (DESIGN §3: total extension at most 10 working days by default).
   */
  public Instant latestExtension(Timer t, int capWorkingDays) {
    Instant base = baseDue(t).at();
    return new WorkingTime(deadlines.calendar()).addDays(base, capWorkingDays).at();
  }

  /**
   * A policy or calendar change: the due time from the (new) allowed duration and calendar, keeping the
   * time already paused and the extension granted. Only open timers move.
   */
  public Optional<Timer> recompute(Timer t, TimerSpec spec, double share) {
    if (!t.state().open()) {
      return Optional.empty();
    }
    Timer respec = new Timer(t.kind(), t.round(), spec.clock(), spec.duration(), share, t.startedAt(), t.dueAt(),
        t.warnAt(), t.state(), t.metAt(), t.breachedAt(), t.pausedAt(), t.pausedTotal(), t.extendedBy(),
        t.calendarMissing());
    Timer next = schedule(respec);
    return next.equals(t) ? Optional.empty() : Optional.of(next);
  }

  /** Remaining time on the timer's clock: up to the due time from now, or from the pause. */
  public Duration remaining(Timer t, Instant now) {
    if (!t.state().open()) {
      return Duration.ZERO;
    }
    Instant from = t.state() == TimerState.PAUSED ? t.pausedAt() : now;
    return deadlines.elapsed(t.clock(), from, t.dueAt());
  }

  private WorkingTime.Result baseDue(Timer t) {
    WorkingTime.Result base = deadlines.due(t.clock(), t.startedAt(), t.allowed());
    Instant paused = deadlines.shift(t.clock(), base.at(), t.pausedTotal());
    return new WorkingTime.Result(paused, base.calendarMissing());
  }

  /**
   * Due = start + allowed, then the extension, then the paused time, each in the timer's clock. The warning
   * is placed at the share of the allowed-plus-extended span and moved by the same paused time, so a pause
   * never brings a warning nearer to the start.
   */
  private Timer schedule(Timer t) {
    WorkingTime.Result nominal = deadlines.due(t.clock(), t.startedAt(), t.allowed());
    Instant extended = deadlines.shift(t.clock(), nominal.at(), t.extendedBy());
    Instant warn = deadlines.warnAt(t.clock(), t.startedAt(), extended, t.warningShare());
    Instant due = deadlines.shift(t.clock(), extended, t.pausedTotal());
    // PostgreSQL keeps microseconds: compute what will be read back, so a recomputation compares equal
    return t.withDue(due.truncatedTo(ChronoUnit.MICROS),
        deadlines.shift(t.clock(), warn, t.pausedTotal()).truncatedTo(ChronoUnit.MICROS), nominal.calendarMissing());
  }
}
