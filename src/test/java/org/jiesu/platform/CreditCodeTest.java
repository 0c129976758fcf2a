package org.jiesu.platform;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CreditCodeTest {

  @Test
  void aPublishedCodeIsValid() {
    // 小米科技有限责任公司, as printed on its business licence
    assertThat(CreditCode.problem("91110108551385082Q")).isNull();
  }

  @Test
  void aWrongCheckCharacterIsNamed() {
    assertThat(CreditCode.problem("91110108551385082A")).contains("'Q'");
  }

  @Test
  void lettersOutsideTheAlphabetAndWrongLengthsAreRefused() {
    assertThat(CreditCode.problem("9111010855138508IQ")).contains("not allowed");
    assertThat(CreditCode.problem("911101085513850")).contains("18");
    assertThat(CreditCode.problem(null)).isNotNull();
  }

  @Test
  void withCheckCompletesAValidCode() {
    String code = CreditCode.withCheck("91110000MA01ABCDE");
    assertThat(CreditCode.isValid(code)).isTrue();
    assertThat(code).startsWith("91110000MA01ABCDE").hasSize(18);
  }
}
