package org.jiesu.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicLong;
import org.jiesu.auth.Role;
import org.jiesu.support.TestDatabase;
import org.jiesu.support.TestServer;
import org.jiesu.support.TestServer.Response;
import org.junit.jupiter.api.Test;

class RateLimiterTest {

  final AtomicLong nanos = new AtomicLong();
  final RateLimiter limiter = new RateLimiter(3, Duration.ofMinutes(1), nanos::get);

  @Test
  void aClientMayUseItsBudgetThenWaitsForRefill() {
    assertThat(limiter.acquire("a").remaining()).isEqualTo(2);
    assertThat(limiter.acquire("a").allowed()).isTrue();
    assertThat(limiter.acquire("a").allowed()).isTrue();
    RateLimiter.Decision refused = limiter.acquire("a");
    assertThat(refused.allowed()).isFalse();
    assertThat(refused.resetSeconds()).isEqualTo(20); // one token every 20 s

    nanos.addAndGet(Duration.ofSeconds(20).toNanos());
    assertThat(limiter.acquire("a").allowed()).isTrue();
    assertThat(limiter.acquire("a").allowed()).isFalse();
  }

  @Test
  void clientsHaveTheirOwnBuckets() {
    for (int i = 0; i < 3; i++) {
      limiter.acquire("a");
    }
    assertThat(limiter.acquire("a").allowed()).isFalse();
    assertThat(limiter.acquire("b").allowed()).isTrue();
  }

  @Test
  void theServerAnswers429WithRateLimitHeaders() {
    try (TestServer server = TestServer.start(TestDatabase.fresh(), Clock.systemUTC(), c -> c.withRateLimit(3))) {
      String token = server.token(Role.HOTLINE);
      Response first = server.get("/api/v1/tickets", token);
      assertThat(first.status()).isEqualTo(200);
      assertThat(first.header("RateLimit-Limit")).contains("3");
      assertThat(first.header("RateLimit-Remaining")).contains("2");
      server.get("/api/v1/tickets", token);
      server.get("/api/v1/tickets", token);
      Response refused = server.get("/api/v1/tickets", token);
      assertThat(refused.status()).isEqualTo(429);
      assertThat(refused.header("Retry-After")).isPresent();
      assertThat(refused.json().getInteger("status")).isEqualTo(429);
      // another client is not affected; health is never limited
      assertThat(server.get("/api/v1/tickets", server.token(Role.SUPERVISOR)).status()).isEqualTo(200);
      assertThat(server.get("/health/live", null).status()).isEqualTo(200);
    }
  }
}
