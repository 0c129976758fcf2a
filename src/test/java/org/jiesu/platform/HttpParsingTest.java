package org.jiesu.platform;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.jiesu.auth.Role;
import org.jiesu.support.TestServer;
import org.jiesu.support.TestServer.Response;
import org.jiesu.support.Tickets;
import org.jiesu.support.WithServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Requests are read one way only: each parameter decoded once, one strict JSON parse, media types matched
 * exactly, cursors checked by one codec, times bounded; validation work stays linear in the body.
 */
@WithServer(departments = "D-IP")
class HttpParsingTest {

  static TestServer server;
  static String ticket;
  static String hotline;
  static String staff;

  @BeforeAll
  static void start() {
    hotline = server.token(Role.HOTLINE);
    staff = server.staff("D-IP");
    ticket = server.post("/api/v1/tickets", hotline, Tickets.dispatched("PARSE-0", "D-IP")).json().getString("id");
  }

  private static Response note(String contentType, String body) {
    return server.postRaw("/api/v1/tickets/" + ticket + "/notes", staff, contentType, body);
  }

  private static List<String> fields(Response r) {
    return r.json().getJsonArray("errors", new JsonArray()).stream()
        .map(e -> ((JsonObject) e).getString("field")).toList();
  }

  @Test
  void aBodyWithThirtyThousandUnknownFieldsGetsAShortProblem() {
    StringBuilder body = new StringBuilder("{\"text\":\"x\"");
    for (int i = 0; i < 30_000; i++) {
      body.append(",\"k").append(i).append("\":").append(i);
    }
    Response r = note("application/json", body.append('}').toString());
    assertThat(r.status()).isEqualTo(400);
    JsonObject problem = r.json();
    assertThat(problem.getJsonArray("errors")).hasSizeLessThanOrEqualTo(50);
    assertThat(problem.getJsonArray("errors").getJsonObject(0).getString("message")).isEqualTo("unknown field");
    assertThat(problem.getInteger("errorsOmitted")).isEqualTo(30_000 - problem.getJsonArray("errors").size());
    assertThat(r.body().length()).isLessThan(8_000);
  }

  @Test
  void nestedUnknownFieldsAndOverlongArraysAreCountedNotListed() {
    StringBuilder caller = new StringBuilder("{\"name\":\"张三\"");
    for (int i = 0; i < 30_000; i++) {
      caller.append(",\"k").append(i).append("\":").append(i);
    }
    String intake = Tickets.intake("PARSE-NESTED").put("caller", "CALLER").encode()
        .replace("\"CALLER\"", caller.append('}'));
    Response nested = server.postRaw("/api/v1/tickets", hotline, "application/json", intake);
    assertThat(nested.status()).isEqualTo(400);
    assertThat(fields(nested)).hasSize(50).allSatisfy(f -> assertThat(f).startsWith("/caller/k"));
    assertThat(nested.json().getInteger("errorsOmitted")).isEqualTo(30_000 - 50);

    JsonArray tags = new JsonArray();
    for (int i = 0; i < 100_000; i++) {
      tags.add(i);
    }
    Response article = server.post("/api/v1/knowledge", server.token(Role.ADMIN),
        new JsonObject().put("title", "标题").put("body", "正文").put("tags", tags));
    assertThat(article.status()).isEqualTo(400);
    assertThat(fields(article)).containsExactly("/tags");
    assertThat(article.body().length()).isLessThan(2_000);
  }

  @Test
  void badPercentEncodingIsAClientMistake() throws Exception {
    // java.net.http refuses to send such a URI: write the request by hand
    for (String list : List.of("/api/v1/tickets", "/api/v1/departments", "/api/v1/routing-rules",
        "/api/v1/ticket-requests", "/api/v1/knowledge", "/health/live")) {
      for (String query : List.of("x=%", "category=%E4%B8", "q=%zz", "limit=%")) {
        String answer = raw("GET " + list + "?" + query + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
            + server.token(Role.SUPERVISOR) + "\r\nConnection: close\r\n\r\n");
        assertThat(answer).as(list + "?" + query).startsWith("HTTP/1.1 400");
        assertThat(answer).containsIgnoringCase("content-type: application/problem+json");
      }
    }
  }

  /** Sends a request as written and reads the whole answer (the request asks the server to close). */
  private static String raw(String request) throws Exception {
    int port = Integer.parseInt(server.base().substring(server.base().lastIndexOf(':') + 1));
    try (Socket socket = new Socket("localhost", port)) {
      socket.setSoTimeout(30_000);
      socket.getOutputStream().write(request.getBytes(StandardCharsets.UTF_8));
      socket.getOutputStream().flush();
      return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void parametersAreDecodedOnce() {
    Response dept = server.put("/api/v1/departments/1.5", server.token(Role.ADMIN),
        new JsonObject().put("name", "一点五").put("group", "district"));
    assertThat(dept.status()).as(dept.toString()).isEqualTo(201);
    assertThat(dept.json().getString("code")).isEqualTo("1.5");
    Response category = server.get("/api/v1/tickets?category=12.30", hotline);
    assertThat(category.status()).as(category.toString()).isEqualTo(200);
    for (String q : List.of("100%25", "%5C", "true", "null", "%22", "7", "a+b")) {
      Response r = server.get("/api/v1/knowledge?q=" + q, hotline);
      assertThat(r.status()).as(q + " " + r).isEqualTo(200);
    }
    Response tooLong = server.get("/api/v1/knowledge?q=" + "%25".repeat(101), hotline);
    assertThat(tooLong.status()).isEqualTo(400);
    assertThat(fields(tooLong)).containsExactly("q");
    Response limit = server.get("/api/v1/departments?limit=1.5", hotline);
    assertThat(limit.status()).isEqualTo(400);
    assertThat(fields(limit)).containsExactly("limit");
  }

  @Test
  void everyListChecksItsCursor() {
    String forged = Base64.getUrlEncoder().withoutPadding()
        .encodeToString("+1000000000-01-01T00:00:00Z|5".getBytes(StandardCharsets.UTF_8));
    for (String list : List.of("/api/v1/tickets", "/api/v1/departments", "/api/v1/routing-rules",
        "/api/v1/ticket-requests", "/api/v1/tickets/" + ticket + "/events")) {
      for (String cursor : List.of(forged, "garbage!", "Zm9v", "")) {
        Response r = server.get(list + "?cursor=" + cursor, server.token(Role.SUPERVISOR));
        if (cursor.isEmpty()) {
          assertThat(r.status()).as(list).isEqualTo(200);
          continue;
        }
        assertThat(r.status()).as(list + " " + cursor + " " + r).isEqualTo(400);
        assertThat(fields(r)).containsExactly("cursor");
      }
    }
    server.department("D-A", "district");
    server.department("D-B", "district");
    Response departments = server.get("/api/v1/departments?limit=1", hotline);
    String next = departments.json().getString("next");
    assertThat(next).contains("cursor=");
    String cursor = next.substring(next.indexOf("cursor=") + 7);
    assertThat(server.get(next, hotline).status()).isEqualTo(200);
    Response wrongList = server.get("/api/v1/tickets?cursor=" + cursor, hotline);
    assertThat(wrongList.status()).isEqualTo(400);
    assertThat(fields(wrongList)).containsExactly("cursor");
  }

  @Test
  void timesOutsideASaneRangeAreRefusedNamingTheField() {
    Response order = server.post("/api/v1/tickets/" + ticket + "/supervision-orders", server.token(Role.SUPERVISOR),
        new JsonObject().put("instruction", "尽快处理").put("respondBy", "+300000-01-01T00:00:00Z"));
    assertThat(order.status()).isEqualTo(400);
    assertThat(fields(order)).containsExactly("/respondBy");
    Response far = server.post("/api/v1/tickets/" + ticket + "/supervision-orders", server.token(Role.SUPERVISOR),
        new JsonObject().put("instruction", "尽快处理").put("respondBy", "2200-01-01T00:00:00Z"));
    assertThat(far.status()).isEqualTo(400);
    assertThat(fields(far)).containsExactly("/respondBy");
    Response list = server.get("/api/v1/tickets?receivedFrom=%2B300000-01-01T00:00:00Z", hotline);
    assertThat(list.status()).isEqualTo(400);
    assertThat(fields(list)).containsExactly("receivedFrom");
    Response early = server.get("/api/v1/tickets?receivedTo=1999-12-31T23:59:59Z", hotline);
    assertThat(early.status()).isEqualTo(400);
    assertThat(fields(early)).containsExactly("receivedTo");
    Response fine = server.get("/api/v1/tickets?receivedFrom=2026-01-01T00:00:00%2B08:00", hotline);
    assertThat(fine.status()).isEqualTo(200);
    Response contact = server.post("/api/v1/tickets/" + ticket + "/contacts", staff,
        new JsonObject().put("at", "9999-01-01T00:00:00Z").put("method", "PHONE"));
    assertThat(contact.status()).isEqualTo(400);
    assertThat(fields(contact)).containsExactly("/at");
  }

  @Test
  void oneStrictJsonParse() {
    Response surrogate = note("application/json", "{\"text\": \"a\\ud800b\"}");
    assertThat(surrogate.status()).isEqualTo(400);
    assertThat(fields(surrogate)).containsExactly("/text");
    Response duplicate = note("application/json", "{\"text\": \"a\", \"text\": \"b\"}");
    assertThat(duplicate.status()).isEqualTo(400);
    assertThat(duplicate.json().getString("type")).isEqualTo("urn:jiesu:problem:malformed-json");
    Response comment = note("application/json", "{\"text\": /* hidden */ \"a\"}");
    assertThat(comment.status()).isEqualTo(400);
    assertThat(comment.json().getString("type")).isEqualTo("urn:jiesu:problem:malformed-json");
    Response lineComment = note("application/json", "// x\n{\"text\": \"a\"}");
    assertThat(lineComment.status()).isEqualTo(400);
    Response pair = note("application/json", "{\"text\": \"\\ud83d\\ude00 ok\"}");
    assertThat(pair.status()).as(pair.toString()).isEqualTo(200);
  }

  @Test
  void mediaTypesMatchExactlyIgnoringCase() {
    assertThat(note("application/JSON", "{\"text\": \"a\"}").status()).isEqualTo(200);
    assertThat(note("Application/Json; charset=utf-8", "{\"text\": \"a\"}").status()).isEqualTo(200);
    assertThat(note("application/json;charset=UTF-8", "{\"text\": \"a\"}").status()).isEqualTo(200);
    Response jsonx = note("application/jsonx", "{\"text\": \"a\"}");
    assertThat(jsonx.status()).isEqualTo(415);
    assertThat(note("text/plain", "{\"text\": \"a\"}").status()).isEqualTo(415);
    assertThat(note("application/json-patch+json", "{\"text\": \"a\"}").status()).isEqualTo(415);
  }

  @Test
  void anEmptyBodyIsNamedAsTheBody() {
    Response empty = note("application/json", "");
    assertThat(empty.status()).isEqualTo(400);
    assertThat(fields(empty)).containsExactly("body");
    Response array = note("application/json", "[]");
    assertThat(array.status()).isEqualTo(400);
    assertThat(fields(array)).containsExactly("body");
  }

  @Test
  void headIsServedForEveryGet() {
    for (String path : List.of("/health/live", "/health/ready", "/openapi.yaml", "/metrics", "/api/v1/departments",
        "/api/v1/tickets/" + ticket)) {
      Response get = server.get(path, hotline);
      Response head = server.send(server.request(path, hotline).method("HEAD", HttpRequest.BodyPublishers.noBody()));
      assertThat(head.status()).as(path).isEqualTo(get.status());
      assertThat(head.body()).isEmpty();
      assertThat(head.header("Content-Type")).as(path).isEqualTo(get.header("Content-Type"));
    }
  }

  @Test
  void headOverHttp2DoesNotBreakTheStream() throws Exception {
    HttpClient h2 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
    for (String path : List.of("/health/live", "/api/v1/departments", "/api/v1/tickets/" + ticket + "/notes")) {
      HttpResponse<String> r = h2.send(server.request(path, hotline)
          .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).as(path).isIn(200, 405);
      assertThat(r.body()).isEmpty();
      // the server declines the h2c upgrade (see HttpServerVerticle) and answers in HTTP/1.1
      assertThat(r.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
    }
    HttpResponse<String> after = h2.send(server.request("/health/live", null).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(after.statusCode()).isEqualTo(200);
  }

  @Test
  void everyMethodNotAllowedSaysWhatIsAllowed() {
    Response put = server.put("/api/v1/tickets", hotline, new JsonObject());
    assertThat(put.status()).isEqualTo(405);
    assertThat(put.header("Allow")).hasValue("GET, HEAD, POST");
    Response delete = server.send(server.request("/health/live", null).DELETE());
    assertThat(delete.status()).isEqualTo(405);
    assertThat(delete.header("Allow")).hasValue("GET, HEAD");
    Response getNotes = server.get("/api/v1/tickets/" + ticket + "/notes", staff);
    assertThat(getNotes.status()).isEqualTo(405);
    assertThat(getNotes.header("Allow")).hasValue("POST");
  }

  @Test
  void personalDataIsNotCached() {
    assertThat(server.get("/api/v1/tickets/" + ticket, hotline).header("Cache-Control")).hasValue("no-store");
    assertThat(server.get("/api/v1/tickets", hotline).header("Cache-Control")).hasValue("no-store");
    assertThat(note("application/json", "{\"text\": \"a\"}").header("Cache-Control")).hasValue("no-store");
    assertThat(server.get("/api/v1/tickets/00000000-0000-0000-0000-000000000000", hotline).header("Cache-Control"))
        .hasValue("no-store");
  }
}
