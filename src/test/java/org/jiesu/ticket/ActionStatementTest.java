package org.jiesu.ticket;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 * Issue 8: an action writes in one statement. Every row a statement writes carries its transaction ({@code
 * xmin}) and the transaction's command number ({@code cmin}), which moves on with each statement that writes.
 * So the ticket row, its event, its audit entry, the SLA timer it meets and the scorecard fact it changes
 * share both when the one statement wrote them all, and differ in {@code cmin} when a listener wrote in a
 * statement of its own (as the SLA engine and the scorecard facts did before; and the credit feed and the
 * Open311 updates, whose case is in Open311Test).
 */
@WithServer(departments = {"D-A", "D-B"}, group = "district")
class ActionStatementTest {

  static final MutableClock CLOCK = new MutableClock(at("2026-11-23T09:00:00")); // a Monday
  static TestServer server;
  static String hotline;
  static String supervisor;
  static String staff;
  static int counter;

  static Instant at(String local) {
    return OffsetDateTime.parse(local + "+08:00").toInstant();
  }

  @BeforeAll
  static void tokens() {
    hotline = server.token(Role.HOTLINE);
    supervisor = server.token(Role.SUPERVISOR);
    staff = server.staff("D-A");
  }

  @Test
  void signContactReplyAndCallbackEachWriteTheirRowsInOneStatement() throws Exception {
    CLOCK.set(at("2026-11-23T09:00:00"));
    String id = ok(server.post("/api/v1/tickets", hotline, Tickets.dispatched("ONE-" + (++counter), "D-A")
        .put("receivedAt", CLOCK.instant().toString()))).getString("id");

    CLOCK.set(at("2026-11-23T09:10:00"));
    ok(act(id, "sign", staff, null));
    assertThat(writers(id, "SIGNED", "SIGN", "scorecard_round")).as("sign").hasSize(1);

    ok(act(id, "contacts", staff, new JsonObject().put("at", CLOCK.instant().toString()).put("method", "PHONE")));
    assertThat(writers(id, "CONTACTED", "CONTACT", "scorecard_round")).as("first contact").hasSize(1);

    ok(act(id, "reply", staff, new JsonObject().put("outcome", "RESOLVED").put("answer", "已处理")));
    assertThat(writers(id, "REPLIED", "RESOLVE", "scorecard_round")).as("reply").hasSize(1);

    CLOCK.set(at("2026-11-24T10:00:00"));
    ok(act(id, "callback", hotline, new JsonObject().put("resolved", true).put("satisfaction", "SATISFIED")
        .put("rework", false)));
    assertThat(writers(id, "CALLBACK", null, "scorecard_callback")).as("callback").hasSize(1);

    ok(act(id, "unreasonable", supervisor, new JsonObject().put("reason", "诉求超出法定职责范围")));
    assertThat(writers(id, "MARKED_UNREASONABLE", null, "scorecard_callback")).as("unreasonable").hasSize(1);

    // the facts say what the timers say: a sign and contact met on time, a reply on time
    assertThat(rounds(id)).containsExactly("D-A MET MET MET");
  }

  @Test
  void aFirstDispatchStartsItsTimersAndItsRoundInOneStatement() throws Exception {
    CLOCK.set(at("2026-11-23T09:00:00"));
    String id = ok(server.post("/api/v1/tickets", hotline, Tickets.intake("ONE-" + (++counter))
        .put("receivedAt", CLOCK.instant().toString()))).getString("id");
    CLOCK.set(at("2026-11-23T09:05:00"));
    ok(act(id, "dispatch", supervisor, new JsonObject().put("leadDepartment", "D-A")));
    assertThat(writers(id, "DISPATCHED", "SIGN", "scorecard_round")).hasSize(1);
    assertThat(writers(id, "DISPATCHED", "RESOLVE", "scorecard_round")).hasSize(1);
    assertThat(rounds(id)).containsExactly("D-A OPEN OPEN OPEN");
  }

  @Test
  void aLateSignAfterTheBreachIsLateInTheFacts() throws Exception {
    CLOCK.set(at("2026-11-23T09:00:00"));
    String id = ok(server.post("/api/v1/tickets", hotline, Tickets.dispatched("ONE-" + (++counter), "D-A")
        .put("urgency", "URGENT").put("receivedAt", CLOCK.instant().toString()))).getString("id");
    CLOCK.set(at("2026-11-23T10:30:00")); // SIGN of an urgent ticket was due in one hour
    server.fireDueTimers();
    ok(act(id, "sign", staff, null));
    assertThat(writers(id, "SIGNED", "SIGN", "scorecard_round")).hasSize(1);
    assertThat(rounds(id)).containsExactly("D-A LATE OPEN OPEN");
  }

  @Test
  void aRedispatchCancelsTheOldTimersAndStartsTheNewInOneStatement() throws Exception {
    CLOCK.set(at("2026-11-23T09:00:00"));
    String id = ok(server.post("/api/v1/tickets", hotline, Tickets.dispatched("ONE-" + (++counter), "D-A")
        .put("receivedAt", CLOCK.instant().toString()))).getString("id");
    CLOCK.set(at("2026-11-23T09:10:00"));
    ok(act(id, "sign", staff, null));
    CLOCK.set(at("2026-11-23T09:20:00"));
    ok(act(id, "dispatch", supervisor, new JsonObject().put("leadDepartment", "D-B").put("reason", "派错单位")));
    assertThat(writers(id, "DISPATCHED", "SIGN", "scorecard_round")).hasSize(1);
    // the old dispatch's open timers were cancelled by that same statement, and the new ones run
    assertThat(lines("SELECT kind || ' ' || state || CASE WHEN started_at = '" + CLOCK.instant()
        + "'::timestamptz THEN ' new' ELSE ' old' END || CASE WHEN " + byTheTicketsStatement(id)
        + " THEN ' written' ELSE '' END FROM sla_timer WHERE ticket_id = '" + id + "' ORDER BY id"))
        .containsExactly("SIGN MET old", "CONTACT CANCELLED old written", "RESOLVE CANCELLED old written",
            "SIGN RUNNING new written", "CONTACT RUNNING new written", "RESOLVE RUNNING new written");
    assertThat(rounds(id)).containsExactly("D-A MET OPEN OPEN", "D-B OPEN OPEN OPEN");
  }

  @Test
  void anApprovedReturnToASuggestedDepartmentIsOneStatement() throws Exception {
    CLOCK.set(at("2026-11-23T09:00:00"));
    String id = ok(server.post("/api/v1/tickets", hotline, Tickets.dispatched("ONE-" + (++counter), "D-A")
        .put("receivedAt", CLOCK.instant().toString()))).getString("id");
    CLOCK.set(at("2026-11-23T09:10:00"));
    String request = ok(act(id, "return-requests", staff, new JsonObject().put("reason", "不属于本单位职责")
        .put("suggestedDepartment", "D-B"))).getString("id");
    ok(act(id, "return-requests/" + request + "/decision", supervisor, new JsonObject().put("decision", "APPROVE")));
    assertThat(writers(id, "RETURN_APPROVED", "SIGN", "scorecard_round")).hasSize(1);
    assertThat(lines("SELECT department || ' ' || returned || ' ' || sign_timer || CASE WHEN "
        + byTheTicketsStatement(id) + " THEN ' written' ELSE '' END FROM scorecard_round WHERE ticket_id = '" + id
        + "' ORDER BY id")).containsExactly("D-A true OPEN written", "D-B false OPEN written");
  }

  @Test
  void aFindingOnANamedBusinessAndAWithdrawalFeedCreditInTheActionsStatement() throws Exception {
    CLOCK.set(at("2026-11-23T09:00:00"));
    String id = ok(server.post("/api/v1/tickets", hotline, Tickets.dispatched("ONE-" + (++counter), "D-A")
        .put("type", "COMPLAINT").put("receivedAt", CLOCK.instant().toString())
        .put("subject", new JsonObject().put("creditCode", "91110108551385082Q").put("name", "某专利代理有限公司"))))
        .getString("id");
    CLOCK.set(at("2026-11-23T09:10:00"));
    ok(act(id, "sign", staff, null));
    ok(act(id, "reply", staff, new JsonObject().put("outcome", "RESOLVED").put("answer", "经查属实，已责令整改")
        .put("finding", "SUBSTANTIATED")));
    String written = " || CASE WHEN " + byTheTicketsStatement(id) + " THEN ' written' ELSE '' END";
    assertThat(lines("SELECT 'complaint ' || finding" + written + " FROM credit_complaint WHERE ticket_id = '" + id
        + "' UNION ALL SELECT 'event ' || kind || ' ' || source" + written + " FROM credit_event WHERE ticket_id = '"
        + id + "'")).containsExactlyInAnyOrder("complaint SUBSTANTIATED written",
            "event SUBSTANTIATED_COMPLAINT ticket:" + id + " written");

    CLOCK.set(at("2026-11-24T10:00:00"));
    ok(act(id, "callback", hotline, new JsonObject().put("resolved", false).put("satisfaction", "UNSATISFIED")
        .put("rework", false)));
    ok(act(id, "unreasonable", supervisor, new JsonObject().put("reason", "诉求超出法定职责范围")));
    assertThat(lines("SELECT 'withdrawn ' || (withdrawn_at = '" + CLOCK.instant() + "'::timestamptz)" + written
        + " FROM credit_complaint WHERE ticket_id = '" + id + "'")).containsExactly("withdrawn true written");
  }

  /**
   * The (xmin, cmin) of the rows the ticket's latest {@code event} wrote: the ticket row, that event, its audit
   * entry, the ticket's latest timer of {@code timer} (when not null) and its latest row of {@code fact}.
   */
  static Map<List<Long>, List<String>> writers(String id, String event, String timer, String fact) throws Exception {
    Map<List<Long>, List<String>> by = new LinkedHashMap<>();
    String t = "'" + id + "'";
    List<String> queries = new ArrayList<>(List.of(
        "SELECT 'ticket', xmin::text::bigint, cmin::text::bigint FROM ticket WHERE id = " + t,
        "SELECT 'event', xmin::text::bigint, cmin::text::bigint FROM ticket_event WHERE ticket_id = " + t
            + " AND type = '" + event + "' ORDER BY id DESC LIMIT 1",
        "SELECT 'audit', xmin::text::bigint, cmin::text::bigint FROM audit_entry WHERE ticket_id = " + t
            + " ORDER BY id DESC LIMIT 1",
        "SELECT '" + fact + "', xmin::text::bigint, cmin::text::bigint FROM " + fact + " WHERE ticket_id = " + t
            + " ORDER BY id DESC LIMIT 1"));
    if (timer != null) {
      queries.add("SELECT 'timer', xmin::text::bigint, cmin::text::bigint FROM sla_timer WHERE ticket_id = " + t
          + " AND kind = '" + timer + "' ORDER BY id DESC LIMIT 1");
    }
    try (Connection c = Sql.connect(server.dbUrl()); Statement s = c.createStatement()) {
      for (String q : queries) {
        try (ResultSet rs = s.executeQuery(q)) {
          assertThat(rs.next()).as(q).isTrue();
          by.computeIfAbsent(List.of(rs.getLong(2), rs.getLong(3)), k -> new ArrayList<>()).add(rs.getString(1));
        }
      }
    }
    return by;
  }

  /** The ticket's scorecard rounds: department and the three timer outcomes, a line each, oldest first. */
  static List<String> rounds(String id) throws Exception {
    return lines("SELECT concat_ws(' ', department, coalesce(sign_timer, 'none'), coalesce(contact_timer, 'none'),"
        + " coalesce(resolve_timer, 'none')) FROM scorecard_round WHERE ticket_id = '" + id + "' ORDER BY id");
  }

  /** An SQL condition: the row was written by the statement that last wrote the ticket's row. */
  static String byTheTicketsStatement(String id) {
    return "(xmin::text, cmin::text) = (SELECT xmin::text, cmin::text FROM ticket WHERE id = '" + id + "')";
  }

  /** The first column of each row {@code query} answers. */
  static List<String> lines(String query) throws Exception {
    List<String> lines = new ArrayList<>();
    try (Connection c = Sql.connect(server.dbUrl()); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(query)) {
      while (rs.next()) {
        lines.add(rs.getString(1));
      }
    }
    return lines;
  }

  static Response act(String id, String action, String token, JsonObject body) {
    String path = "/api/v1/tickets/" + id + "/" + action;
    return body == null ? server.send(server.request(path, token).POST(HttpRequest.BodyPublishers.noBody()))
        : server.post(path, token, body);
  }

  static JsonObject ok(Response r) {
    assertThat(r.status()).as(r.body()).isIn(200, 201);
    return r.json();
  }
}
