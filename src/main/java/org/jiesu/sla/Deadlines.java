package org.jiesu.sla;

import java.time.Duration;
import java.time.Instant;

/**
 * Deadline arithmetic for one business calendar, in each timer's own clock: due and warning times,
 * time spent, and shifting a due time by a paused span. Plain Java; the SLA engine stores what it answers.
 */
public final class Deadlines {

  private final BusinessCalendar calendar;
  private final WorkingTime working;

  public Deadlines(BusinessCalendar calendar) {
    this.calendar = calendar;
    this.working = new WorkingTime(calendar);
  }

  public BusinessCalendar calendar() {
    return calendar;
  }

  /** When a timer started at {@code start} with {@code allowed} time falls due. */
  public WorkingTime.Result due(TimerClock clock, Instant start, SlaDuration allowed) {
    if (clock == TimerClock.NATURAL) {
      Instant at = start.atZone(calendar.zone()).plusDays(allowed.days()).toInstant().plus(allowed.time());
      return new WorkingTime.Result(at, false);
    }
    WorkingTime.Result afterDays = allowed.days() > 0 ? working.addDays(start, allowed.days())
        : new WorkingTime.Result(start, false);
    if (allowed.time().isZero()) {
      return afterDays;
    }
    WorkingTime.Result end = working.addTime(afterDays.at(), allowed.time());
    return new WorkingTime.Result(end.at(), afterDays.calendarMissing() || end.calendarMissing());
  }

  /** Time that counts on this clock between two instants (zero when {@code to} is not after {@code from}). */
  public Duration elapsed(TimerClock clock, Instant from, Instant to) {
    if (!to.isAfter(from)) {
      return Duration.ZERO;
    }
    return clock == TimerClock.NATURAL ? Duration.between(from, to) : working.between(from, to);
  }

  /** {@code t} moved later by {@code span} of this clock's time: a resumed timer's new due time. */
  public Instant shift(TimerClock clock, Instant t, Duration span) {
    if (span.isZero() || span.isNegative()) {
      return t;
    }
    return clock == TimerClock.NATURAL ? t.plus(span) : working.addTime(t, span).at();
  }

  /**
   * The warning time: when {@code share} of the time allowed between start and due has passed, measured
   * on the timer's clock (so a working-time timer warns after 75% of its office time, not of wall time).
   */
  public Instant warnAt(TimerClock clock, Instant start, Instant due, double share) {
    if (!(share > 0 && share < 1)) {
      throw new IllegalArgumentException("warning share must lie strictly between 0 and 1");
    }
    Duration allowed = elapsed(clock, start, due);
    Duration part = Duration.ofNanos((long) Math.floor(allowed.toNanos() * share));
    if (clock == TimerClock.NATURAL) {
      return start.plus(part);
    }
    // from the first office instant, so a start on a Sunday warns within Monday's office, not on Sunday
    Instant from = working.nextOfficeInstant(start).at();
    return part.isZero() ? from : working.addTime(from, part).at();
  }
}
