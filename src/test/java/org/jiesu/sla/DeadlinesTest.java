package org.jiesu.sla;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class DeadlinesTest {

  private static final Deadlines CN = new Deadlines(Calendars.china2026());

  private static Instant at(String local) {
    return OffsetDateTime.parse(local + "+08:00").toInstant();
  }

  @ParameterizedTest(name = "{0} + {1} {2} = {3}")
  @CsvSource({
      // office-hour edges and the lunch break (Mon 2026-11-23)
      "2026-11-23T09:00:00, PT4H, WORKING, 2026-11-23T14:30:00",
      "2026-11-23T11:00:00, PT1H, WORKING, 2026-11-23T12:00:00",
      "2026-11-23T11:30:00, PT1H, WORKING, 2026-11-23T14:00:00",
      "2026-11-23T12:15:00, PT1H, WORKING, 2026-11-23T14:30:00",
      "2026-11-23T17:00:00, PT1H, WORKING, 2026-11-24T09:30:00",
      "2026-11-23T20:00:00, PT2H, WORKING, 2026-11-24T11:00:00",
      "2026-11-23T07:00:00, PT7H, WORKING, 2026-11-23T17:30:00",
      // weekend: Friday evening to Monday
      "2026-11-27T16:30:00, PT4H, WORKING, 2026-11-30T12:00:00",
      "2026-11-28T10:00:00, PT2H, WORKING, 2026-11-30T11:00:00",
      // Spring Festival: 2026-02-14 (Sat) is a make-up working day, 15–23 are holidays
      "2026-02-13T16:00:00, PT4H, WORKING, 2026-02-14T11:30:00",
      "2026-02-14T17:00:00, PT4H, WORKING, 2026-02-24T14:00:00",
      "2026-02-16T10:00:00, PT1H, WORKING, 2026-02-24T10:00:00",
      // make-up Saturday 2026-02-28 counts, Sunday 03-01 does not
      "2026-02-27T17:00:00, PT1H, WORKING, 2026-02-28T09:30:00",
      "2026-02-28T17:00:00, PT1H, WORKING, 2026-03-02T09:30:00",
      // National Day: 09-30 (Wed) then holidays 10-01..07, make-up 10-10 (Sat)
      "2026-09-30T17:00:00, PT1H, WORKING, 2026-10-08T09:30:00",
      // whole working days: same local time on the N-th following working day
      "2026-11-23T10:00:00, P2D, WORKING, 2026-11-25T10:00:00",
      "2026-11-27T10:00:00, P2D, WORKING, 2026-12-01T10:00:00",
      "2026-11-28T10:00:00, P2D, WORKING, 2026-12-02T09:00:00",
      "2026-11-23T18:00:00, P1D, WORKING, 2026-11-25T09:00:00",
      "2026-02-13T15:00:00, P2D, WORKING, 2026-02-24T15:00:00",
      "2026-09-29T10:00:00, P2D, WORKING, 2026-10-08T10:00:00",
      "2026-10-09T10:00:00, P1D, WORKING, 2026-10-10T10:00:00",
      // natural time ignores the calendar
      "2026-02-13T16:00:00, PT2H, NATURAL, 2026-02-13T18:00:00",
      "2026-02-13T16:00:00, P7D, NATURAL, 2026-02-20T16:00:00",
      "2026-11-23T10:00:00, PT15M, NATURAL, 2026-11-23T10:15:00",
  })
  void dueTimes(String start, String allowed, TimerClock clock, String expected) {
    WorkingTime.Result due = CN.due(clock, at(start), SlaDuration.parse(allowed));
    assertThat(due.at()).isEqualTo(at(expected));
    assertThat(due.calendarMissing()).isFalse();
  }

  @Test
  void aYearWithoutItsCalendarFallsBackToWeekdaysAndSaysSo() {
    // 2027-01-01 is a Friday and surely a holiday, but without the 2027 notice it counts as a weekday
    WorkingTime.Result due = CN.due(TimerClock.WORKING, at("2026-12-31T17:00:00"), SlaDuration.parse("PT1H"));
    assertThat(due.at()).isEqualTo(at("2027-01-01T09:30:00"));
    assertThat(due.calendarMissing()).isTrue();
    assertThat(CN.due(TimerClock.WORKING, at("2026-12-30T17:00:00"), SlaDuration.parse("PT1H")).calendarMissing())
        .isFalse();
  }

  @Test
  void warningAtThreeQuartersOfTheOfficeTime() {
    Instant start = at("2026-11-27T16:30:00"); // Friday
    Instant due = CN.due(TimerClock.WORKING, start, SlaDuration.parse("PT4H")).at();
    assertThat(due).isEqualTo(at("2026-11-30T12:00:00"));
    assertThat(CN.warnAt(TimerClock.WORKING, start, due, 0.75)).isEqualTo(at("2026-11-30T11:00:00"));
    Instant natural = at("2026-11-23T10:00:00");
    assertThat(CN.warnAt(TimerClock.NATURAL, natural, natural.plus(Duration.ofHours(2)), 0.75))
        .isEqualTo(at("2026-11-23T11:30:00"));
    // a start on a Sunday warns inside Monday's office
    Instant sunday = at("2026-11-29T10:00:00");
    Instant sundayDue = CN.due(TimerClock.WORKING, sunday, SlaDuration.parse("PT2H")).at();
    assertThat(CN.warnAt(TimerClock.WORKING, sunday, sundayDue, 0.75)).isEqualTo(at("2026-11-30T10:30:00"));
  }

  @Test
  void resumingShiftsTheDueTimeByThePausedSpanInTheTimersClock() {
    Instant due = at("2026-11-23T16:00:00");
    // paused Monday 15:00 to Tuesday 10:00: 2.5 h + 1 h of office time
    Duration paused = CN.elapsed(TimerClock.WORKING, at("2026-11-23T15:00:00"), at("2026-11-24T10:00:00"));
    assertThat(paused).isEqualTo(Duration.ofMinutes(210));
    assertThat(CN.shift(TimerClock.WORKING, due, paused)).isEqualTo(at("2026-11-24T11:00:00"));
    Duration wall = CN.elapsed(TimerClock.NATURAL, at("2026-11-23T15:00:00"), at("2026-11-24T10:00:00"));
    assertThat(CN.shift(TimerClock.NATURAL, due, wall)).isEqualTo(at("2026-11-24T11:00:00"));
  }

  @Test
  void workingTimeBetweenCountsOnlyOfficeTime() {
    assertThat(CN.elapsed(TimerClock.WORKING, at("2026-11-23T08:00:00"), at("2026-11-23T20:00:00")))
        .isEqualTo(Duration.ofHours(7));
    assertThat(CN.elapsed(TimerClock.WORKING, at("2026-02-13T09:00:00"), at("2026-02-24T09:00:00")))
        .isEqualTo(Duration.ofHours(14)); // Friday and the make-up Saturday only
    assertThat(CN.elapsed(TimerClock.WORKING, at("2026-11-24T09:00:00"), at("2026-11-23T09:00:00")))
        .isZero();
  }

  @Test
  void daylightSavingGapShortensTheOfficeDayInRealTime() {
    // New York springs forward at 02:00 on Sunday 2026-03-08; an office open 01:00–04:00 every day
    Map<DayOfWeek, List<OfficeSpan>> week = new EnumMap<>(DayOfWeek.class);
    for (DayOfWeek d : DayOfWeek.values()) {
      week.put(d, List.of(new OfficeSpan(LocalTime.of(1, 0), LocalTime.of(4, 0))));
    }
    ZoneId ny = ZoneId.of("America/New_York");
    Deadlines d = new Deadlines(new BusinessCalendar(ny, week, List.of(), Map.of()));
    Instant open = OffsetDateTime.parse("2026-03-08T01:00:00-05:00").toInstant();
    Instant close = OffsetDateTime.parse("2026-03-08T04:00:00-04:00").toInstant();
    assertThat(d.elapsed(TimerClock.WORKING, open, close)).isEqualTo(Duration.ofHours(2));
    WorkingTime.Result due = d.due(TimerClock.WORKING, open, SlaDuration.parse("PT3H"));
    assertThat(due.at()).isEqualTo(OffsetDateTime.parse("2026-03-09T02:00:00-04:00").toInstant());
    // natural days follow the local calendar day across the change
    assertThat(d.due(TimerClock.NATURAL, open, SlaDuration.parse("P1D")).at())
        .isEqualTo(OffsetDateTime.parse("2026-03-09T01:00:00-04:00").toInstant());
  }

  @Test
  void durationsAreParsedStrictly() {
    assertThat(SlaDuration.parse("P2DT4H")).isEqualTo(new SlaDuration(2, Duration.ofHours(4)));
    assertThat(SlaDuration.parse("P1W")).isEqualTo(new SlaDuration(7, Duration.ZERO));
    assertThat(SlaDuration.parse("PT90S").toString()).isEqualTo("PT1M30S");
    assertThat(SlaDuration.parse("P2DT4H").toString()).isEqualTo("P2DT4H");
    assertThat(SlaDuration.parse("P10D").toString()).isEqualTo("P10D");
    for (String bad : new String[] {"", "PT", "P", "PT0S", "P0D", "P1M", "P1Y", "-PT1H", "PT-1H", "4h", "P367D", "PT9000H"}) {
      assertThatThrownBy(() -> SlaDuration.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void aCalendarWithoutOfficeRefusesInsteadOfLooping() {
    Deadlines none = new Deadlines(new BusinessCalendar(ZoneId.of("UTC"), Map.of(), List.of(), Map.of()));
    assertThatThrownBy(() -> none.due(TimerClock.WORKING, Instant.parse("2026-01-01T00:00:00Z"),
        SlaDuration.parse("PT1H"))).isInstanceOf(IllegalStateException.class);
  }
}
