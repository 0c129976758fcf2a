package org.jiesu.sla;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** SQL of the SLA settings: policies, the calendar, and the version counter that every change moves. */
public final class SlaConfigStore {

  /** NOTIFY channel for "settings changed": replicas reload at once instead of at their next poll. */
  public static final String CHANGED_CHANNEL = "jiesu_sla_config";

  static final String POLICIES = """
      SELECT key, type, urgency, category, sign_duration, sign_clock, contact_duration, contact_clock,
             resolve_duration, resolve_clock, warning_share
        FROM sla_policy ORDER BY key""";
  static final String POLICY = POLICIES.replace("ORDER BY key", "WHERE key = $1");
  static final String PUT_POLICY = """
      INSERT INTO sla_policy (key, type, urgency, category, sign_duration, sign_clock, contact_duration,
                              contact_clock, resolve_duration, resolve_clock, warning_share, updated_at)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, now())
      ON CONFLICT (key) DO UPDATE SET type = EXCLUDED.type, urgency = EXCLUDED.urgency,
          category = EXCLUDED.category, sign_duration = EXCLUDED.sign_duration, sign_clock = EXCLUDED.sign_clock,
          contact_duration = EXCLUDED.contact_duration, contact_clock = EXCLUDED.contact_clock,
          resolve_duration = EXCLUDED.resolve_duration, resolve_clock = EXCLUDED.resolve_clock,
          warning_share = EXCLUDED.warning_share, updated_at = now()
      RETURNING (xmax = 0) AS created""";
  static final String DELETE_POLICY = "DELETE FROM sla_policy WHERE key = $1";
  static final String CALENDAR = "SELECT zone, office_hours FROM business_calendar";
  static final String YEARS = "SELECT year, holidays, workdays, source FROM business_calendar_year";
  static final String YEAR = YEARS + " WHERE year = $1";
  static final String PUT_YEAR = """
      INSERT INTO business_calendar_year (year, holidays, workdays, source, updated_at)
      VALUES ($1, $2, $3, $4, now())
      ON CONFLICT (year) DO UPDATE SET holidays = EXCLUDED.holidays, workdays = EXCLUDED.workdays,
          source = EXCLUDED.source, updated_at = now()
      RETURNING (xmax = 0) AS created""";
  static final String PUT_WEEK = "UPDATE business_calendar SET zone = $1, office_hours = $2::jsonb, updated_at = now()";
  static final String VERSION = "SELECT version FROM sla_config";
  static final String BUMP = """
      WITH v AS (UPDATE sla_config SET version = version + 1 RETURNING version)
      SELECT version, pg_notify('%s', version::text) FROM v""".formatted(CHANGED_CHANNEL);

  /** The whole settings in one read-only transaction's worth of statements (the caller's client). */
  public Future<SlaSettings> load(SqlClient db) {
    return db.query(VERSION).execute().compose(v -> db.query(POLICIES).execute().compose(p ->
        db.query(CALENDAR).execute().compose(c -> db.query(YEARS).execute().map(y -> {
          List<SlaPolicy> policies = new ArrayList<>();
          p.forEach(r -> policies.add(policy(r)));
          Row cal = c.iterator().next();
          Map<Integer, CalendarYear> years = new HashMap<>();
          y.forEach(r -> years.put(r.getInteger("year"), year(r)));
          JsonObject hours = (JsonObject) cal.getValue("office_hours");
          Map<DayOfWeek, List<OfficeSpan>> week = new EnumMap<>(DayOfWeek.class);
          for (DayOfWeek d : DayOfWeek.values()) {
            week.put(d, spans(hours.getJsonArray(d.name(), new JsonArray())));
          }
          BusinessCalendar calendar = new BusinessCalendar(ZoneId.of(cal.getString("zone")), week,
              spans(hours.getJsonArray("MAKE_UP", new JsonArray())), years);
          return new SlaSettings(v.iterator().next().getLong("version"), policies, calendar);
        }))));
  }

  public Future<Optional<SlaPolicy>> policy(SqlClient db, String key) {
    return db.preparedQuery(POLICY).execute(Tuple.of(key))
        .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(policy(rows.iterator().next())));
  }

  /** Whether the policy was created (rather than replaced). */
  public Future<Boolean> put(SqlClient db, SlaPolicy p) {
    return db.preparedQuery(PUT_POLICY).execute(Tuple.from(new Object[] {p.key(), p.type(), p.urgency(),
            p.category(), duration(p.sign()), clock(p.sign()), duration(p.contact()), clock(p.contact()),
            duration(p.resolve()), clock(p.resolve()), p.warningShare()}))
        .map(rows -> rows.iterator().next().getBoolean("created"));
  }

  public Future<Boolean> delete(SqlClient db, String key) {
    return db.preparedQuery(DELETE_POLICY).execute(Tuple.of(key)).map(rows -> rows.rowCount() > 0);
  }

  public Future<Optional<YearRecord>> year(SqlClient db, int year) {
    return db.preparedQuery(YEAR).execute(Tuple.of(year)).map(rows -> rows.size() == 0 ? Optional.empty()
        : Optional.of(yearRecord(rows.iterator().next())));
  }

  public Future<Boolean> putYear(SqlClient db, CalendarYear year, String source) {
    return db.preparedQuery(PUT_YEAR).execute(Tuple.of(year.year(),
            year.holidays().stream().sorted().toArray(LocalDate[]::new),
            year.workdays().stream().sorted().toArray(LocalDate[]::new), source))
        .map(rows -> rows.iterator().next().getBoolean("created"));
  }

  /** The week as stored: zone and office hours (JSON as {@link SlaJson#week} writes it). */
  public Future<JsonObject> week(SqlClient db) {
    return db.query(CALENDAR).execute().map(rows -> {
      Row r = rows.iterator().next();
      return SlaJson.week(r.getString("zone"), (JsonObject) r.getValue("office_hours"));
    });
  }

  public Future<Void> putWeek(SqlClient db, BusinessCalendar week) {
    JsonObject hours = new JsonObject();
    for (DayOfWeek d : DayOfWeek.values()) {
      hours.put(d.name(), SlaJson.spans(week.week().get(d)));
    }
    hours.put("MAKE_UP", SlaJson.spans(week.makeUpHours()));
    return db.preparedQuery(PUT_WEEK).execute(Tuple.of(week.zone().getId(), hours)).mapEmpty();
  }

  /** Moves the settings version in the caller's transaction; replicas are told at commit. */
  public Future<Long> bump(SqlClient db) {
    return db.query(BUMP).execute().map(rows -> rows.iterator().next().getLong("version"));
  }

  /** A stored calendar year with where it came from. */
  public record YearRecord(CalendarYear year, String source) {}

  static SlaPolicy policy(Row r) {
    return new SlaPolicy(r.getString("key"), r.getString("type"), r.getString("urgency"), r.getString("category"),
        spec(r, "sign"), spec(r, "contact"), spec(r, "resolve"), r.getDouble("warning_share"));
  }

  private static TimerSpec spec(Row r, String timer) {
    String duration = r.getString(timer + "_duration");
    return duration == null ? null
        : new TimerSpec(SlaDuration.parse(duration), TimerClock.valueOf(r.getString(timer + "_clock")));
  }

  private static CalendarYear year(Row r) {
    return new CalendarYear(r.getInteger("year"), dates(r.getArrayOfLocalDates("holidays")),
        dates(r.getArrayOfLocalDates("workdays")));
  }

  private static YearRecord yearRecord(Row r) {
    return new YearRecord(year(r), r.getString("source"));
  }

  private static Set<LocalDate> dates(LocalDate[] days) {
    return new LinkedHashSet<>(List.of(days));
  }

  private static List<OfficeSpan> spans(JsonArray json) {
    List<OfficeSpan> spans = new ArrayList<>();
    for (int i = 0; i < json.size(); i++) {
      JsonObject s = json.getJsonObject(i);
      spans.add(new OfficeSpan(LocalTime.parse(s.getString("open")), LocalTime.parse(s.getString("close"))));
    }
    return spans;
  }

  private static String duration(TimerSpec spec) {
    return spec == null ? null : spec.duration().toString();
  }

  private static String clock(TimerSpec spec) {
    return spec == null ? null : spec.clock().name();
  }
}
