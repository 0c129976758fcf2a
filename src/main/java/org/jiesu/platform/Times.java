package org.jiesu.platform;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Instants at the API edge: RFC 3339 in UTC. */
public final class Times {

  private Times() {}

  public static String rfc3339(Instant instant) {
    // OffsetDateTime.toString() drops ":00" seconds, which RFC 3339 does not allow
    return instant == null ? null : DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(instant.atOffset(ZoneOffset.UTC));
  }
}
