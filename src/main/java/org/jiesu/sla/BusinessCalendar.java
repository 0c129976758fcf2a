package org.jiesu.sla;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * When offices are open: a time zone, office hours per weekday, and per year the public holidays and
 * make-up working days. A make-up working day has the hours of {@link #makeUpHours} (by default Monday's),
 * since the official notices only say "上班", not which weekday's timetable applies.
 *
 * <p>For a year without a {@link CalendarYear} the calendar falls back to plain weekdays; the deadline
 * arithmetic reports that it did ({@link WorkingTime.Result#calendarMissing()}) so a timer can say so.
 */
public final class BusinessCalendar {

  /** DESIGN §3 defaults: Mon–Fri 09:00–12:00 and 13:30–17:30. */
  public static final List<OfficeSpan> DEFAULT_DAY = List.of(
      new OfficeSpan(LocalTime.of(9, 0), LocalTime.of(12, 0)),
      new OfficeSpan(LocalTime.of(13, 30), LocalTime.of(17, 30)));

  public static final ZoneId DEFAULT_ZONE = ZoneId.of("Asia/Shanghai");

  private final ZoneId zone;
  private final Map<DayOfWeek, List<OfficeSpan>> week;
  private final List<OfficeSpan> makeUpHours;
  private final Map<Integer, CalendarYear> years;

  public BusinessCalendar(ZoneId zone, Map<DayOfWeek, List<OfficeSpan>> week, List<OfficeSpan> makeUpHours,
      Map<Integer, CalendarYear> years) {
    this.zone = zone;
    EnumMap<DayOfWeek, List<OfficeSpan>> copy = new EnumMap<>(DayOfWeek.class);
    for (DayOfWeek d : DayOfWeek.values()) {
      copy.put(d, OfficeSpan.checkedDay(week.getOrDefault(d, List.of())));
    }
    this.week = copy;
    this.makeUpHours = OfficeSpan.checkedDay(makeUpHours);
    if (this.makeUpHours.isEmpty() && years.values().stream().anyMatch(y -> !y.workdays().isEmpty())) {
      throw new IllegalArgumentException("make-up working days need office hours");
    }
    this.years = Map.copyOf(years);
  }

  /** The DESIGN §3 default week in Asia/Shanghai, with the given years' holidays and make-up days. */
  public static BusinessCalendar standard(CalendarYear... years) {
    Map<DayOfWeek, List<OfficeSpan>> week = new EnumMap<>(DayOfWeek.class);
    for (DayOfWeek d : List.of(DayOfWeek.MONDAY, DayOfWeek.TUESDAY, DayOfWeek.WEDNESDAY, DayOfWeek.THURSDAY,
        DayOfWeek.FRIDAY)) {
      week.put(d, DEFAULT_DAY);
    }
    Map<Integer, CalendarYear> byYear = new HashMap<>();
    for (CalendarYear y : years) {
      byYear.put(y.year(), y);
    }
    return new BusinessCalendar(DEFAULT_ZONE, week, DEFAULT_DAY, byYear);
  }

  public ZoneId zone() {
    return zone;
  }

  public Map<DayOfWeek, List<OfficeSpan>> week() {
    return week;
  }

  public List<OfficeSpan> makeUpHours() {
    return makeUpHours;
  }

  public Map<Integer, CalendarYear> years() {
    return years;
  }

  public Optional<CalendarYear> year(int year) {
    return Optional.ofNullable(years.get(year));
  }

  /** A copy with one year's exceptions added or replaced. */
  public BusinessCalendar withYear(CalendarYear year) {
    Map<Integer, CalendarYear> next = new HashMap<>(years);
    next.put(year.year(), year);
    return new BusinessCalendar(zone, week, makeUpHours, next);
  }

  /** Office spans of a local date; empty on a day without office. */
  public List<OfficeSpan> hoursOn(LocalDate date) {
    CalendarYear year = years.get(date.getYear());
    if (year != null) {
      if (year.workdays().contains(date)) {
        return makeUpHours;
      }
      if (year.holidays().contains(date)) {
        return List.of();
      }
    }
    return week.get(date.getDayOfWeek());
  }

  public boolean isWorkingDay(LocalDate date) {
    return !hoursOn(date).isEmpty();
  }

  /** Whether a date's year has its official exceptions loaded; without them weekdays are assumed. */
  public boolean knows(LocalDate date) {
    return years.containsKey(date.getYear());
  }

  /** Whether the week has any office time at all; a calendar without it can place no working deadline. */
  boolean hasOfficeTime() {
    return week.values().stream().anyMatch(spans -> !spans.isEmpty());
  }
}
