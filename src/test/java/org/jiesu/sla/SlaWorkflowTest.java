package org.jiesu.sla;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.jiesu.auth.Role;
import org.jiesu.support.MutableClock;
import org.jiesu.support.TestServer;
import org.jiesu.support.TestServer.Response;
import org.jiesu.support.Tickets;
import org.jiesu.support.WithServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Timers through the ticket write path over HTTP, with a hand-moved clock: dispatch starts them, warning and
 * breach fire into the timeline once, actions meet, pause, shift, extend and cancel them.
 */
@WithServer(departments = "D-A", group = "district")
class SlaWorkflowTest {

  static final MutableClock CLOCK = new MutableClock(at("2026-11-23T09:00:00")); // a Monday
  static TestServer server;
  static String hotline;
  static String supervisor;
  static String lead;
  static int counter;

  static Instant at(String local) {
    return OffsetDateTime.parse(local + "+08:00").toInstant();
  }

  @BeforeAll
  static void start() {
    hotline = server.token(Role.HOTLINE);
    supervisor = server.token(Role.SUPERVISOR);
    lead = server.staff("D-A");
  }

  static JsonObject dispatched(String urgency) {
    Response r = server.post("/api/v1/tickets", hotline, Tickets.dispatched("SLA-" + (++counter), "D-A")
        .put("urgency", urgency));
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    return r.json();
  }

  static Response act(JsonObject t, String action, String token, JsonObject body) {
    String path = "/api/v1/tickets/" + t.getString("id") + "/" + action;
    return body == null ? server.send(server.request(path, token).POST(HttpRequest.BodyPublishers.noBody()))
        : server.post(path, token, body);
  }

  static Map<String, JsonObject> timers(JsonObject t) {
    Response r = server.get("/api/v1/tickets/" + t.getString("id"), supervisor);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return r.json().getJsonArray("timers").stream().map(o -> (JsonObject) o)
        .collect(Collectors.toMap(o -> o.getString("kind") + o.getInteger("round"), o -> o, (a, b) -> b));
  }

  static List<String> timeline(JsonObject t) {
    return server.get("/api/v1/tickets/" + t.getString("id") + "/events?limit=200", supervisor).json()
        .getJsonArray("items").stream().map(o -> ((JsonObject) o).getString("type")).toList();
  }

  @Test
  void aNormalComplaintsTimersWarnBreachAndAreMetWithTheirAchievedTime() {
    CLOCK.set(at("2026-11-23T09:00:00"));
    JsonObject t = dispatched("NORMAL");
    Map<String, JsonObject> timers = timers(t);
    assertThat(timers.keySet()).containsExactlyInAnyOrder("SIGN1", "CONTACT1", "RESOLVE1");
    JsonObject sign = timers.get("SIGN1");
    assertThat(sign.getString("clock")).isEqualTo("WORKING");
    assertThat(Instant.parse(sign.getString("dueAt"))).isEqualTo(at("2026-11-23T14:30:00")); // 4 office hours, lunch
    assertThat(Instant.parse(sign.getString("warnAt"))).isEqualTo(at("2026-11-23T12:00:00"));
    assertThat(sign.getString("remaining")).isEqualTo("PT4H");
    assertThat(Instant.parse(timers.get("RESOLVE1").getString("dueAt"))).isEqualTo(at("2026-11-30T09:00:00"));
    assertThat(Instant.parse(server.get("/api/v1/tickets/" + t.getString("id"), supervisor).json().getString("dueAt")))
        .isEqualTo(at("2026-11-23T14:30:00"));

    CLOCK.set(at("2026-11-23T12:00:00"));
    server.fireDueTimers();
    server.fireDueTimers(); // a second look at the same instant fires nothing new
    assertThat(timeline(t).stream().filter("SLA_WARNING"::equals)).hasSize(1);
    CLOCK.set(at("2026-11-23T14:30:00"));
    server.fireDueTimers();
    assertThat(timeline(t)).containsSubsequence("DISPATCHED", "SLA_WARNING", "SLA_BREACHED");
    assertThat(timeline(t).stream().filter("SLA_BREACHED"::equals)).hasSize(1);
    assertThat(timers(t).get("SIGN1").getString("state")).isEqualTo("BREACHED");

    CLOCK.set(at("2026-11-23T15:00:00"));
    assertThat(act(t, "sign", lead, null).status()).isEqualTo(200);
    JsonObject signed = timers(t).get("SIGN1");
    assertThat(signed.getString("state")).as("a late sign keeps the breach").isEqualTo("BREACHED");
    assertThat(Instant.parse(signed.getString("metAt"))).isEqualTo(at("2026-11-23T15:00:00"));
    Response contact = act(t, "contacts", lead, new JsonObject().put("at", at("2026-11-23T14:50:00").toString())
        .put("method", "PHONE"));
    assertThat(contact.status()).as(contact.body()).isIn(200, 201);
    JsonObject contacted = timers(t).get("CONTACT1");
    assertThat(contacted.getString("state")).isEqualTo("MET");
    assertThat(Instant.parse(contacted.getString("metAt"))).as("met when the caller was reached")
        .isEqualTo(at("2026-11-23T14:50:00"));
    // with SIGN met and CONTACT met, the nearest deadline is RESOLVE's
    assertThat(Instant.parse(server.get("/api/v1/tickets/" + t.getString("id"), supervisor).json().getString("dueAt")))
        .isEqualTo(at("2026-11-30T09:00:00"));
    assertThat(act(t, "reply", lead, new JsonObject().put("outcome", "RESOLVED").put("answer", "已处理")).status())
        .isEqualTo(200);
    assertThat(timers(t).get("RESOLVE1").getString("state")).isEqualTo("MET");
    assertThat(server.get("/api/v1/tickets/" + t.getString("id"), supervisor).json().getValue("dueAt")).isNull();
  }

  @Test
  void suspensionPausesAndResumeShiftsExtensionMovesResolveAndCloseCancels() {
    CLOCK.set(at("2026-11-24T10:00:00"));
    JsonObject t = dispatched("URGENT"); // natural clocks: SIGN 1 h, CONTACT 2 h, RESOLVE 24 h
    assertThat(act(t, "sign", lead, null).status()).isEqualTo(200);
    Instant resolveDue = Instant.parse(timers(t).get("RESOLVE1").getString("dueAt"));
    assertThat(resolveDue).isEqualTo(at("2026-11-25T10:00:00"));

    String req = act(t, "suspension-requests", lead, new JsonObject().put("reason", "等待鉴定")).json().getString("id");
    CLOCK.set(at("2026-11-24T11:00:00"));
    assertThat(act(t, "suspension-requests/" + req + "/decision", supervisor, new JsonObject().put("decision", "APPROVE"))
        .status()).isEqualTo(200);
    assertThat(timers(t).get("RESOLVE1").getString("state")).isEqualTo("PAUSED");
    assertThat(timers(t).get("CONTACT1").getString("state")).isEqualTo("PAUSED");
    CLOCK.set(at("2026-11-26T11:00:00")); // two days later: a paused timer does not breach
    server.fireDueTimers();
    assertThat(timeline(t)).doesNotContain("SLA_BREACHED");
    assertThat(act(t, "resume", supervisor, new JsonObject().put("reason", "鉴定完成")).status()).isEqualTo(200);
    JsonObject resumed = timers(t).get("RESOLVE1");
    assertThat(resumed.getString("state")).isEqualTo("RUNNING");
    assertThat(Instant.parse(resumed.getString("dueAt"))).isEqualTo(resolveDue.plus(Duration.ofDays(2)));

    Instant until = at("2026-11-29T10:00:00");
    String ext = act(t, "extension-requests", lead, new JsonObject().put("until", until.toString()).put("reason", "勘查"))
        .json().getString("id");
    assertThat(act(t, "extension-requests/" + ext + "/decision", supervisor, new JsonObject().put("decision", "APPROVE"))
        .status()).isEqualTo(200);
    assertThat(Instant.parse(timers(t).get("RESOLVE1").getString("dueAt"))).isEqualTo(until);

    assertThat(act(t, "reply", lead, new JsonObject().put("outcome", "UNRESOLVED").put("answer", "无法解决")).status())
        .isEqualTo(200);
    Response rework = act(t, "callback", hotline, new JsonObject().put("resolved", false)
        .put("satisfaction", "UNSATISFIED").put("rework", true));
    assertThat(rework.status()).as(rework.body()).isEqualTo(200);
    Map<String, JsonObject> round2 = timers(t);
    assertThat(round2).containsKeys("SIGN2", "CONTACT2", "RESOLVE2");
    assertThat(round2.get("CONTACT1").getString("state")).as("round 1's unmet CONTACT is cancelled by the rework")
        .isEqualTo("CANCELLED");
    assertThat(round2.get("RESOLVE1").getString("state")).isEqualTo("MET");
    assertThat(Instant.parse(round2.get("SIGN2").getString("startedAt"))).isEqualTo(CLOCK.instant());
  }

  @Test
  void theListSortsByTheNearestDeadline() {
    CLOCK.set(at("2026-11-25T09:00:00"));
    JsonObject normal = dispatched("NORMAL");   // SIGN due 14:30
    JsonObject critical = dispatched("CRITICAL"); // SIGN due 09:15
    Response list = server.get("/api/v1/tickets?sort=dueAt&dueBefore=" + at("2026-11-25T15:00:00").toString()
        .replace("+", "%2B") + "&limit=200", supervisor);
    assertThat(list.status()).as(list.body()).isEqualTo(200);
    List<String> ids = list.json().getJsonArray("items").stream().map(o -> ((JsonObject) o).getString("id")).toList();
    assertThat(ids).containsSubsequence(critical.getString("id"), normal.getString("id"));
    Response early = server.get("/api/v1/tickets?sort=dueAt&dueBefore=" + at("2026-11-25T10:00:00").toString()
        + "&limit=200", supervisor);
    assertThat(early.json().getJsonArray("items").stream().map(o -> ((JsonObject) o).getString("id")))
        .contains(critical.getString("id")).doesNotContain(normal.getString("id"));
    assertThat(server.get("/api/v1/tickets?dueBefore=" + at("2026-11-25T10:00:00"), supervisor).status())
        .isEqualTo(400);
  }
}
