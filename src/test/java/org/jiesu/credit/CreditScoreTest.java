package org.jiesu.credit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import org.jiesu.credit.CreditEvent.Kind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CreditScoreTest {

  private static final CreditScore SCORE = new CreditScore(CreditRules.defaults(), ZoneId.of("Asia/Shanghai"));

  private static Instant day(String date) {
    return OffsetDateTime.parse(date + "T00:00:00+08:00").toInstant();
  }

  private static CreditEvent e(String id, Kind kind, String date) {
    return new CreditEvent(id, kind, day(date), Optional.empty(), Optional.empty(), "test");
  }

  private static CreditScore.Result at(String date, CreditEvent... events) {
    return SCORE.asOf(List.of(events), List.of(), day(date));
  }

  @ParameterizedTest(name = "{0} → {1}")
  @CsvSource({"110, A+", "100.5, A+", "100, A", "90, A", "89.5, B", "80, B", "79, C", "60, C", "59.9, D"})
  void gradeBoundaries(double score, String grade) {
    assertThat(SCORE.grade(score, false)).isEqualTo(grade);
  }

  @Test
  void penaltiesCountForTheirWindowOnly() {
    CreditEvent minor = e("m", Kind.MINOR_PENALTY, "2026-01-10");
    CreditEvent general = e("g", Kind.GENERAL_PENALTY, "2026-01-10");
    assertThat(at("2026-04-09", minor, general).score()).isEqualTo(80);
    assertThat(at("2026-04-10", minor, general).score()).isEqualTo(85);
    assertThat(at("2027-01-10", minor, general).score()).isEqualTo(100);
    assertThat(at("2026-01-09", minor, general).score()).isEqualTo(100); // not yet effective
    CreditEvent serious = e("s", Kind.SERIOUS_PENALTY, "2026-01-10");
    assertThat(at("2028-12-31", serious).grade()).isEqualTo("C");
    assertThat(at("2029-01-10", serious).grade()).isEqualTo("A");
  }

  @Test
  void abnormalListHasAThirtyDayGraceAndEndsWhenRemoved() {
    CreditEvent listed = e("l", Kind.ABNORMAL_LIST, "2026-03-01");
    assertThat(at("2026-03-15", listed).score()).isEqualTo(90);
    assertThat(at("2026-04-01", listed).score()).isEqualTo(80);
    CreditEvent removed = e("r", Kind.ABNORMAL_LIST_REMOVED, "2026-03-20");
    assertThat(at("2026-04-01", listed, removed).score()).isEqualTo(100);
    assertThat(at("2026-04-01", listed, removed).events()).filteredOn(v -> v.event().id().equals("l"))
        .singleElement().satisfies(v -> {
          assertThat(v.active()).isFalse();
          assertThat(v.expiresAt()).isEqualTo(day("2026-03-20"));
        });
  }

  @Test
  void theSeriousViolationListVetoesTheGradeUntilRemoved() {
    CreditEvent listed = e("v", Kind.SERIOUS_VIOLATION_LIST, "2026-05-01");
    CreditScore.Result r = at("2026-06-01", listed);
    assertThat(r.score()).isEqualTo(100);
    assertThat(r.veto()).isTrue();
    assertThat(r.grade()).isEqualTo("D");
    assertThat(at("2026-08-01", listed, e("x", Kind.SERIOUS_VIOLATION_LIST_REMOVED, "2026-07-01")).grade())
        .isEqualTo("A");
  }

  @Test
  void complaintsAndCommendationsAreCapped() {
    CreditEvent[] complaints = new CreditEvent[7];
    for (int i = 0; i < 7; i++) {
      complaints[i] = e("c" + i, Kind.SUBSTANTIATED_COMPLAINT, "2026-02-0" + (i + 1));
    }
    assertThat(at("2026-03-01", complaints).score()).isEqualTo(90);
    CreditEvent gold = new CreditEvent("b1", Kind.COMMENDATION, day("2026-01-01"), Optional.of(8), Optional.empty(), "t");
    CreditEvent silver = new CreditEvent("b2", Kind.COMMENDATION, day("2026-01-02"), Optional.of(5), Optional.empty(), "t");
    CreditScore.Result r = at("2026-03-01", gold, silver);
    assertThat(r.score()).isEqualTo(110);
    assertThat(r.grade()).isEqualTo("A+");
    assertThat(r.events()).extracting(CreditScore.EventView::points).containsExactly(8, 2);
  }

  @Test
  void aRepairStopsTheDeductionAndHistoryKeepsBoth() {
    CreditEvent penalty = e("p", Kind.GENERAL_PENALTY, "2026-01-01");
    assertThat(SCORE.repairable(penalty, day("2026-06-30"))).isFalse();
    assertThat(SCORE.repairable(penalty, day("2026-07-01"))).isTrue();
    CreditEvent repair = new CreditEvent("r", Kind.REPAIR, day("2026-07-01"), Optional.empty(), Optional.of("p"), "t");
    assertThat(at("2026-06-30", penalty, repair).score()).isEqualTo(85);
    CreditScore.Result after = at("2026-07-02", penalty, repair);
    assertThat(after.score()).isEqualTo(100);
    assertThat(after.events()).hasSize(2);
  }

  @Test
  void threeUnverifiedComplaintsInNinetyDaysFlagATargetedCheck() {
    List<Instant> three = List.of(day("2026-01-01"), day("2026-02-01"), day("2026-03-01"));
    assertThat(SCORE.asOf(List.of(), three, day("2026-03-02")).flags()).containsExactly("TARGETED_CHECK");
    assertThat(SCORE.asOf(List.of(), three, day("2026-04-02")).flags()).isEmpty();
    assertThat(SCORE.asOf(List.of(), three.subList(0, 2), day("2026-03-02")).flags()).isEmpty();
  }

  @Test
  void theComplaintCapIsPerTwelveMonthsAndFreesAsOldComplaintsExpire() {
    CreditEvent[] complaints = new CreditEvent[8];
    for (int i = 0; i < 5; i++) {
      complaints[i] = e("a" + i, Kind.SUBSTANTIATED_COMPLAINT, "2026-01-0" + (i + 1));
    }
    for (int i = 0; i < 3; i++) {
      complaints[5 + i] = e("b" + i, Kind.SUBSTANTIATED_COMPLAINT, "2026-06-0" + (i + 1));
    }
    CreditScore.Result june = at("2026-06-30", complaints);
    assertThat(june.score()).isEqualTo(90);
    assertThat(june.events()).extracting(CreditScore.EventView::points).containsExactly(-2, -2, -2, -2, -2, 0, 0, 0);
    // the January five have expired: the June three count in full
    CreditScore.Result next = at("2027-01-06", complaints);
    assertThat(next.score()).isEqualTo(94);
    assertThat(next.events()).filteredOn(CreditScore.EventView::active).hasSize(3);
  }

  @Test
  void commendationsExpireAfterTwelveMonths() {
    CreditEvent bonus = new CreditEvent("b", Kind.COMMENDATION, day("2026-01-01"), Optional.of(4), Optional.empty(), "t");
    assertThat(at("2026-12-31", bonus).score()).isEqualTo(104);
    assertThat(at("2027-01-01", bonus).score()).isEqualTo(100);
  }

  @Test
  void aListingCuredInsideItsGraceCountsTenUntilRemoved() {
    CreditEvent listed = e("l", Kind.ABNORMAL_LIST, "2026-03-01");
    CreditEvent removed = e("r", Kind.ABNORMAL_LIST_REMOVED, "2026-03-10");
    assertThat(at("2026-03-09", listed, removed).score()).isEqualTo(90);
    assertThat(at("2026-03-10", listed, removed).score()).isEqualTo(100);
    // listed again later: a new grace, then −20
    CreditEvent again = e("l2", Kind.ABNORMAL_LIST, "2026-05-01");
    assertThat(at("2026-06-15", listed, removed, again).score()).isEqualTo(80);
  }

  @Test
  void repairingTheSeriousViolationListingLiftsTheVeto() {
    CreditEvent listed = e("v", Kind.SERIOUS_VIOLATION_LIST, "2026-01-01");
    CreditEvent repair = new CreditEvent("r", Kind.REPAIR, day("2026-07-01"), Optional.empty(), Optional.of("v"), "t");
    assertThat(at("2026-06-30", listed, repair).grade()).isEqualTo("D");
    assertThat(at("2026-07-01", listed, repair).grade()).isEqualTo("A");
  }

  @Test
  void deductionsAddUpAcrossKindsToTheGradeBoundaries() {
    CreditEvent serious = e("s", Kind.SERIOUS_PENALTY, "2026-01-01");
    CreditEvent general = e("g", Kind.GENERAL_PENALTY, "2026-01-02");
    assertThat(at("2026-02-01", serious).grade()).isEqualTo("C"); // 70
    assertThat(at("2026-02-01", serious, general).score()).isEqualTo(55);
    assertThat(at("2026-02-01", serious, general).grade()).isEqualTo("D");
    CreditEvent minor = e("m", Kind.MINOR_PENALTY, "2026-01-03");
    assertThat(at("2026-02-01", general, minor).score()).isEqualTo(80);
    assertThat(at("2026-02-01", general, minor).grade()).isEqualTo("B");
  }
}
