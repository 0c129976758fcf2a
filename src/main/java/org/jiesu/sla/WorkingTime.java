package org.jiesu.sla;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZonedDateTime;
import java.util.List;

/**
 * Office-time arithmetic over a {@link BusinessCalendar}. Every method walks day by day, so its work is
 * linear in the span it covers; callers bound spans (durations ≤ {@link SlaDuration#MAX_DAYS}, instants in
 * 2000–2100), and a walk gives up after {@link #MAX_DAYS} days rather than loop on a calendar without office.
 *
 * <p>Local times become instants through the calendar's zone; a span that falls into a daylight-saving gap
 * is shorter in real time, which is what a timer counting real seconds of office time should see.
 */
public final class WorkingTime {

  /** A century of days: no bounded input needs more, and a calendar without office stops here. */
  static final int MAX_DAYS = 36_600;

  /** A computed instant, and whether it relied on a year without official holidays (weekdays assumed). */
  public record Result(Instant at, boolean calendarMissing) {}

  private final BusinessCalendar calendar;

  public WorkingTime(BusinessCalendar calendar) {
    this.calendar = calendar;
  }

  /**
   * The instant at which {@code amount} of office time has passed since {@code start}. A positive amount
   * always ends inside office time, at most at a closing time; zero answers {@code start} itself.
   */
  public Result addTime(Instant start, Duration amount) {
    if (amount.isNegative()) {
      throw new IllegalArgumentException("negative working time");
    }
    if (amount.isZero()) {
      return new Result(start, false);
    }
    Duration remaining = amount;
    boolean missing = false;
    LocalDate day = localDate(start);
    for (int i = 0; i < MAX_DAYS; i++, day = day.plusDays(1)) {
      missing |= !calendar.knows(day);
      for (OfficeSpan span : calendar.hoursOn(day)) {
        Instant close = instant(day, span.close());
        if (!close.isAfter(start)) {
          continue;
        }
        Instant open = instant(day, span.open());
        Instant from = open.isAfter(start) ? open : start;
        if (!close.isAfter(from)) {
          continue; // a span swallowed by a daylight-saving gap
        }
        Duration available = Duration.between(from, close);
        if (remaining.compareTo(available) <= 0) {
          return new Result(from.plus(remaining), missing);
        }
        remaining = remaining.minus(available);
      }
    }
    throw noOffice();
  }

  /** Office time between two instants; zero when {@code to} is not after {@code from}. */
  public Duration between(Instant from, Instant to) {
    if (!to.isAfter(from)) {
      return Duration.ZERO;
    }
    Duration total = Duration.ZERO;
    LocalDate last = localDate(to);
    for (LocalDate day = localDate(from); !day.isAfter(last); day = day.plusDays(1)) {
      for (OfficeSpan span : calendar.hoursOn(day)) {
        Instant open = max(instant(day, span.open()), from);
        Instant close = min(instant(day, span.close()), to);
        if (close.isAfter(open)) {
          total = total.plus(Duration.between(open, close));
        }
      }
    }
    return total;
  }

  /** The first instant at or after {@code t} that lies in office time. */
  public Result nextOfficeInstant(Instant t) {
    boolean missing = false;
    LocalDate day = localDate(t);
    for (int i = 0; i < MAX_DAYS; i++, day = day.plusDays(1)) {
      missing |= !calendar.knows(day);
      for (OfficeSpan span : calendar.hoursOn(day)) {
        Instant open = instant(day, span.open());
        Instant close = instant(day, span.close());
        if (close.isAfter(t) && close.isAfter(open)) {
          return new Result(max(open, t), missing);
        }
      }
    }
    throw noOffice();
  }

  /**
   * Whole working days (DESIGN §3): the same local time on the {@code days}-th following working day. A start
   * outside office time counts from the next office opening. When the target day's hours differ from the
   * start day's (only with unusual week settings) the local time is clamped into the target day's office.
   */
  public Result addDays(Instant start, int days) {
    if (days < 0) {
      throw new IllegalArgumentException("negative working days");
    }
    Result opening = nextOfficeInstant(start);
    ZonedDateTime from = opening.at().atZone(calendar.zone());
    boolean missing = opening.calendarMissing();
    LocalDate day = from.toLocalDate();
    for (int n = 0; n < days; n++) {
      int guard = 0;
      do {
        day = day.plusDays(1);
        missing |= !calendar.knows(day);
        if (++guard > MAX_DAYS) {
          throw noOffice();
        }
      } while (!calendar.isWorkingDay(day));
    }
    if (days == 0) {
      return new Result(opening.at(), missing);
    }
    return new Result(instant(day, clamp(from.toLocalTime(), calendar.hoursOn(day))), missing);
  }

  private static LocalTime clamp(LocalTime t, List<OfficeSpan> spans) {
    LocalTime best = spans.get(0).open();
    for (OfficeSpan s : spans) {
      if (!t.isBefore(s.open()) && !t.isAfter(s.close())) {
        return t;
      }
      if (!s.close().isAfter(t)) {
        best = s.close();
      }
    }
    return best;
  }

  private LocalDate localDate(Instant t) {
    return t.atZone(calendar.zone()).toLocalDate();
  }

  private Instant instant(LocalDate day, LocalTime time) {
    return ZonedDateTime.of(day, time, calendar.zone()).toInstant();
  }

  private static Instant max(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }

  private static Instant min(Instant a, Instant b) {
    return a.isBefore(b) ? a : b;
  }

  private static IllegalStateException noOffice() {
    return new IllegalStateException("the business calendar has no office time within " + MAX_DAYS + " days");
  }
}
