package org.jiesu.evaluation;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Department scorecards (三率, DESIGN §5) from counted facts, as plain arithmetic. Rates are percentages
 * (0–100), null when there is nothing to divide by. Departments are ranked within their group by the
 * composite, highest first, ties sharing a rank; those below the minimum sample are flagged and not ranked,
 * so two departments with one callback each are never ranked as if their figures meant the same.
 */
public final class Scorecards {

  /** What counted for one department in one month (proactive tasks and unreasonable tickets already left out). */
  public record Facts(String department, String group, int tickets, int rounds, int roundsResponded,
      int callbacks, int callbacksResolved, int satisfied, int basicallySatisfied, int unsatisfied,
      int resolvesMet, int resolvesOnTime, int returns, int reworks, int proactiveTasks, int proactiveOnTime) {

    /** The same counts for a department of {@code group}. */
    public Facts inGroup(String group) {
      return new Facts(department, group, tickets, rounds, roundsResponded, callbacks, callbacksResolved, satisfied,
          basicallySatisfied, unsatisfied, resolvesMet, resolvesOnTime, returns, reworks, proactiveTasks,
          proactiveOnTime);
    }

    /** A department with nothing in the month. */
    public static Facts none(String department, String group) {
      return new Facts(department, group, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    }
  }

  /** The configurable weights (defaults 10/45/45; satisfaction 100/80/0) and the minimum sample. */
  public record Settings(double responseWeight, double resolutionWeight, double satisfactionWeight,
      double satisfiedScore, double basicallySatisfiedScore, double unsatisfiedScore, int minimumSample) {

    public static Settings defaults() {
      return new Settings(0.10, 0.45, 0.45, 100, 80, 0, 10);
    }

    /**
     * Why these settings cannot score anything, naming the field; empty when they can. The weights must add
     * up to 1 (so the composite stays a percentage) and a better answer may not weigh less than a worse one.
     */
    public Optional<Refusal> refusal() {
      if (Math.abs(responseWeight + resolutionWeight + satisfactionWeight - 1.0) > 1e-9) {
        return Optional.of(new Refusal("/weights", "the weights must add up to 1, they add up to "
            + (responseWeight + resolutionWeight + satisfactionWeight)));
      }
      if (satisfiedScore < basicallySatisfiedScore) {
        return Optional.of(new Refusal("/satisfactionWeights/SATISFIED",
            "must be at least the weight of BASICALLY_SATISFIED"));
      }
      if (basicallySatisfiedScore < unsatisfiedScore) {
        return Optional.of(new Refusal("/satisfactionWeights/BASICALLY_SATISFIED",
            "must be at least the weight of UNSATISFIED"));
      }
      return Optional.empty();
    }
  }

  /** A setting that cannot be used: the JSON pointer of the field and why. */
  public record Refusal(String field, String message) {}

  public record Scorecard(Facts facts, Double responseRate, Double resolutionRate, Double satisfactionRate,
      Double composite, Double onTimeResolutionRate, Double returnRate, Double reworkRate, Integer rank,
      boolean smallSample) {}

  private Scorecards() {}

  public static Scorecard score(Facts f, Settings s) {
    Double response = rate(f.roundsResponded(), f.rounds());
    Double resolution = rate(f.callbacksResolved(), f.callbacks());
    Double satisfaction = f.callbacks() == 0 ? null
        : (f.satisfied() * s.satisfiedScore() + f.basicallySatisfied() * s.basicallySatisfiedScore()
            + f.unsatisfied() * s.unsatisfiedScore()) / f.callbacks();
    Double composite = response == null || resolution == null || satisfaction == null ? null
        : round(s.responseWeight() * response + s.resolutionWeight() * resolution
            + s.satisfactionWeight() * satisfaction);
    boolean small = f.callbacks() < s.minimumSample();
    return new Scorecard(f, response, resolution, satisfaction == null ? null : round(satisfaction), composite,
        rate(f.resolvesOnTime(), f.resolvesMet()), rate(f.returns(), f.rounds()), rate(f.reworks(), f.callbacks()),
        null, small);
  }

  /** Every department scored and ranked within its group. */
  public static List<Scorecard> rank(List<Facts> facts, Settings s) {
    Map<String, List<Scorecard>> byGroup = new LinkedHashMap<>();
    for (Facts f : facts) {
      byGroup.computeIfAbsent(f.group(), g -> new ArrayList<>()).add(score(f, s));
    }
    List<Scorecard> out = new ArrayList<>();
    for (List<Scorecard> group : byGroup.values()) {
      List<Scorecard> rankable = group.stream().filter(c -> !c.smallSample() && c.composite() != null)
          .sorted(Comparator.comparing(Scorecard::composite).reversed()).toList();
      Map<String, Integer> ranks = new LinkedHashMap<>();
      for (int i = 0; i < rankable.size(); i++) {
        Scorecard c = rankable.get(i);
        int rank = i > 0 && rankable.get(i - 1).composite().equals(c.composite())
            ? ranks.get(rankable.get(i - 1).facts().department()) : i + 1;
        ranks.put(c.facts().department(), rank);
      }
      for (Scorecard c : group) {
        out.add(new Scorecard(c.facts(), c.responseRate(), c.resolutionRate(), c.satisfactionRate(), c.composite(),
            c.onTimeResolutionRate(), c.returnRate(), c.reworkRate(), ranks.get(c.facts().department()),
            c.smallSample()));
      }
    }
    out.sort(Comparator.comparing((Scorecard c) -> c.facts().group())
        .thenComparing(c -> c.rank() == null ? Integer.MAX_VALUE : c.rank())
        .thenComparing(c -> c.facts().department()));
    return out;
  }

  private static Double rate(int part, int whole) {
    return whole == 0 ? null : round(100.0 * part / whole);
  }

  /** Two decimals: what a published scorecard shows, and what a hand count can check. */
  private static double round(double v) {
    return Math.round(v * 100) / 100.0;
  }
}
