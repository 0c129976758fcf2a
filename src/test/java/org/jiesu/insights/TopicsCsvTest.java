package org.jiesu.insights;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.YearMonth;
import java.util.List;
import org.junit.jupiter.api.Test;

class TopicsCsvTest {

  @Test
  void csvStartsWithABomQuotesAndDefusesFormulas() {
    Topics.Topic t = new Topics.Topic("market.agency", "海淀区", 12, 8, 4, 1, 2,
        List.of(new Topics.Department("D-IP", 10, 4, 3), new Topics.Department("D-MKT", 2, 0, 0)));
    Topics.Topic odd = new Topics.Topic("x", "=HYPERLINK(\"a,b\")", 1, 0, 0, 0, 0, List.of());
    String csv = Topics.csv(YearMonth.of(2026, 11), List.of(t, odd));
    assertThat(csv).startsWith("\uFEFFperiod,rank,category,");
    String[] lines = csv.split("\r\n");
    assertThat(lines[1]).isEqualTo("2026-11,1,market.agency,海淀区,12,8,0.500,4,0.250,0.500,D-IP:10:0.750;D-MKT:2:");
    assertThat(lines[2]).isEqualTo("2026-11,2,x,\"'=HYPERLINK(\"\"a,b\"\")\",1,0,,0,,,");
  }
}
