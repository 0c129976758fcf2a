package org.jiesu.sla;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** Choosing the policy for a ticket, and the DESIGN §3 defaults a migration seeds. */
public final class SlaPolicies {

  private SlaPolicies() {}

  /** The most specific matching policy; ties go to the smaller key so the choice never depends on order. */
  public static Optional<SlaPolicy> select(List<SlaPolicy> policies, String type, String urgency, String category) {
    Comparator<SlaPolicy> bySpecificity = (a, b) -> Arrays.compare(a.specificity(), b.specificity());
    return policies.stream()
        .filter(p -> p.matches(type, urgency, category))
        .max(bySpecificity.thenComparing(SlaPolicy::key, Comparator.reverseOrder()));
  }

  /** DESIGN §3: CRITICAL and URGENT of any type; NORMAL consultations; NORMAL of other types. */
  public static List<SlaPolicy> defaults() {
    double share = SlaPolicy.DEFAULT_WARNING_SHARE;
    return List.of(
        new SlaPolicy("critical", null, "CRITICAL", null, TimerSpec.natural("PT15M"), TimerSpec.natural("PT30M"),
            TimerSpec.natural("PT2H"), share),
        new SlaPolicy("urgent", null, "URGENT", null, TimerSpec.natural("PT1H"), TimerSpec.natural("PT2H"),
            TimerSpec.natural("PT24H"), share),
        new SlaPolicy("normal-consultation", "CONSULTATION", "NORMAL", null, TimerSpec.working("PT2H"), null,
            TimerSpec.working("P2D"), share),
        new SlaPolicy("normal", null, "NORMAL", null, TimerSpec.working("PT4H"), TimerSpec.natural("PT24H"),
            TimerSpec.natural("P7D"), share));
  }
}
