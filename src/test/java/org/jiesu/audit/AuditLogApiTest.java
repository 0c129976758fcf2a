package org.jiesu.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.jiesu.auth.Role;
import org.jiesu.support.Cli;
import org.jiesu.support.TestServer;
import org.jiesu.support.TestServer.Response;
import org.jiesu.support.Tickets;
import org.jiesu.support.WithServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Administrative changes are audited with before and after; auditors read the chain over HTTP. */
@WithServer
class AuditLogApiTest {

  static TestServer server;
  static String auditor;
  static String admin;

  @BeforeAll
  static void start() {
    auditor = server.token(Role.AUDITOR);
    admin = server.tokens().mint("admin-7", List.of(Role.ADMIN), java.util.Optional.empty(), java.time.Duration.ofMinutes(10));
  }

  /** Every chained row, following next links, with the given query. */
  static List<JsonObject> all(String query) {
    List<JsonObject> out = new ArrayList<>();
    String path = "/api/v1/audit-log?" + query;
    while (path != null) {
      Response r = server.get(path, auditor);
      assertThat(r.status()).as(r.body()).isEqualTo(200);
      r.json().getJsonArray("items").forEach(o -> out.add((JsonObject) o));
      path = r.json().getString("next");
    }
    return out;
  }

  static JsonObject detail(JsonObject row) {
    return new JsonObject(row.getString("detail"));
  }

  static String q(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  @Test
  void departmentPutsAreAuditedWithBeforeAndAfter() {
    assertThat(server.put("/api/v1/departments/D-AUD", admin, new JsonObject().put("name", "旧名").put("group", "district"))
        .status()).isEqualTo(201);
    assertThat(server.put("/api/v1/departments/D-AUD", admin, new JsonObject().put("name", "新名").put("group", "district"))
        .status()).isEqualTo(200);
    server.chainAudit();

    List<JsonObject> rows = all("actor=admin-7&action=DEPARTMENT_CREATE");
    assertThat(rows).hasSize(1);
    assertThat(rows.get(0).getJsonObject("actor").getString("role")).isEqualTo("ADMIN");
    assertThat(detail(rows.get(0)).containsKey("before")).isFalse();
    assertThat(detail(rows.get(0)).getJsonObject("after").getString("name")).isEqualTo("旧名");
    JsonObject update = all("action=DEPARTMENT_UPDATE").stream()
        .filter(r -> detail(r).getString("department").equals("D-AUD")).findFirst().orElseThrow();
    assertThat(detail(update).getJsonObject("before").getString("name")).isEqualTo("旧名");
    assertThat(detail(update).getJsonObject("after").getString("name")).isEqualTo("新名");
    assertThat(update.getString("actor") == null ? null : update.getJsonObject("actor").getString("sub")).isEqualTo("admin-7");
  }

  @Test
  void routingRuleChangesAreAuditedWithBeforeAndAfter() {
    server.department("D-RR", "municipal");
    server.department("D-RR2", "municipal");
    JsonObject body = new JsonObject().put("priority", 5)
        .put("match", new JsonObject().put("keywords", new JsonArray().add("噪音"))).put("leadDepartment", "D-RR");
    Response created = server.post("/api/v1/routing-rules", admin, body);
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    String id = created.json().getString("id");
    assertThat(server.put("/api/v1/routing-rules/" + id, admin, body.copy().put("leadDepartment", "D-RR2")).status())
        .isEqualTo(200);
    assertThat(server.send(server.request("/api/v1/routing-rules/" + id, admin).DELETE()).status()).isEqualTo(204);
    server.chainAudit();

    List<JsonObject> rows = all("actor=admin-7").stream()
        .filter(r -> r.getString("action").startsWith("ROUTING_RULE_") && id.equals(detail(r).getString("rule"))).toList();
    assertThat(rows).extracting(r -> r.getString("action"))
        .containsExactly("ROUTING_RULE_CREATE", "ROUTING_RULE_UPDATE", "ROUTING_RULE_DELETE");
    assertThat(detail(rows.get(0)).getJsonObject("after").getString("leadDepartment")).isEqualTo("D-RR");
    assertThat(detail(rows.get(1)).getJsonObject("before").getString("leadDepartment")).isEqualTo("D-RR");
    assertThat(detail(rows.get(1)).getJsonObject("after").getString("leadDepartment")).isEqualTo("D-RR2");
    assertThat(detail(rows.get(2)).getJsonObject("before").getString("leadDepartment")).isEqualTo("D-RR2");
    assertThat(detail(rows.get(2)).containsKey("after")).isFalse();
  }

  @Test
  void knowledgeWritesAreAuditedWithBeforeAndAfter() {
    Response created = server.post("/api/v1/knowledge", admin,
        new JsonObject().put("title", "停水通知").put("body", "管网维修。").put("tags", new JsonArray().add("供水")));
    String id = created.json().getString("id");
    server.put("/api/v1/knowledge/" + id, admin, new JsonObject().put("title", "停水通知（更新）").put("body", "维修延期。"));
    server.send(server.request("/api/v1/knowledge/" + id, admin).DELETE());
    server.chainAudit();

    List<JsonObject> rows = all("actor=admin-7").stream()
        .filter(r -> r.getString("action").startsWith("KNOWLEDGE_ARTICLE_") && id.equals(detail(r).getString("article")))
        .toList();
    assertThat(rows).extracting(r -> r.getString("action"))
        .containsExactly("KNOWLEDGE_ARTICLE_CREATE", "KNOWLEDGE_ARTICLE_UPDATE", "KNOWLEDGE_ARTICLE_DELETE");
    assertThat(detail(rows.get(1)).getJsonObject("before").getString("body")).isEqualTo("管网维修。");
    assertThat(detail(rows.get(1)).getJsonObject("after").getString("title")).isEqualTo("停水通知（更新）");
    assertThat(detail(rows.get(2)).getJsonObject("before").getInteger("version")).isEqualTo(2);
  }

  @Test
  void aRefusedChangeLeavesNoAuditEntry() {
    // the audit entry commits with the change or not at all
    Response unknownLead = server.post("/api/v1/routing-rules", admin, new JsonObject().put("priority", 1)
        .put("match", new JsonObject().put("keywords", new JsonArray().add("x"))).put("leadDepartment", "D-NONE"));
    assertThat(unknownLead.status()).isEqualTo(422);
    server.chainAudit();
    assertThat(all("action=ROUTING_RULE_CREATE").stream().map(AuditLogApiTest::detail)
        .filter(d -> "D-NONE".equals(d.getJsonObject("after").getString("leadDepartment")))).isEmpty();
  }

  @Test
  void theLogIsFilteredAndPagedInChainOrder() {
    server.department("D-PG", "municipal");
    String hotline = server.token(Role.HOTLINE);
    String ticket = server.post("/api/v1/tickets", hotline, Tickets.dispatched("AL-1", "D-PG")).json().getString("id");
    for (int i = 0; i < 3; i++) {
      server.get("/api/v1/tickets/" + ticket, hotline);
    }
    server.chainAudit();

    List<JsonObject> forTicket = all("limit=2&ticket=" + ticket);
    assertThat(forTicket).extracting(r -> r.getString("action"))
        .containsExactly("TICKET_INTAKE", "PERSONAL_DATA_READ", "PERSONAL_DATA_READ", "PERSONAL_DATA_READ");
    assertThat(forTicket).allSatisfy(r -> assertThat(r.getString("ticketId")).isEqualTo(ticket));
    List<Long> seqs = forTicket.stream().map(r -> r.getLong("seq")).toList();
    assertThat(seqs).isSorted().doesNotHaveDuplicates();
    assertThat(forTicket).allSatisfy(r -> {
      assertThat(r.getInteger("hashVersion")).isEqualTo(2);
      assertThat(r.getLong("entryId")).isNotNull();
    });

    Response page = server.get("/api/v1/audit-log?limit=1&ticket=" + ticket, auditor);
    assertThat(page.json().getString("next")).contains("ticket=" + ticket).contains("cursor=");
    String at = forTicket.get(1).getString("at");
    assertThat(all("ticket=" + ticket + "&from=" + q(at))).hasSize(3);
    assertThat(all("ticket=" + ticket + "&to=" + q(at))).hasSize(1);
    assertThat(all("ticket=" + ticket + "&action=PERSONAL_DATA_READ")).hasSize(3);
    assertThat(all("actor=nobody-at-all")).isEmpty();
  }

  @Test
  void theHeadIsWhatAuditVerifyPrints() throws Exception {
    server.chainAudit();
    Response head = server.get("/api/v1/audit-log/head", auditor);
    assertThat(head.status()).isEqualTo(200);
    Cli.Result verified = Cli.run(java.util.Map.of("JIESU_DB_URL", server.dbUrl()), "audit-verify");
    assertThat(verified.exitCode()).as(verified.output()).isZero();
    String printed = verified.output().lines().filter(l -> l.startsWith("head: ")).findFirst().orElseThrow()
        .substring("head: ".length()).split(" ")[0];
    // the verifier ran after the head was read: it may have seen more rows, never fewer
    long seq = head.json().getLong("seq");
    assertThat(Long.parseLong(printed.split(":")[0])).isGreaterThanOrEqualTo(seq);
    assertThat(head.json().getString("head")).isEqualTo(seq + ":" + head.json().getString("hash"));
    Cli.Result anchored = Cli.run(java.util.Map.of("JIESU_DB_URL", server.dbUrl()), "audit-verify", "--anchor",
        head.json().getString("head"));
    assertThat(anchored.exitCode()).as(anchored.output()).isZero();
  }

  @Test
  void onlyAuditorsReadTheLogAndBadFiltersAre400() {
    assertThat(server.get("/api/v1/audit-log", server.token(Role.ADMIN)).status()).isEqualTo(403);
    assertThat(server.get("/api/v1/audit-log/head", server.token(Role.SUPERVISOR)).status()).isEqualTo(403);
    assertThat(server.get("/api/v1/audit-log?limit=201", auditor).status()).isEqualTo(400);
    assertThat(server.get("/api/v1/audit-log?ticket=not-a-uuid", auditor).status()).isEqualTo(400);
    assertThat(server.get("/api/v1/audit-log?from=yesterday", auditor).status()).isEqualTo(400);
    assertThat(server.get("/api/v1/audit-log?from=" + q("3000-01-01T00:00:00Z"), auditor).status()).isEqualTo(400);
    assertThat(server.get("/api/v1/audit-log?cursor=" + q("bm90LWEtbnVtYmVy"), auditor).status()).isEqualTo(400);
    assertThat(server.get("/api/v1/audit-log?action=lower", auditor).status()).isEqualTo(400);
  }
}
