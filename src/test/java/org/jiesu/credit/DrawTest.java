package org.jiesu.credit;

import org.jiesu.platform.CreditCode;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DrawTest {

  private static List<Draw.Candidate> candidates(int perGrade) {
    List<Draw.Candidate> list = new ArrayList<>();
    int n = 0;
    for (String g : Draw.GRADES) {
      for (int i = 0; i < perGrade; i++) {
        list.add(new Draw.Candidate(CreditCode.withCheck(String.format("91110108%09d", n++)), g, false));
      }
    }
    return list;
  }

  private static final List<Draw.Inspector> INSPECTORS = List.of(new Draw.Inspector("I-1", Set.of()),
      new Draw.Inspector("I-2", Set.of()), new Draw.Inspector("I-3", Set.of()));

  @Test
  void theCommitmentIsTheHexSha256OfTheSecret() {
    assertThat(Draw.commitment("abc")).isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  }

  @Test
  void sameInputsSameSelectionAndOneByteChangesIt() {
    List<Draw.Candidate> cs = candidates(100);
    var a = Draw.select("s3cret", "lottery-2026-11-26", cs, Draw.DEFAULT_RATIOS, INSPECTORS, 2);
    var b = Draw.select("s3cret", "lottery-2026-11-26", cs, Draw.DEFAULT_RATIOS, INSPECTORS, 2);
    assertThat(a).isEqualTo(b);
    assertThat(Draw.select("s3cret", "lottery-2026-11-27", cs, Draw.DEFAULT_RATIOS, INSPECTORS, 2)).isNotEqualTo(a);
    assertThat(Draw.select("s3creT", "lottery-2026-11-26", cs, Draw.DEFAULT_RATIOS, INSPECTORS, 2)).isNotEqualTo(a);
  }

  @Test
  void ratiosPerGradeRoundUpAndFlaggedEntitiesAreAlwaysIncluded() {
    List<Draw.Candidate> cs = new ArrayList<>(candidates(100));
    Draw.Candidate flagged = new Draw.Candidate(CreditCode.withCheck("91110108999999999"), "A+", true);
    cs.add(flagged);
    var sel = Draw.select("k", "r", cs, Draw.DEFAULT_RATIOS, INSPECTORS, 2);
    Map<String, Long> sampled = new HashMap<>();
    sel.stream().filter(s -> s.reason().equals("SAMPLED")).forEach(s -> sampled.merge(s.grade(), 1L, Long::sum));
    assertThat(sampled).containsEntry("A+", 4L) // ceil(0.03 × 101)
        .containsEntry("A", 5L).containsEntry("B", 10L).containsEntry("C", 40L).containsEntry("D", 100L);
    assertThat(sel).anyMatch(s -> s.creditCode().equals(flagged.creditCode()));
    assertThat(sel).allMatch(s -> s.inspectors().size() == 2);
  }

  @Test
  void aConflictedInspectorIsNeverAssigned() {
    List<Draw.Candidate> cs = candidates(20);
    String code = cs.get(80).creditCode(); // a D entity: always selected
    List<Draw.Inspector> inspectors = List.of(new Draw.Inspector("I-1", Set.of(code)), new Draw.Inspector("I-2", Set.of()),
        new Draw.Inspector("I-3", Set.of()));
    for (int seed = 0; seed < 200; seed++) {
      var sel = Draw.select("secret-" + seed, "public", cs, Draw.DEFAULT_RATIOS, inspectors, 2);
      assertThat(sel.stream().filter(s -> s.creditCode().equals(code)).findFirst().orElseThrow().inspectors())
          .containsExactlyInAnyOrder("I-2", "I-3");
    }
  }

  @Test
  void everyCandidateIsEquallyLikelyChiSquare() {
    // 50 B-grade candidates, 10% sampled (5 each draw), 4,000 draws: 20,000 picks, 400 expected each
    List<Draw.Candidate> cs = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      cs.add(new Draw.Candidate(CreditCode.withCheck(String.format("91110108%09d", i)), "B", false));
    }
    Map<String, Integer> counts = new HashMap<>();
    int draws = 4000;
    for (int seed = 0; seed < draws; seed++) {
      for (var s : Draw.select("seed-" + seed, "beacon", cs, Draw.DEFAULT_RATIOS, INSPECTORS, 1)) {
        counts.merge(s.creditCode(), 1, Integer::sum);
      }
    }
    double expected = draws * 5 / 50.0;
    double chi2 = cs.stream().mapToDouble(c -> {
      double d = counts.getOrDefault(c.creditCode(), 0) - expected;
      return d * d / expected;
    }).sum();
    // 49 degrees of freedom: the 99.9th percentile of chi-square is 85.4
    assertThat(chi2).isLessThan(85.4);
  }

  @Test
  void takeIsDecimalCeilOfRatioTimesCount() {
    assertThat(Draw.take(0.07, 100)).isEqualTo(7); // 0.07 * 100 is 7.000000000000001 in binary floating point
    assertThat(Draw.take(0.03, 101)).isEqualTo(4);
    assertThat(Draw.take(0.1, 30)).isEqualTo(3);
    assertThat(Draw.take(0.05, 1)).isEqualTo(1);
    assertThat(Draw.take(1.0, 0)).isZero();
  }

  @Test
  void changingOneByteOfAnyInputChangesTheSelection() {
    List<Draw.Candidate> cs = candidates(40);
    var base = Draw.select("secret", "beacon-1", cs, Draw.DEFAULT_RATIOS, INSPECTORS, 2);
    List<Draw.Candidate> renamed = new ArrayList<>(cs);
    // the first B-grade candidate's code, last character changed: its rank and so the order change
    Draw.Candidate b = cs.get(80);
    renamed.set(80, new Draw.Candidate(b.creditCode().substring(0, 16) + "Z" + b.creditCode().charAt(17), "B", false));
    assertThat(Draw.select("secret", "beacon-1", renamed, Draw.DEFAULT_RATIOS, INSPECTORS, 2)).isNotEqualTo(base);
    assertThat(Draw.select("secret", "beacon-2", cs, Draw.DEFAULT_RATIOS, INSPECTORS, 2)).isNotEqualTo(base);
    assertThat(Draw.select("Secret", "beacon-1", cs, Draw.DEFAULT_RATIOS, INSPECTORS, 2)).isNotEqualTo(base);
  }

  @Test
  void inspectorsAreSpreadEvenlyOverManySeeds() {
    // one D entity (always selected), 4 inspectors, 1 assigned: each should get about a quarter of 4,000 draws
    List<Draw.Candidate> one = List.of(new Draw.Candidate(CreditCode.withCheck("91110108000000001"), "D", false));
    List<Draw.Inspector> four = List.of(new Draw.Inspector("I-1", Set.of()), new Draw.Inspector("I-2", Set.of()),
        new Draw.Inspector("I-3", Set.of()), new Draw.Inspector("I-4", Set.of()));
    Map<String, Integer> counts = new HashMap<>();
    for (int seed = 0; seed < 4000; seed++) {
      counts.merge(Draw.select("s-" + seed, "p", one, Draw.DEFAULT_RATIOS, four, 1).get(0).inspectors().get(0), 1, Integer::sum);
    }
    double chi2 = counts.values().stream().mapToDouble(c -> (c - 1000.0) * (c - 1000.0) / 1000.0).sum();
    assertThat(counts).hasSize(4);
    // 3 degrees of freedom: the 99.9th percentile of chi-square is 16.27
    assertThat(chi2).isLessThan(16.27);
  }
}
