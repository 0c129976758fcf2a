package org.jiesu.bench;

import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.jiesu.platform.Database;
import org.jiesu.platform.EmbeddedDatabase;
import org.jiesu.sla.SlaScheduler;
import org.jiesu.sla.TimerStore;

/**
 * The SLA scheduler under the load the issue describes: many armed timers, a steady trickle falling due,
 * and a burst due in one second (tickets received over a holiday all start their working clocks at the same
 * office minute). Runs {@code replicas} schedulers, each with its own pool as separate processes would, on
 * one PostgreSQL (durable: fsync and synchronous_commit on). Lateness is measured when the firing
 * transaction has committed (the scheduler's callback), from the timer's due instant.
 *
 * <p>Warnings are marked as already given, so each timer fires once: the figures are for breaches.
 */
public final class SlaBench {

  /** What to load. */
  public record Options(int armed, int trickle, int burst, int replicas, int batch, Duration window,
      Optional<String> dbUrl) {}

  private SlaBench() {}

  public static void run(Options o, PrintStream out) throws Exception {
    Path folder = null;
    EmbeddedDatabase embedded = null;
    String url;
    if (o.dbUrl().isPresent()) {
      url = o.dbUrl().get();
    } else {
      folder = Files.createTempDirectory("jiesu-bench-sla");
      embedded = EmbeddedDatabase.start(folder, true);
      embedded.createDatabase("bench");
      url = embedded.url("bench");
    }
    Vertx vertx = Vertx.vertx();
    try {
      Database.Target target = Database.Target.parse(url);
      Database.migrate(target);
      Instant t0 = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
      // deadlines: the trickle spread over the window, the burst in the window's middle second
      Instant start = t0.plusSeconds(20 + o.armed() / 20_000);
      Instant burstAt = start.plus(o.window().dividedBy(2));
      load(target, o, start, burstAt, out);
      out.printf("loaded %,d armed timers (%,d due in the %d s window, %,d in one second) in %.1f s%n",
          o.armed() + o.trickle() + o.burst(), o.trickle(), o.window().toSeconds(), o.burst(),
          Duration.between(t0, Instant.now()).toMillis() / 1000.0);

      Histogram trickle = new Histogram(3);
      Histogram burst = new Histogram(3);
      AtomicLong burstFirst = new AtomicLong(Long.MAX_VALUE);
      AtomicLong burstLast = new AtomicLong();
      AtomicLong fired = new AtomicLong();
      ConcurrentHashMap<Long, Boolean> seen = new ConcurrentHashMap<>();
      List<SlaScheduler> schedulers = new ArrayList<>();
      List<Pool> pools = new ArrayList<>();
      for (int i = 0; i < o.replicas(); i++) {
        Pool pool = Database.pool(vertx, target, 4);
        pools.add(pool);
        SlaScheduler s = new SlaScheduler(vertx, pool, Clock.systemUTC(), Duration.ofSeconds(1), o.batch(), f -> {
          long now = micros(Instant.now());
          long late = Math.max(0, now - micros(f.dueAt()));
          if (seen.putIfAbsent(f.id(), true) == null) {
            fired.incrementAndGet();
          }
          if (f.dueAt().equals(burstAt)) {
            synchronized (burst) {
              burst.recordValue(late);
            }
            burstFirst.accumulateAndGet(now, Math::min);
            burstLast.accumulateAndGet(now, Math::max);
          } else {
            synchronized (trickle) {
              trickle.recordValue(late);
            }
          }
        });
        schedulers.add(s);
      }
      schedulers.forEach(SlaScheduler::start);
      long expected = (long) o.trickle() + o.burst();
      Instant end = start.plus(o.window()).plusSeconds(30);
      while (fired.get() < expected && Instant.now().isBefore(end)) {
        TimeUnit.MILLISECONDS.sleep(200);
      }
      schedulers.forEach(SlaScheduler::stop);
      TimeUnit.MILLISECONDS.sleep(500);

      out.printf("replicas %d, batch %d: %,d of %,d due timers fired%n", o.replicas(), o.batch(), fired.get(), expected);
      out.println(line("trickle", trickle));
      if (burst.getTotalCount() > 0) {
        out.println(line("burst", burst));
        double drainSeconds = (burstLast.get() - micros(burstAt)) / 1e6;
        double spanSeconds = Math.max(1e-6, (burstLast.get() - burstFirst.get()) / 1e6);
        out.printf("burst   %,d timers drained %.3f s after their due second; %,.0f firings/s while draining%n",
            burst.getTotalCount(), drainSeconds, burst.getTotalCount() / spanSeconds);
      }
      out.printf("check   breach events in the database: %,d (one per due timer: %s)%n", breaches(target),
          breaches(target) == expected ? "yes" : "NO");
      for (Pool p : pools) {
        p.close().await(10, TimeUnit.SECONDS);
      }
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
      if (embedded != null) {
        embedded.close();
        deleteRecursively(folder);
      }
    }
  }

  private static long micros(Instant t) {
    return t.getEpochSecond() * 1_000_000 + t.getNano() / 1000;
  }

  private static String line(String name, Histogram h) {
    return String.format("%-7s %,9d breaches  lateness p50 %7.2f ms  p99 %7.2f ms  p99.9 %7.2f ms  max %7.2f ms",
        name, h.getTotalCount(), h.getValueAtPercentile(50) / 1000.0, h.getValueAtPercentile(99) / 1000.0,
        h.getValueAtPercentile(99.9) / 1000.0, h.getMaxValue() / 1000.0);
  }

  private static void load(Database.Target target, Options o, Instant start, Instant burstAt, PrintStream out)
      throws Exception {
    try (Connection c = DriverManager.getConnection(target.jdbcUrl(), target.jdbcProperties());
         Statement s = c.createStatement()) {
      s.execute("INSERT INTO department (code, name, dept_group) VALUES ('BENCH', 'bench', 'bench') ON CONFLICT DO NOTHING");
      long total = (long) o.armed() + o.trickle() + o.burst();
      s.execute("""
          INSERT INTO ticket (id, external_id, intake_hash, type, urgency, category, title, content, received_at,
                              status, lead_department, dispatched_at, created_at, updated_at)
          SELECT gen_random_uuid(), 'SLA-BENCH-' || g, 'h', 'COMPLAINT', 'NORMAL', 'bench', 't', 'c', now(),
                 'DISPATCHED', 'BENCH', now(), now(), now()
            FROM generate_series(1, %d) g""".formatted(total));
      // armed: due over the next week, after the run; trickle: spread over the window; burst: one instant
      s.execute("""
          WITH t AS (SELECT id, row_number() OVER () AS n FROM ticket WHERE external_id LIKE 'SLA-BENCH-%%')
          INSERT INTO sla_timer (ticket_id, round, kind, clock, allowed, warning_share, started_at, due_at, warn_at,
                                 state, warned_due_at, next_at, config_version)
          SELECT id, 1, 'SIGN', 'NATURAL', 'PT4H', 0.75, now(), d.due, d.due, 'RUNNING', d.due, d.due,
                 (SELECT version FROM sla_config)
            FROM t CROSS JOIN LATERAL (SELECT CASE
                   WHEN n <= %d THEN timestamptz '%s' + (random() * interval '%d milliseconds')
                   WHEN n <= %d THEN timestamptz '%s'
                   ELSE timestamptz '%s' + interval '1 day' + (random() * interval '6 days') END AS due) d
          """.formatted(o.trickle(), start, o.window().toMillis(), o.trickle() + o.burst(), burstAt,
          start.plus(o.window())));
      s.execute("ANALYZE ticket");
      s.execute("ANALYZE sla_timer");
    }
  }

  private static long breaches(Database.Target target) throws Exception {
    try (Connection c = DriverManager.getConnection(target.jdbcUrl(), target.jdbcProperties());
         Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT count(*) FROM sla_event WHERE type = 'SLA_BREACHED'")) {
      rs.next();
      return rs.getLong(1);
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
