package org.jiesu.sla;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Laws of office-time arithmetic over the 2026 official calendar and the year boundary after it. */
class WorkingTimePropertiesTest {

  private static final BusinessCalendar CAL = Calendars.china2026();
  private static final WorkingTime W = new WorkingTime(CAL);
  private static final Instant FROM = Instant.parse("2025-12-20T00:00:00Z");

  @Provide
  Arbitrary<Instant> instants() {
    // minute resolution over 2026 and into 2027, so edges (09:00, 12:00, 13:30, 17:30) are hit often
    return Arbitraries.longs().between(0, 380L * 24 * 60).map(m -> FROM.plusSeconds(m * 60));
  }

  @Provide
  Arbitrary<Duration> amounts() {
    return Arbitraries.longs().between(0, 200L * 60).map(Duration::ofMinutes);
  }

  @Property
  void addingMoreNeverEndsEarlier(@ForAll("instants") Instant start, @ForAll("amounts") Duration a,
      @ForAll("amounts") Duration b) {
    Duration small = a.compareTo(b) <= 0 ? a : b;
    Duration large = a.compareTo(b) <= 0 ? b : a;
    assertThat(W.addTime(start, small).at()).isBeforeOrEqualTo(W.addTime(start, large).at());
  }

  @Property
  void addingAThenBEqualsAddingTheSum(@ForAll("instants") Instant start, @ForAll("amounts") Duration a,
      @ForAll("amounts") Duration b) {
    Instant stepwise = W.addTime(W.addTime(start, a).at(), b).at();
    assertThat(stepwise).isEqualTo(W.addTime(start, a.plus(b)).at());
  }

  @Property
  void aPositiveAmountEndsInOfficeTime(@ForAll("instants") Instant start, @ForAll("amounts") Duration a) {
    if (a.isZero()) {
      return;
    }
    Instant end = W.addTime(start, a).at();
    ZonedDateTime local = end.atZone(CAL.zone());
    boolean inside = CAL.hoursOn(local.toLocalDate()).stream().anyMatch(s ->
        local.toLocalTime().isAfter(s.open()) && !local.toLocalTime().isAfter(s.close()));
    assertThat(inside).as("%s lies in office time", local).isTrue();
  }

  @Property
  void theOfficeTimeBetweenStartAndResultIsTheAmountAdded(@ForAll("instants") Instant start,
      @ForAll("amounts") Duration a) {
    assertThat(W.between(start, W.addTime(start, a).at())).isEqualTo(a);
  }

  @Property
  void wholeWorkingDaysLandOnAWorkingDayInOfficeTime(@ForAll("instants") Instant start,
      @ForAll("smallDays") int days) {
    Instant end = W.addDays(start, days).at();
    ZonedDateTime local = end.atZone(CAL.zone());
    assertThat(CAL.isWorkingDay(local.toLocalDate())).isTrue();
    assertThat(CAL.hoursOn(local.toLocalDate()).stream().anyMatch(s ->
        !local.toLocalTime().isBefore(s.open()) && !local.toLocalTime().isAfter(s.close()))).isTrue();
    assertThat(W.addDays(start, days + 1).at()).isAfter(end);
  }

  @Provide
  Arbitrary<Integer> smallDays() {
    return Arbitraries.integers().between(0, 15);
  }
}
