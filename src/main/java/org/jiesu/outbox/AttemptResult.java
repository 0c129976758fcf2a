package org.jiesu.outbox;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * What one delivery attempt came to, from the receiver's status (or the failure before there was one). 2xx
 * is delivered; 410 Gone disables the subscription; 429 and 503 retry after the receiver's
 * {@code Retry-After}; any other status (redirects are not followed) or a failure retries on the schedule.
 * Pure.
 */
public record AttemptResult(Outcome outcome, Optional<Integer> status, Optional<Duration> retryAfter, String error) {

  /** How the attempt ended; the name is what the attempt list and the metrics show. */
  public enum Outcome { DELIVERED, GONE, FAILED, TIMEOUT, REFUSED, ERROR }

  public boolean delivered() {
    return outcome == Outcome.DELIVERED;
  }

  public static AttemptResult ofStatus(int status, String retryAfterHeader, String excerpt, Instant now) {
    if (status >= 200 && status < 300) {
      return new AttemptResult(Outcome.DELIVERED, Optional.of(status), Optional.empty(), null);
    }
    if (status == 410) {
      return new AttemptResult(Outcome.GONE, Optional.of(status), Optional.empty(), excerpt);
    }
    Optional<Duration> after = status == 429 || status == 503 ? retryAfter(retryAfterHeader, now) : Optional.empty();
    return new AttemptResult(Outcome.FAILED, Optional.of(status), after, excerpt);
  }

  public static AttemptResult failure(Outcome outcome, String error) {
    return new AttemptResult(outcome, Optional.empty(), Optional.empty(), error);
  }

  /** {@code Retry-After} as seconds or as an HTTP date (RFC 9110 §10.2.3); anything else is ignored. */
  static Optional<Duration> retryAfter(String header, Instant now) {
    if (header == null || header.isBlank()) {
      return Optional.empty();
    }
    String h = header.trim();
    if (h.matches("[0-9]{1,9}")) {
      return Optional.of(Duration.ofSeconds(Long.parseLong(h)));
    }
    try {
      Instant at = ZonedDateTime.parse(h, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
      Duration d = Duration.between(now, at);
      return Optional.of(d.isNegative() ? Duration.ZERO : d);
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }
}
