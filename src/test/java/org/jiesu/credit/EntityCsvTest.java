package org.jiesu.credit;

import org.jiesu.platform.CreditCode;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jiesu.platform.Problem;
import org.junit.jupiter.api.Test;

class EntityCsvTest {

  private static final Instant NOW = Instant.parse("2026-11-26T00:00:00Z");
  private static final String A = CreditCode.withCheck("91110108MA0000001");
  private static final String B = CreditCode.withCheck("91110108MA0000002");

  @Test
  void quotedFieldsBomAndAnyColumnOrderRead() {
    List<Entity> read = EntityCsv.parse("\uFEFFkind,name,creditCode\r\nPATENT_AGENCY,\"北京\"\"某\"\"代理, 有限公司\"," + A
        + "\r\n\r\nENTERPRISE,\"多行\n名称\"," + B + "\n", NOW);
    assertThat(read).extracting(Entity::creditCode).containsExactly(A, B);
    assertThat(read.get(0).name()).isEqualTo("北京\"某\"代理, 有限公司");
    assertThat(read.get(1).name()).isEqualTo("多行\n名称");
    assertThat(read.get(0).district()).isEqualTo(Optional.empty());
  }

  @Test
  void everyBadLineIsNamedAndNothingIsReturned() {
    String bad = A.substring(0, 17) + (A.charAt(17) == '0' ? '1' : '0');
    assertThatThrownBy(() -> EntityCsv.parse("creditCode,name,kind,district\n" + bad + ",甲,ENTERPRISE,\n"
        + A + ",,SPACESHIP,\n" + A + ",乙,ENTERPRISE,\n" + B + ",丙\n", NOW))
        .isInstanceOfSatisfying(Problem.class, p -> {
          assertThat(p.status()).isEqualTo(422);
          assertThat(p.errors()).extracting(Problem.FieldError::field).containsExactly("/lines/2/creditCode",
              "/lines/3/name", "/lines/3/kind", "/lines/4/creditCode", "/lines/5");
        });
  }

  @Test
  void theHeaderMustNameTheColumns() {
    assertThatThrownBy(() -> EntityCsv.parse("code,name,kind\n", NOW)).isInstanceOf(Problem.class)
        .hasMessageContaining("creditCode");
    assertThatThrownBy(() -> EntityCsv.parse("", NOW)).isInstanceOf(Problem.class);
  }
}
