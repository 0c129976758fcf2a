package org.jiesu.insights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HotspotStatisticTest {

  private static final HotspotStatistic STAT = HotspotStatistic.defaults();

  @Test
  void theTailMatchesHandComputedPoissonValues() {
    // P(X >= 1 | 1) = 1 - e^-1
    assertThat(Math.exp(HotspotStatistic.logUpperTail(1, 1.0))).isCloseTo(1 - Math.exp(-1), within(1e-12));
    // P(X >= 10 | 2) = 4.6498e-5
    assertThat(Math.exp(HotspotStatistic.logUpperTail(10, 2.0))).isCloseTo(4.6498e-5, within(1e-8));
    assertThat(HotspotStatistic.logFactorial(25)).isCloseTo(Math.log(1.5511210043330986e25), within(1e-9));
  }

  @Test
  void aBurstOnAQuietStreetIsAHotspotASteadyCellIsNot() {
    HotspotStatistic.Verdict burst = STAT.judge(30, List.of(1, 0, 2, 1));
    assertThat(burst.hotspot()).isTrue();
    assertThat(burst.score()).isGreaterThan(20);
    assertThat(STAT.judge(40, List.of(38, 41, 44, 37)).hotspot()).isFalse();
    assertThat(STAT.judge(3, List.of(0, 0, 0, 0)).hotspot()).as("below the minimum count").isFalse();
  }

  // scores checked against an independent sum of the Poisson tail (Python, math.lgamma)
  @ParameterizedTest(name = "{0} calls against {1}: expected {2}, score {3}, hotspot {4}")
  @CsvSource(delimiter = '|', textBlock = """
      5  | 0 0 0 0     | 0.25 | 5.18 | true
      4  | 0 0 0 0     | 0.25 | 3.87 | false
      30 | 1 0 2 1     | 1.0  | 32.84 | true
      40 | 38 41 44 37 | 40.0 | 0.283 | false
      10 | 2 2 2 2     | 2.0  | 4.33 | true
      7  | 2 2 2 2     | 2.0  | 2.344 | false
      12 | 6 6 6 6     | 6.0  | 1.70 | false
      0  | 5 5 5 5     | 5.0  | 0.0  | false
      """)
  void table(int count, String baseline, double expected, double score, boolean hotspot) {
    List<Integer> b = java.util.Arrays.stream(baseline.trim().split(" +")).map(Integer::valueOf).toList();
    HotspotStatistic.Verdict v = STAT.judge(count, b);
    assertThat(v.expected()).isEqualTo(expected);
    assertThat(v.score()).isCloseTo(score, within(0.01 + score * 0.01));
    assertThat(v.hotspot()).isEqualTo(hotspot);
  }

  @Property
  void moreTicketsNeverLowerTheScore(@ForAll @IntRange(min = 0, max = 500) int count,
      @ForAll @Size(4) List<@IntRange(min = 0, max = 300) Integer> baseline) {
    assertThat(STAT.judge(count + 1, baseline).score()).isGreaterThanOrEqualTo(STAT.judge(count, baseline).score());
  }

  @Property
  void aCellAtItsBaselineIsNeverFlagged(@ForAll @Size(4) List<@IntRange(min = 0, max = 500) Integer> baseline) {
    int atBaseline = (int) Math.floor(baseline.stream().mapToInt(Integer::intValue).average().orElse(0));
    assertThat(STAT.judge(atBaseline, baseline).hotspot()).isFalse();
  }
}
