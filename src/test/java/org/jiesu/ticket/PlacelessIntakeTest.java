package org.jiesu.ticket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.net.URI;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jiesu.auth.Role;
import org.jiesu.support.ContractCheck;
import org.jiesu.support.Sql;
import org.jiesu.support.TestServer;
import org.jiesu.support.TestServer.Response;
import org.jiesu.support.Tickets;
import org.jiesu.support.WithServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * An intake that no listener hears after its statement (no place to judge for hotspots, no credit subject, a
 * hotline ticket: {@link TicketListener#hearsIntake}) is that one statement, committed on its own with no
 * transaction around it. Everything the listeners write for a new ticket is still written with it, and
 * nothing when it is refused. (The other intake tests send a place, so they take the transaction.)
 */
@ExtendWith(VertxExtension.class)
@WithServer(departments = {"D-IP", "D-MKT"})
class PlacelessIntakeTest {

  static TestServer server;
  static String hotline;

  @BeforeAll
  static void start() {
    hotline = server.token(Role.HOTLINE);
  }

  static JsonObject placeless(String externalId, String type, String... assisting) {
    JsonObject body = Tickets.dispatched(externalId, "D-IP", assisting).put("type", type);
    body.remove("location");
    return body;
  }

  @Test
  void aNewTicketIsWrittenWholeByItsOneStatement() throws Exception {
    Response r = server.post("/api/v1/tickets", hotline, placeless("PL-1", "COMPLAINT"));
    assertThat(r.status()).isEqualTo(201);
    String id = r.json().getString("id");

    assertThat(count("SELECT count(*) FROM ticket_event WHERE ticket_id = ?::uuid", id)).isEqualTo(2);
    assertThat(count("SELECT count(*) FROM sla_timer WHERE ticket_id = ?::uuid AND state = 'RUNNING'", id)).isEqualTo(3);
    assertThat(count("SELECT count(*) FROM audit_entry WHERE ticket_id = ?::uuid AND action = 'TICKET_INTAKE'", id))
        .isEqualTo(1);
    assertThat(count("SELECT count(*) FROM insight_ticket_terms WHERE ticket_id = ?::uuid", id)).isEqualTo(1);
    assertThat(round(id)).containsExactly("D-IP", "OPEN", "OPEN", "OPEN");
    assertThat(round(id)).isEqualTo(roundFromTimers(id));
  }

  /** A normal consultation's policy starts no CONTACT timer (DESIGN §3), so its round has none either. */
  @Test
  void aRoundHoldsTheTimersItsDispatchStartedAndNoOther() throws Exception {
    Response r = server.post("/api/v1/tickets", hotline, placeless("PL-2", "CONSULTATION"));
    assertThat(r.status()).isEqualTo(201);
    String id = r.json().getString("id");

    assertThat(round(id)).containsExactly("D-IP", "OPEN", null, "OPEN");
    assertThat(round(id)).isEqualTo(roundFromTimers(id));
  }

  @Test
  void aRefusedIntakeWritesNothing() throws Exception {
    String[] tables = {"ticket", "ticket_event", "sla_timer", "audit_entry", "scorecard_round", "insight_ticket_terms"};
    long[] before = counts(tables);

    Response r = server.post("/api/v1/tickets", hotline, placeless("PL-3", "COMPLAINT", "D-NOPE"));

    assertThat(r.status()).isEqualTo(422);
    assertThat(r.json().getJsonArray("errors").getJsonObject(0).getString("field")).isEqualTo("/assistingDepartments/0");
    assertThat(counts(tables)).isEqualTo(before);
  }

  /**
   * The rows the statement writes for a ticket have no foreign key to it (V40): what keeps them whole is that
   * a ticket, once made, cannot be deleted, not even by the database's owner through SQL.
   */
  @Test
  void aTicketCannotBeDeletedFromUnderTheRowsWrittenWithIt() throws Exception {
    Response r = server.post("/api/v1/tickets", hotline, placeless("PL-5", "COMPLAINT"));
    assertThat(r.status()).isEqualTo(201);
    String id = r.json().getString("id");

    assertThatThrownBy(() -> Sql.execute(server.dbUrl(), "DELETE FROM ticket WHERE id = '" + id + "'"))
        .hasMessageContaining("never deleted: DELETE");
    assertThatThrownBy(() -> Sql.execute(server.dbUrl(), "TRUNCATE ticket CASCADE"))
        .hasMessageContaining("never deleted: TRUNCATE");
    assertThat(count("SELECT count(*) FROM ticket WHERE id = ?::uuid", id)).isEqualTo(1);
    assertThat(count("SELECT count(*) FROM ticket_event WHERE ticket_id = ?::uuid", id)).isEqualTo(2);
    assertThat(count("SELECT count(*) FROM sla_timer WHERE ticket_id = ?::uuid", id)).isEqualTo(3);
  }

  @Test
  void concurrentIdenticalIntakesMakeExactlyOneTicketWithOneOfEachRow(Vertx vertx, VertxTestContext test) {
    URI base = URI.create(server.base());
    WebClient client = WebClient.create(vertx);
    JsonObject body = placeless("PL-4", "COMPLAINT");
    List<Future<HttpResponse<Buffer>>> calls = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      calls.add(client.post(base.getPort(), base.getHost(), "/api/v1/tickets").bearerTokenAuthentication(hotline)
          .sendJsonObject(body));
    }
    Future.all(calls).onComplete(test.succeeding(all -> test.verify(() -> {
      calls.forEach(f -> ContractCheck.verify("POST", "/api/v1/tickets", f.result().statusCode(),
          ContractCheck.headers(f.result().headers()), f.result().bodyAsString()));
      assertThat(calls.stream().map(f -> f.result().statusCode()).filter(s -> s == 201)).hasSize(1);
      assertThat(calls.stream().map(f -> f.result().statusCode()).filter(s -> s == 200)).hasSize(19);
      String ticket = "(SELECT id FROM ticket WHERE external_id = 'PL-4')";
      assertThat(Sql.count(server.dbUrl(), "SELECT count(*) FROM ticket WHERE external_id = 'PL-4'")).isEqualTo(1);
      assertThat(Sql.count(server.dbUrl(), "SELECT count(*) FROM audit_entry WHERE action = 'TICKET_INTAKE'"
          + " AND ticket_id = " + ticket)).isEqualTo(1);
      assertThat(Sql.count(server.dbUrl(), "SELECT count(*) FROM sla_timer WHERE ticket_id = " + ticket)).isEqualTo(3);
      assertThat(Sql.count(server.dbUrl(), "SELECT count(*) FROM scorecard_round WHERE ticket_id = " + ticket))
          .isEqualTo(1);
      test.completeNow();
    })));
  }

  // --- helpers

  static long count(String query, String id) throws Exception {
    try (Connection c = Sql.connect(server.dbUrl()); PreparedStatement s = c.prepareStatement(query)) {
      s.setString(1, id);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  static long[] counts(String... tables) {
    return Arrays.stream(tables).mapToLong(t -> Sql.count(server.dbUrl(), "SELECT count(*) FROM " + t)).toArray();
  }

  /** The ticket's one scorecard round: department, then its SIGN, CONTACT and RESOLVE states. */
  static List<String> round(String id) throws Exception {
    return row("SELECT department, sign_timer, contact_timer, resolve_timer FROM scorecard_round"
        + " WHERE ticket_id = ?::uuid", id);
  }

  /** The same as the timers themselves say it: the first of each kind the dispatch started, OPEN while unmet. */
  static List<String> roundFromTimers(String id) throws Exception {
    String state = "(SELECT CASE WHEN s.met_at IS NULL THEN 'OPEN' WHEN s.met_at <= s.due_at THEN 'MET' ELSE 'LATE' END"
        + " FROM sla_timer s WHERE s.ticket_id = r.ticket_id AND s.round = r.round AND s.kind = '%s'"
        + " AND s.started_at >= r.dispatched_at ORDER BY s.id LIMIT 1)";
    return row("SELECT r.department, " + state.formatted("SIGN") + ", " + state.formatted("CONTACT") + ", "
        + state.formatted("RESOLVE") + " FROM scorecard_round r WHERE r.ticket_id = ?::uuid", id);
  }

  static List<String> row(String query, String id) throws Exception {
    try (Connection c = Sql.connect(server.dbUrl()); PreparedStatement s = c.prepareStatement(query)) {
      s.setString(1, id);
      try (ResultSet rs = s.executeQuery()) {
        assertThat(rs.next()).as("a scorecard round for " + id).isTrue();
        List<String> out = new ArrayList<>();
        for (int i = 1; i <= 4; i++) {
          out.add(rs.getString(i));
        }
        assertThat(rs.next()).as("one round only").isFalse();
        return out;
      }
    }
  }
}
