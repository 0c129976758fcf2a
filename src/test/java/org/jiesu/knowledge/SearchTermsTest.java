package org.jiesu.knowledge;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SearchTermsTest {

  @Test
  void hanRunsAreSearchedWholeAndByPairs() {
    assertThat(SearchTerms.of("营业执照")).containsExactly("营业执照", "营业", "业执", "执照");
  }

  @Test
  void latinWordsAreLowerCasedAndFullWidthIsFolded() {
    assertThat(SearchTerms.of("ＥＴＣ 办理")).containsExactly("etc", "办理");
    assertThat(SearchTerms.of("WiFi密码")).containsExactly("wifi", "密码");
  }

  @Test
  void punctuationSeparatesTermsAndEmptyQueriesHaveNone() {
    assertThat(SearchTerms.of("公积金，提取？")).containsExactly("公积金", "公积", "积金", "提取");
    assertThat(SearchTerms.of("  ，。 ")).isEmpty();
    assertThat(SearchTerms.of(null)).isEmpty();
  }

  @Test
  void termsAreCapped() {
    StringBuilder distinct = new StringBuilder();
    for (int i = 0; i < 60; i++) {
      distinct.appendCodePoint(0x4E00 + i);
    }
    assertThat(SearchTerms.of(distinct.toString())).hasSize(SearchTerms.MAX_TERMS);
  }

  @Test
  void articlesAreIndexedByHanCharactersPairsAndWholeWords() {
    assertThat(SearchTerms.indexed("办理营业执照，ETC卡")).containsExactlyInAnyOrder(
        "办", "理", "营", "业", "执", "照", "办理", "理营", "营业", "业执", "执照", "etc", "卡");
    assertThat(SearchTerms.document("停水", List.of("供水", "维修"), "WiFi"))
        .containsExactlyInAnyOrder("t:停", "t:水", "t:停水", "g:供", "g:水", "g:供水", "g:维", "g:修", "g:维修", "b:wifi");
  }

  @Test
  void aLongHanRunIsLookedUpByItsPairsAndOtherTermsByThemselves() {
    assertThat(SearchTerms.keys("营业执照")).containsExactly("营业", "业执", "执照");
    assertThat(SearchTerms.keys("营业")).containsExactly("营业");
    assertThat(SearchTerms.keys("税")).containsExactly("税");
    assertThat(SearchTerms.keys("wifi")).containsExactly("wifi");
  }

  @Test
  void wordsAreCutToTheIndexKeyLimitInArticlesAndQueriesAlike() {
    String word = "a".repeat(10_000);
    assertThat(SearchTerms.indexed(word)).containsExactly("a".repeat(SearchTerms.MAX_WORD));
    assertThat(SearchTerms.of(word)).containsExactly("a".repeat(SearchTerms.MAX_WORD));
  }
}
