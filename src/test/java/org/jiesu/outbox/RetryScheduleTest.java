package org.jiesu.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jiesu.platform.Config;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RetryScheduleTest {

  static final List<Duration> DEFAULT = Config.from(java.util.Map.of()).webhooks().retrySchedule();

  @Test
  void theDefaultScheduleIsTheIssues() {
    assertThat(DEFAULT).containsExactly(Duration.ZERO, Duration.ofSeconds(5), Duration.ofMinutes(5),
        Duration.ofMinutes(30), Duration.ofHours(2), Duration.ofHours(5), Duration.ofHours(10), Duration.ofHours(14),
        Duration.ofHours(20), Duration.ofHours(24));
  }

  @Test
  void eachDelayIsSpreadByTenPercentAndAfterTheLastAttemptTheDeliveryIsDead() {
    RetrySchedule low = new RetrySchedule(DEFAULT, () -> 0.0);
    RetrySchedule high = new RetrySchedule(DEFAULT, () -> 0.999999);
    assertThat(low.next(1, Optional.empty())).contains(Duration.ofMillis(4500));
    assertThat(high.next(1, Optional.empty()).orElseThrow()).isBetween(Duration.ofMillis(5499), Duration.ofMillis(5500));
    assertThat(low.next(2, Optional.empty())).contains(Duration.ofSeconds(270));
    assertThat(low.next(9, Optional.empty())).contains(Duration.ofMinutes(24 * 54));
    assertThat(low.next(10, Optional.empty())).isEmpty();
  }

  @Test
  void retryAfterReplacesTheScheduledDelayUpToADayButNotPastTheLastAttempt() {
    RetrySchedule s = new RetrySchedule(DEFAULT, () -> 0.5);
    assertThat(s.next(1, Optional.of(Duration.ofSeconds(120)))).contains(Duration.ofSeconds(120));
    assertThat(s.next(1, Optional.of(Duration.ofDays(3)))).contains(Duration.ofHours(24));
    assertThat(s.next(10, Optional.of(Duration.ofSeconds(1)))).isEmpty();
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "200|||DELIVERED|",
      "204|||DELIVERED|",
      "410|||GONE|",
      "301|||FAILED|",
      "500|||FAILED|",
      "429|7||FAILED|PT7S",
      "503|Thu, 26 Nov 2026 03:00:30 GMT||FAILED|PT30S",
      "503|soon||FAILED|",
      "500|7||FAILED|"})
  void theStatusDecidesTheOutcome(int status, String retryAfter, String unused, String outcome, String after) {
    AttemptResult r = AttemptResult.ofStatus(status, retryAfter, "x", Instant.parse("2026-11-26T03:00:00Z"));
    assertThat(r.outcome().name()).isEqualTo(outcome);
    assertThat(r.retryAfter()).isEqualTo(Optional.ofNullable(after).map(Duration::parse));
  }

  @Test
  void aBadScheduleStopsTheServerFromStarting() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> Config.from(java.util.Map.of(
        "JIESU_WEBHOOK_RETRY_SCHEDULE", "PT0S,5s"))).hasMessageContaining("JIESU_WEBHOOK_RETRY_SCHEDULE");
  }
}
