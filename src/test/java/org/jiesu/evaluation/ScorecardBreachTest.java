package org.jiesu.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.time.Instant;
import java.time.OffsetDateTime;
import org.jiesu.auth.Role;
import org.jiesu.support.MutableClock;
import org.jiesu.support.TestDatabase;
import org.jiesu.support.TestServer;
import org.jiesu.support.TestServer.Response;
import org.jiesu.support.Tickets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A round nobody acts on: the SLA scheduler breaches its timers while its scorecard fact still says OPEN. The
 * department view names each breached timer BREACHED (the rates already count it against the department),
 * a timer not yet due stays OPEN, and a timer met after its breach reads LATE.
 */
class ScorecardBreachTest {

  static final MutableClock CLOCK = new MutableClock(at("2026-11-23T09:00:00"));
  static TestServer server;
  static String hotline;
  static String supervisor;
  static String staffA;

  static Instant at(String local) {
    return OffsetDateTime.parse(local + "+08:00").toInstant();
  }

  @BeforeAll
  static void start() {
    server = TestServer.start(TestDatabase.fresh(), CLOCK);
    server.department("D-A", "district");
    hotline = server.token(Role.HOTLINE);
    supervisor = server.token(Role.SUPERVISOR);
    staffA = server.staff("D-A");
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void timersTheSchedulerBreachesReadBreachedThenLateOnceMet() {
    // URGENT: SIGN 1 h, CONTACT 2 h, RESOLVE 24 h on natural clocks
    JsonObject t = ok(server.post("/api/v1/tickets", hotline, Tickets.dispatched("SB-1", "D-A")
        .put("urgency", "URGENT").put("receivedAt", CLOCK.instant().toString())));

    JsonObject before = round(t);
    assertThat(before.getString("sign")).as("nothing is due yet").isEqualTo("OPEN");

    CLOCK.set(at("2026-11-23T11:30:00"));
    assertThat(server.fireDueTimers()).as("the scheduler fires SIGN and CONTACT").isPositive();
    JsonObject breached = round(t);
    assertThat(breached.getString("sign")).isEqualTo("BREACHED");
    assertThat(breached.getString("contact")).isEqualTo("BREACHED");
    assertThat(breached.getString("resolve")).as("due tomorrow").isEqualTo("OPEN");
    JsonObject item = detail().getJsonObject("item");
    assertThat(item.getDouble("responseRate")).as("the breach counts against the department").isEqualTo(0.0);

    CLOCK.set(at("2026-11-24T10:00:00"));
    server.fireDueTimers();
    JsonObject all = round(t);
    assertThat(all.getString("resolve")).isEqualTo("BREACHED");
    assertThat(detail().getJsonObject("against").getJsonArray("onTimeResolution"))
        .as("not replied: outside the on-time resolution rate, as in the counts").isEmpty();

    CLOCK.set(at("2026-11-24T10:10:00"));
    ok(act(t, "sign", staffA));
    JsonObject signed = round(t);
    assertThat(signed.getString("sign")).as("met after its breach").isEqualTo("LATE");
    assertThat(signed.getString("contact")).isEqualTo("BREACHED");
    assertThat(signed.getString("resolve")).isEqualTo("BREACHED");
  }

  static JsonObject detail() {
    return ok(server.get("/api/v1/scorecards/D-A?period=2026-11", supervisor));
  }

  /** The ticket's round in the department view (against the response rate, as an unmet SIGN always is). */
  static JsonObject round(JsonObject t) {
    JsonArray response = detail().getJsonObject("against").getJsonArray("response");
    assertThat(response).hasSize(1);
    JsonObject r = response.getJsonObject(0);
    assertThat(r.getString("ticketId")).isEqualTo(t.getString("id"));
    return r;
  }

  static Response act(JsonObject t, String action, String token) {
    return server.send(server.request("/api/v1/tickets/" + t.getString("id") + "/" + action, token)
        .POST(HttpRequest.BodyPublishers.noBody()));
  }

  static JsonObject ok(Response r) {
    assertThat(r.status()).as(r.body()).isBetween(200, 201);
    return r.json();
  }
}
