package org.jiesu.sla;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.jiesu.platform.Database;
import org.jiesu.support.Sql;
import org.jiesu.support.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The scheduler against real PostgreSQL: replicas share the work and each deadline fires exactly once. */
class SlaSchedulerTest {

  private String db;
  private Vertx vertx;

  @BeforeEach
  void database() throws Exception {
    db = TestDatabase.fresh();
    Database.migrate(Database.Target.parse(db));
    vertx = Vertx.vertx();
    Sql.execute(db, "INSERT INTO department (code, name, dept_group) VALUES ('D-1', 'one', 'district')");
  }

  @AfterEach
  void close() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  /** n dispatched tickets, each with a SIGN timer warning at +warnMs and due at +dueMs from now. */
  private void timers(int n, long warnMs, long dueMs) throws Exception {
    Sql.execute(db, """
        INSERT INTO ticket (id, external_id, intake_hash, type, urgency, category, title, content, received_at,
                            status, lead_department, dispatched_at, created_at, updated_at)
        SELECT gen_random_uuid(), 'sched-' || g, 'h', 'COMPLAINT', 'NORMAL', 'roads', 't', 'c', now(),
               'DISPATCHED', 'D-1', now(), now(), now()
          FROM generate_series(1, %d) g""".formatted(n), """
        INSERT INTO sla_timer (ticket_id, round, kind, clock, allowed, warning_share, started_at, due_at, warn_at,
                               state, next_at)
        SELECT id, 1, 'SIGN', 'NATURAL', 'PT1S', 0.75, now(),
               clock_timestamp() + interval '%d milliseconds' + (random() * interval '1 second'),
               clock_timestamp() + interval '%d milliseconds', 'RUNNING',
               clock_timestamp() + interval '%d milliseconds'
          FROM ticket""".formatted(dueMs, warnMs, warnMs));
  }

  private Pool pool() {
    return Database.pool(vertx, Database.Target.parse(db), 4);
  }

  @Test
  void twoReplicasOneStoppedMidwayFireEveryDeadlineExactlyOnce() throws Exception {
    int n = 1000;
    timers(n, 1500, 3000);
    ConcurrentLinkedQueue<TimerStore.Fired> seen = new ConcurrentLinkedQueue<>();
    SlaScheduler a = new SlaScheduler(vertx, pool(), Clock.systemUTC(), Duration.ofMillis(500), 100, seen::add);
    SlaScheduler b = new SlaScheduler(vertx, pool(), Clock.systemUTC(), Duration.ofMillis(500), 100, seen::add);
    a.start();
    b.start();
    waitFor(() -> Sql.count(db, "SELECT count(*) FROM sla_event") > 0);
    b.stop(); // one replica goes away mid-way; a new one comes up later
    SlaScheduler c = new SlaScheduler(vertx, pool(), Clock.systemUTC(), Duration.ofMillis(500), 100, seen::add);
    c.start();
    waitFor(() -> Sql.count(db, "SELECT count(*) FROM sla_timer WHERE state = 'BREACHED'") == n);
    a.stop();
    c.stop();

    assertThat(Sql.count(db, "SELECT count(*) FROM sla_event WHERE type = 'SLA_BREACHED'")).isEqualTo(n);
    assertThat(Sql.count(db, "SELECT count(*) FROM sla_event WHERE type = 'SLA_WARNING'")).isEqualTo(n);
    assertThat(Sql.count(db, "SELECT count(DISTINCT ticket_id) FROM sla_event WHERE type = 'SLA_BREACHED'"))
        .isEqualTo(n);
    assertThat(Sql.count(db, "SELECT count(*) FROM ticket_event WHERE type IN ('SLA_WARNING','SLA_BREACHED')"))
        .isEqualTo(2L * n);
    // never before the deadline
    assertThat(Sql.count(db, "SELECT count(*) FROM sla_event WHERE type = 'SLA_BREACHED' AND at < due_at")).isZero();
    assertThat(Sql.count(db, "SELECT count(*) FROM sla_timer t WHERE breached_at < due_at")).isZero();
    // what the schedulers reported is exactly what was recorded
    assertThat(seen).hasSize(2 * n);
    assertThat(seen.stream().map(TimerStore.Fired::id).distinct().count()).isEqualTo(2L * n);
  }

  @Test
  void firingTheSameInstantTwiceRecordsNothingNew() throws Exception {
    timers(10, -2000, -1000); // already overdue: warning and breach fire together
    Pool pool = pool();
    TimerStore store = new TimerStore();
    java.time.Instant now = java.time.Instant.now();
    TimerStore.Batch first = pool.withTransaction(tx -> store.fire(tx, now, 100)).await(10, TimeUnit.SECONDS);
    assertThat(first.claimed()).isEqualTo(10);
    assertThat(first.events()).hasSize(20);
    assertThat(first.events().get(0).type()).isEqualTo("SLA_WARNING");
    // a crash after commit but before the timer row moved is simulated by putting the timers back
    Sql.execute(db, "UPDATE sla_timer SET state = 'RUNNING', next_at = due_at, warned_due_at = NULL");
    TimerStore.Batch again = pool.withTransaction(tx -> store.fire(tx, now, 100)).await(10, TimeUnit.SECONDS);
    assertThat(again.claimed()).isEqualTo(10);
    assertThat(again.events()).isEmpty();
    assertThat(Sql.count(db, "SELECT count(*) FROM sla_event")).isEqualTo(20);
    assertThat(Sql.count(db, "SELECT count(*) FROM ticket_event")).isEqualTo(20);
  }

  @Test
  void aMovedDueTimeIsANewKeyAndMayBreachAgain() throws Exception {
    timers(1, -2000, -1000);
    Pool pool = pool();
    TimerStore store = new TimerStore();
    pool.withTransaction(tx -> store.fire(tx, java.time.Instant.now(), 10)).await(10, TimeUnit.SECONDS);
    Sql.execute(db, "UPDATE sla_timer SET state = 'RUNNING', due_at = due_at + interval '1 second', "
        + "next_at = due_at + interval '1 second'");
    TimerStore.Batch second = pool.withTransaction(tx -> store.fire(tx, java.time.Instant.now().plusSeconds(2), 10))
        .await(10, TimeUnit.SECONDS);
    assertThat(second.events()).extracting(TimerStore.Fired::type).containsExactly("SLA_WARNING", "SLA_BREACHED");
    assertThat(Sql.count(db, "SELECT count(*) FROM sla_event WHERE type = 'SLA_BREACHED'")).isEqualTo(2);
  }

  @Test
  void breachLatenessIsAHistogramFromTheDueInstantAndOpenTimersAreCounted() throws Exception {
    java.time.Instant t = java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    Sql.execute(db, """
        INSERT INTO ticket (id, external_id, intake_hash, type, urgency, category, title, content, received_at,
                            status, lead_department, dispatched_at, created_at, updated_at)
        SELECT gen_random_uuid(), 'meter-' || g, 'h', 'COMPLAINT', 'NORMAL', 'roads', 't', 'c', now(),
               'DISPATCHED', 'D-1', now(), now(), now()
          FROM generate_series(1, 5) g""", """
        INSERT INTO sla_timer (ticket_id, round, kind, clock, allowed, warning_share, started_at, due_at, warn_at,
                               state, next_at)
        SELECT id, 1, 'SIGN', 'NATURAL', 'PT1S', 0.75, now(), d.due, d.due - interval '10 seconds', 'RUNNING',
               d.due - interval '10 seconds'
          FROM ticket CROSS JOIN LATERAL (SELECT CASE WHEN external_id IN ('meter-1','meter-2','meter-3')
                 THEN timestamptz '%s' - interval '90 seconds' ELSE timestamptz '%s' + interval '1 hour' END AS due) d
        """.formatted(t, t));
    io.micrometer.core.instrument.simple.SimpleMeterRegistry registry = new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
    SlaScheduler s = new SlaScheduler(vertx, pool(), Clock.fixed(t, java.time.ZoneOffset.UTC), Duration.ofMillis(200),
        100, f -> { }, registry);
    assertThat(s.fireDue().await(10, TimeUnit.SECONDS)).isEqualTo(6); // three warnings, three breaches

    io.micrometer.core.instrument.Timer lateness = registry.get("jiesu.sla.breach.lateness").timer();
    assertThat(lateness.count()).isEqualTo(3); // breaches only, not warnings
    assertThat(lateness.max(TimeUnit.SECONDS)).isEqualTo(90.0);
    var buckets = lateness.takeSnapshot().histogramCounts();
    assertThat(buckets).filteredOn(b -> b.bucket(TimeUnit.SECONDS) == 60.0).singleElement()
        .extracting(b -> b.count()).isEqualTo(0.0);
    assertThat(buckets).filteredOn(b -> b.bucket(TimeUnit.SECONDS) == 120.0).singleElement()
        .extracting(b -> b.count()).isEqualTo(3.0);

    io.micrometer.core.instrument.Gauge open = registry.get("jiesu.sla.open.timers").gauge();
    assertThat(open.value()).isNaN(); // not counted before the loop runs
    s.start();
    waitFor(() -> open.value() == 2.0); // the two not yet due
    s.stop();
  }

  private static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not reached within 60 s");
      }
      Thread.sleep(50);
    }
  }
}
