package org.jiesu.evaluation;

import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jiesu.evaluation.Scorecards.Settings;

/** The scorecards' SQL: a month's counts per department, a department's facts, the settings. */
final class ScorecardStore {

  /**
   * A round counts for the rates unless it is a proactive task or its ticket was merged away; responded when
   * every response timer the policy gave it (SIGN, CONTACT) was met by its due time. Mirrors
   * {@link RoundFact}.
   */
  static final String ROUND_COUNTS = """
      SELECT department,
             count(DISTINCT ticket_id) FILTER (WHERE counted) AS tickets,
             count(*) FILTER (WHERE counted) AS rounds,
             count(*) FILTER (WHERE counted AND coalesce(sign_timer, 'MET') = 'MET'
                                            AND coalesce(contact_timer, 'MET') = 'MET') AS responded,
             count(*) FILTER (WHERE counted AND resolve_timer IN ('MET', 'LATE')) AS resolves,
             count(*) FILTER (WHERE counted AND resolve_timer = 'MET') AS resolves_on_time,
             count(*) FILTER (WHERE counted AND returned) AS returns,
             count(*) FILTER (WHERE proactive AND NOT merged) AS proactive_tasks,
             count(*) FILTER (WHERE proactive AND NOT merged AND resolve_timer = 'MET') AS proactive_on_time
        FROM (SELECT department, ticket_id, sign_timer, contact_timer, resolve_timer, returned, proactive, merged,
                     NOT proactive AND NOT merged AS counted
                FROM scorecard_round WHERE period = $1) r
       GROUP BY department""";

  /** Callbacks of proactive tasks (there should be none) and of unreasonable tickets do not count. */
  static final String CALLBACK_COUNTS = """
      SELECT department, count(*) AS callbacks,
             count(*) FILTER (WHERE resolved) AS resolved,
             count(*) FILTER (WHERE satisfaction = 'SATISFIED') AS satisfied,
             count(*) FILTER (WHERE satisfaction = 'BASICALLY_SATISFIED') AS basically,
             count(*) FILTER (WHERE satisfaction = 'UNSATISFIED') AS unsatisfied,
             count(*) FILTER (WHERE rework) AS reworks
        FROM scorecard_callback
       WHERE period = $1 AND NOT unreasonable AND NOT proactive
       GROUP BY department""";

  /**
   * A fact's timer still OPEN (nobody has acted since the dispatch) whose SLA timer the scheduler has breached
   * since reads BREACHED: the firing does not touch the facts, so the view asks the timer (the same timer
   * {@link ScorecardFacts} copies: the first of its kind started at or after the dispatch). The counts need
   * no such read: OPEN and BREACHED both count against the response rate and neither as a reply.
   */
  private static final String OPEN_OR_BREACHED = """
      CASE WHEN r.%1$s_timer = 'OPEN' AND (SELECT s.state = 'BREACHED' AND s.met_at IS NULL FROM sla_timer s
                 WHERE s.ticket_id = r.ticket_id AND s.round = r.round AND s.kind = '%2$s'
                   AND s.started_at >= r.dispatched_at ORDER BY s.id LIMIT 1)
           THEN 'BREACHED' ELSE r.%1$s_timer END AS %1$s_timer""";

  private static final String ROUNDS_OF = "SELECT r.ticket_id, r.round, r.dispatched_at, "
      + OPEN_OR_BREACHED.formatted("sign", "SIGN") + ", " + OPEN_OR_BREACHED.formatted("contact", "CONTACT") + ", "
      + OPEN_OR_BREACHED.formatted("resolve", "RESOLVE") + ", r.returned, r.proactive, r.merged"
      + " FROM scorecard_round r WHERE r.period = $1 AND r.department = $2 ORDER BY r.dispatched_at, r.id";

  private static final String CALLBACKS_OF = """
      SELECT ticket_id, round, at, resolved, satisfaction, rework, unreasonable, proactive
        FROM scorecard_callback WHERE period = $1 AND department = $2 ORDER BY at, id""";

  private static final String SETTINGS_COLUMNS = """
      s.version, s.response_weight, s.resolution_weight, s.satisfaction_weight, s.satisfied_score,
      s.basically_satisfied_score, s.unsatisfied_score, s.minimum_sample, s.changed_at, s.changed_by""";

  private static final String CURRENT = "SELECT " + SETTINGS_COLUMNS
      + " FROM scorecard_settings s ORDER BY s.version DESC LIMIT 1";

  private static final String FIX_MONTH = """
      INSERT INTO scorecard_month (period, settings_version, fixed_at)
      SELECT $1, max(version), $2 FROM scorecard_settings
      ON CONFLICT (period) DO NOTHING""";

  private static final String OF_MONTH = "SELECT " + SETTINGS_COLUMNS + " " + """
       FROM scorecard_month m JOIN scorecard_settings s ON s.version = m.settings_version WHERE m.period = $1""";

  private static final String INSERT_SETTINGS = """
      INSERT INTO scorecard_settings (version, response_weight, resolution_weight, satisfaction_weight,
                                      satisfied_score, basically_satisfied_score, unsatisfied_score, minimum_sample,
                                      changed_at, changed_by)
      SELECT max(version) + 1, $1, $2, $3, $4, $5, $6, $7, $8, $9 FROM scorecard_settings
      RETURNING version""";

  /** Settings changes take turns, so two at once cannot both become the same next version. */
  private static final String SERIALISE = "SELECT pg_advisory_xact_lock(hashtext('scorecard_settings'))";

  /** Settings as one version of them. */
  record Versioned(long version, Settings settings, Instant changedAt, String changedBy) {}

  /** What one dispatch did for its department. */
  record RoundFact(UUID ticket, int round, Instant dispatchedAt, String sign, String contact, String resolve,
      boolean returned, boolean proactive, boolean merged) {
    boolean counted() {
      return !proactive && !merged;
    }

    boolean responded() {
      return (sign == null || "MET".equals(sign)) && (contact == null || "MET".equals(contact));
    }

    boolean resolved() {
      return "MET".equals(resolve) || "LATE".equals(resolve);
    }
  }

  /** One callback, in the month it was recorded. */
  record CallbackFact(UUID ticket, int round, Instant at, boolean resolved, String satisfaction, boolean rework,
      boolean unreasonable, boolean proactive) {
    boolean counted() {
      return !unreasonable && !proactive;
    }
  }

  /** Each department's counts in the month, by department code (only departments with any fact; no group yet). */
  Future<Map<String, Scorecards.Facts>> counts(SqlClient db, YearMonth period) {
    LocalDate first = period.atDay(1);
    Future<RowSet<Row>> rounds = db.preparedQuery(ROUND_COUNTS).execute(Tuple.of(first));
    Future<RowSet<Row>> callbacks = db.preparedQuery(CALLBACK_COUNTS).execute(Tuple.of(first));
    return Future.all(rounds, callbacks).map(v -> merge(rounds.result(), callbacks.result()));
  }

  private static Map<String, Scorecards.Facts> merge(RowSet<Row> rounds, RowSet<Row> callbacks) {
    Map<String, int[]> byDept = new LinkedHashMap<>();
    for (Row r : rounds) {
      int[] c = byDept.computeIfAbsent(r.getString("department"), d -> new int[14]);
      c[0] = (int) (long) r.getLong("tickets");
      c[1] = (int) (long) r.getLong("rounds");
      c[2] = (int) (long) r.getLong("responded");
      c[8] = (int) (long) r.getLong("resolves");
      c[9] = (int) (long) r.getLong("resolves_on_time");
      c[10] = (int) (long) r.getLong("returns");
      c[12] = (int) (long) r.getLong("proactive_tasks");
      c[13] = (int) (long) r.getLong("proactive_on_time");
    }
    for (Row r : callbacks) {
      int[] c = byDept.computeIfAbsent(r.getString("department"), d -> new int[14]);
      c[3] = (int) (long) r.getLong("callbacks");
      c[4] = (int) (long) r.getLong("resolved");
      c[5] = (int) (long) r.getLong("satisfied");
      c[6] = (int) (long) r.getLong("basically");
      c[7] = (int) (long) r.getLong("unsatisfied");
      c[11] = (int) (long) r.getLong("reworks");
    }
    Map<String, Scorecards.Facts> out = new LinkedHashMap<>();
    byDept.forEach((d, c) -> out.put(d, new Scorecards.Facts(d, "", c[0], c[1], c[2], c[3],
        c[4], c[5], c[6], c[7], c[8], c[9], c[10], c[11], c[12], c[13])));
    return out;
  }

  Future<List<RoundFact>> rounds(SqlClient db, YearMonth period, String department) {
    return db.preparedQuery(ROUNDS_OF).execute(Tuple.of(period.atDay(1), department)).map(rows -> {
      List<RoundFact> out = new ArrayList<>();
      for (Row r : rows) {
        out.add(new RoundFact(r.getUUID("ticket_id"), r.getInteger("round"), instant(r, "dispatched_at"),
            r.getString("sign_timer"), r.getString("contact_timer"), r.getString("resolve_timer"),
            r.getBoolean("returned"), r.getBoolean("proactive"), r.getBoolean("merged")));
      }
      return out;
    });
  }

  Future<List<CallbackFact>> callbacks(SqlClient db, YearMonth period, String department) {
    return db.preparedQuery(CALLBACKS_OF).execute(Tuple.of(period.atDay(1), department)).map(rows -> {
      List<CallbackFact> out = new ArrayList<>();
      for (Row r : rows) {
        out.add(new CallbackFact(r.getUUID("ticket_id"), r.getInteger("round"), instant(r, "at"),
            r.getBoolean("resolved"), r.getString("satisfaction"), r.getBoolean("rework"),
            r.getBoolean("unreasonable"), r.getBoolean("proactive")));
      }
      return out;
    });
  }

  Future<Versioned> current(SqlClient db) {
    return db.query(CURRENT).execute().map(rows -> settings(rows.iterator().next()));
  }

  /**
   * The settings a finished month was scored with: fixed by the first scorecard computed after it ended (a
   * read once fixed; the write happens once per month).
   */
  Future<Versioned> ofFinishedMonth(SqlClient db, YearMonth period, Instant now) {
    Tuple month = Tuple.of(period.atDay(1));
    return db.preparedQuery(OF_MONTH).execute(month).compose(rows -> rows.size() > 0
        ? Future.succeededFuture(settings(rows.iterator().next()))
        : db.preparedQuery(FIX_MONTH).execute(Tuple.of(period.atDay(1), now.atOffset(ZoneOffset.UTC)))
            .compose(v -> db.preparedQuery(OF_MONTH).execute(month))
            .map(again -> settings(again.iterator().next())));
  }

  /** Holds the settings for this transaction: changes take turns. */
  Future<Void> serialise(SqlClient tx) {
    return tx.query(SERIALISE).execute().mapEmpty();
  }

  Future<Long> insert(SqlClient tx, Settings s, Instant at, String by) {
    return tx.preparedQuery(INSERT_SETTINGS).execute(Tuple.from(java.util.Arrays.asList(
            s.responseWeight(), s.resolutionWeight(), s.satisfactionWeight(), s.satisfiedScore(),
            s.basicallySatisfiedScore(), s.unsatisfiedScore(), s.minimumSample(), at.atOffset(ZoneOffset.UTC), by)))
        .map(rows -> rows.iterator().next().getLong(0));
  }

  private static Versioned settings(Row r) {
    return new Versioned(r.getLong("version"), new Settings(r.getDouble("response_weight"),
        r.getDouble("resolution_weight"), r.getDouble("satisfaction_weight"), r.getDouble("satisfied_score"),
        r.getDouble("basically_satisfied_score"), r.getDouble("unsatisfied_score"), r.getInteger("minimum_sample")),
        instant(r, "changed_at"), r.getString("changed_by"));
  }

  private static Instant instant(Row r, String column) {
    OffsetDateTime t = r.getOffsetDateTime(column);
    return t == null ? null : t.toInstant();
  }
}
