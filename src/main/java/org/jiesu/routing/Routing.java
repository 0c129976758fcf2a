package org.jiesu.routing;

import java.text.Normalizer;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Picks the departments for a new ticket from the routing rules (DESIGN §4). Pure: the rules and the
 * facts come in, an assignment or nothing comes out; no rule matching means the ticket waits in RECEIVED
 * for manual dispatch. Departments named by the hotline win over routing; that choice is the caller's.
 */
public final class Routing {

  /**
   * The order in which matching rules win: higher priority first; on equal priority the rule with more
   * conditions (the more specific one, e.g. a street over a whole district); then the lower id by plain
   * string order, so the result never depends on the order the rules were loaded in.
   */
  static final Comparator<RoutingRule> PRECEDENCE = Comparator
      .comparingInt(RoutingRule::priority).reversed()
      .thenComparing(Comparator.comparingInt((RoutingRule r) -> r.match().conditions()).reversed())
      .thenComparing(RoutingRule::id);

  private Routing() {}

  /**
   * The ticket's text is folded once, not once per keyword of every rule (a 20,000-character content
   * against hundreds of rules of up to 100 keywords each made intake seconds of event-loop work), and
   * the rules are tried in precedence order until one matches.
   */
  public static Optional<Assignment> route(List<RoutingRule> rules, RoutingFacts facts) {
    RoutingFacts folded = fold(facts);
    return rules.stream()
        .sorted(PRECEDENCE)
        .filter(rule -> matchesFolded(rule.match(), folded))
        .findFirst()
        .map(rule -> new Assignment(rule.leadDepartment(), rule.assistingDepartments(), rule.id()));
  }

  static boolean matches(RoutingRule.Match m, RoutingFacts facts) {
    return matchesFolded(m, fold(facts));
  }

  private static RoutingFacts fold(RoutingFacts facts) {
    return new RoutingFacts(facts.category(), facts.district().map(Routing::fold), facts.street().map(Routing::fold),
        facts.type(), fold(facts.title()), fold(facts.content()));
  }

  private static boolean matchesFolded(RoutingRule.Match m, RoutingFacts facts) {
    return m.category().map(c -> categoryMatches(c, facts.category())).orElse(true)
        && listMatches(m.districts(), facts.district())
        && listMatches(m.streets(), facts.street())
        && (m.types().isEmpty() || m.types().contains(facts.type()))
        && (m.keywords().isEmpty() || m.keywords().stream().anyMatch(k -> mentions(facts, k)));
  }

  /**
   * A catalogue code matches itself and every code below it: "market" matches "market.agency" but not
   * "marketing". Codes are compared exactly: they are identifiers from the catalogue, not prose.
   */
  static boolean categoryMatches(String rule, String ticket) {
    return ticket.equals(rule) || ticket.startsWith(rule + ".");
  }

  private static boolean listMatches(List<String> allowed, Optional<String> value) {
    if (allowed.isEmpty()) {
      return true;
    }
    return value.map(v -> allowed.stream().map(Routing::fold).anyMatch(v::equals)).orElse(false);
  }

  /**
   * Chinese has no word boundaries, so a keyword matches as a plain substring of the title or of the
   * content — each searched on its own, so a keyword cannot match across the seam between them.
   */
  private static boolean mentions(RoutingFacts facts, String keyword) {
    String k = fold(keyword);
    return facts.title().contains(k) || facts.content().contains(k);
  }

  /**
   * NFKC folds full-width forms to their half-width equivalents (ＰＭ２.５ → PM2.5, common in text typed
   * on Chinese input methods); lower-casing then makes Latin letters case-insensitive and leaves Chinese
   * untouched. Surrounding whitespace (including the ideographic space, which NFKC turns into a plain one)
   * is not part of a name.
   */
  static String fold(String s) {
    return Normalizer.normalize(s, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT).strip();
  }
}
