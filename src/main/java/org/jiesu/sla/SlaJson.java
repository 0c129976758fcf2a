package org.jiesu.sla;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.jiesu.platform.Problem;
import org.jiesu.platform.Times;

/** The API's JSON for policies, calendars and timers, both ways. */
public final class SlaJson {

  private SlaJson() {}

  public static JsonObject policy(SlaPolicy p) {
    return new JsonObject()
        .put("key", p.key())
        .put("type", p.type())
        .put("urgency", p.urgency())
        .put("category", p.category())
        .put("sign", spec(p.sign()))
        .put("contact", spec(p.contact()))
        .put("resolve", spec(p.resolve()))
        .put("warningShare", p.warningShare());
  }

  private static JsonObject spec(TimerSpec s) {
    return s == null ? null : new JsonObject().put("duration", s.duration().toString()).put("clock", s.clock().name());
  }

  /** A policy from a body that passed the contract; what the rules still refuse is a 400 on the field. */
  public static SlaPolicy policy(String key, JsonObject body) {
    TimerSpec sign = spec(body, "sign");
    TimerSpec contact = spec(body, "contact");
    TimerSpec resolve = spec(body, "resolve");
    if (sign == null && contact == null && resolve == null) {
      throw Problem.invalid("/", "a policy needs at least one timer");
    }
    double share = body.getDouble("warningShare", SlaPolicy.DEFAULT_WARNING_SHARE);
    return new SlaPolicy(key, body.getString("type"), body.getString("urgency"), body.getString("category"), sign,
        contact, resolve, share);
  }

  private static TimerSpec spec(JsonObject body, String field) {
    JsonObject s = body.getJsonObject(field);
    if (s == null) {
      return null;
    }
    try {
      return new TimerSpec(SlaDuration.parse(s.getString("duration")), TimerClock.valueOf(s.getString("clock")));
    } catch (IllegalArgumentException e) {
      throw Problem.invalid("/" + field + "/duration", e.getMessage());
    }
  }

  public static JsonObject year(CalendarYear y, String source) {
    return new JsonObject()
        .put("year", y.year())
        .put("holidays", dates(y.holidays().stream().sorted().toList()))
        .put("workdays", dates(y.workdays().stream().sorted().toList()))
        .put("source", source);
  }

  /** The year as the API shows it, with the week it applies to. */
  public static JsonObject calendar(CalendarYear y, String source, BusinessCalendar calendar) {
    JsonObject hours = new JsonObject();
    for (DayOfWeek d : DayOfWeek.values()) {
      hours.put(d.name(), spans(calendar.week().get(d)));
    }
    return year(y, source)
        .put("timezone", calendar.zone().getId())
        .put("officeHours", hours)
        .put("makeUpHours", spans(calendar.makeUpHours()));
  }

  /** The business week as the API shows it: zone, office hours per weekday, hours of make-up days. */
  static JsonObject week(String zone, JsonObject stored) {
    JsonObject hours = new JsonObject();
    for (DayOfWeek d : DayOfWeek.values()) {
      hours.put(d.name(), stored.getJsonArray(d.name(), new JsonArray()));
    }
    return new JsonObject().put("timezone", zone).put("officeHours", hours)
        .put("makeUpHours", stored.getJsonArray("MAKE_UP", new JsonArray()));
  }

  /**
   * A business week from a body that passed the contract; what the rules refuse (an unknown zone, spans
   * that overlap or close before they open, a week without office time) is a 400 naming the field.
   */
  public static BusinessCalendar week(JsonObject body) {
    java.time.ZoneId zone;
    try {
      zone = java.time.ZoneId.of(body.getString("timezone"));
    } catch (java.time.DateTimeException e) {
      throw Problem.invalid("/timezone", "is not a time zone such as Asia/Shanghai");
    }
    java.util.Map<DayOfWeek, List<OfficeSpan>> week = new java.util.EnumMap<>(DayOfWeek.class);
    JsonObject hours = body.getJsonObject("officeHours");
    for (DayOfWeek d : DayOfWeek.values()) {
      week.put(d, parseSpans(hours.getJsonArray(d.name(), new JsonArray()), "/officeHours/" + d.name()));
    }
    List<OfficeSpan> makeUp = parseSpans(body.getJsonArray("makeUpHours"), "/makeUpHours");
    if (week.values().stream().allMatch(List::isEmpty)) {
      throw Problem.invalid("/officeHours", "a week needs office time on at least one day");
    }
    try {
      return new BusinessCalendar(zone, week, makeUp, java.util.Map.of());
    } catch (IllegalArgumentException e) {
      throw Problem.invalid("/officeHours", e.getMessage());
    }
  }

  private static List<OfficeSpan> parseSpans(JsonArray json, String field) {
    List<OfficeSpan> out = new java.util.ArrayList<>();
    for (int i = 0; i < json.size(); i++) {
      JsonObject s = json.getJsonObject(i);
      try {
        out.add(new OfficeSpan(java.time.LocalTime.parse(s.getString("open")), java.time.LocalTime.parse(s.getString("close"))));
      } catch (RuntimeException e) {
        throw Problem.invalid(field + "/" + i, "must open before it closes, as HH:mm");
      }
    }
    for (int i = 1; i < out.size(); i++) {
      if (out.get(i).open().isBefore(out.get(i - 1).close())) {
        throw Problem.invalid(field + "/" + i, "overlaps or precedes the span before it");
      }
    }
    return out;
  }

  static JsonArray spans(List<OfficeSpan> spans) {
    JsonArray out = new JsonArray();
    spans.forEach(s -> out.add(new JsonObject().put("open", s.open().toString()).put("close", s.close().toString())));
    return out;
  }

  private static JsonArray dates(List<LocalDate> days) {
    JsonArray out = new JsonArray();
    days.forEach(d -> out.add(d.toString()));
    return out;
  }

  /** A calendar year from a body that passed the contract. */
  public static CalendarYear year(int year, JsonObject body) {
    List<LocalDate> holidays = parseDates(body.getJsonArray("holidays"), "/holidays");
    List<LocalDate> workdays = parseDates(body.getJsonArray("workdays"), "/workdays");
    for (int i = 0; i < holidays.size(); i++) {
      if (holidays.get(i).getYear() != year) {
        throw Problem.invalid("/holidays/" + i, "is not in " + year);
      }
    }
    for (int i = 0; i < workdays.size(); i++) {
      if (workdays.get(i).getYear() != year) {
        throw Problem.invalid("/workdays/" + i, "is not in " + year);
      }
      if (holidays.contains(workdays.get(i))) {
        throw Problem.invalid("/workdays/" + i, "is also a holiday");
      }
    }
    return new CalendarYear(year, new java.util.HashSet<>(holidays), new java.util.HashSet<>(workdays));
  }

  private static List<LocalDate> parseDates(JsonArray json, String field) {
    List<LocalDate> out = new java.util.ArrayList<>();
    for (int i = 0; i < json.size(); i++) {
      try {
        out.add(LocalDate.parse(json.getString(i)));
      } catch (RuntimeException e) {
        throw Problem.invalid(field + "/" + i, "must be a date like 2026-10-01");
      }
    }
    return out;
  }

  /** A timer as the ticket representation lists it; {@code remaining} on the timer's clock, ISO-8601. */
  public static JsonObject timer(Timer t, TimerRules rules, Instant now) {
    JsonObject json = new JsonObject()
        .put("round", t.round())
        .put("kind", t.kind().name())
        .put("state", t.state().name())
        .put("clock", t.clock().name())
        .put("allowed", t.allowed().toString())
        .put("startedAt", Times.rfc3339(t.startedAt()))
        .put("dueAt", Times.rfc3339(t.dueAt()))
        .put("warnAt", Times.rfc3339(t.warnAt()))
        .put("metAt", Times.rfc3339(t.metAt()))
        .put("breachedAt", Times.rfc3339(t.breachedAt()))
        .put("pausedAt", Times.rfc3339(t.pausedAt()))
        .put("remaining", t.state().open()
            ? rules.remaining(t, now).truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString() : null)
        .put("calendarMissing", t.calendarMissing());
    return json;
  }

}
