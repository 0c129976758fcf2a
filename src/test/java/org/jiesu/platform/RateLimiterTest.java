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
  void eachPolicyHasItsOwnLimitAndBuckets() {
    RateLimiter limits = new RateLimiter(java.util.Map.of(RateLimiter.DEFAULT, 2L, RateLimiter.MACHINE, 5L),
        Duration.ofMinutes(1), nanos::get);
    for (int i = 0; i < 5; i++) {
      assertThat(limits.acquire(RateLimiter.MACHINE, "hotline").allowed()).isTrue();
    }
    assertThat(limits.acquire(RateLimiter.MACHINE, "hotline").allowed()).isFalse();
    assertThat(limits.acquire(RateLimiter.MACHINE, "hotline").limit()).isEqualTo(5);
    // the same subject under the people's policy has that policy's bucket and limit
    assertThat(limits.acquire(RateLimiter.DEFAULT, "hotline").limit()).isEqualTo(2);
    assertThat(limits.acquire("hotline").allowed()).isTrue();
    assertThat(limits.acquire("hotline").allowed()).isFalse();
  }

  @Test
  void theHotlineMachineClientHasItsOwnLimitAndPeopleKeepTheirs() {
    try (TestServer server = TestServer.start(TestDatabase.fresh(), Clock.systemUTC(),
        c -> c.withRateLimit(3).withMachineRateLimit(1000))) {
      String hotline = server.token(Role.HOTLINE);
      for (int i = 0; i < 12; i++) {
        Response r = server.get("/api/v1/tickets", hotline);
        assertThat(r.status()).as("request %d of the hotline", i + 1).isEqualTo(200);
        assertThat(r.header("RateLimit-Policy")).contains("\"machine\";q=1000;w=60");
      }
      String supervisor = server.token(Role.SUPERVISOR);
      for (int i = 0; i < 3; i++) {
        assertThat(server.get("/api/v1/tickets", supervisor).status()).isEqualTo(200);
      }
      assertThat(server.get("/api/v1/tickets", supervisor).status()).isEqualTo(429);
    }
    try (TestServer server = TestServer.start(TestDatabase.fresh(), Clock.systemUTC(),
        c -> c.withRateLimit(1000).withMachineRateLimit(2))) {
      // the machine budget is a limit too, not an exemption
      String hotline = server.token(Role.HOTLINE);
      assertThat(server.get("/api/v1/tickets", hotline).status()).isEqualTo(200);
      assertThat(server.get("/api/v1/tickets", hotline).status()).isEqualTo(200);
      assertThat(server.get("/api/v1/tickets", hotline).status()).isEqualTo(429);
    }
  }

  @Test
  void theServerAnswers429WithRateLimitHeaders() {
    try (TestServer server = TestServer.start(TestDatabase.fresh(), Clock.systemUTC(), c -> c.withRateLimit(3))) {
      String token = server.token(Role.SUPERVISOR);
      Response first = server.get("/api/v1/tickets", token);
      assertThat(first.status()).isEqualTo(200);
      // draft-ietf-httpapi-ratelimit-headers: the policy, and what is left of it
      assertThat(first.header("RateLimit-Policy")).contains("\"default\";q=3;w=60");
      assertThat(first.header("RateLimit")).hasValueSatisfying(v -> assertThat(v).startsWith("\"default\";r=2;t="));
      server.get("/api/v1/tickets", token);
      server.get("/api/v1/tickets", token);
      Response refused = server.get("/api/v1/tickets", token);
      assertThat(refused.status()).isEqualTo(429);
      assertThat(refused.header("Retry-After")).isPresent();
      assertThat(refused.json().getInteger("status")).isEqualTo(429);
      // another client is not affected; health is never limited
      assertThat(server.get("/api/v1/tickets", server.token(Role.ADMIN)).status()).isIn(200, 403);
      assertThat(server.get("/health/live", null).status()).isEqualTo(200);
    }
  }

  @Test
  void peekingSpendsNothing() {
    assertThat(limiter.peek("a").allowed()).isTrue();
    assertThat(limiter.peek("a").remaining()).isEqualTo(3);
    assertThat(limiter.acquire("a").remaining()).isEqualTo(2);
  }

  @Test
  void requestsWithoutAValidTokenAreLimitedPerAddress() {
    try (TestServer server = TestServer.start(TestDatabase.fresh(), Clock.systemUTC(), c -> c.withRateLimit(3))) {
      // authenticated requests spend their subject's budget, not the address's
      for (Role role : new Role[] {Role.HOTLINE, Role.SUPERVISOR, Role.ADMIN, Role.AUDITOR}) {
        assertThat(server.get("/api/v1/tickets", server.token(role)).status()).isIn(200, 403);
      }
      for (int i = 0; i < 3; i++) {
        Response unauthenticated = server.get("/api/v1/tickets", i % 2 == 0 ? null : "not-a-token");
        assertThat(unauthenticated.status()).isEqualTo(401);
        assertThat(unauthenticated.header("RateLimit")).hasValueSatisfying(v -> assertThat(v).startsWith("\"address\";r="));
      }
      Response refused = server.get("/api/v1/tickets", "guess-" + System.nanoTime());
      assertThat(refused.status()).isEqualTo(429);
      assertThat(refused.header("Retry-After")).isPresent();
      assertThat(refused.header("RateLimit-Policy")).contains("\"address\";q=3;w=60");
      assertThat(refused.json().getString("type")).isEqualTo("urn:jiesu:problem:rate-limited");
      // the public contract counts against the same address; the health probes never do
      assertThat(server.get("/openapi.yaml", null).status()).isEqualTo(429);
      assertThat(server.get("/health/live", null).status()).isEqualTo(200);
    }
  }
}
