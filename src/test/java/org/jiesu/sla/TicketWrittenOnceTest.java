package org.jiesu.sla;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.net.http.HttpRequest;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.jiesu.auth.Role;
import org.jiesu.platform.Database;
import org.jiesu.support.MutableClock;
import org.jiesu.support.Sql;
import org.jiesu.support.TestServer;
import org.jiesu.support.TestServer.Response;
import org.jiesu.support.Tickets;
import org.jiesu.support.WithServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An action that moves the ticket's nearest deadline writes the ticket row once: the SLA listener planned
 * the deadline from the timers the lock read, before the save. A trigger of this test's own database counts
 * the row updates of each ticket per transaction; a second UPDATE of the row (TicketDeadlines after the
 * save) would count two.
 */
@WithServer(departments = "D-A", group = "district")
class TicketWrittenOnceTest {

  static final MutableClock CLOCK = new MutableClock(at("2026-11-23T09:00:00")); // a Monday
  static TestServer server;
  static String hotline;
  static String supervisor;
  static String lead;
  static int counter;
  static Vertx vertx;
  static Pool pool;

  static Instant at(String local) {
    return OffsetDateTime.parse(local + "+08:00").toInstant();
  }

  @BeforeAll
  static void start() throws Exception {
    hotline = server.token(Role.HOTLINE);
    supervisor = server.token(Role.SUPERVISOR);
    lead = server.staff("D-A");
    Sql.execute(server.dbUrl(),
        "CREATE TABLE test_ticket_update (ticket_id uuid NOT NULL, tx bigint NOT NULL)",
        """
        CREATE FUNCTION test_count_ticket_update() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          INSERT INTO test_ticket_update VALUES (NEW.id, txid_current());
          RETURN NULL;
        END $$""",
        "CREATE TRIGGER test_count_ticket_update AFTER UPDATE ON ticket FOR EACH ROW"
            + " EXECUTE FUNCTION test_count_ticket_update()");
    vertx = Vertx.vertx();
    pool = Database.pool(vertx, Database.Target.parse(server.dbUrl()), 2);
  }

  @AfterAll
  static void stop() {
    pool.close();
    vertx.close();
  }

  static JsonObject dispatched(String urgency) {
    Response r = server.post("/api/v1/tickets", hotline, Tickets.dispatched("ONCE-" + (++counter), "D-A")
        .put("urgency", urgency));
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    return r.json();
  }

  static Response act(JsonObject t, String action, String token, JsonObject body) {
    String path = "/api/v1/tickets/" + t.getString("id") + "/" + action;
    return body == null ? server.send(server.request(path, token).POST(HttpRequest.BodyPublishers.noBody()))
        : server.post(path, token, body);
  }

  static JsonObject read(JsonObject t) {
    Response r = server.get("/api/v1/tickets/" + t.getString("id"), supervisor);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return r.json();
  }

  static Map<String, JsonObject> timers(JsonObject t) {
    return read(t).getJsonArray("timers").stream().map(o -> (JsonObject) o)
        .collect(Collectors.toMap(o -> o.getString("kind") + o.getInteger("round"), o -> o, (a, b) -> b));
  }

  static Instant due(JsonObject timer) {
    return Instant.parse(timer.getString("dueAt"));
  }

  /** How many times each transaction updated the ticket's row, in commit order. */
  static List<Long> updatesPerTransaction(JsonObject t) throws Exception {
    try (Connection c = Sql.connect(server.dbUrl()); Statement s = c.createStatement();
        var rs = s.executeQuery("SELECT count(*) FROM test_ticket_update WHERE ticket_id = '" + t.getString("id")
            + "' GROUP BY tx ORDER BY tx")) {
      List<Long> counts = new java.util.ArrayList<>();
      while (rs.next()) {
        counts.add(rs.getLong(1));
      }
      return counts;
    }
  }

  @Test
  void signContactAndReplyEachMoveTheDeadlineWithOneUpdateOfTheTicketRow() throws Exception {
    CLOCK.set(at("2026-11-23T09:00:00"));
    JsonObject t = dispatched("NORMAL");
    Map<String, JsonObject> timers = timers(t);
    assertThat(Instant.parse(t.getString("dueAt"))).isEqualTo(due(timers.get("SIGN1")));
    assertThat(updatesPerTransaction(t)).as("intake inserts the row with its deadline").isEmpty();

    CLOCK.set(at("2026-11-23T10:00:00"));
    Response sign = act(t, "sign", lead, null);
    assertThat(sign.status()).as(sign.body()).isEqualTo(200);
    assertThat(updatesPerTransaction(t)).containsExactly(1L);
    assertThat(Instant.parse(read(t).getString("dueAt"))).isEqualTo(due(timers.get("CONTACT1")));
    assertThat(Instant.parse(sign.json().getString("dueAt"))).as("the answer carries the deadline saved")
        .isEqualTo(due(timers.get("CONTACT1")));

    CLOCK.set(at("2026-11-23T10:30:00"));
    Response contact = act(t, "contacts", lead, new JsonObject().put("at", at("2026-11-23T10:20:00").toString())
        .put("method", "PHONE"));
    assertThat(contact.status()).as(contact.body()).isIn(200, 201);
    assertThat(Instant.parse(read(t).getString("dueAt"))).isEqualTo(due(timers.get("RESOLVE1")));
    assertThat(updatesPerTransaction(t)).containsExactly(1L, 1L);

    Response reply = act(t, "reply", lead, new JsonObject().put("outcome", "RESOLVED").put("answer", "已处理"));
    assertThat(reply.status()).as(reply.body()).isEqualTo(200);
    assertThat(reply.json().getValue("dueAt")).isNull();
    assertThat(read(t).getValue("dueAt")).isNull();
    assertThat(updatesPerTransaction(t)).containsExactly(1L, 1L, 1L);
    // the deadline is derived data: each action moved the version by one, as before
    assertThat(read(t).getInteger("version")).isEqualTo(t.getInteger("version") + 3);
  }

  @Test
  void aLockThatWaitedForAConcurrentChangeReadsTheTimersAsThatChangeLeftThem() throws Exception {
    CLOCK.set(at("2026-11-23T09:00:00"));
    JsonObject t = dispatched("NORMAL");
    Instant moved = at("2026-11-23T13:00:00");
    assertThat(moved).isBefore(due(timers(t).get("CONTACT1")));
    CLOCK.set(at("2026-11-23T10:00:00"));
    CompletableFuture<Response> sign;
    try (Connection other = Sql.connect(server.dbUrl())) {
      // a concurrent change (as a recomputation of the timers does) holds the ticket's row while the sign
      // waits for it: the sign's statement took its snapshot before that change committed
      other.setAutoCommit(false);
      try (Statement s = other.createStatement()) {
        s.executeUpdate("UPDATE sla_timer SET due_at = '" + moved + "', warn_at = '" + moved.minusSeconds(3600)
            + "', next_at = '" + moved.minusSeconds(3600) + "' WHERE ticket_id = '" + t.getString("id")
            + "' AND kind = 'CONTACT'");
        s.executeUpdate("UPDATE ticket SET due_at = due_at WHERE id = '" + t.getString("id") + "'");
      }
      sign = CompletableFuture.supplyAsync(() -> act(t, "sign", lead, null));
      // (the lock statement, long, is cut short in pg_stat_activity: its start names it)
      waitFor(() -> Sql.count(server.dbUrl(), "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
          + " AND query LIKE 'SELECT id, seq, external_id%'") == 1);
      other.commit();
    }
    Response signed = sign.get(60, TimeUnit.SECONDS);
    assertThat(signed.status()).as(signed.body()).isEqualTo(200);
    assertThat(Instant.parse(read(t).getString("dueAt"))).as("the nearest deadline of the timers as committed")
        .isEqualTo(moved);
    assertThat(due(timers(t).get("CONTACT1"))).isEqualTo(moved);
    assertThat(timers(t).get("SIGN1").getString("state")).isEqualTo("MET");
  }

  @Test
  void theTimersReadWithTheLockAreTheTimersAsStored() throws Exception {
    CLOCK.set(at("2026-11-23T09:00:00"));
    JsonObject t = dispatched("NORMAL");
    CLOCK.set(at("2026-11-23T12:00:00"));
    server.fireDueTimers(); // SIGN warned: warned_due_at set
    CLOCK.set(at("2026-11-23T14:30:00"));
    server.fireDueTimers(); // SIGN breached
    CLOCK.set(at("2026-11-23T14:40:00").plusNanos(123_456_000));
    assertThat(act(t, "sign", lead, null).status()).isEqualTo(200);
    String req = act(t, "suspension-requests", lead, new JsonObject().put("reason", "等待鉴定")).json().getString("id");
    CLOCK.set(at("2026-11-23T15:00:00"));
    assertThat(act(t, "suspension-requests/" + req + "/decision", supervisor,
        new JsonObject().put("decision", "APPROVE")).status()).isEqualTo(200);
    CLOCK.set(at("2026-11-24T10:15:30").plusNanos(5_000));
    assertThat(act(t, "resume", supervisor, new JsonObject().put("reason", "鉴定完成")).status()).isEqualTo(200);

    UUID id = UUID.fromString(t.getString("id"));
    JsonArray json = pool.preparedQuery("SELECT " + TimerStore.OF_TICKET_JSON + " AS timers").execute(Tuple.of(id))
        .map(rows -> (JsonArray) rows.iterator().next().getValue("timers"))
        .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    List<TimerStore.Stored> rows = new TimerStore().ofTicket(pool, id)
        .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    assertThat(rows).hasSize(3);
    assertThat(rows).anySatisfy(s -> assertThat(s.warnedDueAt()).isNotNull());
    assertThat(rows).anySatisfy(s -> assertThat(s.timer().pausedTotal()).isPositive());
    assertThat(rows).anySatisfy(s -> assertThat(s.timer().breachedAt()).isNotNull());
    assertThat(TimerStore.stored(json)).isEqualTo(rows);
  }

  private static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not reached within 60 s");
      }
      Thread.sleep(20);
    }
  }
}
