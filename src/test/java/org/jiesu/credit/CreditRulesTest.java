package org.jiesu.credit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Period;
import java.util.Map;
import org.jiesu.platform.Config;
import org.junit.jupiter.api.Test;

class CreditRulesTest {

  @Test
  void nothingSetIsTheDesignDefaults() {
    assertThat(CreditRules.from(Map.of())).isEqualTo(CreditRules.defaults());
    assertThat(CreditRules.from(Config.from(Map.of()).credit())).isEqualTo(CreditRules.defaults());
  }

  @Test
  void aDeploymentSetsItsOwnNumbersThroughTheEnvironment() {
    Config config = Config.from(Map.of("JIESU_CREDIT_COMPLAINT", "-3", "JIESU_CREDIT_REPAIR_AFTER", "P12M",
        "JIESU_CREDIT_UNVERIFIED_WINDOW", "P60D", "JIESU_CREDIT_GRADE_B", "85", "JIESU_HTTP_PORT", "9000"));
    CreditRules r = CreditRules.from(config.credit());
    assertThat(r.complaint()).isEqualTo(-3);
    assertThat(r.repairAfter()).isEqualTo(Period.ofMonths(12));
    assertThat(r.unverifiedWindow()).isEqualTo(Duration.ofDays(60));
    assertThat(r.gradeB()).isEqualTo(85);
    assertThat(r.generalPenalty()).isEqualTo(-15);
    assertThat(config.withHttpPort(9001).credit()).isEqualTo(config.credit());
  }

  @Test
  void aTypoABonusDeductionOrGradesOutOfOrderRefuseTheStart() {
    assertThatThrownBy(() -> CreditRules.from(Map.of("JIESU_CREDIT_COMPLAINTS", "-2"))).hasMessageContaining("unknown");
    assertThatThrownBy(() -> CreditRules.from(Map.of("JIESU_CREDIT_MINOR_PENALTY", "5"))).hasMessageContaining("deduction");
    assertThatThrownBy(() -> CreditRules.from(Map.of("JIESU_CREDIT_MINOR_WINDOW", "3 months")))
        .hasMessageContaining("JIESU_CREDIT_MINOR_WINDOW");
    assertThatThrownBy(() -> CreditRules.from(Map.of("JIESU_CREDIT_GRADE_C", "95"))).hasMessageContaining("grades");
  }
}
