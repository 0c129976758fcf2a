package org.jiesu.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.jiesu.evaluation.Scorecards.Facts;
import org.jiesu.evaluation.Scorecards.Scorecard;
import org.jiesu.evaluation.Scorecards.Settings;
import org.junit.jupiter.api.Test;

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
}
