package org.jiesu.insights;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class CellsTest {

  static final Instant T = Instant.parse("2026-11-25T04:00:00Z");

  static Cells.Count c(String category, String street, int k, int n) {
    return new Cells.Count(category, "海淀区", street, k, n, T.minusSeconds(3600), T.minusSeconds(60));
  }

  @Test
  void prefixesRollUpShortestFirst() {
    assertThat(Cells.prefixes("market.agency.patent")).containsExactly("market", "market.agency",
        "market.agency.patent");
    assertThat(Cells.prefixes("market")).containsExactly("market");
    assertThat(Cells.under("market.agency", "market")).isTrue();
    assertThat(Cells.under("marketing", "market")).isFalse();
  }

  @Test
  void windowsAreTheSameWeekdayAndHoursInEachOfFourWeeks() {
    Instant[] w2 = Cells.window(T, Duration.ofHours(24), 2);
    assertThat(w2[1]).isEqualTo(T.minus(Duration.ofDays(14)));
    assertThat(w2[0]).isEqualTo(T.minus(Duration.ofDays(15)));
    // PT24H announcement windows are Shanghai calendar days
    assertThat(Cells.bucket(Instant.parse("2026-11-25T15:59:59Z"), Duration.ofHours(24), InsightSettings.SHANGHAI))
        .isEqualTo(Instant.parse("2026-11-24T16:00:00Z"));
    assertThat(Cells.bucket(Instant.parse("2026-11-25T16:00:00Z"), Duration.ofHours(24), InsightSettings.SHANGHAI))
        .isEqualTo(Instant.parse("2026-11-25T16:00:00Z"));
  }

  @Test
  void aSubcategoryCountsInItsPrefixAndTheFilterKeepsOnlyCellsUnderIt() {
    List<Cells.Count> counts = List.of(c("market.agency", "中关村街道", 0, 30), c("market.agency", "中关村街道", 1, 1),
        c("market.price", "中关村街道", 0, 2), c("market.price", "中关村街道", 1, 2), c("market.price", "中关村街道", 2, 2),
        c("market.price", "中关村街道", 3, 2), c("market.price", "中关村街道", 4, 2), c("city.road", "学院路街道", 0, 6),
        c("city.road", "学院路街道", 1, 6), c("city.road", "学院路街道", 2, 6), c("city.road", "学院路街道", 3, 6),
        c("city.road", "学院路街道", 4, 6));
    List<Cells.Judged> hot = Cells.hotspots(counts, HotspotStatistic.defaults(), null);
    assertThat(hot).extracting(j -> j.cell().category()).containsExactly("market.agency", "market");
    assertThat(hot.get(0).verdict().expected()).isEqualTo(0.25); // one call in four weeks, floored
    assertThat(hot.get(1).verdict().count()).isEqualTo(32);
    assertThat(hot.get(1).verdict().expected()).isEqualTo(2.25);
    assertThat(Cells.hotspots(counts, HotspotStatistic.defaults(), "market.agency"))
        .extracting(j -> j.cell().category()).containsExactly("market.agency");
    assertThat(Cells.judge(counts, HotspotStatistic.defaults(), "city")).extracting(j -> j.verdict().hotspot())
        .containsOnly(false);
  }

  @Property
  void aCellNeverGetsLessSurprisingWhenASubcategoryGetsMoreCalls(@ForAll @IntRange(min = 0, max = 200) int a,
      @ForAll @IntRange(min = 0, max = 200) int b, @ForAll @IntRange(min = 0, max = 50) int base) {
    List<Cells.Count> counts = new ArrayList<>(List.of(c("x.y", "s", 0, a + 1), c("x.z", "s", 0, b + 1)));
    for (int k = 1; k <= 4; k++) {
      counts.add(c("x.y", "s", k, base));
    }
    List<Cells.Count> more = new ArrayList<>(counts);
    more.add(c("x.z", "s", 0, 1));
    double before = score(Cells.judge(counts, HotspotStatistic.defaults(), "x"), "x");
    double after = score(Cells.judge(more, HotspotStatistic.defaults(), "x"), "x");
    assertThat(after).isGreaterThanOrEqualTo(before);
  }

  private static double score(List<Cells.Judged> judged, String category) {
    return judged.stream().filter(j -> j.cell().category().equals(category)).findFirst().orElseThrow()
        .verdict().score();
  }
}
