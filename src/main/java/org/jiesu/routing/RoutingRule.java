package org.jiesu.routing;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A routing rule (DESIGN §4): when a ticket matches, it goes to {@code leadDepartment} with
 * {@code assistingDepartments}. Higher {@code priority} wins. The constructor refuses rules that could
 * only misbehave — a blank keyword would match every ticket, a malformed category code none.
 */
public record RoutingRule(String id, int priority, Match match, String leadDepartment,
    List<String> assistingDepartments) {

  /**
   * The conditions; every one that is present must hold. An absent category or an empty list is no
   * condition. A rule without any condition matches every ticket: that is how a deployment names its
   * catch-all department, normally with the lowest priority.
   */
  public record Match(Optional<String> category, List<String> districts, List<String> streets,
      List<String> types, List<String> keywords) {

    /** Dispatch catalogue codes: dot-separated segments, none empty ("market.agency"). */
    private static final Pattern CATEGORY = Pattern.compile("[^.\\s]+(\\.[^.\\s]+)*");

    public Match {
      category = category == null ? Optional.empty() : category;
      districts = copy(districts);
      streets = copy(streets);
      types = types == null ? List.of() : List.copyOf(types);
      keywords = copy(keywords);
      category.ifPresent(c -> {
        if (!CATEGORY.matcher(c).matches()) {
          throw new IllegalArgumentException("category code is not dot-separated segments: " + c);
        }
      });
      Stream.of(districts, streets, keywords).flatMap(List::stream).forEach(value -> {
        if (value.isBlank()) {
          throw new IllegalArgumentException("a blank district, street or keyword would match every ticket");
        }
      });
    }

    /** No condition at all: the catch-all. */
    public static Match any() {
      return new Match(Optional.empty(), List.of(), List.of(), List.of(), List.of());
    }

    /** How many conditions are present; breaks priority ties in favour of the more specific rule. */
    public int conditions() {
      return (category.isPresent() ? 1 : 0) + Stream.of(districts, streets, types, keywords)
          .mapToInt(list -> list.isEmpty() ? 0 : 1).sum();
    }

    private static List<String> copy(List<String> values) {
      return values == null ? List.of() : List.copyOf(values);
    }
  }

  public RoutingRule {
    requireNonNull(id, "id");
    requireNonNull(match, "match");
    requireNonNull(leadDepartment, "leadDepartment");
    assistingDepartments = assistingDepartments == null ? List.of() : List.copyOf(assistingDepartments);
    if (leadDepartment.isBlank()) {
      throw new IllegalArgumentException("a routing rule names a lead department");
    }
    if (assistingDepartments.contains(leadDepartment)) {
      throw new IllegalArgumentException("the lead department does not also assist");
    }
  }
}
