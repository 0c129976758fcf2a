package org.jiesu.knowledge;

import static org.assertj.core.api.Assertions.assertThat;

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
}
