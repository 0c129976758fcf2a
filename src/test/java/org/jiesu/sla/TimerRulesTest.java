package org.jiesu.sla;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TimerRulesTest {

  private static final BusinessCalendar CAL = Calendars.china2026();
  private static final TimerRules RULES = new TimerRules(new Deadlines(CAL));

  private static Instant at(String local) {
    return OffsetDateTime.parse(local + "+08:00").toInstant();
  }

  private static SlaPolicy normal() {
    return SlaPolicies.select(SlaPolicies.defaults(), "COMPLAINT", "NORMAL", "market.agency").orElseThrow();
  }

  @ParameterizedTest(name = "{0} {1} {2} → {3}")
  @CsvSource(nullValues = "-", value = {
      "COMPLAINT,    NORMAL,   market.agency, normal",
      "CONSULTATION, NORMAL,   -,             normal-consultation",
      "CONSULTATION, URGENT,   -,             urgent",
      "REPORT,       CRITICAL, traffic,       critical",
  })
  void theDefaultsFollowDesign(String type, String urgency, String category, String key) {
    assertThat(SlaPolicies.select(SlaPolicies.defaults(), type, urgency, category)).get()
        .extracting(SlaPolicy::key).isEqualTo(key);
  }

  @Test
  void theMostSpecificPolicyWinsCategoryThenTypeThenUrgency() {
    TimerSpec h = TimerSpec.natural("PT1H");
    List<SlaPolicy> policies = List.of(
        new SlaPolicy("any", null, null, null, h, h, h, 0.75),
        new SlaPolicy("urgent", null, "URGENT", null, h, h, h, 0.75),
        new SlaPolicy("complaint", "COMPLAINT", null, null, h, h, h, 0.75),
        new SlaPolicy("market", null, null, "market", h, h, h, 0.75),
        new SlaPolicy("market-agency", null, null, "market.agency", h, h, h, 0.75),
        new SlaPolicy("marketing", null, null, "marketing", h, h, h, 0.75));
    assertThat(SlaPolicies.select(policies, "HELP", "NORMAL", "roads").orElseThrow().key()).isEqualTo("any");
    assertThat(SlaPolicies.select(policies, "HELP", "URGENT", "roads").orElseThrow().key()).isEqualTo("urgent");
    assertThat(SlaPolicies.select(policies, "COMPLAINT", "URGENT", "roads").orElseThrow().key()).isEqualTo("complaint");
    assertThat(SlaPolicies.select(policies, "COMPLAINT", "URGENT", "market.fees").orElseThrow().key()).isEqualTo("market");
    assertThat(SlaPolicies.select(policies, "HELP", "NORMAL", "market.agency.fees").orElseThrow().key())
        .isEqualTo("market-agency");
    assertThat(SlaPolicies.select(policies, "HELP", "NORMAL", "marketing.x").orElseThrow().key()).isEqualTo("marketing");
    assertThat(SlaPolicies.select(List.of(policies.get(1)), "HELP", "NORMAL", null)).isEmpty();
  }

  @Test
  void dispatchStartsTheRoundsTimersInTheirClocks() {
    Instant friday = at("2026-11-27T16:30:00");
    Map<TimerKind, Timer> t = byKind(RULES.startRound(normal(), 1, friday));
    assertThat(t.get(TimerKind.SIGN).clock()).isEqualTo(TimerClock.WORKING);
    assertThat(t.get(TimerKind.SIGN).dueAt()).isEqualTo(at("2026-11-30T12:00:00"));
    assertThat(t.get(TimerKind.SIGN).warnAt()).isEqualTo(at("2026-11-30T11:00:00"));
    assertThat(t.get(TimerKind.CONTACT).dueAt()).isEqualTo(at("2026-11-28T16:30:00"));
    assertThat(t.get(TimerKind.RESOLVE).dueAt()).isEqualTo(at("2026-12-04T16:30:00"));
    assertThat(t.values()).allMatch(x -> x.state() == TimerState.RUNNING && x.round() == 1);
    SlaPolicy consultation = SlaPolicies.select(SlaPolicies.defaults(), "CONSULTATION", "NORMAL", null).orElseThrow();
    assertThat(byKind(RULES.startRound(consultation, 1, friday))).doesNotContainKey(TimerKind.CONTACT);
  }

  @Test
  void meetingStoresTheAchievedTimeAndKeepsABreach() {
    Timer sign = byKind(RULES.startRound(normal(), 1, at("2026-11-23T09:00:00"))).get(TimerKind.SIGN);
    Timer met = RULES.meet(sign, at("2026-11-23T10:00:00")).orElseThrow();
    assertThat(met.state()).isEqualTo(TimerState.MET);
    assertThat(met.metOnTime()).isTrue();
    assertThat(RULES.meet(met, at("2026-11-23T11:00:00"))).isEmpty();
    Timer breached = RULES.breach(sign, sign.dueAt()).orElseThrow();
    Timer late = RULES.meet(breached, sign.dueAt().plusSeconds(60)).orElseThrow();
    assertThat(late.state()).isEqualTo(TimerState.BREACHED);
    assertThat(late.metAt()).isEqualTo(sign.dueAt().plusSeconds(60));
    assertThat(late.metOnTime()).isFalse();
  }

  @Test
  void aBreachNeedsARunningTimerThatIsReallyDue() {
    Timer sign = byKind(RULES.startRound(normal(), 1, at("2026-11-23T09:00:00"))).get(TimerKind.SIGN);
    assertThat(RULES.breach(sign, sign.dueAt().minusMillis(1))).isEmpty();
    assertThat(RULES.breach(sign, sign.dueAt())).get().extracting(Timer::breachedAt).isEqualTo(sign.dueAt());
    Timer paused = RULES.pause(sign, at("2026-11-23T10:00:00")).orElseThrow();
    assertThat(RULES.breach(paused, sign.dueAt().plusSeconds(3600))).isEmpty();
    assertThat(RULES.breach(RULES.cancel(sign).orElseThrow(), sign.dueAt())).isEmpty();
    assertThat(RULES.warningDue(sign, sign.warnAt())).isTrue();
    assertThat(RULES.warningDue(sign, sign.warnAt().minusMillis(1))).isFalse();
    assertThat(RULES.warningDue(sign, sign.dueAt())).isFalse();
  }

  @Test
  void suspensionPausesAndResumeShiftsByThePausedOfficeTime() {
    Timer sign = byKind(RULES.startRound(normal(), 1, at("2026-11-23T09:00:00"))).get(TimerKind.SIGN);
    assertThat(sign.dueAt()).isEqualTo(at("2026-11-23T14:30:00"));
    Timer paused = RULES.pause(sign, at("2026-11-23T10:00:00")).orElseThrow();
    assertThat(paused.state()).isEqualTo(TimerState.PAUSED);
    assertThat(RULES.remaining(paused, at("2026-11-25T10:00:00"))).isEqualTo(Duration.ofHours(3));
    // paused Monday 10:00 → Tuesday 10:00: one whole office day (7 h) later
    Timer resumed = RULES.resume(paused, at("2026-11-24T10:00:00")).orElseThrow();
    assertThat(resumed.state()).isEqualTo(TimerState.RUNNING);
    assertThat(resumed.pausedTotal()).isEqualTo(Duration.ofHours(7));
    assertThat(resumed.dueAt()).isEqualTo(at("2026-11-24T14:30:00"));
    assertThat(resumed.warnAt()).isEqualTo(at("2026-11-24T12:00:00"));
    // the natural-time RESOLVE timer shifts by wall time
    Timer resolve = byKind(RULES.startRound(normal(), 1, at("2026-11-23T09:00:00"))).get(TimerKind.RESOLVE);
    Timer back = RULES.resume(RULES.pause(resolve, at("2026-11-23T10:00:00")).orElseThrow(),
        at("2026-11-24T10:00:00")).orElseThrow();
    assertThat(back.dueAt()).isEqualTo(at("2026-12-01T09:00:00"));
  }

  @Test
  void extensionMovesResolveAndSurvivesARecomputation() {
    Timer resolve = byKind(RULES.startRound(normal(), 1, at("2026-11-23T09:00:00"))).get(TimerKind.RESOLVE);
    assertThat(resolve.dueAt()).isEqualTo(at("2026-11-30T09:00:00"));
    Timer extended = RULES.extend(resolve, at("2026-12-03T09:00:00")).orElseThrow();
    assertThat(extended.dueAt()).isEqualTo(at("2026-12-03T09:00:00"));
    assertThat(extended.extendedBy()).isEqualTo(Duration.ofDays(3));
    assertThat(RULES.extend(extended, at("2026-12-02T09:00:00"))).isEmpty();
    // a policy change to 10 days keeps the 3 days granted
    Timer longer = RULES.recompute(extended, TimerSpec.natural("P10D"), 0.75).orElseThrow();
    assertThat(longer.dueAt()).isEqualTo(at("2026-12-06T09:00:00"));
    // the cap: the unextended due time plus 10 working days
    assertThat(RULES.latestExtension(extended, 10)).isEqualTo(at("2026-12-14T09:00:00"));
  }

  @Test
  void aCalendarChangeRecomputesRunningWorkingTimers() {
    Instant thursday = at("2026-12-31T16:30:00");
    Timer sign = byKind(RULES.startRound(normal(), 1, thursday)).get(TimerKind.SIGN);
    assertThat(sign.calendarMissing()).isTrue();
    assertThat(sign.dueAt()).isEqualTo(at("2027-01-01T12:00:00"));
    TimerRules with2027 = new TimerRules(new Deadlines(CAL.withYear(new CalendarYear(2027,
        java.util.Set.of(java.time.LocalDate.parse("2027-01-01")), java.util.Set.of()))));
    Timer moved = with2027.recompute(sign, TimerSpec.working("PT4H"), 0.75).orElseThrow();
    assertThat(moved.dueAt()).isEqualTo(at("2027-01-04T12:00:00"));
    assertThat(moved.calendarMissing()).isFalse();
    assertThat(with2027.recompute(moved, TimerSpec.working("PT4H"), 0.75)).isEmpty();
    assertThat(with2027.recompute(RULES.cancel(sign).orElseThrow(), TimerSpec.working("PT4H"), 0.75)).isEmpty();
  }

  private static Map<TimerKind, Timer> byKind(List<Timer> timers) {
    Map<TimerKind, Timer> map = new java.util.EnumMap<>(TimerKind.class);
    timers.forEach(t -> map.put(t.kind(), t));
    return map;
  }
}
