package org.jiesu.sla;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.Set;
import java.util.stream.Collectors;

/** The shipped 2026 official calendar (State Council notice), as tests need it. */
final class Calendars {

  private Calendars() {}

  static CalendarYear cn2026() {
    try (InputStream in = Calendars.class.getResourceAsStream("/calendars/cn-2026.json")) {
      JsonObject json = new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
      return new CalendarYear(json.getInteger("year"), dates(json, "holidays"), dates(json, "workdays"));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Set<LocalDate> dates(JsonObject json, String key) {
    return json.getJsonArray(key).stream().map(String::valueOf).map(LocalDate::parse).collect(Collectors.toSet());
  }

  static BusinessCalendar china2026() {
    return BusinessCalendar.standard(cn2026());
  }
}
