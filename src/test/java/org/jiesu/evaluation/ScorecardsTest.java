package org.jiesu.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.jiesu.evaluation.Scorecards.Facts;
import org.jiesu.evaluation.Scorecards.Scorecard;
import org.jiesu.evaluation.Scorecards.Settings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ScorecardsTest {

  private static Facts facts(String dept, String group, int callbacks, int resolved, int satisfied, int basically) {
    return new Facts(dept, group, 20, 20, 18, callbacks, resolved, satisfied, basically,
        callbacks - satisfied - basically, 16, 12, 2, 1, 0, 0);
  }

  @Test
  void ratesFollowTheDesignDefaults() {
    Scorecard c = Scorecards.score(facts("D-1", "district", 10, 8, 6, 2), Settings.defaults());
    assertThat(c.responseRate()).isEqualTo(90.0);
    assertThat(c.resolutionRate()).isEqualTo(80.0);
    assertThat(c.satisfactionRate()).isEqualTo(76.0); // (6×100 + 2×80 + 2×0) / 10
    assertThat(c.composite()).isEqualTo(79.2); // 0.1×90 + 0.45×80 + 0.45×76
    assertThat(c.onTimeResolutionRate()).isEqualTo(75.0);
    assertThat(c.returnRate()).isEqualTo(10.0);
    assertThat(c.reworkRate()).isEqualTo(10.0);
    assertThat(c.smallSample()).isFalse();
  }

  @Test
  void weightsAreSettings() {
    Settings district = new Settings(0.30, 0.35, 0.35, 100, 80, 0, 10);
    assertThat(Scorecards.score(facts("D-1", "district", 10, 8, 6, 2), district).composite())
        .isEqualTo(81.6); // 0.3×90 + 0.35×80 + 0.35×76
  }

  @Test
  void rankedWithinTheGroupTiesShareARankSmallSamplesAreFlaggedNotRanked() {
    List<Scorecard> cards = Scorecards.rank(List.of(
        facts("D-A", "district", 10, 10, 10, 0),
        facts("D-B", "district", 10, 8, 6, 2),
        facts("D-C", "district", 10, 8, 6, 2),
        facts("D-D", "district", 2, 2, 2, 0),
        facts("U-1", "utility", 12, 6, 6, 0)), Settings.defaults());
    assertThat(cards).extracting(c -> c.facts().department() + ":" + c.rank() + ":" + c.smallSample())
        .containsExactly("D-A:1:false", "D-B:2:false", "D-C:2:false", "D-D:null:true", "U-1:1:false");
  }

  @Test
  void withoutCallbacksThereIsNoCompositeRatherThanAZero() {
    Scorecard c = Scorecards.score(new Facts("D-1", "g", 3, 3, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0), Settings.defaults());
    assertThat(c.resolutionRate()).isNull();
    assertThat(c.composite()).isNull();
    assertThat(c.responseRate()).isEqualTo(100.0);
  }

  /** facts: rounds, responded, callbacks, resolved, satisfied, basically, unsatisfied, replied, on time, returns, reworks. */
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', nullValues = "null", textBlock = """
      all met, all satisfied          | 10 | 10 | 10 | 10 | 10 | 0 | 0  | 10 | 10 | 0 | 0 | 100.0 | 100.0 | 100.0 | 100.0 | 100.0 | 0.0   | 0.0
      one in three, rounding          | 3  | 1  | 3  | 1  | 1  | 1 | 1  | 3  | 2  | 1 | 1 | 33.33 | 33.33 | 60.0  | 45.33 | 66.67 | 33.33 | 33.33
      basically satisfied counts 80   | 4  | 4  | 4  | 4  | 0  | 4 | 0  | 4  | 4  | 0 | 0 | 100.0 | 100.0 | 80.0  | 91.0  | 100.0 | 0.0   | 0.0
      unsatisfied counts 0            | 2  | 0  | 2  | 0  | 0  | 0 | 2  | 0  | 0  | 2 | 2 | 0.0   | 0.0   | 0.0   | 0.0   | null  | 100.0 | 100.0
      no rounds, callbacks only       | 0  | 0  | 5  | 5  | 5  | 0 | 0  | 0  | 0  | 0 | 0 | null  | 100.0 | 100.0 | null  | null  | null  | 0.0
      rounds only, nothing called     | 5  | 5  | 0  | 0  | 0  | 0 | 0  | 5  | 4  | 1 | 0 | 100.0 | null  | null  | null  | 80.0  | 20.0  | null
      """)
  void theRatesOfOneMonth(String why, int rounds, int responded, int callbacks, int resolved, int satisfied,
      int basically, int unsatisfied, int replied, int onTime, int returns, int reworks, Double response,
      Double resolution, Double satisfaction, Double composite, Double onTimeRate, Double returnRate,
      Double reworkRate) {
    Scorecard c = Scorecards.score(new Facts("D", "g", rounds, rounds, responded, callbacks, resolved, satisfied,
        basically, unsatisfied, replied, onTime, returns, reworks, 0, 0), Settings.defaults());
    assertThat(c.responseRate()).isEqualTo(response);
    assertThat(c.resolutionRate()).isEqualTo(resolution);
    assertThat(c.satisfactionRate()).isEqualTo(satisfaction);
    assertThat(c.composite()).isEqualTo(composite);
    assertThat(c.onTimeResolutionRate()).isEqualTo(onTimeRate);
    assertThat(c.returnRate()).isEqualTo(returnRate);
    assertThat(c.reworkRate()).isEqualTo(reworkRate);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', nullValues = "null", textBlock = """
      the defaults                     | 0.10 | 0.45 | 0.45 | 100 | 80  | 0  | null
      one published district scheme    | 0.30 | 0.35 | 0.35 | 100 | 80  | 0  | null
      all on satisfaction              | 0    | 0    | 1    | 100 | 100 | 0  | null
      weights over 1                   | 0.30 | 0.35 | 0.45 | 100 | 80  | 0  | /weights
      weights under 1                  | 0.10 | 0.10 | 0.10 | 100 | 80  | 0  | /weights
      basically above satisfied        | 0.10 | 0.45 | 0.45 | 80  | 90  | 0  | /satisfactionWeights/SATISFIED
      unsatisfied above basically      | 0.10 | 0.45 | 0.45 | 100 | 20  | 50 | /satisfactionWeights/BASICALLY_SATISFIED
      """)
  void settingsThatCannotScoreAreRefusedNamingTheField(String why, double response, double resolution,
      double satisfaction, double satisfied, double basically, double unsatisfied, String field) {
    Settings s = new Settings(response, resolution, satisfaction, satisfied, basically, unsatisfied, 10);
    assertThat(s.refusal().map(Scorecards.Refusal::field).orElse(null)).isEqualTo(field);
  }

  @Test
  void aMinimumSampleOfZeroRanksEveryDepartmentWithACompositeAndTheMinimumIsInclusive() {
    Settings none = new Settings(0.1, 0.45, 0.45, 100, 80, 0, 0);
    assertThat(Scorecards.score(facts("D-1", "g", 1, 1, 1, 0), none).smallSample()).isFalse();
    assertThat(Scorecards.score(facts("D-1", "g", 10, 8, 6, 2), Settings.defaults()).smallSample()).isFalse();
    assertThat(Scorecards.score(facts("D-1", "g", 9, 8, 6, 2), Settings.defaults()).smallSample()).isTrue();
  }

  @ParameterizedTest(name = "{0} is in {1}")
  @CsvSource({
      "2026-11-30T15:59:59Z, 2026-11",  // 23:59:59 on 30 November in Beijing
      "2026-11-30T16:00:00Z, 2026-12",  // midnight, 1 December in Beijing, still November in UTC
      "2026-12-31T16:00:00Z, 2027-01",
      "2026-01-31T16:00:00Z, 2026-02"})
  void monthsAreBeijingMonths(String instant, String month) {
    assertThat(Months.of(java.time.Instant.parse(instant)).toString()).isEqualTo(month);
    assertThat(ScorecardFacts.period(java.time.Instant.parse(instant)).toString()).isEqualTo(month + "-01");
  }

  @Test
  void csvCellsAreQuotedAndFormulasNeutralised() {
    assertThat(ScorecardJson.cell("海淀区中关村街道")).isEqualTo("海淀区中关村街道");
    assertThat(ScorecardJson.cell("a,b")).isEqualTo("\"a,b\"");
    assertThat(ScorecardJson.cell("say \"hi\"")).isEqualTo("\"say \"\"hi\"\"\"");
    assertThat(ScorecardJson.cell("=HYPERLINK(\"x\")")).isEqualTo("\"'=HYPERLINK(\"\"x\"\")\"");
    assertThat(ScorecardJson.cell("@SUM(A1)")).isEqualTo("'@SUM(A1)");
    assertThat(ScorecardJson.cell("-12.5")).as("a negative number stays a number").isEqualTo("-12.5");
    assertThat(ScorecardJson.cell("line\nbreak")).isEqualTo("\"line\nbreak\"");
  }
}
