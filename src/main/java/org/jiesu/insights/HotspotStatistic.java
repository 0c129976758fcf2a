package org.jiesu.insights;

import java.util.List;

/**
 * Whether a (category, district, street) cell is unusually busy (DESIGN §6a). The cell's own baseline is
 * the same window on the same weekday in each of the previous four weeks (28 days, weekday-aware); the
 * expected count is their mean, never below {@code floor} (a quiet cell is not infinitely surprised by one
 * call). The score is the surprise of the Poisson upper tail, −log10 P(X ≥ count | expected): 3 means a
 * one-in-a-thousand count. A hotspot needs both a score of at least {@code threshold} and at least
 * {@code minimumCount} calls.
 */
public record HotspotStatistic(int minimumCount, double threshold, double floor) {

  public static HotspotStatistic defaults() {
    return new HotspotStatistic(5, 3.0, 0.25);
  }

  public record Verdict(int count, double expected, double score, boolean hotspot) {}

  public Verdict judge(int count, List<Integer> baseline) {
    double mean = baseline.isEmpty() ? 0 : baseline.stream().mapToInt(Integer::intValue).average().orElse(0);
    double expected = Math.max(floor, mean);
    double score = surprise(count, expected);
    return new Verdict(count, expected, score, count >= minimumCount && score >= threshold);
  }

  /** −log10 P(X ≥ k) for X ~ Poisson(λ); 0 when k is 0. Monotonic in k. */
  static double surprise(int k, double lambda) {
    if (k <= 0) {
      return 0;
    }
    double logTail = logUpperTail(k, lambda);
    return Math.max(0, -logTail / Math.log(10));
  }

  /** ln P(X ≥ k), summed in log space from the side that is numerically small. */
  static double logUpperTail(int k, double lambda) {
    if (k <= lambda) {
      double lower = 0; // P(X < k) = Σ_{i<k} p(i), each term exact enough here
      for (int i = 0; i < k; i++) {
        lower += Math.exp(logPmf(i, lambda));
      }
      return Math.log(Math.max(1e-300, 1 - lower));
    }
    double max = logPmf(k, lambda);
    double sum = 0;
    for (int i = k; i < k + 100_000; i++) {
      double term = logPmf(i, lambda) - max;
      sum += Math.exp(term);
      if (term < -40) {
        break; // the rest adds less than e^-40 of the first term
      }
    }
    return max + Math.log(sum);
  }

  private static double logPmf(int i, double lambda) {
    return -lambda + i * Math.log(lambda) - logFactorial(i);
  }

  static double logFactorial(int n) {
    if (n < 20) {
      double f = 0;
      for (int i = 2; i <= n; i++) {
        f += Math.log(i);
      }
      return f;
    }
    double x = n + 1.0; // Stirling series for ln Γ(x)
    return (x - 0.5) * Math.log(x) - x + 0.5 * Math.log(2 * Math.PI) + 1 / (12 * x) - 1 / (360 * x * x * x);
  }
}
