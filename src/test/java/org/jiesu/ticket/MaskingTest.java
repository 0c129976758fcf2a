package org.jiesu.ticket;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MaskingTest {

  @Test
  void phonesKeepThePrefixAndTheLastFourDigits() {
    assertThat(Masking.phone("13812345678")).isEqualTo("138****5678");
    assertThat(Masking.phone("010-12345678")).isEqualTo("010****5678");
    assertThat(Masking.phone("62345678")).isEqualTo("****5678"); // a landline: never seven of eight digits
    assertThat(Masking.phone("1234567")).isEqualTo("****");
    assertThat(Masking.phone("12345")).isEqualTo("****");
    assertThat(Masking.phone(null)).isNull();
  }

  @Test
  void namesKeepTheFamilyNameOnly() {
    assertThat(Masking.name("张三丰")).isEqualTo("张**");
    assertThat(Masking.name("李四")).isEqualTo("李*");
    assertThat(Masking.name("王")).isEqualTo("王*");
    assertThat(Masking.name("𠀀明")).isEqualTo("𠀀*"); // a character outside the BMP stays whole
  }

  @Test
  void addressesKeepTheFirstThreeCharacters() {
    assertThat(Masking.address("中关村大街1号院")).isEqualTo("中关村****");
    assertThat(Masking.address("一号")).isEqualTo("一****");
    assertThat(Masking.address("5号楼")).isEqualTo("5****");
  }

  @Test
  void coordinatesAreRoundedToAboutAKilometre() {
    assertThat(Masking.coordinate(39.98412)).isEqualTo(39.98);
    assertThat(Masking.coordinate(null)).isNull();
  }
}
