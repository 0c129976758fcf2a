package org.jiesu.bench;

import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.HdrHistogram.Histogram;
import org.jiesu.audit.AuditLog;
import org.jiesu.credit.Credit;
import org.jiesu.credit.CreditRules;
import org.jiesu.credit.CreditScore;
import org.jiesu.department.Departments;
import org.jiesu.evaluation.ScorecardService;
import org.jiesu.platform.Database;
import org.jiesu.platform.EmbeddedDatabase;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * A month's department scorecards at scale, on its own database (embedded, or JIESU_DB_URL): generates a
 * year of tickets in SQL across the Beijing shape of departments (16 districts, 343 streets, 31 municipal
 * departments, 10 utilities: 400), with their SLA timers, callbacks, returns, reworks, unreasonable marks and
 * proactive tasks, and the scorecard facts the listener would have kept for them; then times the
 * scorecard service (the SQL and the arithmetic the HTTP handler runs) over repeated calls. It also generates a
 * credit register and times an entity's credit explanation the same way ({@link Credit#explanation}, what
 * {@code GET /entities/{creditCode}/credit} answers).
 */
@Command(name = "scorecard", description = "Department scorecards over a generated year of tickets (embedded "
    + "PostgreSQL, or JIESU_DB_URL): p50/p99 of a month's scorecards, of one department's and of an entity's "
    + "credit explanation.")
public final class ScorecardBench implements Callable<Integer> {

  @Option(names = "--tickets", defaultValue = "1000000", description = "tickets over the year (default ${DEFAULT-VALUE})")
  int tickets;
  @Option(names = "--calls", defaultValue = "50", description = "timed calls of each kind (default ${DEFAULT-VALUE})")
  int calls;
  @Option(names = "--month", defaultValue = "2026-06", description = "the month timed (default ${DEFAULT-VALUE})")
  String month;

  @Option(names = "--entities", defaultValue = "100000", description = "credit entities, with their credit events and "
      + "complaints (default ${DEFAULT-VALUE})")
  int entities;

  /** The year generated: December 2025 to November 2026, Beijing time. */
  static final String YEAR_START = "2025-12-01T00:00:00+08:00";

  @Override
  public Integer call() throws Exception {
    Optional<String> dbUrl = Optional.ofNullable(System.getenv("JIESU_DB_URL")).filter(u -> !u.isBlank());
    Path folder = null;
    EmbeddedDatabase embedded = null;
    String url;
    if (dbUrl.isPresent()) {
      url = dbUrl.get();
    } else {
      folder = Files.createTempDirectory("jiesu-bench-scorecard");
      embedded = EmbeddedDatabase.start(folder, true);
      embedded.createDatabase("bench");
      url = embedded.url("bench");
    }
    Vertx vertx = Vertx.vertx();
    try {
      Database.Target target = Database.Target.parse(url);
      Database.migrate(target);
      long t0 = System.nanoTime();
      load(target);
      System.out.printf("generated %,d tickets over 12 months across 400 departments in %.1f s%n", tickets,
          (System.nanoTime() - t0) / 1e9);
      Pool pool = Database.pool(vertx, target, 4);
      AuditLog audit = new AuditLog(pool, Clock.systemUTC());
      ScorecardService service = new ScorecardService(pool, new Departments(pool, audit), audit, Clock.systemUTC());
      YearMonth period = YearMonth.parse(month);
      var m = service.month(period).await(60, TimeUnit.SECONDS);
      int rounds = m.cards().stream().mapToInt(c -> c.facts().rounds()).sum();
      int callbacks = m.cards().stream().mapToInt(c -> c.facts().callbacks()).sum();
      System.out.printf("%s: %d departments, %,d rounds and %,d callbacks counted%n", period, m.cards().size(),
          rounds, callbacks);
      String busiest = m.cards().stream().max(java.util.Comparator.comparingInt(c -> c.facts().rounds())).orElseThrow()
          .facts().department();
      System.out.println(time("month", () -> service.month(period)));
      System.out.println(time("dept", () -> service.department(period, busiest)));
      explain(target, period);
      // an entity's credit explanation: what GET /entities/{creditCode}/credit answers, on random entities
      Credit credit = new Credit(pool, audit, Clock.systemUTC(), new CreditScore(CreditRules.defaults(), Credit.ZONE));
      java.util.List<String> codes = sample(target);
      if (!codes.stream().allMatch(org.jiesu.platform.CreditCode::isValid)) {
        throw new IllegalStateException("a generated creditCode fails its GB 32100 check character");
      }
      java.util.Random dice = new java.util.Random(42);
      Instant asOf = Instant.parse("2026-11-30T16:00:00Z");
      System.out.println(time("credit", () -> credit.explanation(codes.get(dice.nextInt(codes.size())), asOf)));
      pool.close().await(10, TimeUnit.SECONDS);
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
      if (embedded != null) {
        embedded.close();
        deleteRecursively(folder);
      }
    }
    return 0;
  }

  /** A thousand entity codes, drawn at random from those generated. */
  private static java.util.List<String> sample(Database.Target target) throws Exception {
    java.util.List<String> out = new java.util.ArrayList<>();
    try (Connection c = DriverManager.getConnection(target.jdbcUrl(), target.jdbcProperties());
         Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT credit_code FROM credit_entity ORDER BY random() LIMIT 1000")) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }

  private String time(String name, Supplier<io.vertx.core.Future<?>> call) throws Exception {
    for (int i = 0; i < 3; i++) {
      call.get().await(60, TimeUnit.SECONDS);
    }
    Histogram h = new Histogram(3);
    for (int i = 0; i < calls; i++) {
      long start = System.nanoTime();
      call.get().await(60, TimeUnit.SECONDS);
      h.recordValue((System.nanoTime() - start) / 1000);
    }
    return String.format("%-6s %d calls  p50 %7.1f ms  p99 %7.1f ms  max %7.1f ms", name, calls,
        h.getValueAtPercentile(50) / 1000.0, h.getValueAtPercentile(99) / 1000.0, h.getMaxValue() / 1000.0);
  }

  /** The plans of the month's two counting queries, as PostgreSQL ran them. */
  private static void explain(Database.Target target, YearMonth period) throws Exception {
    try (Connection c = DriverManager.getConnection(target.jdbcUrl(), target.jdbcProperties())) {
      for (String query : org.jiesu.evaluation.ScorecardService.countingQueries()) {
        try (var ps = c.prepareStatement("EXPLAIN (ANALYZE, BUFFERS) " + query.replace("$1", "?"))) {
          ps.setObject(1, period.atDay(1));
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              System.out.println("  " + rs.getString(1));
            }
          }
        }
      }
    }
  }

  private void load(Database.Target target) throws Exception {
    try (Connection c = DriverManager.getConnection(target.jdbcUrl(), target.jdbcProperties());
         Statement s = c.createStatement()) {
      // 400 departments: 16 districts, 343 streets, 31 municipal departments, 10 utilities
      s.execute("""
          INSERT INTO department (code, name, dept_group)
          SELECT 'DIS-' || g, '区' || g, 'district' FROM generate_series(1, 16) g
          UNION ALL SELECT 'STR-' || g, '街道' || g, 'street' FROM generate_series(1, 343) g
          UNION ALL SELECT 'MUN-' || g, '市局' || g, 'municipal' FROM generate_series(1, 31) g
          UNION ALL SELECT 'UTL-' || g, '公共服务企业' || g, 'utility' FROM generate_series(1, 10) g""");
      // one row of dice per ticket; departments drawn with a skew (streets and big bureaus get more)
      s.execute("""
          CREATE TEMP TABLE gen AS
          SELECT g, gen_random_uuid() AS id,
                 d.codes[1 + floor(power(random(), 1.6) * 400)::int] AS dept,
                 timestamptz '%s' + (g::double precision / %d) * interval '365 days' AS received_at,
                 random() < 0.02 AS proactive, random() < 0.01 AS unreasonable,
                 random() < 0.92 AS sign_ok, random() < 0.95 AS contact_ok, random() AS resolve_die,
                 random() < 0.03 AS returned, random() < 0.85 AS called, random() < 0.80 AS resolved,
                 random() AS satisfaction_die, random() < 0.05 AS rework
            FROM generate_series(1, %d) g
           CROSS JOIN (SELECT array_agg(code ORDER BY random()) AS codes FROM department) d
          """.formatted(YEAR_START, tickets, tickets));
      s.execute("""
          INSERT INTO ticket (id, external_id, intake_hash, type, urgency, category, title, content, received_at,
                              status, round, lead_department, dispatched_at, dispatch_count, created_at, updated_at,
                              unreasonable, callback_resolved, callback_satisfaction, channel)
          SELECT id, 'SC-BENCH-' || g, 'h', 'COMPLAINT', 'NORMAL', 'bench', '工单', '内容', received_at,
                 CASE WHEN called AND NOT proactive THEN 'CLOSED' ELSE 'REPLIED' END, CASE WHEN rework THEN 2 ELSE 1 END,
                 dept, received_at + interval '5 minutes', 1, received_at, received_at, unreasonable,
                 CASE WHEN called AND NOT proactive THEN resolved END,
                 CASE WHEN called AND NOT proactive THEN CASE WHEN satisfaction_die < 0.7 THEN 'SATISFIED'
                      WHEN satisfaction_die < 0.9 THEN 'BASICALLY_SATISFIED' ELSE 'UNSATISFIED' END END,
                 CASE WHEN proactive THEN 'PROACTIVE' ELSE 'HOTLINE' END
            FROM gen""");
      s.execute("""
          INSERT INTO sla_timer (ticket_id, round, kind, clock, allowed, warning_share, started_at, due_at, warn_at,
                                 state, met_at, breached_at)
          SELECT id, 1, k.kind, 'NATURAL', k.allowed, 0.75, received_at + interval '5 minutes',
                 received_at + interval '5 minutes' + k.allowed::interval,
                 received_at + interval '5 minutes' + k.allowed::interval * 0.75,
                 CASE WHEN k.ok THEN 'MET' ELSE 'BREACHED' END,
                 received_at + interval '5 minutes' + k.allowed::interval * CASE WHEN k.ok THEN 0.5 ELSE 1.5 END,
                 CASE WHEN k.ok THEN NULL ELSE received_at + interval '5 minutes' + k.allowed::interval END
            FROM gen CROSS JOIN LATERAL (VALUES ('SIGN', 'PT4H', sign_ok), ('CONTACT', 'PT24H', contact_ok),
                                                ('RESOLVE', 'P7D', resolve_die < 0.9)) AS k(kind, allowed, ok)""");
      s.execute("""
          INSERT INTO scorecard_round (ticket_id, round, department, dispatched_at, period, proactive, sign_timer,
                                       contact_timer, resolve_timer, returned)
          SELECT id, 1, dept, received_at + interval '5 minutes',
                 date_trunc('month', (received_at + interval '5 minutes') AT TIME ZONE 'Asia/Shanghai')::date,
                 proactive, CASE WHEN sign_ok THEN 'MET' ELSE 'LATE' END, CASE WHEN contact_ok THEN 'MET' ELSE 'LATE' END,
                 CASE WHEN resolve_die < 0.9 THEN 'MET' ELSE 'LATE' END, returned
            FROM gen""");
      // callbacks three days after dispatch; a rework starts round 2 at the callback
      s.execute("""
          INSERT INTO scorecard_callback (ticket_id, round, department, at, period, resolved, satisfaction, rework,
                                          unreasonable, proactive)
          SELECT id, 1, dept, received_at + interval '3 days',
                 date_trunc('month', (received_at + interval '3 days') AT TIME ZONE 'Asia/Shanghai')::date,
                 resolved, CASE WHEN satisfaction_die < 0.7 THEN 'SATISFIED'
                                WHEN satisfaction_die < 0.9 THEN 'BASICALLY_SATISFIED' ELSE 'UNSATISFIED' END,
                 rework, unreasonable, false
            FROM gen WHERE called AND NOT proactive""");
      s.execute("""
          INSERT INTO scorecard_round (ticket_id, round, department, dispatched_at, period, sign_timer, contact_timer,
                                       resolve_timer)
          SELECT id, 2, dept, received_at + interval '3 days',
                 date_trunc('month', (received_at + interval '3 days') AT TIME ZONE 'Asia/Shanghai')::date,
                 'MET', 'MET', 'MET'
            FROM gen WHERE called AND NOT proactive AND rework""");
      loadCredit(s);
      for (String table : new String[] {"department", "ticket", "sla_timer", "scorecard_round", "scorecard_callback",
          "credit_entity", "credit_event", "credit_complaint"}) {
        s.execute("VACUUM ANALYZE " + table);
      }
      try (ResultSet rs = s.executeQuery("SELECT (SELECT count(*) FROM scorecard_round), (SELECT count(*) FROM "
          + "scorecard_callback), (SELECT count(*) FROM sla_timer)")) {
        rs.next();
        System.out.printf("facts: %,d rounds, %,d callbacks; %,d SLA timers%n", rs.getLong(1), rs.getLong(2),
            rs.getLong(3));
      }
    }
  }

  /**
   * The credit register: {@code entities} entities with valid GB 32100 codes (17 digits and their check
   * character, computed here), each with 0 to 8 credit events over the last three years (penalties,
   * substantiated complaints, commendations, a few abnormal-list entries) and 0 to 5 complaints, a third of
   * them still without a finding.
   */
  private void loadCredit(Statement s) throws Exception {
    s.execute("""
        INSERT INTO credit_entity (credit_code, name, kind, district, status, created_at, updated_at)
        SELECT b || substr('0123456789ABCDEFGHJKLMNPQRTUWXY', 1 + ((31 - w.sum %% 31) %% 31)::int, 1),
               '企业' || g, (ARRAY['FOOD','CATERING','RETAIL','PROPERTY','CONSTRUCTION'])[1 + g %% 5],
               'DIS-' || (1 + g %% 16), 'VERIFIED', timestamptz '2023-01-01', timestamptz '2023-01-01'
          FROM (SELECT g, '91110000' || lpad(g::text, 9, '0') AS b FROM generate_series(1, %d) g) x
         CROSS JOIN LATERAL (SELECT sum(substr(x.b, i, 1)::int
                                        * (ARRAY[1,3,9,27,19,26,16,17,20,29,25,13,8,24,10,30,28])[i]) AS sum
                               FROM generate_series(1, 17) i) w""".formatted(entities));
    s.execute("""
        INSERT INTO credit_event (id, credit_code, kind, effective_at, points, note, source, recorded_at)
        SELECT gen_random_uuid(), e.credit_code, k.kind, k.at, CASE WHEN k.kind = 'COMMENDATION' THEN 1 + floor(random() * 5)::int END,
               '执法检查', 'bench', k.at
          FROM credit_entity e
         CROSS JOIN LATERAL (SELECT CASE WHEN d < 0.35 THEN 'MINOR_PENALTY' WHEN d < 0.5 THEN 'GENERAL_PENALTY'
                                         WHEN d < 0.8 THEN 'SUBSTANTIATED_COMPLAINT' WHEN d < 0.97 THEN 'COMMENDATION'
                                         ELSE 'ABNORMAL_LIST' END AS kind,
                                    timestamptz '2023-12-01' + random() * interval '1095 days' AS at
                               FROM (SELECT random() AS d, n FROM generate_series(1, 8) n) r
                              WHERE r.n <= floor(power(random(), 2) * 9) + (e.credit_code > '') :: int - 1) k""");
    s.execute("""
        INSERT INTO credit_complaint (ticket_id, credit_code, received_at, finding, finding_at)
        SELECT gen_random_uuid(), e.credit_code, c.at,
               CASE WHEN c.d < 0.33 THEN NULL WHEN c.d < 0.6 THEN 'SUBSTANTIATED' ELSE 'UNSUBSTANTIATED' END,
               CASE WHEN c.d < 0.33 THEN NULL ELSE c.at + interval '7 days' END
          FROM credit_entity e
         CROSS JOIN LATERAL (SELECT random() AS d, timestamptz '2025-12-01' + random() * interval '360 days' AS at
                               FROM generate_series(1, 5) n
                              WHERE n <= floor(power(random(), 2) * 6) + (e.credit_code > '') :: int - 1) c""");
    try (ResultSet rs = s.executeQuery("SELECT (SELECT count(*) FROM credit_entity), (SELECT count(*) FROM "
        + "credit_event), (SELECT count(*) FROM credit_complaint)")) {
      rs.next();
      System.out.printf("credit: %,d entities, %,d events, %,d complaints%n", rs.getLong(1), rs.getLong(2),
          rs.getLong(3));
    }
  }

  private static void deleteRecursively(Path folder) {
    try (var paths = Files.walk(folder)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (Exception ignored) {
      // best effort
    }
  }
}
