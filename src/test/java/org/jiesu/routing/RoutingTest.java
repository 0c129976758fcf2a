package org.jiesu.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.jiesu.routing.RoutingRule.Match;
import org.jiesu.ticket.workflow.TicketType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RoutingTest {

  static RoutingFacts facts(String category, String district, String street, TicketType type, String title,
      String content) {
    return new RoutingFacts(category, Optional.ofNullable(district), Optional.ofNullable(street), type.name(), title,
        content);
  }

  static RoutingFacts complaint(String category) {
    return facts(category, "海淀区", "中关村街道", TicketType.COMPLAINT, "投诉", "代理机构不退费");
  }

  static Match category(String code) {
    return new Match(Optional.of(code), List.of(), List.of(), List.of(), List.of());
  }

  static Match keywords(String... words) {
    return new Match(Optional.empty(), List.of(), List.of(), List.of(), List.of(words));
  }

  static RoutingRule rule(String id, int priority, Match match, String lead, String... assisting) {
    return new RoutingRule(id, priority, match, lead, List.of(assisting));
  }

  static Optional<String> leadFor(List<RoutingRule> rules, RoutingFacts facts) {
    return Routing.route(rules, facts).map(Assignment::leadDepartment);
  }

  @ParameterizedTest(name = "rule {0} vs ticket {1} → {2}")
  @CsvSource({
      "market, market, true",
      "market, market.agency, true",
      "market, market.agency.patent, true",
      "market.agency, market.agency, true",
      "market, marketing, false",
      "market.agency, market, false",
      "market.agency, market.agent, false",
      "market.agency, market.agencyx, false",
      "market, supermarket, false",
  })
  void aCategoryMatchesItselfAndTheCodesBelowIt(String ruleCode, String ticketCode, boolean matches) {
    List<RoutingRule> rules = List.of(rule("R1", 1, category(ruleCode), "D-MKT"));
    assertThat(leadFor(rules, complaint(ticketCode)).isPresent()).isEqualTo(matches);
  }

  @Test
  void aMalformedCategoryCodeIsRefused() {
    assertThatThrownBy(() -> category("market.")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> category("")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aListMatchesWhenItHoldsTheTicketsValue() {
    Match haidian = new Match(Optional.empty(), List.of("海淀区", "朝阳区"), List.of(), List.of(), List.of());
    List<RoutingRule> rules = List.of(rule("R1", 1, haidian, "D-HD"));
    assertThat(leadFor(rules, facts("x", "朝阳区", null, TicketType.HELP, "", ""))).contains("D-HD");
    assertThat(leadFor(rules, facts("x", "西城区", null, TicketType.HELP, "", ""))).isEmpty();
    // a ticket without a district cannot satisfy a district condition
    assertThat(leadFor(rules, facts("x", null, null, TicketType.HELP, "", ""))).isEmpty();
  }

  @Test
  void streetsAndTypesAreConditionsToo() {
    Match match = new Match(Optional.empty(), List.of(), List.of("中关村街道"),
        List.of(TicketType.COMPLAINT.name(), TicketType.REPORT.name()), List.of());
    List<RoutingRule> rules = List.of(rule("R1", 1, match, "D-ZGC"));
    assertThat(leadFor(rules, facts("x", "海淀区", "中关村街道", TicketType.REPORT, "", ""))).contains("D-ZGC");
    assertThat(leadFor(rules, facts("x", "海淀区", "中关村街道", TicketType.HELP, "", ""))).isEmpty();
    assertThat(leadFor(rules, facts("x", "海淀区", "学院路街道", TicketType.REPORT, "", ""))).isEmpty();
  }

  @Test
  void everyPresentConditionMustHold() {
    Match both = new Match(Optional.of("market"), List.of("海淀区"), List.of(), List.of(), List.of("退费"));
    List<RoutingRule> rules = List.of(rule("R1", 1, both, "D-MKT"));
    assertThat(leadFor(rules, complaint("market.agency"))).contains("D-MKT");
    assertThat(leadFor(rules, complaint("traffic"))).isEmpty();
    assertThat(leadFor(rules, facts("market", "西城区", null, TicketType.COMPLAINT, "", "不退费"))).isEmpty();
    assertThat(leadFor(rules, facts("market", "海淀区", null, TicketType.COMPLAINT, "", "态度差"))).isEmpty();
  }

  @Test
  void aChineseKeywordMatchesInsideTheContent() {
    List<RoutingRule> rules = List.of(rule("R-NOISE", 1, keywords("噪音"), "D-ENV"));
    assertThat(leadFor(rules, facts("env", null, null, TicketType.COMPLAINT, "夜间扰民", "晚上施工噪音扰民")))
        .contains("D-ENV");
    assertThat(leadFor(rules, facts("env", null, null, TicketType.COMPLAINT, "夜间扰民", "晚上施工灯光扰民")))
        .isEmpty();
  }

  @Test
  void aKeywordMatchesInTheTitle() {
    List<RoutingRule> rules = List.of(rule("R1", 1, keywords("商标"), "D-IP"));
    assertThat(leadFor(rules, facts("x", null, null, TicketType.REPORT, "商标代理机构虚假宣传", "见附件"))).contains("D-IP");
  }

  @Test
  void anyOneKeywordIsEnough() {
    List<RoutingRule> rules = List.of(rule("R1", 1, keywords("专利", "商标"), "D-IP"));
    assertThat(leadFor(rules, facts("x", null, null, TicketType.REPORT, "", "商标注册被拖延"))).contains("D-IP");
  }

  @Test
  void keywordsIgnoreLatinCaseAndFullWidthForms() {
    List<RoutingRule> rules = List.of(rule("R-AIR", 1, keywords("pm2.5"), "D-ENV"));
    assertThat(leadFor(rules, facts("x", null, null, TicketType.HELP, "", "小区附近ＰＭ２．５超标"))).contains("D-ENV");
    assertThat(leadFor(rules, facts("x", null, null, TicketType.HELP, "PM2.5 太高", ""))).contains("D-ENV");
    // and the other way round: a full-width keyword matches half-width text
    List<RoutingRule> fullWidth = List.of(rule("R-APP", 1, keywords("ＡＰＰ"), "D-NET"));
    assertThat(leadFor(fullWidth, facts("x", null, null, TicketType.HELP, "", "某app乱收费"))).contains("D-NET");
  }

  @Test
  void aKeywordDoesNotMatchAcrossTitleAndContent() {
    List<RoutingRule> rules = List.of(rule("R1", 1, keywords("噪音"), "D-ENV"));
    assertThat(leadFor(rules, facts("x", null, null, TicketType.HELP, "施工噪", "音很大"))).isEmpty();
  }

  @Test
  void aBlankKeywordIsRefusedBecauseItWouldMatchEverything() {
    assertThatThrownBy(() -> keywords("噪音", " ")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theHighestPriorityWins() {
    List<RoutingRule> rules = List.of(
        rule("R-LOW", 1, category("market"), "D-MKT"),
        rule("R-HIGH", 10, keywords("代理"), "D-IP", "D-MKT"),
        rule("R-MID", 5, category("market.agency"), "D-AGENCY"));
    Optional<Assignment> assignment = Routing.route(rules, complaint("market.agency"));
    assertThat(assignment).contains(new Assignment("D-IP", List.of("D-MKT"), "R-HIGH"));
  }

  @Test
  void onEqualPriorityTheMoreSpecificRuleWins() {
    Match districtOnly = new Match(Optional.empty(), List.of("海淀区"), List.of(), List.of(), List.of());
    Match districtAndStreet = new Match(Optional.empty(), List.of("海淀区"), List.of("中关村街道"), List.of(), List.of());
    List<RoutingRule> rules = List.of(rule("A", 5, districtOnly, "D-HD"), rule("B", 5, districtAndStreet, "D-ZGC"));
    assertThat(leadFor(rules, complaint("x"))).contains("D-ZGC");
  }

  @Test
  void remainingTiesGoToTheLowerIdWhateverTheOrderOfTheRules() {
    List<RoutingRule> rules = new ArrayList<>(List.of(
        rule("R-2", 5, category("market"), "D-TWO"),
        rule("R-1", 5, category("market"), "D-ONE"),
        rule("R-3", 5, category("market"), "D-THREE")));
    for (int i = 0; i < rules.size(); i++) {
      Collections.rotate(rules, 1);
      assertThat(Routing.route(rules, complaint("market.agency")).map(Assignment::ruleId)).contains("R-1");
    }
  }

  @Test
  void aRuleWithoutConditionsCatchesEverythingElse() {
    List<RoutingRule> rules = List.of(
        rule("R-CATCH-ALL", 0, Match.any(), "D-GENERAL"),
        rule("R-MKT", 10, category("market"), "D-MKT"));
    assertThat(leadFor(rules, complaint("market.agency"))).contains("D-MKT");
    assertThat(leadFor(rules, complaint("traffic.parking"))).contains("D-GENERAL");
  }

  @Test
  void noMatchingRuleMeansNoAssignment() {
    List<RoutingRule> rules = List.of(rule("R-MKT", 10, category("market"), "D-MKT"),
        rule("R-NOISE", 10, keywords("噪音"), "D-ENV"));
    assertThat(Routing.route(rules, complaint("traffic.parking"))).isEmpty();
    assertThat(Routing.route(List.of(), complaint("market"))).isEmpty();
  }

  @Test
  void aRuleCannotNameItsLeadAsAssisting() {
    assertThatThrownBy(() -> rule("R1", 1, Match.any(), "D-MKT", "D-MKT"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
