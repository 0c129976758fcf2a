package org.jiesu.platform;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Per-client token buckets: each client may send {@code limit} requests per window, refilled continuously.
 * A limiter may hold several named policies, each with its own limit (people and machine clients: the
 * hotline platform is one client sending every call, so the limit meant for a person would refuse it);
 * a client's bucket belongs to the policy it is charged under. Plain Java with an injected nanosecond clock.
 * Buckets live in this process, so with N replicas a client gets up to N × limit; a gateway in front
 * enforces the global figure where that matters.
 */
public final class RateLimiter {

  /** What one request learns: whether it may go on, and the figures for the RateLimit headers. */
  public record Decision(boolean allowed, long limit, long remaining, long resetSeconds) {}

  private static final int MAX_CLIENTS = 100_000;

  /** The policy of people's tokens (and of a limiter with one policy). */
  public static final String DEFAULT = "default";
  /** The policy of machine clients' tokens (the hotline platform). */
  public static final String MACHINE = "machine";

  private final Map<String, Long> limits;
  private final long windowNanos;
  private final LongSupplier nanoTime;
  private final Map<String, Bucket> buckets = new LinkedHashMap<>(1024, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Bucket> eldest) {
      // the least recently seen client goes first; a returning one simply starts with a full bucket
      return size() > MAX_CLIENTS;
    }
  };

  /** One policy, {@link #DEFAULT}. */
  public RateLimiter(long limit, java.time.Duration window, LongSupplier nanoTime) {
    this(Map.of(DEFAULT, limit), window, nanoTime);
  }

  /** Named policies, each with its limit per window. */
  public RateLimiter(Map<String, Long> limits, java.time.Duration window, LongSupplier nanoTime) {
    limits.forEach((policy, limit) -> {
      if (limit < 1) {
        throw new IllegalArgumentException("rate limit '" + policy + "' must be at least 1");
      }
    });
    this.limits = Map.copyOf(limits);
    this.windowNanos = window.toNanos();
    this.nanoTime = nanoTime;
  }

  /** The limits for people ({@link #DEFAULT}) and for machine clients ({@link #MACHINE}), per minute. */
  public static RateLimiter perClient(long perMinute, long machinePerMinute, LongSupplier nanoTime) {
    return new RateLimiter(Map.of(DEFAULT, perMinute, MACHINE, machinePerMinute), java.time.Duration.ofMinutes(1),
        nanoTime);
  }

  public synchronized Decision acquire(String client) {
    return decide(DEFAULT, client, true);
  }

  /** Charges {@code client} under {@code policy} (one of the policies this limiter was made with). */
  public synchronized Decision acquire(String policy, String client) {
    return decide(policy, client, true);
  }

  /** Whether a request would be allowed, without spending anything (requests charged only if they fail). */
  public synchronized Decision peek(String client) {
    return decide(DEFAULT, client, false);
  }

  /** The window in seconds, for {@code RateLimit-Policy}. */
  public long windowSeconds() {
    return Math.max(1, windowNanos / 1_000_000_000L);
  }

  /**
   * The headers of draft-ietf-httpapi-ratelimit-headers (-08 to -11): the policy (quota {@code q} per
   * window {@code w} seconds) and what is left of it ({@code r}) and when it is whole again ({@code t}).
   */
  public void putHeaders(io.vertx.core.http.HttpServerResponse response, String policy, Decision d) {
    response.putHeader("RateLimit-Policy", "\"" + policy + "\";q=" + d.limit() + ";w=" + windowSeconds())
        .putHeader("RateLimit", "\"" + policy + "\";r=" + d.remaining() + ";t=" + d.resetSeconds());
  }

  private Decision decide(String policy, String client, boolean spend) {
    Long policyLimit = limits.get(policy);
    if (policyLimit == null) {
      throw new IllegalArgumentException("no rate-limit policy " + policy);
    }
    long limit = policyLimit;
    long now = nanoTime.getAsLong();
    Bucket b = buckets.computeIfAbsent(policy + "\u0000" + client, k -> new Bucket(limit, now));
    double perNano = (double) limit / windowNanos;
    b.tokens = Math.min(limit, b.tokens + (now - b.updated) * perNano);
    b.updated = now;
    boolean allowed = b.tokens >= 1.0;
    if (allowed && spend) {
      b.tokens -= 1.0;
    }
    long remaining = (long) Math.floor(b.tokens);
    // seconds until one more token (refused) or until the bucket is full again (allowed)
    double missing = allowed ? limit - b.tokens : 1.0 - b.tokens;
    long reset = (long) Math.ceil(missing / perNano / 1_000_000_000.0);
    return new Decision(allowed, limit, remaining, Math.max(allowed ? 0 : 1, reset));
  }

  private static final class Bucket {
    double tokens;
    long updated;

    Bucket(double tokens, long updated) {
      this.tokens = tokens;
      this.updated = updated;
    }
  }
}
