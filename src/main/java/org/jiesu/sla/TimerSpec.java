package org.jiesu.sla;

import java.util.Objects;

/** One timer of a policy: how long, and on which clock. */
public record TimerSpec(SlaDuration duration, TimerClock clock) {

  public TimerSpec {
    Objects.requireNonNull(duration, "duration");
    Objects.requireNonNull(clock, "clock");
  }

  public static TimerSpec natural(String iso) {
    return new TimerSpec(SlaDuration.parse(iso), TimerClock.NATURAL);
  }

  public static TimerSpec working(String iso) {
    return new TimerSpec(SlaDuration.parse(iso), TimerClock.WORKING);
  }
}
