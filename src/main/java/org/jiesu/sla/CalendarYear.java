package org.jiesu.sla;

import java.time.LocalDate;
import java.util.Set;

/**
 * One year's official exceptions: public holidays (no office that day, even on a weekday) and make-up
 * working days (调休: office on a weekend day, with the hours of an ordinary working day).
 */
public record CalendarYear(int year, Set<LocalDate> holidays, Set<LocalDate> workdays) {

  public CalendarYear {
    holidays = Set.copyOf(holidays);
    workdays = Set.copyOf(workdays);
    for (LocalDate d : holidays) {
      if (d.getYear() != year) {
        throw new IllegalArgumentException("holiday " + d + " is not in " + year);
      }
      if (workdays.contains(d)) {
        throw new IllegalArgumentException(d + " is both a holiday and a make-up working day");
      }
    }
    for (LocalDate d : workdays) {
      if (d.getYear() != year) {
        throw new IllegalArgumentException("make-up working day " + d + " is not in " + year);
      }
    }
  }
}
