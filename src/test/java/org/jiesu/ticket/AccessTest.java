package org.jiesu.ticket;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.util.List;
import org.jiesu.auth.Role;
import org.jiesu.support.Sql;
import org.jiesu.support.TestServer;
import org.jiesu.support.WithServer;
import org.jiesu.support.TestServer.Response;
import org.jiesu.support.Tickets;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Who sees which ticket, and how much of its caller (DESIGN §7). */
@WithServer(departments = {"D-IP", "D-MKT", "D-OTHER"})
class AccessTest {

  static TestServer server;
  static String ordinary;
  static String confidential;
  static String report;

  @BeforeAll
  static void start() {
    String hotline = server.token(Role.HOTLINE);
    ordinary = server.post("/api/v1/tickets", hotline, Tickets.dispatched("A-1", "D-IP", "D-MKT")).json().getString("id");
    JsonObject secret = Tickets.dispatched("A-2", "D-IP", "D-MKT");
    secret.getJsonObject("caller").put("confidential", true);
    confidential = server.post("/api/v1/tickets", hotline, secret).json().getString("id");
    report = server.post("/api/v1/tickets", hotline, Tickets.dispatched("A-3", "D-IP").put("type", "REPORT"))
        .json().getString("id");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "/events"})
  void staffOfAnotherDepartmentGets404OnEveryTicketEndpointAndIsAudited(String suffix) {
    String denials = "SELECT count(*) FROM audit_entry WHERE action = 'ACCESS_DENIED' AND ticket_id = '" + ordinary + "'";
    long before = Sql.count(server.dbUrl(), denials);
    Response r = server.get("/api/v1/tickets/" + ordinary + suffix, server.staff("D-OTHER"));

    assertThat(r.status()).isEqualTo(404);
    assertThat(r.body()).doesNotContain("张").doesNotContain("138");
    assertThat(Sql.count(server.dbUrl(), denials)).isEqualTo(before + 1);
  }

  @Test
  void staffListsShowOnlyTheirDepartmentsTickets() {
    Response other = server.get("/api/v1/tickets", server.staff("D-OTHER"));
    Response assisting = server.get("/api/v1/tickets", server.staff("D-MKT"));

    assertThat(other.json().getJsonArray("items")).isEmpty();
    assertThat(assisting.json().getJsonArray("items").stream().map(o -> ((JsonObject) o).getString("id")))
        .containsExactlyInAnyOrder(ordinary, confidential);
    JsonObject withheld = assisting.json().getJsonArray("items").stream().map(JsonObject.class::cast)
        .filter(t -> t.getString("id").equals(confidential)).findFirst().orElseThrow();
    assertThat(withheld.getJsonObject("caller").getString("phone")).isEqualTo("***");
    assertThat(withheld.getJsonObject("caller").containsKey("contactChannel")).isFalse();
  }

  @Test
  void hotlineSupervisorAndLeadSeeTheCallerInFull() {
    for (String token : List.of(server.token(Role.HOTLINE), server.token(Role.SUPERVISOR), server.staff("D-IP"))) {
      JsonObject t = server.get("/api/v1/tickets/" + ordinary, token).json();
      assertThat(t.getJsonObject("caller").getString("phone")).isEqualTo("13812345678");
      assertThat(t.getJsonObject("caller").getString("name")).isEqualTo("张三丰");
      assertThat(t.getJsonObject("location").getString("address")).isEqualTo("中关村大街1号院3号楼");
      assertThat(t.getJsonObject("caller").getBoolean("masked")).isFalse();
    }
  }

  @Test
  void assistingDepartmentSeesTheCallerMasked() {
    Response r = server.get("/api/v1/tickets/" + ordinary, server.staff("D-MKT"));
    JsonObject caller = r.json().getJsonObject("caller");

    assertThat(r.status()).isEqualTo(200);
    assertThat(caller.getString("phone")).isEqualTo("138****5678");
    assertThat(caller.getString("name")).isEqualTo("张**");
    assertThat(r.json().getJsonObject("location").getString("address")).isEqualTo("中关村****");
    assertThat(r.json().getJsonObject("location").getDouble("lat")).isEqualTo(39.98);
    assertThat(r.body()).doesNotContain("13812345678").doesNotContain("张三丰");
  }

  @Test
  void confidentialCallersAndReportsAreWithheldFromAllStaffAndTheLeadGetsARelay() {
    for (String id : List.of(confidential, report)) {
      Response leadAnswer = server.get("/api/v1/tickets/" + id, server.staff("D-IP"));
      JsonObject lead = leadAnswer.json();
      assertThat(lead.getJsonObject("caller").getString("phone")).isEqualTo("***");
      assertThat(lead.getJsonObject("caller").getString("name")).isEqualTo("***");
      assertThat(lead.getJsonObject("location").getString("address")).isEqualTo("***");
      assertThat(lead.getJsonObject("location").getValue("lat")).isNull();
      assertThat(leadAnswer.body()).doesNotContain("5678").doesNotContain("张").doesNotContain("中关村大街");
      assertThat(lead.getJsonObject("caller").getJsonObject("contactChannel").getString("type")).isEqualTo("HOTLINE_RELAY");
      assertThat(lead.getJsonObject("caller").getBoolean("confidential")).isTrue();
      JsonObject supervisor = server.get("/api/v1/tickets/" + id, server.token(Role.SUPERVISOR)).json();
      assertThat(supervisor.getJsonObject("caller").getString("phone")).isEqualTo("13812345678");
      assertThat(supervisor.getJsonObject("caller").containsKey("contactChannel")).isFalse();
    }
  }

  @Test
  void unmaskedReadsAreAuditedMaskedOnesAreNot() {
    long before = Sql.count(server.dbUrl(), "SELECT count(*) FROM audit_entry WHERE action = 'PERSONAL_DATA_READ'");
    server.get("/api/v1/tickets/" + ordinary, server.staff("D-MKT"));
    long afterMasked = Sql.count(server.dbUrl(), "SELECT count(*) FROM audit_entry WHERE action = 'PERSONAL_DATA_READ'");
    server.get("/api/v1/tickets/" + ordinary, server.staff("D-IP"));
    long afterFull = Sql.count(server.dbUrl(), "SELECT count(*) FROM audit_entry WHERE action = 'PERSONAL_DATA_READ' "
        + "AND actor_dept = 'D-IP'");

    assertThat(afterMasked).isEqualTo(before);
    assertThat(afterFull).isGreaterThanOrEqualTo(1);
  }

  /**
   * A read writes its personal-data entry in the statement that reads the ticket, on an SQL condition kept
   * next to the Java rule: exactly one entry for every read the rule calls full, none for the others.
   */
  @Test
  void aReadIsAuditedExactlyWhenTheRuleShowsPersonalData() {
    record Read(String ticket, String token, long entries) {}
    String supervisor = server.token(Role.SUPERVISOR);
    List<Read> reads = List.of(
        new Read(ordinary, supervisor, 1), new Read(ordinary, server.staff("D-IP"), 1),
        new Read(ordinary, server.staff("D-MKT"), 0), new Read(confidential, server.staff("D-IP"), 0),
        new Read(confidential, server.staff("D-MKT"), 0), new Read(confidential, supervisor, 1),
        new Read(report, server.staff("D-IP"), 0), new Read(report, server.token(Role.HOTLINE), 1));
    for (Read read : reads) {
      String entries = "SELECT count(*) FROM audit_entry WHERE action = 'PERSONAL_DATA_READ' AND ticket_id = '"
          + read.ticket() + "'";
      long before = Sql.count(server.dbUrl(), entries);
      assertThat(server.get("/api/v1/tickets/" + read.ticket(), read.token()).status()).isEqualTo(200);
      assertThat(Sql.count(server.dbUrl(), entries)).as(read.toString()).isEqualTo(before + read.entries());
    }
  }

  @ParameterizedTest
  @EnumSource(value = Role.class, names = {"ADMIN", "INSPECTOR", "AUDITOR"})
  void rolesWithoutTicketBusinessGet403(Role role) {
    assertThat(server.get("/api/v1/tickets/" + ordinary, server.token(role)).status()).isEqualTo(403);
    assertThat(server.get("/api/v1/tickets", server.token(role)).status()).isEqualTo(403);
    assertThat(server.post("/api/v1/tickets", server.token(role), Tickets.intake("R-" + role)).status()).isEqualTo(403);
  }

  @Test
  void staffMayNotCreateTicketsOrDepartments() {
    Response intake = server.post("/api/v1/tickets", server.staff("D-IP"), Tickets.intake("S-1"));
    Response dept = server.put("/api/v1/departments/D-X", server.staff("D-IP"),
        new JsonObject().put("name", "x").put("group", "y"));
    assertThat(intake.status()).isEqualTo(403);
    assertThat(dept.status()).isEqualTo(403);
    assertThat(intake.json().getString("type")).endsWith("forbidden");
  }

  @Test
  void aStaffTokenWithoutDepartmentIsRefused() {
    String noDept = server.tokens().mint("nobody", List.of(Role.STAFF), java.util.Optional.empty(),
        java.time.Duration.ofMinutes(5));
    assertThat(server.get("/api/v1/tickets", noDept).status()).isEqualTo(403);
  }

  @Test
  void anUnknownOrMalformedTicketIdIs404() {
    String hotline = server.token(Role.HOTLINE);
    assertThat(server.get("/api/v1/tickets/" + java.util.UUID.randomUUID(), hotline).status()).isEqualTo(404);
    assertThat(server.get("/api/v1/tickets/not-a-ticket", hotline).status()).isEqualTo(404);
  }
}
