package org.jiesu.credit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import org.jiesu.credit.CreditEvent.Kind;
import org.jiesu.platform.Problem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CreditEventRulesTest {

  private static final CreditScore SCORE = new CreditScore(CreditRules.defaults(), ZoneId.of("Asia/Shanghai"));
  private static final Instant NOW = day("2026-11-26");

  private static Instant day(String date) {
    return OffsetDateTime.parse(date + "T00:00:00+08:00").toInstant();
  }

  private static CreditEvent e(String id, Kind kind, String date) {
    return new CreditEvent(id, kind, day(date), Optional.empty(), Optional.empty(), "t");
  }

  private static CreditEvent repair(String target, String date) {
    return new CreditEvent("r", Kind.REPAIR, day(date), Optional.empty(), Optional.of(target), "t");
  }

  private static Optional<String> refusal(List<CreditEvent> existing, CreditEvent proposed) {
    return CreditEventRules.refusal(existing, proposed, NOW, SCORE).map(p -> p.errors().get(0).field() + " " + p.status());
  }

  @ParameterizedTest(name = "{0} {1} → {2}")
  @CsvSource({
      // kind, points, expected refusal (empty: allowed)
      "MINOR_PENALTY, , ",
      "COMMENDATION, 5, ",
      "COMMENDATION, , /points 422",
      "MINOR_PENALTY, 5, /points 422",
      "SUBSTANTIATED_COMPLAINT, , /kind 422",
      "ABNORMAL_LIST_REMOVED, , /kind 422",
      "SERIOUS_VIOLATION_LIST_REMOVED, , /kind 422",
      "REPAIR, , /repairs 422"})
  void whatAnInspectorMayRecordOnAnEntityWithoutHistory(String kind, Integer points, String expected) {
    CreditEvent proposed = new CreditEvent("n", Kind.valueOf(kind), NOW, Optional.ofNullable(points), Optional.empty(), "t");
    assertThat(refusal(List.of(), proposed)).isEqualTo(Optional.ofNullable(expected));
  }

  @Test
  void aRepairWaitsForTheMinimumPeriodAndHappensOnce() {
    CreditEvent penalty = e("p", Kind.GENERAL_PENALTY, "2026-05-27");
    assertThat(refusal(List.of(penalty), repair("p", "2026-11-26"))).contains("/repairs 422");
    CreditEvent older = e("q", Kind.GENERAL_PENALTY, "2026-05-26");
    assertThat(refusal(List.of(older), repair("q", "2026-11-26"))).isEmpty();
    assertThat(refusal(List.of(older, repair("q", "2026-11-26")), repair("q", "2026-11-26"))).contains("/repairs 422");
    Problem missing = CreditEventRules.refusal(List.of(older), repair("nope", "2026-11-26"), NOW, SCORE).orElseThrow();
    assertThat(missing.type()).isEqualTo("unprocessable");
    CreditEvent bonus = new CreditEvent("b", Kind.COMMENDATION, day("2026-01-01"), Optional.of(3), Optional.empty(), "t");
    assertThat(refusal(List.of(bonus), repair("b", "2026-11-26"))).contains("/repairs 422");
  }

  @Test
  void listingsAndRemovalsAlternate() {
    CreditEvent listed = e("l", Kind.ABNORMAL_LIST, "2026-10-01");
    assertThat(refusal(List.of(listed), e("x", Kind.ABNORMAL_LIST, "2026-11-01"))).contains("/kind 422");
    assertThat(refusal(List.of(listed), e("x", Kind.ABNORMAL_LIST_REMOVED, "2026-11-01"))).isEmpty();
    assertThat(refusal(List.of(listed), e("x", Kind.ABNORMAL_LIST_REMOVED, "2026-09-01"))).contains("/kind 422");
    CreditEvent removed = e("r", Kind.ABNORMAL_LIST_REMOVED, "2026-10-15");
    assertThat(refusal(List.of(listed, removed), e("x", Kind.ABNORMAL_LIST, "2026-11-01"))).isEmpty();
    assertThat(refusal(List.of(listed, removed), e("x", Kind.ABNORMAL_LIST_REMOVED, "2026-11-01"))).contains("/kind 422");
  }

  @Test
  void nothingTakesEffectInTheFuture() {
    assertThat(refusal(List.of(), e("f", Kind.MINOR_PENALTY, "2026-11-27"))).contains("/effectiveAt 422");
  }
}
