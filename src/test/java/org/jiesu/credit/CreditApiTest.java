package org.jiesu.credit;

import org.jiesu.platform.CreditCode;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jiesu.auth.Role;
import org.jiesu.support.Cli;
import org.jiesu.support.Sql;
import org.jiesu.support.TestServer;
import org.jiesu.support.TestServer.Response;
import org.jiesu.support.Tickets;
import org.jiesu.support.WithServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Credit supervision over HTTP: entities, events, the ticket feed, draws and their public record. */
@WithServer(departments = {"D-IP"})
class CreditApiTest {

  static TestServer server;
  static String inspector;
  static String admin;
  static String hotline;
  static String lead;
  static int counter;

  @BeforeAll
  static void tokens() {
    inspector = server.token(Role.INSPECTOR);
    admin = server.token(Role.ADMIN);
    hotline = server.token(Role.HOTLINE);
    lead = server.staff("D-IP");
  }

  /** A fresh valid creditCode. */
  static String code() {
    return CreditCode.withCheck(String.format("91110108MA%07d", ++counter));
  }

  static String entity(String kind, String district) {
    String code = code();
    Response r = server.put("/api/v1/entities/" + code, inspector, new JsonObject().put("name", "某代理机构 " + code)
        .put("kind", kind).put("district", district));
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    return code;
  }

  static JsonObject credit(String code) {
    Response r = server.get("/api/v1/entities/" + code + "/credit", inspector);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return r.json();
  }

  static Response event(String code, JsonObject body) {
    return server.post("/api/v1/entities/" + code + "/credit-events", inspector, body);
  }

  static String ago(int days) {
    return Instant.now().minus(days, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS).toString();
  }

  @Test
  void aWrongCheckCharacterIs422NamingTheField() {
    String good = code();
    String bad = good.substring(0, 17) + (good.charAt(17) == '0' ? '1' : '0');
    Response r = server.put("/api/v1/entities/" + bad, inspector, new JsonObject().put("name", "某公司").put("kind", "ENTERPRISE"));
    assertThat(r.status()).as(r.body()).isEqualTo(422);
    assertThat(r.json().getJsonArray("errors").getJsonObject(0).getString("field")).isEqualTo("creditCode");
    assertThat(r.json().getJsonArray("errors").getJsonObject(0).getString("message")).contains("check character");
    Response created = server.put("/api/v1/entities/" + good, inspector, new JsonObject().put("name", "某公司").put("kind", "ENTERPRISE"));
    assertThat(created.status()).isEqualTo(201);
    assertThat(created.json().getString("status")).isEqualTo("VERIFIED");
    Response updated = server.put("/api/v1/entities/" + good, admin, new JsonObject().put("name", "某公司（更名）").put("kind", "ENTERPRISE"));
    assertThat(updated.status()).isEqualTo(200);
    assertThat(server.put("/api/v1/entities/" + good, hotline, new JsonObject().put("name", "x").put("kind", "ENTERPRISE")).status())
        .isEqualTo(403);
    assertThat(Sql.count(server.dbUrl(), "SELECT count(*) FROM audit_entry WHERE action IN ('ENTITY_CREATE','ENTITY_UPDATE')"
        + " AND detail::jsonb->>'creditCode' = '" + good + "'")).isEqualTo(2);
  }

  @Test
  void aCsvImportStoresAllOrNothingAndNamesTheBadLine() {
    String a = code();
    String b = code();
    String bad = b.substring(0, 17) + (b.charAt(17) == '0' ? '1' : '0');
    String header = "\uFEFFcreditCode,name,kind,district\n";
    Response refused = server.postRaw("/api/v1/entities/import", inspector, "text/plain; charset=utf-8",
        header + a + ",\"甲公司, 有限\",PATENT_AGENCY,西城区\n" + bad + ",乙公司,ENTERPRISE,西城区\n");
    assertThat(refused.status()).as(refused.body()).isEqualTo(422);
    assertThat(refused.json().getJsonArray("errors").getJsonObject(0).getString("field")).isEqualTo("/lines/3/creditCode");
    assertThat(server.get("/api/v1/entities/" + a + "/credit", inspector).status()).isEqualTo(404);
    Response ok = server.postRaw("/api/v1/entities/import", inspector, "text/plain; charset=utf-8",
        header + a + ",\"甲公司, 有限\",PATENT_AGENCY,西城区\r\n" + b + ",乙公司,ENTERPRISE,西城区\r\n");
    assertThat(ok.status()).as(ok.body()).isEqualTo(200);
    assertThat(ok.json()).isEqualTo(new JsonObject().put("created", 2).put("updated", 0));
    assertThat(credit(a).getString("name")).isEqualTo("甲公司, 有限");
    // again without districts: both updated, districts cleared, one audit entry per import
    Response again = server.postRaw("/api/v1/entities/import", inspector, "text/plain; charset=utf-8",
        "name,creditCode,kind\n甲公司,"+ a + ",PATENT_AGENCY\n乙公司," + b + ",ENTERPRISE\n");
    assertThat(again.status()).as(again.body()).isEqualTo(200);
    assertThat(again.json()).isEqualTo(new JsonObject().put("created", 0).put("updated", 2));
    assertThat(Sql.count(server.dbUrl(), "SELECT count(*) FROM credit_entity WHERE credit_code IN ('" + a + "','" + b
        + "') AND district IS NULL AND status = 'VERIFIED'")).isEqualTo(2);
    assertThat(Sql.count(server.dbUrl(), "SELECT count(*) FROM audit_entry WHERE action = 'ENTITY_IMPORT'"
        + " AND detail LIKE '%" + a + "%'")).isEqualTo(2);
    assertThat(server.postRaw("/api/v1/entities/import", inspector, "application/xml", "<x/>").status()).isEqualTo(415);
  }

  @Test
  void eventsMoveTheGradeWhichExplainsItselfAsOfAnyDate() {
    String code = entity("PATENT_AGENCY", "东城区");
    assertThat(credit(code).getString("grade")).isEqualTo("A");
    Response general = event(code, new JsonObject().put("kind", "GENERAL_PENALTY").put("effectiveAt", ago(250))
        .put("note", "京知罚〔2026〕1号"));
    assertThat(general.status()).as(general.body()).isEqualTo(201);
    assertThat(event(code, new JsonObject().put("kind", "MINOR_PENALTY").put("effectiveAt", ago(10))).status()).isEqualTo(201);
    JsonObject now = credit(code);
    assertThat(now.getInteger("score")).isEqualTo(80);
    assertThat(now.getString("grade")).isEqualTo("B");
    assertThat(now.getJsonArray("events")).hasSize(2);
    JsonObject first = now.getJsonArray("events").getJsonObject(0);
    assertThat(first.getString("kind")).isEqualTo("GENERAL_PENALTY");
    assertThat(first.getInteger("points")).isEqualTo(-15);
    assertThat(first.getString("note")).isEqualTo("京知罚〔2026〕1号");
    assertThat(first.getString("source")).isEqualTo("inspector-1");
    // as of before the minor penalty: 85, grade B; before both: 100, A
    assertThat(server.get("/api/v1/entities/" + code + "/credit?at=" + ago(20), inspector).json().getInteger("score")).isEqualTo(85);
    assertThat(server.get("/api/v1/entities/" + code + "/credit?at=" + ago(300), inspector).json().getString("grade")).isEqualTo("A");

    // repair: refused for the recent penalty, allowed for the old one
    String minorId = now.getJsonArray("events").getJsonObject(1).getString("id");
    Response early = event(code, new JsonObject().put("kind", "REPAIR").put("repairs", minorId));
    assertThat(early.status()).as(early.body()).isEqualTo(422);
    assertThat(early.json().getJsonArray("errors").getJsonObject(0).getString("field")).isEqualTo("/repairs");
    Response repair = event(code, new JsonObject().put("kind", "REPAIR").put("repairs", first.getString("id")));
    assertThat(repair.status()).as(repair.body()).isEqualTo(201);
    assertThat(event(code, new JsonObject().put("kind", "REPAIR").put("repairs", first.getString("id"))).status()).isEqualTo(422);
    JsonObject repaired = credit(code);
    assertThat(repaired.getInteger("score")).isEqualTo(95);
    assertThat(repaired.getJsonArray("events")).hasSize(3);

    // veto, commendation points, complaints only from tickets
    assertThat(event(code, new JsonObject().put("kind", "SERIOUS_VIOLATION_LIST")).status()).isEqualTo(201);
    assertThat(credit(code).getString("grade")).isEqualTo("D");
    assertThat(credit(code).getBoolean("veto")).isTrue();
    assertThat(event(code, new JsonObject().put("kind", "SERIOUS_VIOLATION_LIST_REMOVED")).status()).isEqualTo(201);
    assertThat(event(code, new JsonObject().put("kind", "SERIOUS_VIOLATION_LIST_REMOVED")).status()).isEqualTo(422);
    assertThat(credit(code).getString("grade")).isEqualTo("A");
    assertThat(event(code, new JsonObject().put("kind", "COMMENDATION")).status()).isEqualTo(422);
    assertThat(event(code, new JsonObject().put("kind", "COMMENDATION").put("points", 11)).status()).isEqualTo(400);
    assertThat(event(code, new JsonObject().put("kind", "SUBSTANTIATED_COMPLAINT")).status()).isEqualTo(422);
    assertThat(event(code, new JsonObject().put("kind", "MINOR_PENALTY").put("effectiveAt",
        Instant.now().plus(Duration.ofDays(2)).toString())).status()).isEqualTo(422);
    assertThat(event(code(), new JsonObject().put("kind", "MINOR_PENALTY")).status()).isEqualTo(404);
  }

  @Test
  void theListFiltersByGradeAndKind() {
    String good = entity("TRADEMARK_AGENCY", "门头沟区");
    String poor = entity("TRADEMARK_AGENCY", "门头沟区");
    event(poor, new JsonObject().put("kind", "SERIOUS_PENALTY"));
    Response cs = server.get("/api/v1/entities?kind=TRADEMARK_AGENCY&district=%E9%97%A8%E5%A4%B4%E6%B2%9F%E5%8C%BA&grade=C", inspector);
    assertThat(cs.status()).as(cs.body()).isEqualTo(200);
    assertThat(codes(cs.json().getJsonArray("items"))).containsExactly(poor);
    Response as = server.get("/api/v1/entities?kind=TRADEMARK_AGENCY&grade=A&limit=200", inspector);
    assertThat(codes(as.json().getJsonArray("items"))).contains(good).doesNotContain(poor);
    assertThat(server.get("/api/v1/entities?grade=E", inspector).status()).isEqualTo(400);
  }

  static List<String> codes(JsonArray items) {
    return items.stream().map(o -> ((JsonObject) o).getString("creditCode")).toList();
  }

  static JsonObject complaint(String code, String name, String type) {
    JsonObject body = Tickets.dispatched("CR-" + (++counter), "D-IP").put("type", type)
        .put("subject", new JsonObject().put("creditCode", code).put("name", name));
    Response r = server.post("/api/v1/tickets", hotline, body);
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    return r.json();
  }

  static void reply(JsonObject ticket, String finding) {
    String path = "/api/v1/tickets/" + ticket.getString("id");
    assertThat(server.send(server.request(path + "/sign", lead).POST(HttpRequest.BodyPublishers.noBody())).status())
        .isEqualTo(200);
    Response r = server.post(path + "/reply", lead, new JsonObject().put("outcome", "RESOLVED").put("answer", "经查属实，已责令整改")
        .put("finding", finding));
    assertThat(r.status()).as(r.body()).isEqualTo(200);
  }

  @Test
  void aComplaintRepliedSubstantiatedMovesTheEntityScore() {
    String code = entity("PATENT_AGENCY", "海淀区");
    JsonObject ticket = complaint(code, "某专利代理有限公司", "COMPLAINT");
    assertThat(credit(code).getInteger("score")).isEqualTo(100);
    reply(ticket, "SUBSTANTIATED");
    JsonObject after = credit(code);
    assertThat(after.getInteger("score")).isEqualTo(98);
    JsonObject e = after.getJsonArray("events").getJsonObject(0);
    assertThat(e.getString("kind")).isEqualTo("SUBSTANTIATED_COMPLAINT");
    assertThat(e.getString("source")).isEqualTo("ticket:" + ticket.getString("id"));
    assertThat(e.getInteger("points")).isEqualTo(-2);
    // a report found unsubstantiated changes nothing
    reply(complaint(code, "某专利代理有限公司", "REPORT"), "UNSUBSTANTIATED");
    assertThat(credit(code).getInteger("score")).isEqualTo(98);
    // capped: six more substantiated complaints take at most 10 in all
    for (int i = 0; i < 6; i++) {
      reply(complaint(code, "某专利代理有限公司", "COMPLAINT"), "SUBSTANTIATED");
    }
    JsonObject capped = credit(code);
    assertThat(capped.getInteger("score")).isEqualTo(90);
    assertThat(capped.getJsonArray("events")).hasSize(7);
  }

  @Test
  void anUnknownCodeBecomesAnUnverifiedEntityAndThreeUnverifiedComplaintsFlagIt() {
    String code = code();
    complaint(code, "无名代理公司", "COMPLAINT");
    JsonObject first = credit(code);
    assertThat(first.getString("status")).isEqualTo("UNVERIFIED");
    assertThat(first.getString("name")).isEqualTo("无名代理公司");
    assertThat(first.getJsonArray("flags")).isEmpty();
    JsonObject second = complaint(code, "无名代理公司", "REPORT");
    complaint(code, "无名代理公司", "COMPLAINT");
    assertThat(credit(code).getJsonArray("flags")).containsExactly("TARGETED_CHECK");
    assertThat(credit(code).getInteger("score")).isEqualTo(100);
    // one of the three marked unreasonable: two unverified complaints are no longer enough
    Response marked = server.post("/api/v1/tickets/" + second.getString("id") + "/unreasonable",
        server.token(Role.SUPERVISOR), new JsonObject().put("reason", "诉求超出法定职责范围"));
    assertThat(marked.status()).as(marked.body()).isEqualTo(200);
    assertThat(credit(code).getJsonArray("flags")).isEmpty();
  }

  // ------------------------------------------------------------------------------------------------ draws

  static void inspectorOf(String id, String district, String... conflicts) {
    Response r = server.put("/api/v1/inspectors/" + id, admin, new JsonObject().put("name", "检查员 " + id)
        .put("district", district).put("conflicts", new JsonArray(List.of(conflicts))));
    assertThat(r.status()).as(r.body()).isIn(200, 201);
  }

  @Test
  void aDrawCommitsRevealsOnceAndItsPublicRecordReverifies() throws Exception {
    String district = "延庆区";
    String conflicted = null;
    for (int i = 0; i < 12; i++) {
      String c = entity("PATENT_AGENCY", district);
      if (i == 0) {
        conflicted = c;
        event(c, new JsonObject().put("kind", "SERIOUS_PENALTY")); // grade C
      }
    }
    inspectorOf("insp-a", district, conflicted);
    inspectorOf("insp-b", district);
    inspectorOf("insp-c", district);
    inspectorOf("insp-elsewhere", "密云区");
    assertThat(server.put("/api/v1/inspectors/insp-x", admin, new JsonObject().put("name", "x").put("district", district)
        .put("conflicts", new JsonArray().add("not-a-code"))).status()).isEqualTo(422);

    Response created = server.post("/api/v1/draws", inspector, new JsonObject().put("district", district)
        .put("ratios", new JsonObject().put("A", 0.25).put("C", 1.0)).put("randomnessSource", "中国福利彩票双色球 2026137 期开奖号码"));
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    JsonObject draw = created.json();
    assertThat(draw.getString("commitment")).matches("[0-9a-f]{64}");
    assertThat(draw.getString("secret")).isNull();
    assertThat(draw.getJsonArray("candidates")).hasSize(12);
    assertThat(draw.getJsonArray("inspectors")).hasSize(3);
    String id = draw.getString("id");
    Response before = server.get("/api/v1/public/draws/" + id, null);
    assertThat(before.status()).as(before.body()).isEqualTo(200);
    assertThat(before.json().getString("secret")).isNull();
    assertThat(before.json().getString("randomnessSource")).isEqualTo("中国福利彩票双色球 2026137 期开奖号码");

    Response executed = server.post("/api/v1/draws/" + id + "/execute", inspector,
        new JsonObject().put("publicRandomness", "03 08 15 21 27 33 + 09"));
    assertThat(executed.status()).as(executed.body()).isEqualTo(200);
    assertThat(server.post("/api/v1/draws/" + id + "/execute", inspector,
        new JsonObject().put("publicRandomness", "something else")).status()).isEqualTo(409);

    JsonObject record = server.get("/api/v1/public/draws/" + id, null).json();
    assertThat(Draw.commitment(record.getString("secret"))).isEqualTo(draw.getString("commitment"));
    JsonArray selection = record.getJsonArray("selection");
    // ceil(0.25 × 11) = 3 A-grade entities, and the C-grade one at ratio 1
    assertThat(selection).hasSize(4);
    for (Object o : selection) {
      JsonObject s = (JsonObject) o;
      assertThat(s.getJsonArray("inspectors")).hasSize(2);
      if (s.getString("creditCode").equals(conflicted)) {
        assertThat(s.getJsonArray("inspectors").stream().map(String::valueOf).toList()).containsExactlyInAnyOrder("insp-b", "insp-c");
      }
    }
    assertThat(record.encode()).doesNotContain("检查员").doesNotContain("某代理机构");
    assertThat(DrawRecord.verify(record)).isEmpty();
    JsonObject tampered = record.copy().put("publicRandomness", "03 08 15 21 27 33 + 08");
    assertThat(DrawRecord.verify(tampered)).isNotEmpty();

    // the verifier command, as anyone would run it
    Cli.Result verified = Cli.run(Map.of(), "draw-verify", server.base() + "/api/v1/public/draws/" + id);
    assertThat(verified.exitCode()).as(verified.output()).isZero();
    assertThat(verified.output()).contains("verifies");

    // inspection results: by an assigned inspector only, once, and a penalty becomes a credit event
    JsonObject target = selection.getJsonObject(0);
    String code = target.getString("creditCode");
    String assigned = target.getJsonArray("inspectors").getString(0);
    String other = List.of("insp-a", "insp-b", "insp-c").stream()
        .filter(i -> !target.getJsonArray("inspectors").contains(i)).findFirst().orElseThrow();
    String path = "/api/v1/draws/" + id + "/inspections/" + code;
    JsonObject body = new JsonObject().put("outcome", "NON_COMPLIANT").put("penalty", "MINOR_PENALTY").put("note", "未公示收费标准");
    assertThat(server.post(path, tokenOf(other), body).status()).isEqualTo(403);
    assertThat(Sql.count(server.dbUrl(), "SELECT count(*) FROM audit_entry WHERE action = 'ACCESS_DENIED'"
        + " AND detail::jsonb->>'operation' = 'recordInspection'")).isEqualTo(1);
    Response inspected = server.post(path, tokenOf(assigned), body);
    assertThat(inspected.status()).as(inspected.body()).isEqualTo(201);
    assertThat(server.post(path, tokenOf(assigned), body).status()).isEqualTo(409);
    assertThat(credit(code).getJsonArray("events").stream().map(o -> ((JsonObject) o).getString("source")).toList())
        .contains("draw:" + id);
    assertThat(server.get("/api/v1/public/draws/" + id, null).json().getJsonArray("results")).hasSize(1);
    assertThat(server.post("/api/v1/draws/" + id + "/inspections/" + CreditCode.withCheck("91110108MA9999999"),
        tokenOf(assigned), body).status()).isEqualTo(404);
  }

  @Test
  void aDrawNeedsEnoughInspectorsWithoutConflict() {
    String district = "平谷区";
    String c = entity("ENTERPRISE", district);
    inspectorOf("insp-pg", district, c);
    inspectorOf("insp-pg2", district);
    Response r = server.post("/api/v1/draws", inspector, new JsonObject().put("district", district)
        .put("randomnessSource", "drand quicknet round 123456"));
    assertThat(r.status()).as(r.body()).isEqualTo(422);
    assertThat(r.json().getJsonArray("errors").getJsonObject(0).getString("field")).isEqualTo("/inspectorsPerEntity");
    assertThat(server.post("/api/v1/draws", inspector, new JsonObject().put("district", district)
        .put("ratios", new JsonObject().put("A", 0)).put("randomnessSource", "x")).status()).isEqualTo(400);
    assertThat(server.get("/api/v1/public/draws/" + java.util.UUID.randomUUID(), null).status()).isEqualTo(404);
  }

  static String tokenOf(String inspectorId) {
    return server.tokens().mint(inspectorId, List.of(Role.INSPECTOR), Optional.empty(), Duration.ofMinutes(10));
  }
}
