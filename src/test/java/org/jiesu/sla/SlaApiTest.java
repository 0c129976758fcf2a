package org.jiesu.sla;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jiesu.auth.Role;
import org.jiesu.support.Sql;
import org.jiesu.support.TestServer;
import org.jiesu.support.TestServer.Response;
import org.jiesu.support.WithServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** SLA policies, the calendar, and the supervision views and stream over HTTP. */
@WithServer(departments = {"D-A", "D-B"}, group = "district")
class SlaApiTest {

  static TestServer server;
  static String admin;
  static String supervisor;

  @BeforeAll
  static void start() {
    admin = server.token(Role.ADMIN);
    supervisor = server.token(Role.SUPERVISOR);
  }

  private static JsonObject spec(String duration, String clock) {
    return new JsonObject().put("duration", duration).put("clock", clock);
  }

  @Test
  void theDesignDefaultsAreSeededAndPoliciesAreMaintainedAndAudited() {
    Response list = server.get("/api/v1/sla-policies", supervisor);
    assertThat(list.status()).as(list.body()).isEqualTo(200);
    assertThat(list.json().getJsonArray("items").stream().map(o -> ((JsonObject) o).getString("key")))
        .contains("critical", "urgent", "normal-consultation", "normal");
    JsonObject body = new JsonObject().put("type", "COMPLAINT").put("urgency", "NORMAL").put("category", "market.agency")
        .put("sign", spec("PT2H", "WORKING")).put("contact", null).put("resolve", spec("P5D", "WORKING"));
    Response created = server.put("/api/v1/sla-policies/agency-complaints", admin, body);
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    assertThat(created.json().getDouble("warningShare")).isEqualTo(0.75);
    assertThat(created.json().getJsonObject("resolve").getString("duration")).isEqualTo("P5D");
    Response replaced = server.put("/api/v1/sla-policies/agency-complaints", admin, body.put("warningShare", 0.5));
    assertThat(replaced.status()).as(replaced.body()).isEqualTo(200);
    Response clash = server.put("/api/v1/sla-policies/other-key", admin, body);
    assertThat(clash.status()).as(clash.body()).isEqualTo(409);
    Response bad = server.put("/api/v1/sla-policies/bad", admin, new JsonObject().put("sign", spec("P1M", "WORKING")));
    assertThat(bad.status()).as(bad.body()).isEqualTo(400);
    Response none = server.put("/api/v1/sla-policies/none", admin, new JsonObject().put("type", "HELP"));
    assertThat(none.status()).as(none.body()).isEqualTo(400);
    assertThat(server.put("/api/v1/sla-policies/x", supervisor, body).status()).isEqualTo(403);
    Response deleted = server.send(server.request("/api/v1/sla-policies/agency-complaints", admin).DELETE());
    assertThat(deleted.status()).isEqualTo(204);
    assertThat(server.send(server.request("/api/v1/sla-policies/agency-complaints", admin).DELETE()).status())
        .isEqualTo(404);
    assertThat(Sql.count(server.dbUrl(), "SELECT count(*) FROM audit_entry WHERE action IN "
        + "('SLA_POLICY_PUT','SLA_POLICY_DELETE') AND detail::jsonb ->> 'key' = 'agency-complaints'")).isEqualTo(3);
  }

  @Test
  void the2026CalendarShipsAndYearsAreAddedThroughTheApi() {
    Response y2026 = server.get("/api/v1/calendars/2026", supervisor);
    assertThat(y2026.status()).as(y2026.body()).isEqualTo(200);
    assertThat(y2026.json().getJsonArray("holidays")).contains("2026-02-17", "2026-10-01");
    assertThat(y2026.json().getJsonArray("workdays")).contains("2026-02-14", "2026-02-28");
    assertThat(y2026.json().getString("timezone")).isEqualTo("Asia/Shanghai");
    assertThat(server.get("/api/v1/calendars/2031", supervisor).status()).isEqualTo(404);
    JsonObject y2027 = new JsonObject().put("holidays", new JsonArray().add("2027-01-01"))
        .put("workdays", new JsonArray()).put("source", "test");
    Response put = server.put("/api/v1/calendars/2027", admin, y2027);
    assertThat(put.status()).as(put.body()).isEqualTo(201);
    assertThat(server.get("/api/v1/calendars/2027", supervisor).json().getJsonArray("holidays")).containsExactly("2027-01-01");
    Response wrongYear = server.put("/api/v1/calendars/2028", admin, y2027);
    assertThat(wrongYear.status()).as(wrongYear.body()).isEqualTo(400);
    assertThat(wrongYear.body()).contains("/holidays/0");
  }

  @Test
  void theBusinessWeekIsSetThroughTheApiAuditedAndChecked() {
    Response week = server.get("/api/v1/business-week", supervisor);
    assertThat(week.status()).as(week.body()).isEqualTo(200);
    assertThat(week.json().getString("timezone")).isEqualTo("Asia/Shanghai");
    assertThat(week.json().getJsonObject("officeHours").getJsonArray("MONDAY")).hasSize(2);
    JsonObject body = week.json().copy();
    body.getJsonObject("officeHours").put("SATURDAY", new JsonArray().add(new JsonObject().put("open", "09:00")
        .put("close", "12:00")));
    Response put = server.put("/api/v1/business-week", admin, body);
    assertThat(put.status()).as(put.body()).isEqualTo(200);
    assertThat(server.get("/api/v1/business-week", supervisor).json().getJsonObject("officeHours")
        .getJsonArray("SATURDAY")).hasSize(1);
    JsonObject overlapping = body.copy();
    overlapping.getJsonObject("officeHours").put("MONDAY", new JsonArray()
        .add(new JsonObject().put("open", "09:00").put("close", "12:00"))
        .add(new JsonObject().put("open", "11:00").put("close", "17:00")));
    Response bad = server.put("/api/v1/business-week", admin, overlapping);
    assertThat(bad.status()).as(bad.body()).isEqualTo(400);
    assertThat(bad.body()).contains("/officeHours/MONDAY/1");
    Response zone = server.put("/api/v1/business-week", admin, body.copy().put("timezone", "Mars/Olympus"));
    assertThat(zone.status()).isEqualTo(400);
    assertThat(server.put("/api/v1/business-week", supervisor, body).status()).isEqualTo(403);
    assertThat(server.put("/api/v1/business-week", admin, week.json()).status()).isEqualTo(200); // back
    assertThat(Sql.count(server.dbUrl(), "SELECT count(*) FROM audit_entry WHERE action = 'BUSINESS_WEEK_PUT'"))
        .isEqualTo(2);
  }

  /** A dispatched ticket written straight to the database, so a test can give it timers of its own. */
  private static String ticket(String externalId, String type, String urgency, String category, String dept) {
    return """
        INSERT INTO ticket (id, external_id, intake_hash, type, urgency, category, title, content, received_at,
                            status, lead_department, dispatched_at, created_at, updated_at)
        VALUES ('%s', '%s', 'h', '%s', '%s', '%s', 't', 'c', now(), 'DISPATCHED', '%s', now(), now(), now())
        """.formatted(TICKET_IDS.computeIfAbsent(externalId, k -> java.util.UUID.randomUUID().toString()), externalId,
        type, urgency, category, dept);
  }

  private static final java.util.Map<String, String> TICKET_IDS = new java.util.concurrent.ConcurrentHashMap<>();

  /** A dispatched ticket of D-A or D-B with a SIGN timer that warned and breached in the past. */
  private static String overdueTicket(String externalId, String dept) throws Exception {
    Sql.execute(server.dbUrl(), ticket(externalId, "COMPLAINT", "NORMAL", "roads", dept), """
        INSERT INTO sla_timer (ticket_id, round, kind, clock, allowed, warning_share, started_at, due_at, warn_at,
                               state, next_at, config_version)
        VALUES ('%s', 1, 'SIGN', 'NATURAL', 'PT1H', 0.75, now() - interval '1 hour', now() - interval '1 second',
                now() - interval '15 minutes', 'RUNNING', now() - interval '15 minutes', 1000000)
        """.formatted(TICKET_IDS.get(externalId)));
    return TICKET_IDS.get(externalId);
  }

  @Test
  void breachesAreListedScopedAndStreamedWithResume() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    HttpResponse<InputStream> live = http.send(server.request("/api/v1/supervision/stream", supervisor).build(),
        HttpResponse.BodyHandlers.ofInputStream());
    assertThat(live.statusCode()).isEqualTo(200);
    assertThat(live.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
    BufferedReader reader = new BufferedReader(new InputStreamReader(live.body(), StandardCharsets.UTF_8));

    String a = overdueTicket("sup-a", "D-A");
    String b = overdueTicket("sup-b", "D-B");
    server.fireDueTimers();

    List<JsonObject> events = new ArrayList<>();
    List<String> ids = new ArrayList<>();
    String line;
    while (events.size() < 4 && (line = reader.readLine()) != null) {
      if (line.startsWith("id: ")) {
        ids.add(line.substring(4));
      } else if (line.startsWith("data: ")) {
        events.add(new JsonObject(line.substring(6)));
      }
    }
    live.body().close();
    assertThat(events).extracting(e -> e.getString("event"))
        .containsExactlyInAnyOrder("sla.warning", "sla.breached", "sla.warning", "sla.breached");
    assertThat(events).extracting(e -> e.getString("ticketId")).containsOnly(a, b);

    Response breaches = server.get("/api/v1/supervision/breaches", supervisor);
    assertThat(breaches.status()).as(breaches.body()).isEqualTo(200);
    assertThat(breaches.json().getJsonArray("items")).extracting(o -> ((JsonObject) o).getString("externalId"))
        .containsExactlyInAnyOrder("sup-a", "sup-b");
    Response staffA = server.get("/api/v1/supervision/breaches", server.staff("D-A"));
    assertThat(staffA.json().getJsonArray("items")).hasSize(1);
    assertThat(staffA.json().getJsonArray("items").getJsonObject(0).getString("externalId")).isEqualTo("sup-a");
    assertThat(server.get("/api/v1/supervision/breaches?department=D-B", server.staff("D-A")).json()
        .getJsonArray("items")).isEmpty();
    Response paged = server.get("/api/v1/supervision/breaches?limit=1", supervisor);
    assertThat(paged.json().getString("next")).isNotNull();
    Response second = server.get(paged.json().getString("next"), supervisor);
    assertThat(second.json().getJsonArray("items")).hasSize(1);
    assertThat(second.json().getJsonArray("items").getJsonObject(0).getString("ticketId"))
        .isNotEqualTo(paged.json().getJsonArray("items").getJsonObject(0).getString("ticketId"));

    // a STAFF client that reconnects with Last-Event-ID replays its department's events from the table
    HttpResponse<InputStream> resumed = http.send(server.request("/api/v1/supervision/stream", server.staff("D-B"))
        .header("Last-Event-ID", "0").build(), HttpResponse.BodyHandlers.ofInputStream());
    BufferedReader r2 = new BufferedReader(new InputStreamReader(resumed.body(), StandardCharsets.UTF_8));
    List<JsonObject> replayed = new ArrayList<>();
    while (replayed.size() < 2 && (line = r2.readLine()) != null) {
      if (line.startsWith("data: ")) {
        replayed.add(new JsonObject(line.substring(6)));
      }
    }
    resumed.body().close();
    assertThat(replayed).extracting(e -> e.getString("ticketId")).containsOnly(b);
    assertThat(replayed).extracting(e -> e.getString("event")).containsExactly("sla.warning", "sla.breached");
  }

  @Test
  void aStreamResumedFromAnIdItNeverSentIsAClientMistake() {
    Response bad = server.send(server.request("/api/v1/supervision/stream", supervisor).header("Last-Event-ID", "abc"));
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.json().getJsonArray("errors").getJsonObject(0).getString("field")).isEqualTo("Last-Event-ID");
    assertThat(server.send(server.request("/api/v1/supervision/stream", server.token(Role.ADMIN))).status())
        .isEqualTo(403);
  }

  @Test
  void timersAtRiskArePastTheirWarningAndNotYetDue() throws Exception {
    String insert = ticket("risk-1", "COMPLAINT", "NORMAL", "roads", "D-A");
    String id = TICKET_IDS.get("risk-1");
    Sql.execute(server.dbUrl(), insert, """
        INSERT INTO sla_timer (ticket_id, round, kind, clock, allowed, warning_share, started_at, due_at, warn_at,
                               state, next_at, config_version)
        VALUES ('%s', 1, 'RESOLVE', 'NATURAL', 'P7D', 0.75, now() - interval '6 days', now() + interval '1 day',
                now() - interval '18 hours', 'RUNNING', now() + interval '1 day', 1000000)
        """.formatted(id));
    Response risk = server.get("/api/v1/supervision/at-risk?timer=RESOLVE", supervisor);
    assertThat(risk.status()).as(risk.body()).isEqualTo(200);
    assertThat(risk.json().getJsonArray("items")).extracting(o -> ((JsonObject) o).getString("ticketId")).contains(id);
    assertThat(server.get("/api/v1/supervision/at-risk", server.staff("D-B")).json().getJsonArray("items"))
        .extracting(o -> ((JsonObject) o).getString("ticketId")).doesNotContain(id);
  }

  @Test
  void aPolicyChangeRecomputesTheOpenTimersItGoverns() throws Exception {
    String insert = ticket("recompute-1", "HELP", "URGENT", "water.outage", "D-A");
    String id = TICKET_IDS.get("recompute-1");
    Sql.execute(server.dbUrl(), insert, """
        INSERT INTO sla_timer (ticket_id, round, kind, clock, allowed, warning_share, started_at, due_at, warn_at,
                               state, next_at, config_version)
        VALUES ('%s', 1, 'RESOLVE', 'NATURAL', 'PT24H', 0.75, '2030-11-20T00:00:00Z', '2030-11-21T00:00:00Z',
                '2030-11-20T18:00:00Z', 'RUNNING', '2030-11-20T18:00:00Z',
                (SELECT version FROM sla_config))
        """.formatted(id));
    Response put = server.put("/api/v1/sla-policies/urgent-water", admin, new JsonObject().put("urgency", "URGENT")
        .put("category", "water").put("resolve", spec("PT48H", "NATURAL")));
    assertThat(put.status()).as(put.body()).isEqualTo(201);
    String dueNow = "SELECT count(*) FROM sla_timer WHERE ticket_id = '" + id + "' AND due_at = '2030-11-22T00:00:00Z'"
        + " AND warn_at = '2030-11-21T12:00:00Z' AND allowed = 'PT48H'";
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (Sql.count(server.dbUrl(), dueNow) == 0 && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertThat(Sql.count(server.dbUrl(), dueNow)).isEqualTo(1);
    server.send(server.request("/api/v1/sla-policies/urgent-water", admin).DELETE());
  }
}
