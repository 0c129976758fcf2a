package org.jiesu.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.io.PrintStream;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.HdrHistogram.Recorder;
import org.jiesu.platform.Config;
import org.jiesu.platform.Database;
import org.jiesu.platform.EmbeddedDatabase;

/**
 * The database's own ceiling for an intake-like write, measured as pgbench would: the same PostgreSQL
 * commits a transaction of three inserts (a ticket, its SLA timer, its event) from as many connections as
 * the server's pool, each connection committing one after the other (BEGIN, three INSERTs, COMMIT: five
 * round trips, as pgbench's default script sends them). The rows go to scratch tables in a schema of their
 * own ({@code bench_ceiling}, with a primary key, the external-id key and foreign keys like the real ones),
 * dropped afterwards, so the server's data is untouched. Intake can approach this figure, never pass it.
 */
public final class Ceiling {

  private static final String SCHEMA = """
      CREATE SCHEMA IF NOT EXISTS bench_ceiling;
      CREATE TABLE IF NOT EXISTS bench_ceiling.ticket (id uuid PRIMARY KEY, external_id text NOT NULL UNIQUE,
          title text NOT NULL, content text NOT NULL, status text NOT NULL, lead_department text NOT NULL,
          received_at timestamptz NOT NULL, version integer NOT NULL);
      CREATE TABLE IF NOT EXISTS bench_ceiling.sla_timer (ticket uuid NOT NULL REFERENCES bench_ceiling.ticket,
          kind text NOT NULL, due_at timestamptz NOT NULL, PRIMARY KEY (ticket, kind));
      CREATE TABLE IF NOT EXISTS bench_ceiling.event (id bigserial PRIMARY KEY,
          ticket uuid NOT NULL REFERENCES bench_ceiling.ticket, type text NOT NULL, at timestamptz NOT NULL,
          detail jsonb NOT NULL)""";

  private Ceiling() {}

  /**
   * The database the server uses: {@code JIESU_DB_URL}, else the embedded PostgreSQL running in
   * {@code JIESU_DATA_DIR}; empty when neither is there.
   */
  public static Optional<String> databaseOf(Config config) throws java.io.IOException {
    if (config.dbUrl().isPresent()) {
      return config.dbUrl();
    }
    return EmbeddedDatabase.runningPort(config.dataDir())
        .map(port -> "postgresql://postgres@localhost:" + port + "/jiesu");
  }

  /**
   * {@code ANALYZE} of the whole database at {@code url} (see {@link Bench#afterWarmup}), over JDBC: a
   * second Vert.x instance started and closed in the load generator right before the measured phases came
   * with a stall of the load client itself at their start (requests sent up to 330 ms late).
   */
  public static void analyze(String url) {
    Database.Target target = Database.Target.parse(url);
    try (java.sql.Connection c = java.sql.DriverManager.getConnection(target.jdbcUrl(), target.jdbcProperties());
         java.sql.Statement s = c.createStatement()) {
      s.execute("ANALYZE");
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException("ANALYZE failed: " + e.getMessage(), e);
    }
  }

  /**
   * Waits, at most {@code limit}, until no autovacuum worker runs, then checkpoints: the intake phase and the
   * ceiling each start on a quiet database, not in the vacuuming and page writing that the phases before
   * them left behind (the ceiling, measured after four phases, took 0.21 to 0.40 ms of database CPU a
   * transaction from one run to the next, 2026-11-26, and the ratio swung with it). That removes one cause;
   * the shared host's own swings remain (README "Measured"). Over JDBC, as {@link #analyze}. Answers what
   * it did, for the log.
   */
  public static String quiet(String url, java.time.Duration limit) {
    Database.Target target = Database.Target.parse(url);
    long start = System.nanoTime();
    try (java.sql.Connection c = java.sql.DriverManager.getConnection(target.jdbcUrl(), target.jdbcProperties());
         java.sql.Statement s = c.createStatement()) {
      String waited = "";
      while (true) {
        try (java.sql.ResultSet rs = s.executeQuery(
            "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'autovacuum worker'")) {
          rs.next();
          if (rs.getLong(1) == 0) {
            break;
          }
        }
        if (System.nanoTime() - start > limit.toNanos()) {
          waited = " (autovacuum still running after " + limit.toSeconds() + " s)";
          break;
        }
        Thread.sleep(200);
      }
      long afterWait = System.nanoTime();
      try {
        s.execute("CHECKPOINT");
      } catch (java.sql.SQLException e) {
        return String.format(java.util.Locale.ROOT, "quiet after %.1f s%s, not checkpointed: %s",
            (afterWait - start) / 1e9, waited, e.getMessage());
      }
      return String.format(java.util.Locale.ROOT, "quiet after %.1f s%s, checkpointed in %.1f s",
          (afterWait - start) / 1e9, waited, (System.nanoTime() - afterWait) / 1e9);
    } catch (java.sql.SQLException e) {
      return "not quieted: " + e.getMessage();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "not quieted: interrupted";
    }
  }

  /**
   * The tables PostgreSQL's autovacuum vacuumed or analyzed between {@code from} and {@code to} (its last run
   * of each, from {@code pg_stat_user_tables}), as "table vacuumed/analyzed at +s.s s" after {@code from};
   * empty when none. Read over JDBC, so no second Vert.x instance runs in the load generator.
   */
  public static String autovacuumBetween(String url, java.time.Instant from, java.time.Instant to) {
    Database.Target target = Database.Target.parse(url);
    String sql = """
        SELECT relname, last_autovacuum, last_autoanalyze FROM pg_stat_user_tables
        WHERE last_autovacuum BETWEEN ? AND ? OR last_autoanalyze BETWEEN ? AND ?
        ORDER BY least(last_autovacuum, last_autoanalyze)""";
    StringBuilder out = new StringBuilder();
    try (java.sql.Connection c = java.sql.DriverManager.getConnection(target.jdbcUrl(), target.jdbcProperties());
         java.sql.PreparedStatement ps = c.prepareStatement(sql)) {
      OffsetDateTime start = from.atOffset(ZoneOffset.UTC);
      OffsetDateTime end = to.atOffset(ZoneOffset.UTC);
      ps.setObject(1, start);
      ps.setObject(2, end);
      ps.setObject(3, start);
      ps.setObject(4, end);
      try (java.sql.ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.append(out.length() == 0 ? "" : ", ").append(rs.getString(1));
          appendWhen(out, " vacuumed", rs.getObject(2, OffsetDateTime.class), from, to);
          appendWhen(out, " analyzed", rs.getObject(3, OffsetDateTime.class), from, to);
        }
      }
    } catch (java.sql.SQLException e) {
      return "(autovacuum not read: " + e.getMessage() + ")";
    }
    return out.toString();
  }

  private static void appendWhen(StringBuilder out, String what, OffsetDateTime at, java.time.Instant from,
      java.time.Instant to) {
    if (at != null && !at.toInstant().isBefore(from) && !at.toInstant().isAfter(to)) {
      out.append(what).append(String.format(" at +%.1f s", java.time.Duration.between(from, at.toInstant()).toMillis() / 1000.0));
    }
  }

  /** {@code transactions} three-insert transactions from {@code connections} connections. */
  public static Bench.Figures measure(String url, int connections, int transactions,
      java.util.Optional<java.nio.file.Path> pgData) throws Exception {
    CpuMeters cpu = CpuMeters.forDataFolder(pgData);
    Vertx vertx = Vertx.vertx();
    try {
      Pool pool = Database.pool(vertx, Database.Target.parse(url), connections);
      pool.query(SCHEMA).execute().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
      try {
        return run(pool, connections, transactions, cpu);
      } finally {
        pool.query("DROP SCHEMA bench_ceiling CASCADE").execute().toCompletionStage().toCompletableFuture()
            .get(60, TimeUnit.SECONDS);
        pool.close();
      }
    } finally {
      vertx.close();
    }
  }

  private static Bench.Figures run(Pool pool, int connections, int transactions, CpuMeters cpu)
      throws InterruptedException {
    java.util.Map<Long, Long> databaseBefore = cpu.databaseNanos();
    double clientBefore = cpu.clientNanos();
    Recorder recorder = new Recorder(3);
    Semaphore slots = new Semaphore(connections);
    AtomicInteger errors = new AtomicInteger();
    CountDownLatch done = new CountDownLatch(transactions);
    String run = UUID.randomUUID().toString().substring(0, 8);
    OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
    long start = System.nanoTime();
    for (int i = 0; i < transactions; i++) {
      slots.acquire();
      UUID id = UUID.randomUUID();
      String externalId = "CEIL-" + run + "-" + i;
      long sent = System.nanoTime();
      pool.withTransaction(tx -> tx.preparedQuery("INSERT INTO bench_ceiling.ticket (id, external_id, title, content,"
              + " status, lead_department, received_at, version) VALUES ($1, $2, $3, $4, 'DISPATCHED', 'BENCH', $5, 1)")
          .execute(Tuple.of(id, externalId, "压测工单", "用于测量数据库上限的工单", now))
          .compose(r -> tx.preparedQuery("INSERT INTO bench_ceiling.sla_timer (ticket, kind, due_at) VALUES ($1, 'SIGN', $2)")
              .execute(Tuple.of(id, now.plusHours(2))))
          .compose(r -> tx.preparedQuery("INSERT INTO bench_ceiling.event (ticket, type, at, detail) VALUES ($1,"
                  + " 'DISPATCHED', $2, '{\"department\":\"BENCH\"}')")
              .execute(Tuple.of(id, now)))
          .mapEmpty())
          .onComplete(result -> {
            recorder.recordValue(System.nanoTime() - sent);
            if (result.failed()) {
              errors.incrementAndGet();
            }
            slots.release();
            done.countDown();
          });
    }
    done.await();
    double seconds = (System.nanoTime() - start) / 1e9;
    // five round trips each by construction (BEGIN, three INSERTs, COMMIT); no jiesu server takes part
    return new Bench.Figures("ceiling", transactions, errors.get(), seconds, recorder.getIntervalHistogram(), 0, 5,
        cpu.databaseNanosBetween(databaseBefore, cpu.databaseNanos()) / 1e6 / transactions, (cpu.clientNanos() - clientBefore) / 1e6 / transactions,
        Double.NaN, Double.NaN);
  }

  /** The line that compares intake with the ceiling. */
  public static void print(Bench.Figures intake, Bench.Figures ceiling, PrintStream out) {
    out.println(ceiling.line().replace("server  0.00", "server   —  "));
    out.printf("intake/ceiling %.2f  (%.1f intakes/s against %.1f three-insert transactions/s)%n",
        intake.throughput() / ceiling.throughput(), intake.throughput(), ceiling.throughput());
  }
}
