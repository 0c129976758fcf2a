package org.jiesu.knowledge;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The titles and tags in memory: points by term, kept current from rows that may arrive out of order. */
class ArticleHeadsTest {

  private static final Instant T = Instant.parse("2026-03-01T00:00:00Z");
  private static final UUID A = UUID.nameUUIDFromBytes("a".getBytes());
  private static final UUID B = UUID.nameUUIDFromBytes("b".getBytes());

  private static int points(ArticleHeads heads, UUID id, String query) {
    int n = heads.number(id);
    return n < 0 ? 0 : heads.points(SearchTerms.of(query))[n];
  }

  @Test
  void titleAndTagTermsScoreThreeAndTwoAndALongRunNeedsAllItsPairs() {
    ArticleHeads heads = new ArticleHeads();
    heads.apply(List.of(new ArticleHeads.Row(A, 10, T, "营业执照办理", List.of("执照"), false),
        new ArticleHeads.Row(B, 11, T, "住房公积金", List.of(), false)), 12);
    assertThat(points(heads, A, "执照")).isEqualTo(5);
    // the run needs 理营, which the title lacks; 办理 营业 业执 执照 are in it, and 执照 in the tags
    assertThat(points(heads, A, "办理营业执照")).isEqualTo(3 * 4 + 2);
    assertThat(points(heads, B, "执照")).isZero();
    assertThat(points(heads, B, "公积金")).isEqualTo(3 + 3 + 3);
    assertThat(heads.watermark()).isEqualTo(12);
  }

  @Test
  void anOlderRowArrivingLateChangesNothingAndADeletionIsKept() {
    ArticleHeads heads = new ArticleHeads();
    heads.apply(List.of(new ArticleHeads.Row(A, 20, T, "噪音投诉", List.of(), false)), 21);
    heads.apply(List.of(new ArticleHeads.Row(A, 15, T, "住房公积金", List.of(), false)), 16);
    assertThat(points(heads, A, "噪音")).isEqualTo(3);
    assertThat(points(heads, A, "公积金")).isZero();
    assertThat(heads.watermark()).isEqualTo(21);

    heads.apply(List.of(new ArticleHeads.Row(A, 30, T, "噪音投诉", List.of(), true)), 31);
    heads.apply(List.of(new ArticleHeads.Row(A, 25, T, "噪音投诉", List.of(), false)), 26);
    assertThat(points(heads, A, "噪音")).isZero();
    assertThat(heads.newest(10)).isEmpty();
    assertThat(heads.size()).isZero();
  }

  @Test
  void theNewestComeByUpdateTimeThenByIdAsPostgresqlOrdersThem() {
    ArticleHeads heads = new ArticleHeads();
    UUID low = UUID.fromString("10000000-0000-0000-0000-000000000000");
    UUID high = UUID.fromString("f0000000-0000-0000-0000-000000000000");
    heads.apply(List.of(new ArticleHeads.Row(high, 1, T, "甲", List.of(), false),
        new ArticleHeads.Row(low, 2, T, "乙", List.of(), false),
        new ArticleHeads.Row(A, 3, T.minusSeconds(1), "丙", List.of(), false)), 4);
    assertThat(heads.newest(2).stream().map(heads::id)).containsExactly(low, high);
    heads.apply(List.of(new ArticleHeads.Row(A, 5, T.plusSeconds(1), "丙", List.of(), false)), 6);
    assertThat(heads.newest(1).stream().map(heads::id)).containsExactly(A);
  }

  @Test
  void bodiesAreHeldForTheNewestOnlyAndReadAgainWhenTheArticleChanged() {
    ArticleHeads heads = new ArticleHeads();
    heads.apply(List.of(new ArticleHeads.Row(A, 10, T, "甲", List.of(), false)), 11);
    int a = heads.number(A);
    assertThat(heads.bodiesToRead(List.of(a))).containsExactly(A);
    heads.holdBodies(java.util.Map.of(A, 10L), java.util.Map.of(A, java.util.Set.of("噪音", "噪", "音")), List.of(a));
    assertThat(heads.bodiesToRead(List.of(a))).isEmpty();
    assertThat(heads.has(a, SearchTerms.Field.BODY, Arrays.asList("噪音"))).isTrue();
    heads.apply(List.of(new ArticleHeads.Row(A, 12, T.plusSeconds(1), "甲", List.of(), false)), 13);
    assertThat(heads.bodiesToRead(List.of(a))).containsExactly(A);
  }
}
