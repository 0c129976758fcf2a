package org.jiesu.outbox;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.DoubleSupplier;

/**
 * When the next attempt is due. {@code delays.get(n)} is the delay before attempt n + 1 (the first is
 * usually immediate); after the last attempt the delivery is a dead letter. Each delay is spread by ±10 %
 * (jitter), so receivers that come back after an outage are not hit by every retry at the same instant.
 * A receiver's {@code Retry-After} (429, 503) replaces the scheduled delay, up to a day. Pure.
 */
public final class RetrySchedule {

  static final Duration MAX_RETRY_AFTER = Duration.ofHours(24);
  private static final double JITTER = 0.10;

  private final List<Duration> delays;
  private final DoubleSupplier random;

  public RetrySchedule(List<Duration> delays, DoubleSupplier random) {
    if (delays.isEmpty()) {
      throw new IllegalArgumentException("a retry schedule needs at least one attempt");
    }
    this.delays = List.copyOf(delays);
    this.random = random;
  }

  public int attempts() {
    return delays.size();
  }

  /**
   * After {@code done} attempts (the last one failed): the delay before the next, or empty when that was
   * the last and the delivery is dead.
   */
  public Optional<Duration> next(int done, Optional<Duration> retryAfter) {
    if (done >= delays.size()) {
      return Optional.empty();
    }
    if (retryAfter.isPresent()) {
      Duration asked = retryAfter.get();
      return Optional.of(asked.isNegative() ? Duration.ZERO : asked.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : asked);
    }
    Duration base = delays.get(done);
    double factor = 1 - JITTER + 2 * JITTER * random.getAsDouble();
    return Optional.of(Duration.ofNanos((long) (base.toNanos() * factor)));
  }
}
