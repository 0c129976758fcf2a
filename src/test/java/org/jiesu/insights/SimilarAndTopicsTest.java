package org.jiesu.insights;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
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

/** Similar-ticket suggestions (and similarCount at intake), and a month's topics against a hand count. */
class SimilarAndTopicsTest {

  static final MutableClock CLOCK = new MutableClock(at("2026-12-02T10:00:00"));
  static TestServer server;
  static String hotline;
  static String supervisor;
  static int counter;

  static Instant at(String local) {
    return OffsetDateTime.parse(local + "+08:00").toInstant();
  }

  @BeforeAll
  static void start() {
    server = TestServer.start(TestDatabase.fresh(), CLOCK);
    for (String d : new String[] {"D-A", "D-B", "D-C"}) {
      server.department(d, "district");
    }
    hotline = server.token(Role.HOTLINE);
    supervisor = server.token(Role.SUPERVISOR);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static JsonObject call(String category, String district, String street, String receivedAt, String lead,
      String title, String content) {
    JsonObject body = Tickets.intake("ST-" + (++counter)).put("category", category)
        .put("receivedAt", at(receivedAt).toString()).put("title", title).put("content", content)
        .put("location", new JsonObject().put("district", district).put("street", street));
    if (lead != null) {
      body.put("leadDepartment", lead);
    }
    Response r = server.post("/api/v1/tickets", hotline, body);
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    return r.json();
  }

  @Test
  void twoCallsAboutOneIncidentFindEachOtherAndAnUnrelatedCallDoesNot() {
    JsonObject a = call("city.drain", "朝阳区", "望京街道", "2026-12-01T08:10:00", "D-A", "小区门口污水井冒水",
        "望京小区门口的污水井冒水，臭味很大，请尽快处理");
    assertThat(a.getInteger("similarCount")).isZero();
    JsonObject b = call("city.drain", "朝阳区", "望京街道", "2026-12-01T11:40:00", "D-B", "污水井又冒水",
        "小区门口污水井又冒水了，气味难闻，请处理");
    assertThat(b.getInteger("similarCount")).as("the hotline sees it at intake").isEqualTo(1);
    JsonObject c = call("env.fume", "朝阳区", "望京街道", "2026-12-01T12:00:00", "D-A", "餐馆油烟扰民",
        "望京一家餐馆晚上排风噪音大，油烟扰民");
    assertThat(c.getInteger("similarCount")).isZero();

    Response similar = server.get("/api/v1/tickets/" + a.getString("id") + "/similar", hotline);
    assertThat(similar.status()).as(similar.body()).isEqualTo(200);
    JsonArray items = similar.json().getJsonArray("items");
    assertThat(items).hasSize(1);
    JsonObject found = items.getJsonObject(0);
    assertThat(found.getString("ticketId")).isEqualTo(b.getString("id"));
    assertThat(found.getJsonArray("reasons")).containsExactly("SAME_STREET", "CLOSE_IN_TIME", "SIMILAR_TEXT");
    assertThat(found.getDouble("hoursApart")).isEqualTo(3.5);
    assertThat(found.getJsonArray("sharedTerms")).contains("污水", "冒水");
    assertThat(server.get("/api/v1/tickets/" + b.getString("id") + "/similar", supervisor).json()
        .getJsonArray("items").getJsonObject(0).getString("ticketId")).isEqualTo(a.getString("id"));
    assertThat(server.get("/api/v1/tickets/" + c.getString("id") + "/similar", hotline).json()
        .getJsonArray("items")).isEmpty();

    // the same visibility as a read: D-A sees A but not B (D-B's); D-C may not even ask about A
    assertThat(server.get("/api/v1/tickets/" + a.getString("id") + "/similar", server.staff("D-A")).json()
        .getJsonArray("items")).isEmpty();
    assertThat(server.get("/api/v1/tickets/" + a.getString("id") + "/similar", server.staff("D-C")).status())
        .isEqualTo(404);
    assertThat(server.get("/api/v1/tickets/nope/similar", hotline).status()).isEqualTo(404);

    // merged and closed tickets are no longer suggested
    Response merged = server.post("/api/v1/tickets/" + b.getString("id") + "/merge", hotline,
        new JsonObject().put("into", a.getString("id")));
    assertThat(merged.status()).as(merged.body()).isEqualTo(200);
    assertThat(server.get("/api/v1/tickets/" + a.getString("id") + "/similar", hotline).json()
        .getJsonArray("items")).isEmpty();
  }

  /** The nearby branch: a call on another street 140 m away is suggested, one 1.8 km away is not. */
  @Test
  void aCallNearbyOnAnotherStreetIsSuggestedAndOneFarAwayIsNot() {
    JsonObject x = callAt("东华门街道", 39.9140, 116.4000, "2026-12-02T07:00:00", "胡同口路面塌陷",
        "胡同口路面塌陷，行人差点摔倒，请尽快修补");
    JsonObject y = callAt("景山街道", 39.9150, 116.4010, "2026-12-02T08:30:00", "路面塌陷没人修",
        "胡同口路面塌陷，请尽快修补");
    assertThat(y.getInteger("similarCount")).isEqualTo(1);
    JsonObject z = callAt("交道口街道", 39.9300, 116.4000, "2026-12-02T09:00:00", "胡同口路面塌陷",
        "胡同口路面塌陷，行人差点摔倒，请尽快修补");
    assertThat(z.getInteger("similarCount")).isZero();

    JsonArray items = server.get("/api/v1/tickets/" + x.getString("id") + "/similar", hotline).json()
        .getJsonArray("items");
    assertThat(items).hasSize(1);
    JsonObject found = items.getJsonObject(0);
    assertThat(found.getString("ticketId")).isEqualTo(y.getString("id"));
    assertThat(found.getJsonArray("reasons")).containsExactly("NEARBY", "CLOSE_IN_TIME", "SIMILAR_TEXT");
    assertThat(found.getDouble("distanceMeters")).isBetween(130.0, 150.0);
  }

  /**
   * similarCount is read for the call as sent, beside its intake: a repeat (200) counts the other call, never
   * its own stored ticket, and a call's count does not include itself either way.
   */
  @Test
  void aRepeatedCallCountsTheOtherCallNotItsOwnTicket() {
    JsonObject first = call("city.light", "海淀区", "学院路街道", "2026-12-02T06:00:00", "D-A", "路灯不亮",
        "学院路路灯不亮，晚上很黑，请修理");
    assertThat(first.getInteger("similarCount")).isZero();
    JsonObject body = Tickets.intake("ST-" + (++counter)).put("category", "city.light")
        .put("receivedAt", at("2026-12-02T07:00:00").toString()).put("title", "路灯又不亮")
        .put("content", "学院路路灯不亮，请尽快修理").put("leadDepartment", "D-A")
        .put("location", new JsonObject().put("district", "海淀区").put("street", "学院路街道"));
    Response second = server.post("/api/v1/tickets", hotline, body);
    assertThat(second.status()).as(second.body()).isEqualTo(201);
    assertThat(second.json().getInteger("similarCount")).isEqualTo(1);
    Response repeat = server.post("/api/v1/tickets", hotline, body);
    assertThat(repeat.status()).as(repeat.body()).isEqualTo(200);
    assertThat(repeat.json().getString("id")).isEqualTo(second.json().getString("id"));
    assertThat(repeat.json().getInteger("similarCount")).as("the first call, not the repeat's own ticket")
        .isEqualTo(1);
  }

  static JsonObject callAt(String street, double lat, double lon, String receivedAt, String title,
      String content) {
    JsonObject body = Tickets.intake("ST-" + (++counter)).put("category", "city.road")
        .put("receivedAt", at(receivedAt).toString()).put("title", title).put("content", content)
        .put("leadDepartment", "D-A")
        .put("location", new JsonObject().put("district", "东城区").put("street", street).put("lat", lat)
            .put("lon", lon));
    Response r = server.post("/api/v1/tickets", hotline, body);
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    return r.json();
  }

  @Test
  void aMonthsTopicsMatchAHandCount() {
    // November (Asia/Shanghai): traffic.light 东城区 ×3 (one at 00:30 on 1 November local, still November),
    // traffic.light 西城区 ×2, market.price 东城区 ×1; October: traffic.light 东城区 ×2; December: one more
    JsonObject n1 = call("traffic.light", "东城区", "东华门街道", "2026-11-01T00:30:00", "D-A", "红绿灯坏了", "路口红绿灯不亮");
    call("traffic.light", "东城区", "东华门街道", "2026-11-10T09:00:00", "D-A", "红绿灯坏了", "路口红绿灯不亮");
    call("traffic.light", "东城区", "景山街道", "2026-11-30T23:50:00", "D-B", "红绿灯时间太短", "行人绿灯时间太短");
    call("traffic.light", "西城区", "金融街街道", "2026-11-05T09:00:00", "D-C", "红绿灯坏了", "路口红绿灯不亮");
    call("traffic.light", "西城区", "金融街街道", "2026-11-06T09:00:00", null, "红绿灯坏了", "路口红绿灯不亮");
    call("market.price", "东城区", "东华门街道", "2026-11-07T09:00:00", "D-B", "乱收费", "超市价格不明示");
    call("traffic.light", "东城区", "东华门街道", "2026-10-31T23:59:00", "D-A", "红绿灯坏了", "路口红绿灯不亮");
    call("traffic.light", "东城区", "东华门街道", "2026-10-10T09:00:00", "D-A", "红绿灯坏了", "路口红绿灯不亮");
    call("traffic.light", "东城区", "东华门街道", "2026-12-01T00:10:00", "D-A", "红绿灯坏了", "路口红绿灯不亮");
    // one November call handled to the end: replied on time, callback unresolved and unsatisfied
    String id = n1.getString("id");
    String lead = server.staff("D-A");
    assertThat(act(id, "sign", lead, null).status()).isEqualTo(200);
    assertThat(act(id, "contacts", lead, new JsonObject().put("at", CLOCK.instant().toString()).put("method", "PHONE"))
        .status()).isIn(200, 201);
    assertThat(act(id, "reply", lead, new JsonObject().put("outcome", "UNRESOLVED").put("answer", "已报修")).status())
        .isEqualTo(200);
    assertThat(act(id, "callback", hotline, new JsonObject().put("resolved", false).put("satisfaction", "UNSATISFIED"))
        .status()).isEqualTo(200);

    Response r = server.get("/api/v1/insights/topics?period=2026-11", supervisor);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    JsonArray items = r.json().getJsonArray("items");
    assertThat(items).hasSize(3);
    JsonObject top = items.getJsonObject(0);
    assertThat(top.getString("category")).isEqualTo("traffic.light");
    assertThat(top.getString("district")).isEqualTo("东城区");
    assertThat(top.getInteger("count")).isEqualTo(3);
    assertThat(top.getInteger("previousCount")).isEqualTo(2);
    assertThat(top.getDouble("change")).isEqualTo(0.5);
    assertThat(top.getInteger("callbacks")).isEqualTo(1);
    assertThat(top.getDouble("unresolvedShare")).isEqualTo(1.0);
    assertThat(top.getDouble("unsatisfiedShare")).isEqualTo(1.0);
    JsonArray depts = top.getJsonArray("departments");
    assertThat(depts.getJsonObject(0).getString("department")).isEqualTo("D-A");
    assertThat(depts.getJsonObject(0).getInteger("tickets")).isEqualTo(2);
    assertThat(depts.getJsonObject(0).getDouble("onTimeRate")).isEqualTo(1.0);
    assertThat(depts.getJsonObject(1).getString("department")).isEqualTo("D-B");
    assertThat(depts.getJsonObject(1).getValue("onTimeRate")).isNull();
    JsonObject second = items.getJsonObject(1);
    assertThat(second.getString("district")).isEqualTo("西城区");
    assertThat(second.getInteger("count")).isEqualTo(2);
    assertThat(second.getInteger("previousCount")).isZero();
    assertThat(second.getValue("change")).isNull();
    assertThat(second.getValue("unresolvedShare")).isNull();
    assertThat(second.getJsonArray("departments")).hasSize(1); // the undispatched call has no department
    assertThat(items.getJsonObject(2).getString("category")).isEqualTo("market.price");

    Response csv = server.get("/api/v1/insights/topics.csv?period=2026-11&limit=2", supervisor);
    assertThat(csv.status()).isEqualTo(200);
    assertThat(csv.header("Content-Type").orElse("")).startsWith("text/csv");
    assertThat(csv.body()).startsWith("\uFEFFperiod,rank,");
    assertThat(csv.body().split("\r\n")).hasSize(3);
    assertThat(csv.body().split("\r\n")[1]).startsWith("2026-11,1,traffic.light,东城区,3,2,0.500,1,1.000,1.000,D-A:2:1.000;");
    assertThat(csv.body().getBytes(StandardCharsets.UTF_8)).startsWith(0xEF, 0xBB, 0xBF);

    assertThat(server.get("/api/v1/insights/topics?period=2026-13", supervisor).status()).isEqualTo(400);
    assertThat(server.get("/api/v1/insights/topics", supervisor).status()).isEqualTo(400);
  }

  @Test
  void storedTermsGiveTheSameAnswerAsTermsComputedFromTheText() throws Exception {
    JsonObject a = call("city.light", "海淀区", "中关村街道", "2026-12-02T01:00:00", "D-A", "路灯不亮晚上很黑",
        "中关村小区门口路灯不亮，晚上很黑，ＡＢＣ栋 road 12 号，请尽快处理");
    call("city.light", "海淀区", "中关村街道", "2026-12-02T02:00:00", "D-A", "路灯又不亮",
        "小区门口路灯不亮了，晚上很黑，abc栋");
    call("city.light", "海淀区", "中关村街道", "2026-12-02T03:00:00", "D-B", "路灯坏了", "门口路灯不亮很黑");
    call("city.noise", "海淀区", "中关村街道", "2026-12-02T04:00:00", "D-B", "施工噪音", "工地施工到深夜，噪音扰民");
    String path = "/api/v1/tickets/" + a.getString("id") + "/similar";
    Response stored = server.get(path, supervisor);
    assertThat(stored.status()).as(stored.body()).isEqualTo(200);
    assertThat(stored.json().getJsonArray("items")).hasSize(2);

    try (java.sql.Connection c = org.jiesu.support.Sql.connect(server.dbUrl())) {
      // every ticket's stored terms are exactly what the comparison computes from its text
      try (java.sql.Statement s = c.createStatement(); java.sql.ResultSet rs = s.executeQuery(
          "SELECT t.title, t.content, x.terms FROM ticket t LEFT JOIN insight_ticket_terms x ON x.ticket_id = t.id")) {
        int n = 0;
        while (rs.next()) {
          java.sql.Array terms = rs.getArray("terms");
          assertThat(terms).as("terms stored at intake for %s", rs.getString("title")).isNotNull();
          assertThat(java.util.Set.of((String[]) terms.getArray()))
              .isEqualTo(Similarity.terms(rs.getString("title"), rs.getString("content")));
          n++;
        }
        assertThat(n).isGreaterThanOrEqualTo(4);
      }
      // without stored terms (tickets taken in before them) the answer is the same, computed from the text
      c.createStatement().execute("DELETE FROM insight_ticket_terms");
      Response computed = server.get(path, supervisor);
      assertThat(computed.json()).isEqualTo(stored.json());
      // the migration's backfill writes them all back, and the answer is still the same
      assertThat(StoredTerms.backfill(c, "TRUE")).isGreaterThanOrEqualTo(4);
      assertThat(org.jiesu.support.Sql.count(server.dbUrl(),
          "SELECT count(*) FROM ticket t WHERE NOT EXISTS (SELECT 1 FROM insight_ticket_terms x WHERE x.ticket_id = t.id)"))
          .isZero();
      assertThat(server.get(path, supervisor).json()).isEqualTo(stored.json());
    }
  }

  static Response act(String id, String action, String token, JsonObject body) {
    String path = "/api/v1/tickets/" + id + "/" + action;
    return body == null ? server.send(server.request(path, token).POST(HttpRequest.BodyPublishers.noBody()))
        : server.post(path, token, body);
  }
}
