package org.jiesu.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import org.jiesu.auth.Role;
import org.jiesu.support.MutableClock;
import org.jiesu.support.Sql;
import org.jiesu.support.TestServer;
import org.jiesu.support.TestServer.Response;
import org.jiesu.support.Tickets;
import org.jiesu.support.WithServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Scorecards over tickets handled through the real HTTP API with a hand-moved clock, checked against a hand
 * count. D-A's November:
 *
 * <pre>
 * ticket  round  SIGN/CONTACT   RESOLVE  returned  callback (month)                      counts
 * T1      1      met/met        on time  -         resolved, SATISFIED (Nov)             yes
 * T2      1      late/met       late     -         unresolved, BASICALLY_SATISFIED (Nov) yes
 * T3      1      met/met        on time  -         unresolved, UNSATISFIED, rework (Nov) yes
 * T3      2      met/met        on time  -         resolved, SATISFIED (Nov)             yes
 * T4      1      met/met        on time  -         unresolved, UNSATISFIED (Nov)         unreasonable: not in callbacks
 * T5      1      open           open     yes       -                                     yes (then D-B's)
 * T7      1      met/met        on time  -         -                                     proactive task: apart
 * </pre>
 *
 * Rounds 6, responded 4 (66.67), replied 5 of which on time 4 (80), returns 1 (16.67); callbacks 4, resolved
 * 2 (50), satisfaction (100 + 80 + 0 + 100) / 4 = 70, reworks 1 (25); composite 0.1 × 66.67 + 0.45 × 50 +
 * 0.45 × 70 = 60.67. T6 is dispatched to D-B at 07:30 on 1 December in Beijing (still 30 November in UTC):
 * it counts in December.
 */
@WithServer(departments = {"D-A", "D-B"}, group = "district")
class ScorecardApiTest {

  static final MutableClock CLOCK = new MutableClock(at("2026-11-23T09:00:00")); // a Monday
  static TestServer server;
  static String hotline;
  static String supervisor;
  static String admin;
  static String staffA;
  static int counter;
  static JsonObject t1;
  static JsonObject t2;
  static JsonObject t3;
  static JsonObject t4;
  static JsonObject t5;
  static JsonObject t6;
  static JsonObject t7;

  static Instant at(String local) {
    return OffsetDateTime.parse(local + "+08:00").toInstant();
  }

  @BeforeAll
  static void handleTickets() {
    server.department("U-1", "utility");
    hotline = server.token(Role.HOTLINE);
    supervisor = server.token(Role.SUPERVISOR);
    admin = server.token(Role.ADMIN);
    staffA = server.staff("D-A");
    String staffB = server.staff("D-B");

    t1 = dispatched("D-A", "NORMAL");
    t2 = dispatched("D-A", "URGENT"); // SIGN 1 h, CONTACT 2 h, RESOLVE 24 h, natural clocks
    t3 = dispatched("D-A", "NORMAL");
    t4 = dispatched("D-A", "NORMAL");
    t5 = dispatched("D-A", "NORMAL");
    // a proactive task: no endpoint creates one on this branch yet, so a received ticket is given the channel
    // (V18) the task endpoint will set, then dispatched through the API like any ticket
    t7 = ok(server.post("/api/v1/tickets", hotline, Tickets.intake("SC-PROACTIVE")
        .put("receivedAt", CLOCK.instant().toString())));
    try {
      Sql.execute(server.dbUrl(), "UPDATE ticket SET channel = 'PROACTIVE' WHERE id = '" + id(t7) + "'");
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
    ok(act(t7, "dispatch", supervisor, new JsonObject().put("leadDepartment", "D-A")));

    CLOCK.set(at("2026-11-23T09:10:00"));
    for (JsonObject t : List.of(t1, t3, t4, t7)) {
      ok(act(t, "sign", staffA, null));
      ok(act(t, "contacts", staffA, contact("2026-11-23T09:10:00")));
    }
    String returnId = ok(act(t5, "return-requests", staffA, new JsonObject().put("reason", "不属于本单位职责")
        .put("suggestedDepartment", "D-B"))).getString("id");
    ok(act(t5, "return-requests/" + returnId + "/decision", supervisor, new JsonObject().put("decision", "APPROVE")));
    ok(act(t4, "unreasonable", supervisor, new JsonObject().put("reason", "诉求超出法定职责范围")));
    CLOCK.set(at("2026-11-23T10:00:00"));
    server.fireDueTimers(); // T2's SIGN breaches
    CLOCK.set(at("2026-11-23T10:30:00"));
    ok(act(t2, "sign", staffA, null));
    CLOCK.set(at("2026-11-23T10:40:00"));
    ok(act(t2, "contacts", staffA, contact("2026-11-23T10:40:00")));
    for (JsonObject t : List.of(t1, t3, t4, t7)) {
      ok(act(t, "reply", staffA, reply(t == t4 ? "EXPLAINED" : "RESOLVED")));
    }
    CLOCK.set(at("2026-11-24T10:00:00")); // T2's RESOLVE was due at 09:00
    ok(act(t2, "reply", staffA, reply("RESOLVED")));

    CLOCK.set(at("2026-11-25T10:00:00"));
    ok(act(t1, "callback", hotline, callback(true, "SATISFIED", false)));
    ok(act(t2, "callback", hotline, callback(false, "BASICALLY_SATISFIED", false)));
    ok(act(t3, "callback", hotline, callback(false, "UNSATISFIED", true)));
    ok(act(t4, "callback", hotline, callback(false, "UNSATISFIED", false)));
    CLOCK.set(at("2026-11-25T10:10:00"));
    ok(act(t3, "sign", staffA, null));
    ok(act(t3, "contacts", staffA, contact("2026-11-25T10:10:00")));
    ok(act(t3, "reply", staffA, reply("RESOLVED")));
    CLOCK.set(at("2026-11-26T10:00:00"));
    ok(act(t3, "callback", hotline, callback(true, "SATISFIED", false)));

    CLOCK.set(at("2026-12-01T07:30:00"));
    t6 = dispatched("D-B", "URGENT");
    ok(act(t6, "sign", staffB, null));
    CLOCK.set(at("2026-12-01T07:35:00"));
    ok(act(t6, "contacts", staffB, contact("2026-12-01T07:35:00")));
    ok(act(t6, "reply", staffB, reply("RESOLVED")));
    CLOCK.set(at("2026-12-01T10:00:00"));
    ok(act(t6, "callback", hotline, callback(true, "SATISFIED", false)));
    // November is over: its first scorecard fixes the settings it is scored with (version 1, the defaults)
    assertThat(server.get("/api/v1/scorecards?period=2026-11", supervisor).json().getJsonObject("settings")
        .getLong("version")).isEqualTo(1L);
  }

  @Test
  void novemberMatchesTheHandCount() {
    JsonObject month = ok(server.get("/api/v1/scorecards?period=2026-11", supervisor));
    assertThat(month.getBoolean("fixed")).isTrue();
    JsonObject a = item(month, "D-A");
    assertThat(a.getInteger("tickets")).isEqualTo(5);
    assertThat(a.getInteger("rounds")).isEqualTo(6);
    assertThat(a.getInteger("callbacks")).isEqualTo(4);
    assertThat(a.getDouble("responseRate")).isEqualTo(66.67);
    assertThat(a.getDouble("onTimeResolutionRate")).isEqualTo(80.0);
    assertThat(a.getDouble("returnRate")).isEqualTo(16.67);
    assertThat(a.getDouble("resolutionRate")).isEqualTo(50.0);
    assertThat(a.getDouble("satisfactionRate")).isEqualTo(70.0);
    assertThat(a.getDouble("reworkRate")).isEqualTo(25.0);
    assertThat(a.getDouble("composite")).isEqualTo(60.67);
    assertThat(a.getBoolean("smallSample")).as("4 callbacks, under the default minimum of 10").isTrue();
    assertThat(a.getValue("rank")).isNull();
    assertThat(a.getString("name")).isEqualTo("部门 D-A");
    assertThat(a.getInteger("proactiveTasks")).as("T7, outside the rates").isEqualTo(1);
    assertThat(a.getInteger("proactiveOnTime")).isEqualTo(1);

    JsonObject b = item(month, "D-B");
    assertThat(b.getInteger("rounds")).as("T5 after its return; T6 counts in December").isEqualTo(1);
    assertThat(b.getInteger("callbacks")).isZero();
    assertThat(b.getValue("resolutionRate")).isNull();
    assertThat(item(month, "U-1").getInteger("rounds")).isZero();
  }

  @Test
  void aRoundCountsInTheBeijingMonthItWasDispatchedAndACallbackInTheMonthItWasRecorded() {
    JsonObject december = ok(server.get("/api/v1/scorecards?period=2026-12", supervisor));
    assertThat(december.getBoolean("fixed")).isFalse();
    JsonObject b = item(december, "D-B");
    assertThat(b.getInteger("rounds")).isEqualTo(1);
    assertThat(b.getInteger("callbacks")).isEqualTo(1);
    assertThat(b.getDouble("responseRate")).isEqualTo(100.0);
    assertThat(item(december, "D-A").getInteger("callbacks")).isZero();
  }

  @Test
  void theDepartmentScorecardNamesTheTicketsAgainstEachRate() {
    JsonObject d = ok(server.get("/api/v1/scorecards/D-A?period=2026-11", supervisor));
    assertThat(d.getJsonObject("item")).isEqualTo(item(ok(server.get("/api/v1/scorecards?period=2026-11", supervisor)),
        "D-A"));
    JsonObject against = d.getJsonObject("against");
    assertThat(ids(against, "response")).containsExactlyInAnyOrder(id(t2), id(t5));
    assertThat(ids(against, "onTimeResolution")).containsExactly(id(t2));
    assertThat(ids(against, "returns")).containsExactly(id(t5));
    assertThat(ids(against, "resolution")).containsExactlyInAnyOrder(id(t2), id(t3));
    assertThat(ids(against, "satisfaction")).containsExactlyInAnyOrder(id(t2), id(t3));
    assertThat(ids(against, "reworks")).containsExactly(id(t3));
    assertThat(against.getJsonArray("response").getJsonObject(0).getString("sign")).isEqualTo("LATE");
    assertThat(d.getJsonObject("excluded").getJsonArray("unreasonable").getList()).containsExactly(id(t4));
    assertThat(d.getJsonObject("excluded").getJsonArray("proactive").getList()).containsExactly(id(t7));
    assertThat(server.get("/api/v1/scorecards/NOPE?period=2026-11", supervisor).status()).isEqualTo(404);
  }

  @Test
  void theCsvIsUtf8WithAByteOrderMarkForSpreadsheets() {
    Response r = server.get("/api/v1/scorecards.csv?period=2026-11", supervisor);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.header("Content-Type").orElseThrow()).startsWith("text/csv").contains("utf-8");
    assertThat(r.body().getBytes(java.nio.charset.StandardCharsets.UTF_8)).startsWith(0xEF, 0xBB, 0xBF);
    String[] lines = r.body().substring(1).split("\r\n");
    assertThat(lines[0]).startsWith("period,department,name,group,tickets,rounds,callbacks,responseRate");
    assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("2026-11,D-A,部门 D-A,district,5,6,4,66.67,50.0,70.0,60.67,80.0,16.67,25.0,,true,1,1,1"));
    assertThat(lines).hasSize(4);
  }

  @Test
  void staffSeeTheirOwnDepartmentOnly() {
    JsonObject month = ok(server.get("/api/v1/scorecards?period=2026-11", staffA));
    assertThat(month.getJsonArray("items").stream().map(o -> ((JsonObject) o).getString("department")))
        .containsExactly("D-A");
    assertThat(server.get("/api/v1/scorecards/D-A?period=2026-11", staffA).status()).isEqualTo(200);
    assertThat(server.get("/api/v1/scorecards/D-B?period=2026-11", staffA).status()).isEqualTo(404);
    assertThat(server.get("/api/v1/scorecards.csv?period=2026-11", staffA).status()).isEqualTo(403);
    assertThat(server.get("/api/v1/scorecards?period=2026-11", hotline).status()).isEqualTo(403);
    assertThat(server.put("/api/v1/scorecard-settings", supervisor, settings(0.1, 0.45, 0.45, 10)).status())
        .isEqualTo(403);
  }

  @Test
  void aGroupFilterAndABadPeriodAnswerAsDocumented() {
    JsonObject utilities = ok(server.get("/api/v1/scorecards?period=2026-11&group=utility", supervisor));
    assertThat(utilities.getJsonArray("items")).hasSize(1);
    Response bad = server.get("/api/v1/scorecards?period=2026-13", supervisor);
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.body()).contains("period");
    assertThat(server.get("/api/v1/scorecards", supervisor).status()).isEqualTo(400);
  }

  @Test
  void adminChangesTheSettingsAuditedAndAFixedMonthKeepsItsOwn() throws Exception {
    Response refused = server.put("/api/v1/scorecard-settings", admin, settings(0.3, 0.35, 0.30, 1));
    assertThat(refused.status()).isEqualTo(422);
    assertThat(refused.json().getJsonArray("errors").getJsonObject(0).getString("field")).isEqualTo("/weights");

    JsonObject changed = ok(server.put("/api/v1/scorecard-settings", admin, settings(0.3, 0.35, 0.35, 1)));
    assertThat(changed.getLong("version")).isEqualTo(2L);
    assertThat(ok(server.get("/api/v1/scorecard-settings", supervisor)).getLong("version")).isEqualTo(2L);

    JsonObject november = ok(server.get("/api/v1/scorecards?period=2026-11", supervisor));
    assertThat(november.getJsonObject("settings").getLong("version")).as("fixed when first scored").isEqualTo(1L);
    assertThat(item(november, "D-A").getDouble("composite")).isEqualTo(60.67);
    JsonObject december = ok(server.get("/api/v1/scorecards?period=2026-12", supervisor));
    assertThat(december.getJsonObject("settings").getLong("version")).isEqualTo(2L);
    JsonObject b = item(december, "D-B");
    assertThat(b.getInteger("rank")).as("one callback is enough with a minimum sample of 1").isEqualTo(1);
    assertThat(b.getDouble("composite")).isEqualTo(100.0);

    try (var c = Sql.connect(server.dbUrl()); Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT actor_role, detail FROM audit_entry"
             + " WHERE action = 'SCORECARD_SETTINGS_UPDATE'")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString("actor_role")).isEqualTo("ADMIN");
      JsonObject detail = new JsonObject(rs.getString("detail"));
      assertThat(detail.getJsonObject("before").getLong("version")).isEqualTo(1L);
      assertThat(detail.getJsonObject("after").getJsonObject("weights").getDouble("response")).isEqualTo(0.3);
      assertThat(rs.next()).as("the refused change left no entry").isFalse();
    }
  }

  @Test
  void theMigrationsBackfillFromTimelinesGivesTheFactsTheListenerKept() throws Exception {
    String migration = java.nio.file.Files.readString(java.nio.file.Path.of("sql/V19__scorecards.sql"));
    String backfill = migration.substring(migration.indexOf("-- Facts for tickets handled before this migration"));
    String rounds = "SELECT ticket_id, round, department, dispatched_at, period, proactive, sign_timer, contact_timer,"
        + " resolve_timer, returned, merged FROM scorecard_round ORDER BY ticket_id, dispatched_at";
    String callbacks = "SELECT ticket_id, round, department, at, period, resolved, satisfaction, rework, unreasonable,"
        + " proactive FROM scorecard_callback ORDER BY ticket_id, at";
    try (var c = Sql.connect(server.dbUrl()); Statement s = c.createStatement()) {
      c.setAutoCommit(false);
      List<List<Object>> keptRounds = rows(s, rounds);
      List<List<Object>> keptCallbacks = rows(s, callbacks);
      s.execute("DELETE FROM scorecard_callback");
      s.execute("DELETE FROM scorecard_round");
      s.execute(backfill);
      assertThat(rows(s, rounds)).hasSize(9).isEqualTo(keptRounds);
      assertThat(rows(s, callbacks)).hasSize(6).isEqualTo(keptCallbacks);
      c.rollback();
    }
  }

  static List<List<Object>> rows(Statement s, String query) throws java.sql.SQLException {
    List<List<Object>> out = new java.util.ArrayList<>();
    try (ResultSet rs = s.executeQuery(query)) {
      while (rs.next()) {
        List<Object> row = new java.util.ArrayList<>();
        for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
          row.add(rs.getObject(i));
        }
        out.add(row);
      }
    }
    return out;
  }

  // --- helpers

  static JsonObject settings(double response, double resolution, double satisfaction, int minimumSample) {
    return new JsonObject()
        .put("weights", new JsonObject().put("response", response).put("resolution", resolution)
            .put("satisfaction", satisfaction))
        .put("satisfactionWeights", new JsonObject().put("SATISFIED", 100).put("BASICALLY_SATISFIED", 80)
            .put("UNSATISFIED", 0))
        .put("minimumSample", minimumSample);
  }

  static JsonObject item(JsonObject month, String department) {
    return month.getJsonArray("items").stream().map(o -> (JsonObject) o)
        .filter(o -> o.getString("department").equals(department)).findFirst().orElseThrow();
  }

  static List<String> ids(JsonObject against, String rate) {
    JsonArray list = against.getJsonArray(rate);
    return list.stream().map(o -> ((JsonObject) o).getString("ticketId")).toList();
  }

  static String id(JsonObject ticket) {
    return ticket.getString("id");
  }

  static JsonObject dispatched(String lead, String urgency) {
    Response r = server.post("/api/v1/tickets", hotline, Tickets.dispatched("SC-" + (++counter), lead)
        .put("urgency", urgency).put("receivedAt", CLOCK.instant().toString()));
    return ok(r);
  }

  static JsonObject contact(String local) {
    return new JsonObject().put("at", at(local).toString()).put("method", "PHONE");
  }

  static JsonObject reply(String outcome) {
    return new JsonObject().put("outcome", outcome).put("answer", "已处理并答复");
  }

  static JsonObject callback(boolean resolved, String satisfaction, boolean rework) {
    return new JsonObject().put("resolved", resolved).put("satisfaction", satisfaction).put("rework", rework);
  }

  static Response act(JsonObject t, String action, String token, JsonObject body) {
    String path = "/api/v1/tickets/" + t.getString("id") + "/" + action;
    return body == null ? server.send(server.request(path, token).POST(HttpRequest.BodyPublishers.noBody()))
        : server.post(path, token, body);
  }

  static JsonObject ok(Response r) {
    assertThat(r.status()).as(r.body()).isBetween(200, 201);
    return r.json();
  }
}
