package org.jiesu.platform;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/** Instants at the API edge: RFC 3339 in UTC, within the range a request may name. */
public final class Times {

  /**
   * Every time a request names lies in [EARLIEST, LATEST): no 12345 call predates 2000, and nothing is
   * planned past 2100. Outside it a value is a typing or clock error, or a probe; PostgreSQL would store
   * a far year as {@code infinity} while the event said the year.
   */
  public static final Instant EARLIEST = Instant.parse("2000-01-01T00:00:00Z");
  public static final Instant LATEST = Instant.parse("2100-01-01T00:00:00Z");

  private Times() {}

  public static String rfc3339(Instant instant) {
    // OffsetDateTime.toString() drops ":00" seconds, which RFC 3339 does not allow
    return instant == null ? null : DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(instant.atOffset(ZoneOffset.UTC));
  }

  public static boolean inRange(Instant at) {
    return !at.isBefore(EARLIEST) && at.isBefore(LATEST);
  }

  /** What is wrong with a request's date-time, if anything. */
  public static Optional<String> problem(String text) {
    try {
      Instant at = OffsetDateTime.parse(text).toInstant();
      if (at.isBefore(EARLIEST)) {
        return Optional.of("lies before 2000-01-01; times must lie from 2000-01-01 to 2100-01-01");
      }
      return at.isBefore(LATEST) ? Optional.empty()
          : Optional.of("lies after 2100-01-01; times must lie from 2000-01-01 to 2100-01-01");
    } catch (DateTimeParseException e) {
      return Optional.of("must be an RFC 3339 date-time with offset");
    }
  }
}
