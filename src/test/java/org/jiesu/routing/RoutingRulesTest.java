package org.jiesu.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.util.List;
import org.jiesu.auth.Role;
import org.jiesu.support.TestServer;
import org.jiesu.support.TestServer.Response;
import org.jiesu.support.Tickets;
import org.jiesu.support.WithServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Routing rules maintained over HTTP and applied at intake. */
@WithServer(departments = {"D-MKT", "D-IP", "D-HAIDIAN", "D-CATCH"})
class RoutingRulesTest {

  static TestServer server;
  static String admin;
  static String hotline;

  @BeforeAll
  static void start() {
    admin = server.token(Role.ADMIN);
    hotline = server.token(Role.HOTLINE);
  }

  static JsonObject rule(int priority, JsonObject match, String lead, String... assisting) {
    Response r = server.post("/api/v1/routing-rules", admin, new JsonObject().put("priority", priority).put("match", match)
        .put("leadDepartment", lead).put("assistingDepartments", new JsonArray(List.of(assisting))));
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    return r.json();
  }

  static JsonObject intake(String externalId, String category, String district, String title) {
    JsonObject body = Tickets.intake(externalId).put("category", category).put("title", title).put("content", "详见标题");
    body.getJsonObject("location").put("district", district);
    Response r = server.post("/api/v1/tickets", hotline, body);
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    return r.json();
  }

  @Test
  void rulesRouteByCategoryPrefixDistrictAndChineseKeywordsHighestPriorityFirst() {
    rule(1, new JsonObject(), "D-CATCH");
    rule(10, new JsonObject().put("category", "market"), "D-MKT");
    rule(20, new JsonObject().put("category", "market").put("districts", new JsonArray().add("海淀区")), "D-HAIDIAN", "D-MKT");
    rule(30, new JsonObject().put("keywords", new JsonArray().add("专利代理")), "D-IP", "D-MKT");

    assertThat(intake("R-1", "market.agency", "朝阳区", "价格欺诈").getString("leadDepartment")).isEqualTo("D-MKT");
    JsonObject haidian = intake("R-2", "market.agency", "海淀区", "价格欺诈");
    assertThat(haidian.getString("leadDepartment")).isEqualTo("D-HAIDIAN");
    assertThat(haidian.getJsonArray("assistingDepartments")).containsExactly("D-MKT");
    assertThat(intake("R-3", "market.agency", "海淀区", "某专利代理机构违规").getString("leadDepartment")).isEqualTo("D-IP");
    assertThat(intake("R-4", "marketing", "朝阳区", "广告").getString("leadDepartment")).isEqualTo("D-CATCH");
    // the hotline's own choice wins over every rule
    JsonObject named = Tickets.intake("R-5").put("title", "专利代理").put("leadDepartment", "D-MKT");
    assertThat(server.post("/api/v1/tickets", hotline, named).json().getString("leadDepartment")).isEqualTo("D-MKT");
  }

  @Test
  void rulesAreListedUpdatedAndDeleted() {
    JsonObject r = rule(500, new JsonObject().put("types", new JsonArray().add("REPORT")), "D-IP");
    rule(-5, new JsonObject().put("streets", new JsonArray().add("中关村街道")), "D-HAIDIAN");
    String path = "/api/v1/routing-rules/" + r.getString("id");
    Response updated = server.send(server.request(path, admin).header("Content-Type", "application/json")
        .PUT(HttpRequest.BodyPublishers.ofString(new JsonObject().put("priority", 501)
            .put("match", new JsonObject().put("types", new JsonArray().add("REPORT"))).put("leadDepartment", "D-MKT").encode())));
    assertThat(updated.status()).as(updated.body()).isEqualTo(200);
    assertThat(updated.json().getString("leadDepartment")).isEqualTo("D-MKT");

    Response first = server.get("/api/v1/routing-rules?limit=1", admin);
    assertThat(first.json().getJsonArray("items").getJsonObject(0).getInteger("priority")).as(first.body()).isEqualTo(501);
    assertThat(first.json().getString("next")).isNotNull();

    assertThat(server.send(server.request(path, admin).DELETE()).status()).isEqualTo(204);
    assertThat(server.send(server.request(path, admin).DELETE()).status()).isEqualTo(404);
  }

  @Test
  void badRulesAreRefused() {
    Response blank = server.post("/api/v1/routing-rules", admin, new JsonObject().put("priority", 1)
        .put("match", new JsonObject().put("keywords", new JsonArray().add("  "))).put("leadDepartment", "D-IP"));
    assertThat(blank.status()).isEqualTo(400);
    Response unknown = server.post("/api/v1/routing-rules", admin, new JsonObject().put("priority", 1)
        .put("match", new JsonObject()).put("leadDepartment", "D-NOPE"));
    assertThat(unknown.status()).isEqualTo(422);
    Response extra = server.post("/api/v1/routing-rules", admin, new JsonObject().put("priority", 1)
        .put("match", new JsonObject().put("colour", "red")).put("leadDepartment", "D-IP"));
    assertThat(extra.status()).isEqualTo(400);
    assertThat(server.post("/api/v1/routing-rules", hotline, new JsonObject().put("priority", 1)
        .put("match", new JsonObject()).put("leadDepartment", "D-IP")).status()).isEqualTo(403);
  }
}
