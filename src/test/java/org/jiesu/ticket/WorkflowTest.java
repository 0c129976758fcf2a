package org.jiesu.ticket;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.jiesu.auth.Role;
import org.jiesu.support.Sql;
import org.jiesu.support.TestServer;
import org.jiesu.support.WithServer;
import org.jiesu.support.TestServer.Response;
import org.jiesu.support.Tickets;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Tickets driven through every path of DESIGN §2 over HTTP, on a real database. */
@WithServer(departments = {"D-IP", "D-MKT", "D-OTHER", "D-CITY"})
class WorkflowTest {

  static TestServer server;
  static String hotline;
  static String supervisor;
  static String lead;
  static String assisting;
  static String outsider;
  static int counter;

  @BeforeAll
  static void start() {
    hotline = server.token(Role.HOTLINE);
    supervisor = server.token(Role.SUPERVISOR);
    lead = server.staff("D-IP");
    assisting = server.staff("D-MKT");
    outsider = server.staff("D-OTHER");
    // the routing rule of the full-life test: noise complaints go to the city administration
    Response rule = server.post("/api/v1/routing-rules", server.token(Role.ADMIN), new JsonObject()
        .put("priority", 10)
        .put("match", new JsonObject().put("keywords", new JsonArray().add("噪音")).put("types", new JsonArray().add("COMPLAINT")))
        .put("leadDepartment", "D-CITY"));
    assertThat(rule.status()).as(rule.body()).isEqualTo(201);
  }

  static JsonObject dispatched() {
    Response r = server.post("/api/v1/tickets", hotline, Tickets.dispatched("W-" + (++counter), "D-IP", "D-MKT"));
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    return r.json();
  }

  static JsonObject signed() {
    JsonObject t = dispatched();
    assertThat(act(t, "sign", lead, null).status()).isEqualTo(200);
    return t;
  }

  static Response act(JsonObject ticket, String action, String token, JsonObject body) {
    String path = "/api/v1/tickets/" + ticket.getString("id") + "/" + action;
    return body == null
        ? server.send(server.request(path, token).POST(HttpRequest.BodyPublishers.noBody()))
        : server.post(path, token, body);
  }

  static JsonObject get(JsonObject ticket) {
    return server.get("/api/v1/tickets/" + ticket.getString("id"), supervisor).json();
  }

  static List<String> timeline(JsonObject ticket) {
    return server.get("/api/v1/tickets/" + ticket.getString("id") + "/events", supervisor).json()
        .getJsonArray("items").stream().map(o -> ((JsonObject) o).getString("type")).toList();
  }

  static String now(long plusMinutes) {
    return Instant.now().plus(plusMinutes, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.SECONDS).toString();
  }

  @Test
  void theFullLifeOfAComplaint() {
    // intake names no department: the keyword rule routes it
    JsonObject body = Tickets.intake("LIFE-1").put("title", "夜间施工噪音扰民").put("content", "工地每晚施工到凌晨两点");
    JsonObject t = server.post("/api/v1/tickets", hotline, body).json();
    assertThat(t.getString("status")).isEqualTo("DISPATCHED");
    assertThat(t.getString("leadDepartment")).isEqualTo("D-CITY");
    String city = server.staff("D-CITY");

    assertThat(act(t, "sign", city, null).status()).isEqualTo(200);
    Response contact = act(t, "contacts", city, new JsonObject().put("at", Instant.now().toString()).put("method", "PHONE")
        .put("note", "已电话联系"));
    assertThat(contact.status()).as(contact.body()).isEqualTo(200);
    assertThat(contact.json().getString("firstContactAt")).isNotNull();
    Response reply = act(t, "reply", city, new JsonObject().put("outcome", "RESOLVED").put("answer", "已责令工地夜间停工"));
    assertThat(reply.status()).as(reply.body()).isEqualTo(200);
    assertThat(reply.json().getString("status")).isEqualTo("REPLIED");
    assertThat(reply.json().getJsonObject("reply").getString("outcome")).isEqualTo("RESOLVED");
    Response callback = act(t, "callback", hotline, new JsonObject().put("resolved", true).put("satisfaction", "SATISFIED"));
    assertThat(callback.status()).as(callback.body()).isEqualTo(200);
    assertThat(callback.json().getString("status")).isEqualTo("CLOSED");
    assertThat(callback.json().getString("closedAt")).isNotNull();
    assertThat(callback.json().getJsonObject("callback").getString("satisfaction")).isEqualTo("SATISFIED");

    JsonArray events = server.get("/api/v1/tickets/" + t.getString("id") + "/events", supervisor).json().getJsonArray("items");
    assertThat(events.stream().map(o -> ((JsonObject) o).getString("type")))
        .containsExactly("RECEIVED", "DISPATCHED", "SIGNED", "CONTACTED", "REPLIED", "CALLBACK", "CLOSED");
    JsonObject dispatchedEvent = events.getJsonObject(1);
    assertThat(dispatchedEvent.getJsonObject("details").getString("by")).isEqualTo("ROUTING");
    JsonObject signedEvent = events.getJsonObject(2);
    assertThat(signedEvent.getJsonObject("actor").getString("dept")).isEqualTo("D-CITY");
    assertThat(signedEvent.getJsonObject("actor").getString("role")).isEqualTo("STAFF");
    assertThat(signedEvent.getString("at")).isNotNull();
    assertThat(events.getJsonObject(4).getJsonObject("details").getString("answer")).isEqualTo("已责令工地夜间停工");
    // every action is also in the hash-chained audit log
    assertThat(Sql.count(server.dbUrl(), "SELECT count(*) FROM audit_entry WHERE action = 'TICKET_ACTION' AND ticket_id = '"
        + t.getString("id") + "'")).isEqualTo(4);
  }

  @Test
  void unmatchedIntakeWaitsForManualDispatch() {
    JsonObject t = server.post("/api/v1/tickets", hotline, Tickets.intake("MANUAL-1").put("title", "路灯不亮")
        .put("content", "小区门口路灯坏了")).json();
    assertThat(t.getString("status")).isEqualTo("RECEIVED");
    assertThat(server.get("/api/v1/tickets?status=RECEIVED", supervisor).json().getJsonArray("items").stream()
        .map(o -> ((JsonObject) o).getString("id"))).contains(t.getString("id"));

    Response r = act(t, "dispatch", supervisor, new JsonObject().put("leadDepartment", "D-IP"));
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.json().getString("status")).isEqualTo("DISPATCHED");
    Response unknown = act(t, "dispatch", supervisor, new JsonObject().put("leadDepartment", "D-NOPE").put("reason", "x"));
    assertThat(unknown.status()).isEqualTo(422);
  }

  @Test
  void reworkStartsANewRoundBackInDispatched() {
    JsonObject t = signed();
    Response replied = act(t, "reply", lead, new JsonObject().put("outcome", "PARTIALLY_RESOLVED").put("answer", "部分退款"));
    assertThat(replied.status()).as(replied.body()).isEqualTo(200);
    Response r = act(t, "callback", hotline, new JsonObject().put("resolved", false).put("satisfaction", "UNSATISFIED").put("rework", true));

    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.json().getString("status")).isEqualTo("DISPATCHED");
    assertThat(r.json().getInteger("round")).isEqualTo(2);
    assertThat(r.json().getValue("reply")).isNull();
    assertThat(r.json().getValue("callback")).as("the new round has no callback yet").isNull();
    assertThat(timeline(t)).endsWith("CALLBACK", "REWORK", "DISPATCHED");
    assertThat(Sql.count(server.dbUrl(), "SELECT dispatch_count FROM ticket WHERE id = '" + t.getString("id") + "'")).isEqualTo(2);
    assertThat(act(t, "sign", lead, null).json().getString("status")).isEqualTo("SIGNED");
  }

  @Test
  void approvedReturnReDispatchesToTheSuggestedDepartment() {
    JsonObject t = dispatched();
    Response req = act(t, "return-requests", lead, new JsonObject().put("reason", "属于市场监管职责").put("suggestedDepartment", "D-OTHER"));
    assertThat(req.status()).as(req.body()).isEqualTo(201);
    String requestId = req.json().getString("id");
    assertThat(req.json().getString("status")).isEqualTo("PENDING");
    assertThat(get(t).getString("status")).isEqualTo("DISPATCHED"); // keeps its state until decided

    Response decided = act(t, "return-requests/" + requestId + "/decision", hotline,
        new JsonObject().put("decision", "APPROVE").put("reason", "同意"));
    assertThat(decided.status()).as(decided.body()).isEqualTo(200);
    assertThat(decided.json().getString("leadDepartment")).isEqualTo("D-OTHER");
    assertThat(decided.json().getString("status")).isEqualTo("DISPATCHED");
    assertThat(server.get("/api/v1/tickets/" + t.getString("id"), lead).status()).isEqualTo(404);
    assertThat(Sql.count(server.dbUrl(), "SELECT count(*) FROM ticket_request WHERE id = '" + requestId + "' AND status = 'APPROVED'")).isEqualTo(1);
  }

  @Test
  void approvedReturnWithoutSuggestionGoesBackToReceivedAndRejectedKeepsIt() {
    JsonObject t = dispatched();
    String first = act(t, "return-requests", lead, new JsonObject().put("reason", "非本单位职责")).json().getString("id");
    Response rejected = act(t, "return-requests/" + first + "/decision", supervisor,
        new JsonObject().put("decision", "REJECT").put("reason", "属于你单位职责"));
    assertThat(rejected.json().getString("leadDepartment")).isEqualTo("D-IP");
    assertThat(timeline(t)).contains("RETURN_REQUESTED", "RETURN_REJECTED");
    // the same decision again: nothing is pending
    assertThat(act(t, "return-requests/" + first + "/decision", supervisor,
        new JsonObject().put("decision", "APPROVE")).status()).isEqualTo(409);

    String second = act(t, "return-requests", lead, new JsonObject().put("reason", "确非本单位职责")).json().getString("id");
    Response approved = act(t, "return-requests/" + second + "/decision", supervisor, new JsonObject().put("decision", "APPROVE"));
    assertThat(approved.json().getString("status")).isEqualTo("RECEIVED");
    assertThat(approved.json().getValue("leadDepartment")).isNull();
  }

  @Test
  void pendingRequestsFormTheDecisionQueue() {
    JsonObject t = signed();
    String id = act(t, "suspension-requests", lead, new JsonObject().put("reason", "等待鉴定结果")).json().getString("id");
    Response queue = server.get("/api/v1/ticket-requests?status=PENDING&kind=SUSPENSION", supervisor);
    assertThat(queue.status()).as(queue.body()).isEqualTo(200);
    assertThat(queue.json().getJsonArray("items").stream().map(o -> ((JsonObject) o).getString("id"))).contains(id);
    JsonObject item = queue.json().getJsonArray("items").stream().map(JsonObject.class::cast)
        .filter(o -> o.getString("id").equals(id)).findFirst().orElseThrow();
    assertThat(item.getString("ticketId")).isEqualTo(t.getString("id"));
    assertThat(item.getString("requestedBy")).isEqualTo("D-IP");
    // another department's staff see only their own requests; bad filters are 400
    assertThat(server.get("/api/v1/ticket-requests?status=PENDING", outsider).json().getJsonArray("items")).isEmpty();
    assertThat(server.get("/api/v1/ticket-requests?status=MAYBE", supervisor).status()).isEqualTo(400);
    act(t, "suspension-requests/" + id + "/decision", supervisor, new JsonObject().put("decision", "REJECT").put("reason", "不符合条件"));
    assertThat(server.get("/api/v1/ticket-requests?status=PENDING&kind=SUSPENSION", supervisor).json().getJsonArray("items")
        .stream().map(o -> ((JsonObject) o).getString("id"))).doesNotContain(id);
    Response paged = server.get("/api/v1/ticket-requests?limit=1", supervisor);
    assertThat(paged.json().getJsonArray("items")).hasSize(1);
  }

  @Test
  void extensionIsRequestedAndApproved() {
    JsonObject t = signed();
    Response past = act(t, "extension-requests", lead, new JsonObject().put("until", now(-60)).put("reason", "需要现场勘查"));
    // the body matches the contract; the deadline breaks a handling rule (issue 6: 422, its own problem type)
    assertThat(past.status()).isEqualTo(422);
    assertThat(past.json().getString("type")).isEqualTo("urn:jiesu:problem:rule-violation");
    assertThat(past.json().getJsonArray("errors").getJsonObject(0).getString("field")).isEqualTo("/until");

    String firstUntil = now(3 * 24 * 60);
    Response req = act(t, "extension-requests", lead, new JsonObject().put("until", firstUntil).put("reason", "需要现场勘查"));
    assertThat(req.status()).as(req.body()).isEqualTo(201);
    Response decided = act(t, "extension-requests/" + req.json().getString("id") + "/decision", supervisor,
        new JsonObject().put("decision", "APPROVE"));
    assertThat(decided.status()).as(decided.body()).isEqualTo(200);
    assertThat(Sql.count(server.dbUrl(), "SELECT count(*) FROM handling_fact WHERE kind = 'EXTENSION' AND ticket_id = '"
        + t.getString("id") + "' AND ends_at > now() + interval '2 days'")).isEqualTo(1);
    assertThat(Sql.count(server.dbUrl(), "SELECT count(*) FROM ticket_request WHERE id = '" + req.json().getString("id")
        + "' AND status = 'APPROVED' AND decided_by_sub = 'supervisor-1'")).isEqualTo(1);
    // a second extension is measured from the deadline the first one set, not from now
    Response second = act(t, "extension-requests", lead, new JsonObject().put("until", now(2 * 24 * 60)).put("reason", "更早"));
    assertThat(second.status()).as("an until before the granted deadline moves nothing").isEqualTo(422);
    String laterUntil = now(4 * 24 * 60);
    Response later = act(t, "extension-requests", lead, new JsonObject().put("until", laterUntil).put("reason", "再延一天"));
    assertThat(later.status()).as(later.body()).isEqualTo(201);
    assertThat(Sql.count(server.dbUrl(), "SELECT length_seconds FROM ticket_request WHERE id = '"
        + later.json().getString("id") + "'"))
        .isEqualTo(java.time.Duration.between(Instant.parse(firstUntil), Instant.parse(laterUntil)).toSeconds());
    act(t, "extension-requests/" + later.json().getString("id") + "/decision", supervisor,
        new JsonObject().put("decision", "REJECT").put("reason", "不予延期"));
    // the department may not decide its own request
    Response again = act(t, "extension-requests", lead, new JsonObject().put("until", now(24 * 60)).put("reason", "再延"));
    assertThat(act(t, "extension-requests/" + again.json().getString("id") + "/decision", lead,
        new JsonObject().put("decision", "APPROVE")).status()).isEqualTo(403);
  }

  @Test
  void suspensionPausesUntilResumed() {
    JsonObject t = signed();
    Response req = act(t, "suspension-requests", lead, new JsonObject().put("reason", "等待法院判决"));
    assertThat(req.status()).isEqualTo(201);
    Response suspended = act(t, "suspension-requests/" + req.json().getString("id") + "/decision", supervisor,
        new JsonObject().put("decision", "APPROVE"));
    assertThat(suspended.json().getString("status")).isEqualTo("SUSPENDED");
    assertThat(act(t, "reply", lead, new JsonObject().put("outcome", "RESOLVED").put("answer", "x")).status()).isEqualTo(409);

    Response resumed = act(t, "resume", supervisor, new JsonObject().put("reason", "判决已出"));
    assertThat(resumed.status()).as(resumed.body()).isEqualTo(200);
    assertThat(resumed.json().getString("status")).isEqualTo("SIGNED");
    assertThat(timeline(t)).contains("SUSPENSION_REQUESTED", "SUSPENDED", "RESUMED");
    assertThat(Sql.count(server.dbUrl(), "SELECT count(*) FROM handling_fact WHERE kind = 'SUSPENSION' AND ends_at IS NOT NULL"
        + " AND ticket_id = '" + t.getString("id") + "'")).isEqualTo(1);
    assertThat(Sql.count(server.dbUrl(), "SELECT count(*) FROM ticket_request WHERE id = '" + req.json().getString("id")
        + "' AND status = 'APPROVED'")).isEqualTo(1);
    // a reply withdraws a request still waiting: the handling it asked about is over
    String pending = act(t, "extension-requests", lead, new JsonObject().put("until", now(24 * 60)).put("reason", "再议"))
        .json().getString("id");
    assertThat(act(t, "reply", lead, new JsonObject().put("outcome", "EXPLAINED").put("answer", "已解释")).status())
        .isEqualTo(200);
    assertThat(Sql.count(server.dbUrl(), "SELECT count(*) FROM ticket_request WHERE id = '" + pending
        + "' AND status = 'WITHDRAWN'")).isEqualTo(1);
  }

  @Test
  void aDuplicateIsMergedIntoItsPrimary() {
    JsonObject primary = dispatched();
    JsonObject duplicate = dispatched();
    Response r = act(duplicate, "merge", hotline, new JsonObject().put("into", primary.getString("id")));
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.json().getString("status")).isEqualTo("MERGED");
    assertThat(r.json().getString("mergedInto")).isEqualTo(primary.getString("id"));
    assertThat(get(primary).getJsonArray("mergedFrom")).containsExactly(duplicate.getString("id"));
    assertThat(timeline(primary)).endsWith("MERGED_FROM");
    // a ticket others are merged into is not itself merged away: that would strand them
    JsonObject third = dispatched();
    Response chained = act(primary, "merge", hotline, new JsonObject().put("into", third.getString("id")));
    assertThat(chained.status()).isEqualTo(409);
    assertThat(act(duplicate, "sign", lead, null).status()).isEqualTo(409);
    assertThat(act(third, "merge", hotline, new JsonObject().put("into", third.getString("id"))).status()).isEqualTo(422);
  }

  @Test
  void aSupervisionOrderIsAcknowledgedByTheLeadDepartment() {
    JsonObject t = signed();
    Response order = act(t, "supervision-orders", supervisor,
        new JsonObject().put("instruction", "请于明日前答复").put("respondBy", now(24 * 60)));
    assertThat(order.status()).as(order.body()).isEqualTo(201);
    String path = "supervision-orders/" + order.json().getString("id") + "/ack";
    assertThat(act(t, path, assisting, null).status()).isEqualTo(403);
    Response ack = act(t, path, lead, new JsonObject().put("note", "已部署"));
    assertThat(ack.status()).as(ack.body()).isEqualTo(200);
    assertThat(act(t, path, lead, null).status()).isEqualTo(409);
    assertThat(timeline(t)).contains("SUPERVISION_ORDERED", "SUPERVISION_ACKNOWLEDGED");
  }

  @Test
  void anOrderToADepartmentThatLostTheTicketIsSuperseded() {
    JsonObject t = dispatched();
    String order = act(t, "supervision-orders", supervisor,
        new JsonObject().put("instruction", "尽快签收").put("respondBy", now(60))).json().getString("id");
    Response moved = act(t, "dispatch", supervisor, new JsonObject().put("leadDepartment", "D-OTHER").put("reason", "派错单位"));
    assertThat(moved.status()).as(moved.body()).isEqualTo(200);
    assertThat(Sql.count(server.dbUrl(), "SELECT count(*) FROM supervision_order WHERE id = '" + order
        + "' AND superseded_at IS NOT NULL")).isEqualTo(1);
    assertThat(act(t, "supervision-orders/" + order + "/ack", outsider, null).status()).isEqualTo(404);
  }

  @Test
  void supervisorsMarkUnreasonableRequests() {
    JsonObject t = signed();
    Response r = act(t, "unreasonable", supervisor, new JsonObject().put("reason", "诉求明显不合理"));
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().getBoolean("unreasonable")).isTrue();
    assertThat(act(t, "unreasonable", hotline, new JsonObject().put("reason", "x")).status()).isEqualTo(403);
  }

  @Test
  void assistingDepartmentsMayReadAndAddNotesButNotAct() {
    JsonObject t = dispatched();
    assertThat(act(t, "notes", assisting, new JsonObject().put("text", "我局已知悉，将配合")).status()).isEqualTo(200);
    assertThat(act(t, "sign", assisting, null).status()).isEqualTo(403);
    assertThat(act(t, "return-requests", assisting, new JsonObject().put("reason", "x")).status()).isEqualTo(403);
    act(t, "sign", lead, null);
    assertThat(act(t, "reply", assisting, new JsonObject().put("outcome", "RESOLVED").put("answer", "x")).status()).isEqualTo(403);
    assertThat(timeline(t)).contains("NOTE_ADDED");
  }

  @ParameterizedTest
  @ValueSource(strings = {"sign", "contacts", "notes", "return-requests", "extension-requests", "suspension-requests",
      "resume", "reply", "supervision-orders/00000000-0000-0000-0000-000000000000/ack"})
  void aDepartmentOutsideTheTicketGets404OnEveryAction(String action) {
    JsonObject t = signed();
    JsonObject body = switch (action) {
      case "contacts" -> new JsonObject().put("at", Instant.now().toString()).put("method", "PHONE");
      case "notes" -> new JsonObject().put("text", "x");
      case "return-requests", "suspension-requests" -> new JsonObject().put("reason", "x");
      case "extension-requests" -> new JsonObject().put("until", now(60)).put("reason", "x");
      case "reply" -> new JsonObject().put("outcome", "RESOLVED").put("answer", "x");
      default -> null;
    };
    long before = Sql.count(server.dbUrl(), "SELECT count(*) FROM audit_entry WHERE action = 'ACCESS_DENIED'");
    Response r = act(t, action, outsider, body);
    assertThat(r.status()).as(r.body()).isEqualTo(404);
    assertThat(Sql.count(server.dbUrl(), "SELECT count(*) FROM audit_entry WHERE action = 'ACCESS_DENIED'")).isEqualTo(before + 1);
    assertThat(get(t).getInteger("version")).isEqualTo(2);
  }

  @Test
  void aComplaintNamingABusinessNeedsAFindingInItsReply() {
    JsonObject body = Tickets.dispatched("W-SUBJECT", "D-IP").put("subject",
        new JsonObject().put("creditCode", "91110108551385082Q").put("name", "某专利代理有限公司"));
    JsonObject t = server.post("/api/v1/tickets", hotline, body).json();
    act(t, "sign", lead, null);
    Response missing = act(t, "reply", lead, new JsonObject().put("outcome", "RESOLVED").put("answer", "已查处"));
    assertThat(missing.status()).isEqualTo(422);
    assertThat(missing.json().getString("title")).isEqualTo("The request breaks a handling rule");
    assertThat(missing.json().getJsonArray("errors").getJsonObject(0).getString("field")).isEqualTo("/finding");
    Response ok = act(t, "reply", lead, new JsonObject().put("outcome", "RESOLVED").put("answer", "已查处")
        .put("finding", "SUBSTANTIATED"));
    assertThat(ok.status()).as(ok.body()).isEqualTo(200);
    assertThat(ok.json().getJsonObject("reply").getString("finding")).isEqualTo("SUBSTANTIATED");
  }

  @Test
  void illegalActionsAnswer409WithTheCurrentState() {
    JsonObject t = dispatched();
    Response r = act(t, "reply", lead, new JsonObject().put("outcome", "RESOLVED").put("answer", "x"));
    assertThat(r.status()).isEqualTo(409);
    assertThat(r.json().getString("currentState")).isEqualTo("DISPATCHED");
  }

  @Test
  void aStaleIfMatchIs412AndACurrentOneWorks() {
    JsonObject t = dispatched();
    String path = "/api/v1/tickets/" + t.getString("id") + "/sign";
    Response fresh = server.get("/api/v1/tickets/" + t.getString("id"), lead);
    String etag = fresh.header("ETag").orElseThrow();
    Response stale = server.send(server.request(path, lead).header("If-Match", "\"0\"").POST(HttpRequest.BodyPublishers.noBody()));
    assertThat(stale.status()).isEqualTo(412);
    assertThat(get(t).getString("status")).isEqualTo("DISPATCHED");
    Response weak = server.send(server.request(path, lead).header("If-Match", "W/" + etag).POST(HttpRequest.BodyPublishers.noBody()));
    assertThat(weak.status()).as("a weak tag never matches If-Match").isEqualTo(412);
    Response ok = server.send(server.request(path, lead).header("If-Match", "\"0\", " + etag).POST(HttpRequest.BodyPublishers.noBody()));
    assertThat(ok.status()).as(ok.body()).isEqualTo(200);
    assertThat(ok.header("ETag")).isPresent().get().isNotEqualTo(etag);
  }

  @Test
  void anUnquotedIfMatchIsMalformedAndA412CarriesTheCurrentETag() {
    JsonObject t = dispatched();
    String path = "/api/v1/tickets/" + t.getString("id") + "/sign";
    Response malformed = server.send(server.request(path, lead).header("If-Match", "1").POST(HttpRequest.BodyPublishers.noBody()));
    assertThat(malformed.status()).as(malformed.body()).isEqualTo(400);
    assertThat(malformed.json().getJsonArray("errors").getJsonObject(0).getString("field")).isEqualTo("If-Match");
    assertThat(get(t).getString("status")).isEqualTo("DISPATCHED");
    Response stale = server.send(server.request(path, lead).header("If-Match", "\"0\"").POST(HttpRequest.BodyPublishers.noBody()));
    assertThat(stale.status()).isEqualTo(412);
    assertThat(stale.header("ETag")).contains("\"" + t.getInteger("version") + "\"");
  }

  @Test
  void mergingMovesThePrimarysVersionAndETag() {
    JsonObject primary = dispatched();
    JsonObject duplicate = dispatched();
    String path = "/api/v1/tickets/" + primary.getString("id");
    String before = server.get(path, supervisor).header("ETag").orElseThrow();
    assertThat(act(duplicate, "merge", hotline, new JsonObject().put("into", primary.getString("id"))).status()).isEqualTo(200);
    Response after = server.get(path, supervisor);
    assertThat(after.json().getJsonArray("mergedFrom")).containsExactly(duplicate.getString("id"));
    assertThat(after.header("ETag")).isPresent().get().isNotEqualTo(before);
    assertThat(after.json().getInteger("version")).isEqualTo(primary.getInteger("version") + 1);
  }

  @Test
  void anActionAnsweringWithTheCallersDataRecordsThePersonalDataRead() {
    JsonObject t = dispatched();
    String reads = "SELECT count(*) FROM audit_entry WHERE action = 'PERSONAL_DATA_READ' AND ticket_id = '"
        + t.getString("id") + "'";
    Response signed = act(t, "sign", lead, null);
    assertThat(signed.status()).isEqualTo(200);
    assertThat(signed.json().getJsonObject("caller").getBoolean("masked")).isFalse();
    assertThat(Sql.count(server.dbUrl(), reads)).isEqualTo(1);
    // an assisting department is answered with the caller masked: no personal data, no read to record
    Response note = act(t, "notes", assisting, new JsonObject().put("text", "协办意见"));
    assertThat(note.status()).isEqualTo(200);
    assertThat(note.json().getJsonObject("caller").getBoolean("masked")).isTrue();
    assertThat(Sql.count(server.dbUrl(), reads)).isEqualTo(1);
  }

  @Test
  void aDispatchAtIntakeAndARedispatchHaveTheSameShapeInTheTimeline() {
    JsonObject t = dispatched();
    assertThat(act(t, "dispatch", hotline, new JsonObject().put("leadDepartment", "D-OTHER").put("reason", "管辖调整"))
        .status()).isEqualTo(200);
    List<JsonObject> dispatches = server.get("/api/v1/tickets/" + t.getString("id") + "/events", supervisor).json()
        .getJsonArray("items").stream().map(o -> (JsonObject) o).filter(e -> e.getString("type").equals("DISPATCHED"))
        .toList();
    assertThat(dispatches).hasSize(2);
    JsonObject atIntake = dispatches.get(0).getJsonObject("details");
    JsonObject later = dispatches.get(1).getJsonObject("details");
    assertThat(atIntake.fieldNames()).containsExactlyElementsOf(later.fieldNames());
    assertThat(dispatches.get(0).fieldNames()).containsExactlyInAnyOrderElementsOf(dispatches.get(1).fieldNames());
    assertThat(atIntake.getBoolean("repeat")).isFalse();
    assertThat(atIntake.getString("by")).isEqualTo("HOTLINE");
    assertThat(atIntake.getValue("previousLead")).isNull();
    assertThat(later.getBoolean("repeat")).isTrue();
    assertThat(later.getString("previousLead")).isEqualTo("D-IP");
    assertThat(later.getString("leadDepartment")).isEqualTo("D-OTHER");
  }

  @Test
  void twoConcurrentSignsOneWinsOneConflicts() throws Exception {
    JsonObject t = dispatched();
    String path = "/api/v1/tickets/" + t.getString("id") + "/sign";
    CompletableFuture<Response> a = CompletableFuture.supplyAsync(() ->
        server.send(server.request(path, lead).POST(HttpRequest.BodyPublishers.noBody())));
    CompletableFuture<Response> b = CompletableFuture.supplyAsync(() ->
        server.send(server.request(path, lead).POST(HttpRequest.BodyPublishers.noBody())));
    List<Integer> statuses = List.of(a.get().status(), b.get().status());
    assertThat(statuses).containsExactlyInAnyOrder(200, 409);
    assertThat(timeline(t).stream().filter("SIGNED"::equals)).hasSize(1);
  }

  @Test
  void aConsultationAnsweredByTheHotlineIsCreatedClosed() {
    String article = server.post("/api/v1/knowledge", supervisor, new JsonObject().put("title", "社保卡补办")
        .put("body", "携带身份证到社保经办机构办理。")).json().getString("id");
    JsonObject body = Tickets.intake("CONSULT-1").put("type", "CONSULTATION").put("answeredBy", "HOTLINE")
        .put("knowledgeArticleId", article);
    Response r = server.post("/api/v1/tickets", hotline, body);
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    assertThat(r.json().getString("status")).isEqualTo("CLOSED");
    assertThat(r.json().getString("answeredBy")).isEqualTo("HOTLINE");
    assertThat(r.json().getString("knowledgeArticleId")).isEqualTo(article);
    assertThat(timeline(r.json())).containsExactly("RECEIVED", "CLOSED");

    Response missing = server.post("/api/v1/tickets", hotline, Tickets.intake("CONSULT-2").put("type", "CONSULTATION")
        .put("answeredBy", "HOTLINE").put("knowledgeArticleId", java.util.UUID.randomUUID().toString()));
    assertThat(missing.status()).isEqualTo(422);
  }
}
