package org.jiesu.insights;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import org.jiesu.auth.Role;
import org.jiesu.support.MutableClock;
import org.jiesu.support.Sql;
import org.jiesu.support.TestDatabase;
import org.jiesu.support.TestServer;
import org.jiesu.support.TestServer.Response;
import org.jiesu.support.Tickets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 11's scene: 28 days of backfilled calls, then a burst of 30 calls about one category on one street
 * today. The hotspot list puts that cell first and leaves a steady cell out, the supervision stream carries
 * one insight.hotspot event per cell, and a proactive task made from the hotspot is a dispatched ticket
 * linked to the burst's tickets (on both sides).
 */
class HotspotsAndTasksTest {

  static final Instant NOW = OffsetDateTime.parse("2026-11-25T12:00:00+08:00").toInstant(); // a Wednesday
  static final MutableClock CLOCK = new MutableClock(NOW);
  static TestServer server;
  static String hotline;
  static String supervisor;
  static int counter;
  static final List<String> burst = new ArrayList<>();
  static final List<String> streamed = new ArrayList<>();

  @BeforeAll
  static void scene() throws Exception {
    server = TestServer.start(TestDatabase.fresh(), CLOCK);
    server.department("D-IP", "municipal");
    server.department("D-CITY", "municipal");
    hotline = server.token(Role.HOTLINE);
    supervisor = server.token(Role.SUPERVISOR);

    // the stream is open before anything happens
    HttpClient http = HttpClient.newHttpClient();
    HttpResponse<InputStream> live = http.send(server.request("/api/v1/supervision/stream", supervisor).build(),
        HttpResponse.BodyHandlers.ofInputStream());
    assertThat(live.statusCode()).isEqualTo(200);

    // steady: a call every 4 hours on 学院路街道 for 29 days (6 in any 24 hours, today as on every day)
    // oldest first, as they came in
    for (int j = 29 * 6 - 1; j >= 0; j--) {
      call("city.road", "学院路街道", NOW.minus(Duration.ofMinutes(30)).minus(Duration.ofHours(4L * j)), "D-CITY");
    }
    // 中关村街道: a price complaint every 12 hours, and an agency complaint on the same weekday 1 and 3 weeks ago
    for (int j = 29 * 2 - 1; j >= 0; j--) {
      call("market.price", "中关村街道", NOW.minus(Duration.ofMinutes(50)).minus(Duration.ofHours(12L * j)), "D-IP");
    }
    call("market.agency", "中关村街道", NOW.minus(Duration.ofDays(7)).minus(Duration.ofHours(2)), "D-IP");
    call("market.agency", "中关村街道", NOW.minus(Duration.ofDays(21)).minus(Duration.ofHours(2)), "D-IP");
    // the burst: 30 calls about agencies on 中关村街道 in the last three hours
    for (int i = 0; i < 30; i++) {
      burst.add(call("market.agency", "中关村街道", NOW.minus(Duration.ofMinutes(180 - 5 * i)), "D-IP"));
    }
    // a marker after the burst: five noise calls on a quiet street make hotspots env.noise and env
    for (int i = 0; i < 5; i++) {
      call("env.noise", "燕园街道", NOW.minus(Duration.ofMinutes(10 - i)), null);
    }
    // everything the stream carried up to the marker's two cells
    BufferedReader reader = new BufferedReader(new InputStreamReader(live.body(), StandardCharsets.UTF_8));
    String event = null;
    String line;
    int markers = 0;
    while (markers < 2 && (line = reader.readLine()) != null) {
      if (line.startsWith("event: ")) {
        event = line.substring(7);
      } else if (line.startsWith("data: ") && "insight.hotspot".equals(event)) {
        JsonObject data = new JsonObject(line.substring(6));
        streamed.add(data.getString("category") + "@" + data.getString("street"));
        if (data.getString("category").startsWith("env")) {
          markers++;
        }
      } else if (line.startsWith("id: ")) {
        event = "numbered";
      }
    }
    live.body().close();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static String call(String category, String street, Instant receivedAt, String lead) {
    JsonObject body = Tickets.intake("HS-" + (++counter)).put("category", category)
        .put("receivedAt", receivedAt.toString())
        .put("location", new JsonObject().put("district", "海淀区").put("street", street));
    if (lead != null) {
      body.put("leadDepartment", lead);
    }
    Response r = server.post("/api/v1/tickets", hotline, body);
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    return r.json().getString("id");
  }

  @Test
  void theBurstIsTheFirstHotspotAndTheSteadyCellIsLeftOut() {
    Response r = server.get("/api/v1/insights/hotspots?window=PT24H", supervisor);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    JsonArray items = r.json().getJsonArray("items");
    JsonObject first = items.getJsonObject(0);
    assertThat(first.getString("category")).isEqualTo("market.agency");
    assertThat(first.getString("street")).isEqualTo("中关村街道");
    assertThat(first.getInteger("count")).isEqualTo(30);
    assertThat(first.getDouble("expected")).isEqualTo(0.5);
    assertThat(first.getDouble("score")).isGreaterThan(20);
    assertThat(first.getJsonArray("ticketIds")).hasSize(20).allMatch(burst::contains);
    // the prefix rolls up: market = 30 agency + 2 price calls, against a baseline of 2.5
    JsonObject market = items.stream().map(JsonObject.class::cast)
        .filter(o -> o.getString("category").equals("market")).findFirst().orElseThrow();
    assertThat(market.getInteger("count")).isEqualTo(32);
    assertThat(market.getDouble("expected")).isEqualTo(2.5);
    assertThat(items.stream().map(JsonObject.class::cast).map(o -> o.getString("street")))
        .doesNotContain("学院路街道");
    assertThat(items.stream().map(JsonObject.class::cast).map(o -> o.getString("category")))
        .doesNotContain("market.price", "city", "city.road");
  }

  @Test
  void aWindowBeforeTheBurstHasNoHotspotThere() {
    Response r = server.get("/api/v1/insights/hotspots?window=PT24H&at="
        + NOW.minus(Duration.ofHours(4)).toString().replace("Z", "%2B00:00") + "&district=%E6%B5%B7%E6%B7%80%E5%8C%BA",
        supervisor);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.json().getJsonArray("items")).isEmpty();
    Response filtered = server.get("/api/v1/insights/hotspots?category=env", hotline);
    assertThat(filtered.json().getJsonArray("items").stream().map(JsonObject.class::cast)
        .map(o -> o.getString("category"))).containsExactly("env.noise", "env");
  }

  @Test
  void theStreamCarriesOneEventPerCell() {
    assertThat(streamed).containsExactly("market.agency@中关村街道", "market@中关村街道", "env.noise@燕园街道",
        "env@燕园街道");
    assertThat(Sql.count(server.dbUrl(), "SELECT count(*) FROM insight_hotspot")).isEqualTo(4);
  }

  /**
   * Issue 8: the check reads before the intake, and each announcement is a row of the intake's own statement,
   * so it shares the ticket row's transaction id and command id (a statement of its own has the next one).
   */
  @Test
  void eachAnnouncementIsWrittenByItsCallsOwnStatement() {
    assertThat(Sql.count(server.dbUrl(), "SELECT count(*) FROM insight_hotspot h JOIN ticket t ON t.id = h.ticket_id"
        + " WHERE (h.xmin::text, h.cmin::text) = (t.xmin::text, t.cmin::text)")).isEqualTo(4);
  }

  @Test
  void badWindowsAreRefused() {
    Response r = server.get("/api/v1/insights/hotspots?window=P30D", supervisor);
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.body()).contains("window");
    assertThat(server.get("/api/v1/insights/hotspots?window=banana", supervisor).status()).isEqualTo(400);
    assertThat(server.get("/api/v1/insights/hotspots", server.staff("D-IP")).status()).isEqualTo(403);
  }

  @Test
  void aProactiveTaskIsADispatchedTicketLinkedToTheBurst() {
    JsonObject body = new JsonObject().put("title", "中关村街道专利代理乱收费集中治理")
        .put("description", "近一日该街道同类投诉30件，开展专项检查。").put("category", "market.agency")
        .put("district", "海淀区").put("street", "中关村街道").put("leadDepartment", "D-IP")
        .put("relatedTickets", new JsonArray(burst)).put("dueAt", "2026-12-05T18:00:00+08:00");
    Response r = server.post("/api/v1/insights/tasks", supervisor, body);
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    JsonObject task = r.json();
    assertThat(task.getString("channel")).isEqualTo("PROACTIVE");
    assertThat(task.getString("status")).isEqualTo("DISPATCHED");
    assertThat(task.getString("leadDepartment")).isEqualTo("D-IP");
    assertThat(task.getJsonObject("caller").getString("phone")).isNull();
    assertThat(task.getJsonObject("proactiveLinks").getJsonArray("relatedTickets")).hasSize(30)
        .containsExactlyInAnyOrderElementsOf(burst);

    JsonObject read = server.get("/api/v1/tickets/" + task.getString("id"), supervisor).json();
    assertThat(read.getJsonObject("proactiveLinks").getBoolean("task")).isTrue();
    assertThat(read.getJsonObject("proactiveLinks").getString("taskDueAt")).isEqualTo("2026-12-05T10:00:00Z");
    // the same SLA timers as any dispatched ticket
    assertThat(read.getJsonArray("timers").stream().map(JsonObject.class::cast).map(o -> o.getString("kind")))
        .contains("SIGN", "RESOLVE");
    // and the department signs it like any ticket
    Response signed = server.send(server.request("/api/v1/tickets/" + task.getString("id") + "/sign",
        server.staff("D-IP")).POST(java.net.http.HttpRequest.BodyPublishers.noBody()));
    assertThat(signed.status()).as(signed.body()).isEqualTo(200);
    // it is replied to like any ticket, but it has no caller: the reply closes it and a callback is refused
    String taskPath = "/api/v1/tickets/" + task.getString("id");
    Response replied = server.post(taskPath + "/reply", server.staff("D-IP"),
        new JsonObject().put("outcome", "RESOLVED").put("answer", "已开展专项检查"));
    assertThat(replied.status()).as(replied.body()).isEqualTo(200);
    assertThat(replied.json().getString("status")).isEqualTo("CLOSED");
    Response callback = server.post(taskPath + "/callback", hotline,
        new JsonObject().put("resolved", true).put("satisfaction", "SATISFIED"));
    assertThat(callback.status()).as(callback.body()).isEqualTo(409);
    assertThat(server.get(taskPath, supervisor).json().getString("status")).isEqualTo("CLOSED");

    JsonObject one = server.get("/api/v1/tickets/" + burst.get(0), supervisor).json();
    assertThat(one.getJsonObject("proactiveLinks").getJsonArray("tasks")).containsExactly(task.getString("id"));
    assertThat(one.getJsonObject("proactiveLinks").getBoolean("task")).isFalse();
  }

  @Test
  void aTaskNamingAnUnknownTicketIsNotCreated() {
    long before = Sql.count(server.dbUrl(), "SELECT count(*) FROM ticket WHERE channel = 'PROACTIVE'");
    JsonObject body = new JsonObject().put("title", "治理").put("description", "说明").put("category", "market")
        .put("relatedTickets", new JsonArray().add(burst.get(0)).add("00000000-0000-0000-0000-000000000001"));
    Response r = server.post("/api/v1/insights/tasks", supervisor, body);
    assertThat(r.status()).as(r.body()).isEqualTo(422);
    assertThat(r.body()).contains("/relatedTickets/1");
    assertThat(Sql.count(server.dbUrl(), "SELECT count(*) FROM ticket WHERE channel = 'PROACTIVE'")).isEqualTo(before);
    assertThat(server.post("/api/v1/insights/tasks", hotline, body).status()).isEqualTo(403);
    Response past = server.post("/api/v1/insights/tasks", supervisor, new JsonObject().put("title", "治理")
        .put("description", "说明").put("category", "market").put("dueAt", "2026-01-01T00:00:00+08:00"));
    assertThat(past.status()).isEqualTo(400);
    assertThat(past.body()).contains("/dueAt");
  }
}
