package org.jiesu.insights;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SimilarityTest {

  static final Similarity RULE = new Similarity(Duration.ofDays(7), 500, 0.3);
  static final Instant T = Instant.parse("2026-11-25T02:00:00Z");

  static Similarity.Call call(String street, Double lat, Double lon, Instant at, String title, String content) {
    return new Similarity.Call("海淀区", street, lat, lon, at, Similarity.terms(title, content));
  }

  static final Similarity.Call SEWAGE = call("学院路街道", 39.99, 116.35, T, "小区门口污水井冒水",
      "学院路小区门口的污水井冒水，臭味很大，请尽快处理");

  @Test
  void theSameIncidentOnTheSameStreetMatchesWithItsReasons() {
    Similarity.Match m = RULE.compare(SEWAGE, call("学院路街道", null, null, T.plus(Duration.ofHours(3)),
        "污水井又冒水", "小区门口污水井又冒水了，气味难闻，请处理"));
    assertThat(m).isNotNull();
    assertThat(m.reasons()).containsExactly(Similarity.Reason.SAME_STREET, Similarity.Reason.CLOSE_IN_TIME,
        Similarity.Reason.SIMILAR_TEXT);
    assertThat(m.sharedTerms()).contains("污水", "冒水", "门口");
    assertThat(m.similarity()).isBetween(0.5, 1.0);
    assertThat(m.meters()).isNull();
  }

  @Test
  void anUnrelatedCallOnTheSameStreetDoesNotMatch() {
    assertThat(RULE.compare(SEWAGE, call("学院路街道", null, null, T, "餐馆油烟扰民",
        "学院路一家餐馆晚上排风噪音大，油烟扰民"))).isNull();
  }

  @Test
  void placeAndTimeBound() {
    Similarity.Call sameTextElsewhere = call("燕园街道", null, null, T, "小区门口污水井冒水",
        "学院路小区门口的污水井冒水，臭味很大，请尽快处理");
    assertThat(RULE.compare(SEWAGE, sameTextElsewhere)).as("another street, no coordinates").isNull();
    Similarity.Call nearby = call("燕园街道", 39.992, 116.351, T, "小区门口污水井冒水",
        "学院路小区门口的污水井冒水，臭味很大，请尽快处理");
    Similarity.Match m = RULE.compare(SEWAGE, nearby);
    assertThat(m.reasons()).contains(Similarity.Reason.NEARBY).doesNotContain(Similarity.Reason.SAME_STREET);
    assertThat(m.meters()).isBetween(200.0, 260.0);
    assertThat(RULE.compare(SEWAGE, call("学院路街道", null, null, T.plus(Duration.ofDays(8)), "小区门口污水井冒水",
        "学院路小区门口的污水井冒水，臭味很大，请尽快处理"))).as("eight days apart").isNull();
  }

  @Test
  void moreSharedTextNeverLowersTheSimilarity() {
    Similarity.Match some = RULE.compare(SEWAGE, call("学院路街道", null, null, T, "污水井冒水", "门口污水井冒水"));
    Similarity.Match same = RULE.compare(SEWAGE, call("学院路街道", null, null, T, "小区门口污水井冒水",
        "学院路小区门口的污水井冒水，臭味很大，请尽快处理"));
    assertThat(same.similarity()).isGreaterThan(some.similarity());
    assertThat(same.text()).isEqualTo(1.0);
  }
}
