package org.jiesu.insights;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class TermTableTest {

  static String joined(Set<String> terms) {
    return String.join(String.valueOf(TermTable.SEPARATOR), terms.stream().sorted().toList());
  }

  @Test
  void countsTheSharedTermsOfAJoinedStringWhereTheyLie() {
    TermTable table = new TermTable(Set.of("污水", "冒水", "门口", "ab"));
    assertThat(table.overlap(joined(Set.of("污水", "冒水", "臭味", "a", "abc"))))
        .isEqualTo(new TermTable.Overlap(2, 5));
    assertThat(table.overlap("")).isEqualTo(new TermTable.Overlap(0, 0));
    assertThat(table.overlap("ab")).isEqualTo(new TermTable.Overlap(1, 1));
    assertThat(new TermTable(Set.of()).overlap("ab")).isEqualTo(new TermTable.Overlap(0, 1));
  }

  @Test
  void theJoinedFormAndTheSetFormAgreeWithStoredTerms() {
    Set<String> subject = Similarity.terms("小区门口污水井冒水", "学院路小区门口的污水井冒水，臭味很大，请尽快处理");
    Set<String> other = Similarity.terms("污水井又冒水", "小区门口污水井又冒水了，气味难闻，请处理");
    TermTable table = new TermTable(subject);
    Set<String> shared = new HashSet<>(other);
    shared.retainAll(subject);
    TermTable.Overlap expected = new TermTable.Overlap(shared.size(), other.size());
    assertThat(table.overlap(String.join(String.valueOf(TermTable.SEPARATOR),
        StoredTerms.stored("污水井又冒水", "小区门口污水井又冒水了，气味难闻，请处理")))).isEqualTo(expected);
    assertThat(table.overlap(other)).isEqualTo(expected);
    assertThat(expected.shared()).isPositive();
  }

  /** Terms from a small alphabet, so that sets overlap often and hashes collide in small tables. */
  @Provide
  Arbitrary<Set<String>> terms() {
    return Arbitraries.strings().withChars("ab污水c").ofMinLength(1).ofMaxLength(3).set().ofMaxSize(12);
  }

  @Property
  void theOverlapIsTheSetIntersection(@ForAll("terms") Set<String> mine, @ForAll("terms") Set<String> theirs) {
    Set<String> shared = new HashSet<>(theirs);
    shared.retainAll(mine);
    TermTable table = new TermTable(mine);
    assertThat(table.size()).isEqualTo(mine.size());
    assertThat(table.overlap(joined(theirs))).isEqualTo(new TermTable.Overlap(shared.size(), theirs.size()));
    assertThat(table.overlap(theirs)).isEqualTo(new TermTable.Overlap(shared.size(), theirs.size()));
  }

  static final Similarity RULE = new Similarity(Duration.ofDays(7), 500, 0.3);
  static final Instant T = Instant.parse("2026-11-25T02:00:00Z");

  /** The count of similar tickets and the /similar list judge by one rule: alike exactly when compare matches. */
  @Property
  void alikeAgreesWithCompare(@ForAll("terms") Set<String> mine, @ForAll("terms") Set<String> theirs,
      @ForAll @IntRange(min = 0, max = 2) int street, @ForAll @IntRange(min = -900, max = 900) int metresNorth,
      @ForAll boolean located, @ForAll @IntRange(min = -200, max = 200) int hoursApart) {
    Similarity.Call call = new Similarity.Call("海淀区", "街道0", 39.99, 116.35, T, mine);
    Double lat = located ? 39.99 + metresNorth / 111_320.0 : null;
    Similarity.Call other = new Similarity.Call("海淀区", "街道" + street, lat, located ? 116.35 : null,
        T.plus(Duration.ofHours(hoursApart)), theirs);
    boolean alike = RULE.alike(call, new Similarity.Call(other.district(), other.street(), other.lat(), other.lon(),
        other.receivedAt(), Set.of()), new TermTable(mine).overlap(joined(theirs)));
    assertThat(alike).isEqualTo(RULE.compare(call, other) != null);
  }

  @Test
  void theRuleTurnsOnEachOfPlaceTimeAndText() {
    Set<String> text = Set.of("污水", "冒水");
    Similarity.Call call = new Similarity.Call("海淀区", "街道0", null, null, T, text);
    for (Similarity.Call other : List.of(
        new Similarity.Call("海淀区", "街道1", null, null, T, text),
        new Similarity.Call("海淀区", "街道0", null, null, T.plus(Duration.ofDays(8)), text),
        new Similarity.Call("海淀区", "街道0", null, null, T, Set.of("油烟")))) {
      assertThat(RULE.compare(call, other)).isNull();
      assertThat(RULE.alike(call, other, new TermTable(text).overlap(other.terms()))).isFalse();
    }
    Similarity.Call same = new Similarity.Call("海淀区", "街道0", null, null, T.plus(Duration.ofDays(6)), text);
    assertThat(RULE.compare(call, same)).isNotNull();
    assertThat(RULE.alike(call, same, new TermTable(text).overlap(same.terms()))).isTrue();
  }
}
