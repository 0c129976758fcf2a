package org.jiesu.knowledge;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.jiesu.auth.Role;
import org.jiesu.support.TestServer;
import org.jiesu.support.TestServer.Response;
import org.jiesu.support.WithServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

@WithServer
class KnowledgeTest {

  static TestServer server;
  static String admin;

  @BeforeAll
  static void start() {
    admin = server.token(Role.ADMIN);
    article("如何办理营业执照", "携带身份证到区政务服务中心市场监管窗口办理。", "营业执照", "市场监管");
    article("住房公积金提取", "购房、租房可提取住房公积金，需提供合同。", "公积金");
    article("噪音扰民投诉渠道", "夜间施工噪音可拨打12345，也可向城管执法部门反映。营业时间外施工需许可。", "噪音", "城管");
  }

  static JsonObject article(String title, String body, String... tags) {
    Response r = server.post("/api/v1/knowledge", admin,
        new JsonObject().put("title", title).put("body", body).put("tags", new JsonArray(List.of(tags))));
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    return r.json();
  }

  static List<String> titles(String q) {
    Response r = server.get("/api/v1/knowledge?q=" + URLEncoder.encode(q, StandardCharsets.UTF_8), server.token(Role.HOTLINE));
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return r.json().getJsonArray("items").stream().map(o -> ((JsonObject) o).getString("title")).toList();
  }

  @Test
  void chineseQueriesFindArticlesWhateverTheWordOrder() {
    assertThat(titles("营业执照怎么办理")).first().isEqualTo("如何办理营业执照");
    assertThat(titles("公积金")).containsExactly("住房公积金提取");
    assertThat(titles("施工噪音")).first().isEqualTo("噪音扰民投诉渠道");
  }

  @Test
  void aTitleMatchOutranksABodyMatch() {
    // "营业" is in the first title and only in the third body
    assertThat(titles("营业")).containsExactly("如何办理营业执照", "噪音扰民投诉渠道");
  }

  @Test
  void noMatchIsAnEmptyList() {
    assertThat(titles("火星移民")).isEmpty();
  }

  @Test
  void supervisorsMaintainArticlesOthersMayNot() {
    String supervisor = server.token(Role.SUPERVISOR);
    JsonObject created = server.post("/api/v1/knowledge", supervisor,
        new JsonObject().put("title", "临时停水通知").put("body", "因管网维修临时停水。")).json();
    String path = "/api/v1/knowledge/" + created.getString("id");

    Response updated = server.send(server.request(path, supervisor).header("Content-Type", "application/json")
        .PUT(java.net.http.HttpRequest.BodyPublishers.ofString(
            new JsonObject().put("title", "临时停水通知（更新）").put("body", "维修延期。").encode())));
    assertThat(updated.status()).isEqualTo(200);
    assertThat(updated.json().getInteger("version")).isEqualTo(2);
    assertThat(titles("停水")).containsExactly("临时停水通知（更新）");

    assertThat(server.post("/api/v1/knowledge", server.staff("D-IP"),
        new JsonObject().put("title", "x").put("body", "y")).status()).isEqualTo(403);
    assertThat(server.send(server.request(path, server.token(Role.HOTLINE)).DELETE()).status()).isEqualTo(403);

    assertThat(server.send(server.request(path, supervisor).DELETE()).status()).isEqualTo(204);
    assertThat(server.get(path, supervisor).status()).isEqualTo(404);
    assertThat(titles("停水")).isEmpty();
    assertThat(server.send(server.request(path, supervisor).DELETE()).status()).isEqualTo(404);
  }

  @Test
  void articlesAreValidated() {
    Response r = server.post("/api/v1/knowledge", admin, new JsonObject().put("title", "").put("body", "b").put("extra", 1));
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.json().getJsonArray("errors").stream().map(o -> ((JsonObject) o).getString("field")))
        .contains("/title", "/extra");
  }
}
