package org.jiesu.ticket;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.jiesu.auth.Role;
import org.jiesu.support.Sql;
import org.jiesu.support.TestServer;
import org.jiesu.support.WithServer;
import org.jiesu.support.TestServer.Response;
import org.jiesu.support.Tickets;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

@WithServer(departments = {"D-IP", "D-MKT"})
class IntakeTest {

  static TestServer server;
  static String hotline;

  @BeforeAll
  static void start() {
    hotline = server.token(Role.HOTLINE);
  }

  @Test
  void intakeWithLeadDepartmentIsDispatchedAndCommitted() {
    Response r = server.post("/api/v1/tickets", hotline, Tickets.dispatched("I-1", "D-IP", "D-MKT"));

    assertThat(r.status()).isEqualTo(201);
    JsonObject t = r.json();
    assertThat(t.getString("status")).isEqualTo("DISPATCHED");
    assertThat(t.getString("channel")).isEqualTo("HOTLINE");
    assertThat(t.getString("leadDepartment")).isEqualTo("D-IP");
    assertThat(t.getJsonArray("assistingDepartments")).containsExactly("D-MKT");
    assertThat(t.getString("receivedAt")).isEqualTo("2026-11-20T01:30:00Z");
    assertThat(t.getInteger("round")).isEqualTo(1);
    assertThat(r.header("Location")).contains("/api/v1/tickets/" + t.getString("id"));
    assertThat(r.header("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
    assertThat(Sql.count(server.dbUrl(), "SELECT count(*) FROM ticket WHERE external_id = 'I-1'")).isEqualTo(1);
    assertThat(Sql.count(server.dbUrl(), "SELECT count(*) FROM audit_entry WHERE action = 'TICKET_INTAKE'")).isGreaterThanOrEqualTo(1);

    Response events = server.get("/api/v1/tickets/" + t.getString("id") + "/events", hotline);
    assertThat(events.status()).isEqualTo(200);
    JsonArray items = events.json().getJsonArray("items");
    assertThat(items).hasSize(2);
    assertThat(items.getJsonObject(0).getString("type")).isEqualTo("RECEIVED");
    assertThat(items.getJsonObject(1).getString("type")).isEqualTo("DISPATCHED");
    assertThat(items.getJsonObject(1).getJsonObject("actor").getString("role")).isEqualTo("HOTLINE");
    assertThat(items.getJsonObject(1).getJsonObject("details").getString("leadDepartment")).isEqualTo("D-IP");
  }

  @Test
  void intakeWithoutDepartmentWaitsInReceived() {
    Response r = server.post("/api/v1/tickets", hotline, Tickets.intake("I-2"));
    assertThat(r.status()).isEqualTo(201);
    assertThat(r.json().getString("status")).isEqualTo("RECEIVED");
    assertThat(r.json().getValue("leadDepartment")).isNull();
  }

  @Test
  void sameExternalIdAndPayloadAnswers200WithTheSameTicket() {
    JsonObject body = Tickets.dispatched("I-3", "D-IP");
    Response first = server.post("/api/v1/tickets", hotline, body);
    // the same instant written in another offset is the same payload
    Response again = server.post("/api/v1/tickets", hotline, body.copy().put("receivedAt", "2026-11-20T01:30:00Z"));

    assertThat(first.status()).isEqualTo(201);
    assertThat(again.status()).isEqualTo(200);
    assertThat(again.json().getString("id")).isEqualTo(first.json().getString("id"));
    assertThat(Sql.count(server.dbUrl(), "SELECT count(*) FROM ticket WHERE external_id = 'I-3'")).isEqualTo(1);
  }

  @Test
  void theOrderOfAssistingDepartmentsIsNotADifferentPayloadAndRepeatsAreAudited() {
    JsonObject first = Tickets.dispatched("I-ORDER", "D-IP").put("assistingDepartments", new JsonArray().add("D-MKT").add("D-X"));
    server.department("D-X", "district");
    assertThat(server.post("/api/v1/tickets", hotline, first).status()).isEqualTo(201);
    Response again = server.post("/api/v1/tickets", hotline,
        first.copy().put("assistingDepartments", new JsonArray().add("D-X").add("D-MKT")));
    assertThat(again.status()).isEqualTo(200);
    assertThat(Sql.count(server.dbUrl(), "SELECT count(*) FROM audit_entry WHERE action = 'TICKET_INTAKE_REPEAT'"
        + " AND ticket_id = '" + again.json().getString("id") + "'")).isEqualTo(1);
  }

  @Test
  void sameExternalIdWithAnotherPayloadIsAConflict() {
    server.post("/api/v1/tickets", hotline, Tickets.intake("I-4"));
    Response r = server.post("/api/v1/tickets", hotline, Tickets.intake("I-4").put("title", "另一件事"));

    assertThat(r.status()).isEqualTo(409);
    assertThat(r.header("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/problem+json"));
    assertThat(r.json().getString("detail")).contains("I-4");
  }

  @Test
  void unknownDepartmentIs422AndNothingIsWritten() {
    long auditBefore = Sql.count(server.dbUrl(), "SELECT count(*) FROM audit_entry");
    Response r = server.post("/api/v1/tickets", hotline, Tickets.dispatched("I-5", "D-IP", "D-NOPE"));

    assertThat(r.status()).isEqualTo(422);
    assertThat(r.json().getJsonArray("errors").getJsonObject(0).getString("field")).isEqualTo("/assistingDepartments/0");
    assertThat(Sql.count(server.dbUrl(), "SELECT count(*) FROM ticket WHERE external_id = 'I-5'")).isZero();
    assertThat(Sql.count(server.dbUrl(), "SELECT count(*) FROM ticket_event e JOIN ticket t ON t.id = e.ticket_id WHERE t.external_id = 'I-5'")).isZero();
    assertThat(Sql.count(server.dbUrl(), "SELECT count(*) FROM audit_entry")).isEqualTo(auditBefore);
  }

  static Stream<Arguments> invalidFields() {
    return Stream.of(
        bad("/externalId", b -> b.remove("externalId"), "is required"),
        bad("/externalId", b -> b.put("externalId", ""), null),
        bad("/externalId", b -> b.put("externalId", "has space"), null),
        bad("/externalId", b -> b.put("externalId", 42), null),
        bad("/externalId", b -> b.put("externalId", "\u0001"), null),
        bad("/title", b -> b.put("title", "a\u0000b"), "U+0000"),
        bad("/location/district", b -> b.getJsonObject("location").put("district", "\u0000"), "U+0000"),
        bad("/receivedAt", b -> b.put("receivedAt", "0001-01-01T00:00:00Z"), "before"),
        bad("/type", b -> b.put("type", "GRIPE"), "must be one of"),
        bad("/type", b -> b.remove("type"), "is required"),
        bad("/urgency", b -> b.put("urgency", "SOON"), "must be one of"),
        bad("/category", b -> b.put("category", "bad category"), null),
        bad("/category", b -> b.remove("category"), "is required"),
        bad("/title", b -> b.put("title", ""), null),
        bad("/title", b -> b.put("title", "x".repeat(201)), null),
        bad("/content", b -> b.remove("content"), "is required"),
        bad("/receivedAt", b -> b.put("receivedAt", "yesterday"), null),
        bad("/receivedAt", b -> b.put("receivedAt", "2099-01-01T00:00:00+08:00"), "future"),
        bad("/caller", b -> b.remove("caller"), "is required"),
        bad("/caller/phone", b -> b.getJsonObject("caller").put("phone", "call me"), null),
        bad("/caller/name", b -> b.getJsonObject("caller").put("name", 7), null),
        bad("/caller/confidential", b -> b.getJsonObject("caller").put("confidential", "yes"), null),
        bad("/caller/email", b -> b.getJsonObject("caller").put("email", "a@b.c"), "unknown field"),
        bad("/location/lat", b -> b.getJsonObject("location").put("lat", 91), null),
        bad("/location/lon", b -> b.getJsonObject("location").put("lon", "east"), null),
        bad("/location/lon", b -> b.getJsonObject("location").remove("lon"), "together"),
        bad("/subject/creditCode", b -> b.put("subject", new JsonObject().put("creditCode", "91110108MA01ABCDE")), null),
        bad("/subject/creditCode", b -> b.put("subject", new JsonObject().put("creditCode", "91110000100000000X")), "check character"),
        bad("/subject/creditCode", b -> b.put("subject", new JsonObject().put("name", "某公司")), "is required"),
        bad("/leadDepartment", b -> b.put("leadDepartment", "no spaces allowed"), null),
        bad("/assistingDepartments", b -> b.put("leadDepartment", "D-IP").put("assistingDepartments", new JsonArray().add("D-IP")), "lead"),
        bad("/leadDepartment", b -> b.put("assistingDepartments", new JsonArray().add("D-MKT")), "lead"),
        bad("/answeredBy", b -> b.put("answeredBy", "HOTLINE").put("knowledgeArticleId", java.util.UUID.randomUUID().toString()), "CONSULTATION"),
        bad("/answeredBy", b -> b.put("answeredBy", "SOMEONE"), "must be one of"),
        bad("/answeredBy", b -> b.put("type", "CONSULTATION").put("knowledgeArticleId", java.util.UUID.randomUUID().toString()), "is required"));
  }

  private static Arguments bad(String field, Consumer<JsonObject> change, String message) {
    return Arguments.of(field, change, message);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidFields")
  void eachInvalidFieldIsNamedInA400(String field, Consumer<JsonObject> change, String message) {
    JsonObject body = Tickets.intake("V-" + Math.abs(field.hashCode()) + "-" + System.nanoTime());
    change.accept(body);
    Response r = server.post("/api/v1/tickets", hotline, body);

    assertThat(r.status()).as(r.body()).isEqualTo(400);
    assertThat(r.header("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/problem+json"));
    JsonObject problem = r.json();
    assertThat(problem.getInteger("status")).isEqualTo(400);
    assertThat(problem.getString("type")).isNotBlank();
    assertThat(problem.getString("title")).isNotBlank();
    List<JsonObject> errors = problem.getJsonArray("errors").stream().map(JsonObject.class::cast).toList();
    assertThat(errors).as(r.body()).anySatisfy(e -> {
      assertThat(e.getString("field")).isEqualTo(field);
      if (message != null) {
        assertThat(e.getString("message")).contains(message);
      }
    });
    assertThat(Sql.count(server.dbUrl(), "SELECT count(*) FROM ticket WHERE external_id = '" + body.getValue("externalId") + "'")).isZero();
  }

  @Test
  void malformedJsonIs400() {
    Response r = server.postRaw("/api/v1/tickets", hotline, "application/json", "{\"externalId\": ");
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.json().getString("type")).endsWith("malformed-json");
  }

  @Test
  void aJsonArrayInsteadOfAnObjectIs400() {
    Response r = server.postRaw("/api/v1/tickets", hotline, "application/json", "[1, 2]");
    assertThat(r.status()).isEqualTo(400);
  }

  @Test
  void missingBodyIs400AndWrongMediaTypeIs415() {
    assertThat(server.postRaw("/api/v1/tickets", hotline, "application/json", "").status()).isEqualTo(400);
    assertThat(server.postRaw("/api/v1/tickets", hotline, "text/plain", "hello").status()).isEqualTo(415);
  }

  @Test
  void bodyOverOneMebibyteIs413() {
    String huge = Tickets.intake("BIG").put("content", "长".repeat(400_000)).encode();
    assertThat(huge.getBytes(java.nio.charset.StandardCharsets.UTF_8).length).isGreaterThan(1024 * 1024);
    Response r = server.postRaw("/api/v1/tickets", hotline, "application/json", huge);
    assertThat(r.status()).isEqualTo(413);
    assertThat(r.json().getInteger("status")).isEqualTo(413);
  }

  @Test
  void unknownPathIsAProblem404() {
    Response r = server.get("/api/v1/nothing-here", hotline);
    assertThat(r.status()).isEqualTo(404);
    assertThat(r.header("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/problem+json"));
  }
}
