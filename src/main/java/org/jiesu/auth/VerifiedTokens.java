package org.jiesu.auth;

import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Tokens whose signature and spelling were already verified, with their claims. The hotline is one machine
 * client that sends the same token for hours; verifying its ES256 signature again on every request was the
 * largest cost of an intake (issue 8's profile: ~1 ms, 39% of the server's CPU). An entry is keyed by the
 * whole token (so any other spelling is verified afresh), lives at most {@link #TTL} and never past the
 * token's {@code exp}; the checks that depend on the time ({@code exp}, {@code nbf}, the lifetime cap) still
 * run on every request. When the key set changes (a JWKS URL served other keys) the cache is cleared, so a
 * token whose key left the set is verified again, and refused.
 */
final class VerifiedTokens {

  static final int LEEWAY_SECONDS = 30;
  static final Duration TTL = Duration.ofMinutes(5);
  static final int MAX_ENTRIES = 10_000;

  private record Entry(JsonObject claims, long validUntilEpochSecond) {}

  private final Clock clock;
  private final Map<String, Entry> entries = new LinkedHashMap<>(1024, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
      return size() > MAX_ENTRIES;
    }
  };
  private long hits;

  VerifiedTokens(Clock clock) {
    this.clock = clock;
  }

  /** The claims of a token verified before and still within its entry's life. */
  synchronized Optional<JsonObject> claims(String token) {
    Entry e = entries.get(token);
    if (e == null) {
      return Optional.empty();
    }
    if (clock.instant().getEpochSecond() >= e.validUntilEpochSecond()) {
      entries.remove(token);
      return Optional.empty();
    }
    hits++;
    return Optional.of(e.claims());
  }

  synchronized void remember(String token, JsonObject claims) {
    long now = clock.instant().getEpochSecond();
    long until = now + TTL.toSeconds();
    if (claims.getValue("exp") instanceof Number exp) {
      until = Math.min(until, exp.longValue());
    }
    if (until > now) {
      entries.put(token, new Entry(claims.copy(), until));
    }
  }

  synchronized void clear() {
    entries.clear();
  }

  synchronized int size() {
    return entries.size();
  }

  synchronized long hits() {
    return hits;
  }
}
