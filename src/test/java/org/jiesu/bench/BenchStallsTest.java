package org.jiesu.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class BenchStallsTest {

  private static final long MS = 1_000_000L;

  @Test
  void slowRequestsDueWithinASecondOfEachOtherAreOneStall() {
    Instant start = Instant.parse("2026-11-26T10:00:00Z");
    // {due after the start, latency, sent late}: two near 2 s (the second sent 30 ms late), one at 9.5 s
    List<String> lines = Bench.stalls("intake", start, List.of(
        new long[] {9_500 * MS, 60 * MS, 1 * MS},
        new long[] {2_000 * MS, 200 * MS, 2 * MS},
        new long[] {2_900 * MS, 120 * MS, 30 * MS}));

    assertThat(lines).hasSize(2);
    assertThat(lines.get(0)).contains("at   2.000 s (2026-11-26T10:00:02Z)", "   2 requests", "worst  200.0 ms",
        "sent up to  30.0 ms late");
    assertThat(lines.get(1)).contains("at   9.500 s", "   1 requests", "worst   60.0 ms", "sent up to   1.0 ms late");
  }

  @Test
  void noSlowRequestIsNoStall() {
    assertThat(Bench.stalls("read", Instant.now(), List.of())).isEmpty();
  }
}
