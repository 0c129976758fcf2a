package org.jiesu.insights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

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
