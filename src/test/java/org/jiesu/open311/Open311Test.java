package org.jiesu.open311;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.jiesu.auth.Role;
import org.jiesu.support.Sql;
import org.jiesu.support.TestServer;
import org.jiesu.support.TestServer.Response;
import org.jiesu.support.WithServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The Open311 GeoReport v2 facade, over HTTP, as a civic reporting client sees it, in JSON and XML. */
@WithServer(departments = {"D-CITY", "D-CATCH"})
class Open311Test {

  static TestServer server;
  static String admin;
  static String hotline;
  static String apiKey;

  /** GeoReport v2 field names, from the specification (wiki.open311.org/GeoReport_v2). */
  static final Set<String> SERVICE_FIELDS = Set.of("service_code", "service_name", "description", "metadata", "type",
      "keywords", "group");
  static final Set<String> ATTRIBUTE_FIELDS = Set.of("variable", "code", "datatype", "required",
      "datatype_description", "order", "description");
  static final Set<String> REQUEST_FIELDS = Set.of("service_request_id", "status", "status_notes", "service_name",
      "service_code", "description", "agency_responsible", "service_notice", "requested_datetime",
      "updated_datetime", "expected_datetime", "address", "address_id", "zipcode", "lat", "long", "media_url");
  static final Set<String> POSTED_FIELDS = Set.of("service_request_id", "service_notice", "account_id");
  static final Set<String> UPDATE_FIELDS = Set.of("update_id", "service_request_id", "status", "updated_datetime",
      "description", "media_url");

  @BeforeAll
  static void configure() {
    admin = server.token(Role.ADMIN);
    hotline = server.token(Role.HOTLINE);
    Response rule = server.post("/api/v1/routing-rules", admin, new JsonObject().put("priority", 10)
        .put("match", new JsonObject().put("category", "city.vending")).put("leadDepartment", "D-CITY")
        .put("assistingDepartments", new JsonArray()));
    assertThat(rule.status()).as(rule.body()).isEqualTo(201);
    Response vending = server.put("/api/v1/open311/services/VEND", admin, new JsonObject().put("name", "占道经营")
        .put("description", "流动摊贩占用道路经营").put("group", "市容环境").put("keywords", new JsonArray().add("摊贩").add("占道"))
        .put("category", "city.vending").put("ticketType", "COMPLAINT")
        .put("attributes", new JsonArray()
            .add(new JsonObject().put("code", "WHEN").put("datatype", "singlevaluelist").put("required", true)
                .put("description", "什么时候出现").put("values", new JsonArray()
                    .add(new JsonObject().put("key", "day").put("name", "白天"))
                    .add(new JsonObject().put("key", "night").put("name", "夜间"))))
            .add(new JsonObject().put("code", "STALLS").put("datatype", "number").put("description", "摊位数量"))));
    assertThat(vending.status()).as(vending.body()).isEqualTo(201);
    Response light = server.put("/api/v1/open311/services/LIGHT", admin, new JsonObject().put("name", "路灯不亮")
        .put("group", "市政设施").put("category", "city.lights").put("ticketType", "HELP"));
    assertThat(light.status()).as(light.body()).isEqualTo(201);
    Response client = server.post("/api/v1/open311/clients", admin, new JsonObject().put("name", "FixMyStreet 海淀"));
    assertThat(client.status()).as(client.body()).isEqualTo(201);
    apiKey = client.json().getString("apiKey");
  }

  static Map<String, String> form(String... pairs) {
    Map<String, String> f = new LinkedHashMap<>();
    f.put("api_key", apiKey);
    for (int i = 0; i < pairs.length; i += 2) {
      f.put(pairs[i], pairs[i + 1]);
    }
    return f;
  }

  static Map<String, String> vendingReport() {
    return form("service_code", "VEND", "lat", "39.983421", "long", "116.316711",
        "address_string", "海淀区中关村大街27号", "description", "天桥下每晚有十几个摊位占道经营",
        "attribute[WHEN]", "night", "attribute[STALLS]", "12",
        "first_name", "三", "last_name", "张", "phone", "13812345678", "email", "zhang@example.cn");
  }

  static String encode(Map<String, String> form) {
    return form.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
  }

  static Response post(String format, Map<String, String> form, String... headers) {
    HttpRequest.Builder b = server.request("/open311/v2/requests." + format, null)
        .header("Content-Type", "application/x-www-form-urlencoded");
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return server.send(b.POST(HttpRequest.BodyPublishers.ofString(encode(form))));
  }

  static Response get(String path) {
    return server.get("/open311/v2/" + path, null);
  }

  /** The XML answer of a path carries the same fields and values as its JSON twin. */
  static Object sameInXml(String path, String query, String root, Response json) {
    Response xml = get(path + ".xml" + query);
    assertThat(xml.status()).as(xml.body()).isEqualTo(json.status());
    assertThat(xml.header("Content-Type").orElse("")).startsWith("application/xml");
    Object fromJson = json.body().startsWith("[") ? new JsonArray(json.body()) : new JsonObject(json.body());
    assertThat(GeoReportXml.read(xml.body(), root)).isEqualTo(GeoReportXml.asText(fromJson));
    return fromJson;
  }

  static JsonArray array(Response r) {
    assertThat(r.header("Content-Type").orElse("")).startsWith("application/json");
    return new JsonArray(r.body());
  }

  static List<String> errors(Response r) {
    List<String> out = new ArrayList<>();
    Object body = r.header("Content-Type").orElse("").startsWith("application/xml")
        ? GeoReportXml.read(r.body(), "errors") : new JsonArray(r.body());
    for (Object e : (JsonArray) body) {
      JsonObject error = (JsonObject) e;
      assertThat(error.fieldNames()).containsExactlyInAnyOrder("code", "description");
      assertThat(String.valueOf(error.getValue("code"))).isEqualTo(Integer.toString(r.status()));
      out.add(error.getString("description"));
    }
    return out;
  }

  static String personal(String body) {
    for (String secret : List.of("13812345678", "5678", "张", "zhang@", "中关村大街", "27号", "39.983421", "116.316711")) {
      assertThat(body).as("public answer carries personal data '" + secret + "'").doesNotContain(secret);
    }
    return body;
  }

  @Test
  void aCivicClientFollowsItsReportFromServicesToTheReplyInJsonAndXml() {
    // services → definition
    JsonArray services = (JsonArray) sameInXml("services", "", "services", get("services.json"));
    JsonObject vend = services.stream().map(JsonObject.class::cast)
        .filter(s -> s.getString("service_code").equals("VEND")).findFirst().orElseThrow();
    assertThat(vend.fieldNames()).isEqualTo(SERVICE_FIELDS);
    assertThat(vend.getBoolean("metadata")).isTrue();
    assertThat(vend.getString("keywords")).isEqualTo("摊贩,占道");
    assertThat(services.stream().map(JsonObject.class::cast).filter(s -> s.getString("service_code").equals("LIGHT"))
        .findFirst().orElseThrow().getBoolean("metadata")).isFalse();
    JsonObject definition = (JsonObject) sameInXml("services/VEND", "", "service_definition", get("services/VEND.json"));
    assertThat(definition.fieldNames()).containsExactlyInAnyOrder("service_code", "attributes");
    JsonObject when = definition.getJsonArray("attributes").getJsonObject(0);
    assertThat(when.fieldNames()).containsAll(ATTRIBUTE_FIELDS);
    assertThat(when.getString("code")).isEqualTo("WHEN");
    assertThat(when.getString("datatype")).isEqualTo("singlevaluelist");
    assertThat(when.getJsonArray("values").getJsonObject(1).fieldNames()).containsExactlyInAnyOrder("key", "name");

    // post (JSON answer) and post (XML answer)
    Instant before = Instant.now().minusSeconds(5);
    Response posted = post("json", vendingReport());
    assertThat(posted.status()).as(posted.body()).isEqualTo(201);
    JsonObject ack = array(posted).getJsonObject(0);
    assertThat(ack.fieldNames()).isEqualTo(POSTED_FIELDS);
    String id = ack.getString("service_request_id");
    assertThat(ack.getString("service_notice")).isEqualTo("Sent to D-CITY.");
    Response postedXml = post("xml", form("service_code", "LIGHT", "address_string", "海淀区某小区", "description", "三号楼前路灯不亮"));
    assertThat(postedXml.status()).as(postedXml.body()).isEqualTo(201);
    JsonObject ackXml = ((JsonArray) GeoReportXml.read(postedXml.body(), "service_requests")).getJsonObject(0);
    assertThat(ackXml.fieldNames()).isEqualTo(POSTED_FIELDS);
    String lightId = ackXml.getString("service_request_id");

    // get by id, in both formats, without personal data
    JsonArray one = (JsonArray) sameInXml("requests/" + id, "", "service_requests", get("requests/" + id + ".json"));
    personal(get("requests/" + id + ".xml").body());
    JsonObject request = one.getJsonObject(0);
    assertThat(request.fieldNames()).isEqualTo(REQUEST_FIELDS);
    assertThat(personal(request.encode())).isNotEmpty();
    assertThat(request.getString("status")).isEqualTo("open");
    assertThat(request.getString("service_code")).isEqualTo("VEND");
    assertThat(request.getString("service_name")).isEqualTo("占道经营");
    assertThat(request.getString("agency_responsible")).isEqualTo("D-CITY");
    assertThat(request.getString("description")).isEqualTo("天桥下每晚有十几个摊位占道经营");
    assertThat(request.getString("address")).isEqualTo("海淀区****");
    assertThat(request.getDouble("lat")).isEqualTo(39.98);
    assertThat(request.getDouble("long")).isEqualTo(116.32);
    assertThat(request.getString("status_notes")).isEqualTo("Sent to D-CITY.");

    // list by date: both requests in the window, newest first; filters by status and service
    String start = before.truncatedTo(ChronoUnit.SECONDS).toString();
    String end = Instant.now().plusSeconds(5).truncatedTo(ChronoUnit.SECONDS).toString();
    String window = "?start_date=" + start + "&end_date=" + end;
    JsonArray listed = (JsonArray) sameInXml("requests", window, "service_requests", get("requests.json" + window));
    // other tests post too: this test's requests are there, newest first, and the list is in that order
    assertThat(ids(listed)).containsSubsequence(lightId, id);
    List<String> times = listed.stream().map(r -> ((JsonObject) r).getString("requested_datetime")).toList();
    assertThat(times).isSortedAccordingTo(java.util.Comparator.<String, Instant>comparing(Instant::parse).reversed());
    personal(listed.encode());
    assertThat(ids(array(get("requests.json" + window + "&service_code=LIGHT")))).containsExactly(lightId);
    assertThat(ids(array(get("requests.json" + window + "&status=closed")))).doesNotContain(id, lightId);
    assertThat(ids(array(get("requests.json?service_request_id=" + id + "," + lightId + ",nonsense"))))
        .containsExactlyInAnyOrder(id, lightId);
    assertThat(ids(array(get("requests.json?start_date=2020-01-01T00:00:00Z&end_date=2020-02-01T00:00:00Z")))).isEmpty();

    // the department handles it; the client sees the reply and the close as updates
    String city = server.staff("D-CITY");
    String ticket = "/api/v1/tickets/" + id;
    assertThat(server.send(server.request(ticket + "/sign", city).POST(HttpRequest.BodyPublishers.noBody())).status())
        .isEqualTo(200);
    assertThat(server.post(ticket + "/contacts", city, new JsonObject().put("at", Instant.now().toString())
        .put("method", "PHONE")).status()).isEqualTo(200);
    Response reply = server.post(ticket + "/reply", city, new JsonObject().put("outcome", "RESOLVED")
        .put("answer", "已联系张三，摊贩已清理"));
    assertThat(reply.status()).as(reply.body()).isEqualTo(200);
    JsonObject afterReply = array(get("requests/" + id + ".json")).getJsonObject(0);
    assertThat(afterReply.getString("status")).isEqualTo("open");
    assertThat(afterReply.getString("status_notes")).isEqualTo("Replied: resolved.");
    assertThat(afterReply.encode()).doesNotContain("摊贩已清理");
    Response callback = server.post(ticket + "/callback", hotline, new JsonObject().put("resolved", true)
        .put("satisfaction", "SATISFIED"));
    assertThat(callback.status()).as(callback.body()).isEqualTo(200);

    JsonArray updates = (JsonArray) sameInXml("servicerequestupdates", window.replace(end,
        Instant.now().plusSeconds(5).truncatedTo(ChronoUnit.SECONDS).toString()), "service_request_updates",
        get("servicerequestupdates.json" + window.replace(end, Instant.now().plusSeconds(5)
            .truncatedTo(ChronoUnit.SECONDS).toString())));
    List<JsonObject> mine = updates.stream().map(JsonObject.class::cast)
        .filter(u -> u.getString("service_request_id").equals(id)).toList();
    mine.forEach(u -> assertThat(u.fieldNames()).isEqualTo(UPDATE_FIELDS));
    assertThat(mine.stream().map(u -> u.getString("description")).toList()).containsExactly(
        "Received.", "Sent to D-CITY.", "Accepted by D-CITY.", "Replied: resolved.", "Closed.");
    assertThat(mine.get(mine.size() - 1).getString("status")).isEqualTo("closed");
    personal(updates.encode());
    JsonObject closed = array(get("requests/" + id + ".json")).getJsonObject(0);
    assertThat(closed.getString("status")).isEqualTo("closed");
    assertThat(ids(array(get("requests.json" + window + "&status=closed")))).contains(id).doesNotContain(lightId);
    assertThat(ids(array(get("requests.json" + window + "&status=open")))).contains(lightId).doesNotContain(id);
  }

  static List<String> ids(JsonArray requests) {
    return requests.stream().map(r -> ((JsonObject) r).getString("service_request_id")).toList();
  }

  @Test
  void aFormEncodedPostBecomesARoutedOpen311TicketWithItsCallerKeptPrivate() {
    Response posted = post("json", vendingReport());
    assertThat(posted.status()).as(posted.body()).isEqualTo(201);
    String id = array(posted).getJsonObject(0).getString("service_request_id");

    JsonObject ticket = server.get("/api/v1/tickets/" + id, hotline).json();
    assertThat(ticket.getString("channel")).isEqualTo("OPEN311");
    assertThat(ticket.getString("status")).isEqualTo("DISPATCHED");
    assertThat(ticket.getString("leadDepartment")).isEqualTo("D-CITY");
    assertThat(ticket.getString("category")).isEqualTo("city.vending");
    assertThat(ticket.getString("type")).isEqualTo("COMPLAINT");
    assertThat(ticket.getString("title")).isEqualTo("占道经营");
    assertThat(ticket.getString("content")).isEqualTo("天桥下每晚有十几个摊位占道经营\n\n什么时候出现: 夜间\n摊位数量: 12");
    // the caller is the ticket's personal data: full to the hotline, audited like any intake
    assertThat(ticket.getJsonObject("caller").getString("phone")).isEqualTo("13812345678");
    assertThat(ticket.getJsonObject("caller").getString("name")).isEqualTo("三 张");
    assertThat(ticket.getJsonObject("location").getString("address")).isEqualTo("海淀区中关村大街27号");
    assertThat(ticket.encode()).doesNotContain("zhang@example.cn");
    server.chainAudit();
    assertThat(Sql.count(server.dbUrl(), "SELECT count(*) FROM audit_entry WHERE ticket_id = '" + id
        + "' AND actor_sub LIKE 'open311:%'")).isPositive();

    // the public reads carry none of it, in either format
    personal(get("requests/" + id + ".json").body());
    personal(get("requests/" + id + ".xml").body());
    assertThat(get("requests/" + id + ".xml").body()).contains("<service_request_id>" + id + "</service_request_id>");
  }

  /** Issue 8: the public request and its update are rows of the action's own statement (see ActionStatementTest). */
  @Test
  void aStaffActionUpdatesThePublicRequestInTheActionsOwnStatement() {
    Response posted = post("json", vendingReport());
    assertThat(posted.status()).as(posted.body()).isEqualTo(201);
    String id = array(posted).getJsonObject(0).getString("service_request_id");
    assertThat(server.send(server.request("/api/v1/tickets/" + id + "/sign", server.staff("D-CITY"))
        .POST(HttpRequest.BodyPublishers.noBody())).status()).isEqualTo(200);
    String sameStatement = "(xmin::text, cmin::text) = (SELECT xmin::text, cmin::text FROM ticket WHERE id = '"
        + id + "')";
    assertThat(Sql.count(server.dbUrl(), "SELECT count(*) FROM open311_request WHERE ticket_id = '" + id
        + "' AND status_notes = 'Accepted by D-CITY.' AND " + sameStatement)).isEqualTo(1);
    assertThat(Sql.count(server.dbUrl(), "SELECT count(*) FROM open311_update WHERE ticket_id = '" + id
        + "' AND kind = 'SIGNED' AND " + sameStatement)).isEqualTo(1);
  }

  @Test
  void anIdempotencyKeyMakesARetryAnswerTheSameRequest() {
    Response first = post("json", vendingReport(), "Idempotency-Key", "retry-1");
    assertThat(first.status()).as(first.body()).isEqualTo(201);
    Response again = post("xml", vendingReport(), "Idempotency-Key", "retry-1");
    assertThat(again.status()).as(again.body()).isEqualTo(200);
    String id = array(first).getJsonObject(0).getString("service_request_id");
    assertThat(again.body()).contains("<service_request_id>" + id + "</service_request_id>");
    Map<String, String> changed = vendingReport();
    changed.put("description", "另一件事");
    Response conflict = post("json", changed, "Idempotency-Key", "retry-1");
    assertThat(conflict.status()).isEqualTo(409);
    assertThat(errors(conflict)).singleElement().asString().startsWith("Idempotency-Key:");
    // concurrent first posts with one key: one request, made once
    List<java.util.concurrent.CompletableFuture<Response>> racing = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      racing.add(java.util.concurrent.CompletableFuture.supplyAsync(() -> post("json", vendingReport(),
          "Idempotency-Key", "race-1")));
    }
    List<Response> answers = racing.stream().map(java.util.concurrent.CompletableFuture::join).toList();
    assertThat(answers).extracting(Response::status).containsOnly(200, 201).containsOnlyOnce(201);
    assertThat(answers.stream().map(r -> array(r).getJsonObject(0).getString("service_request_id")).distinct())
        .hasSize(1);
    // without a key every post is a new request
    assertThat(array(post("json", vendingReport())).getJsonObject(0).getString("service_request_id")).isNotEqualTo(id);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"json", "xml"})
  void badInputIsRefusedNamingTheField(String format) {
    Map<String, String> noDescription = vendingReport();
    noDescription.remove("description");
    assertThat(errors(expect(400, post(format, noDescription)))).containsExactly("description: is required");

    Map<String, String> longDescription = vendingReport();
    longDescription.put("description", "长".repeat(4001));
    assertThat(errors(expect(400, post(format, longDescription)))).containsExactly(
        "description: is longer than 4000 characters");
    longDescription.put("description", "长".repeat(4000));
    expect(201, post(format, longDescription));

    Map<String, String> bad = vendingReport();
    bad.put("lat", "north");
    bad.put("attribute[WHEN]", "noon");
    bad.put("attribute[COLOUR]", "red");
    bad.put("phone", "call me");
    bad.put("email", "nobody");
    assertThat(errors(expect(400, post(format, bad)))).containsExactlyInAnyOrder(
        "lat: must be a decimal number",
        "attribute[WHEN]: 'noon' is not one of its keys [day, night]",
        "attribute[COLOUR]: is not an attribute service VEND asks",
        "phone: is not a telephone number (digits, an optional + and hyphens)",
        "email: is not an email address");

    Map<String, String> missing = vendingReport();
    missing.remove("attribute[WHEN]");
    missing.remove("lat");
    missing.remove("long");
    missing.remove("address_string");
    missing.put("nickname", "x");
    assertThat(errors(expect(400, post(format, missing)))).containsExactly("nickname: unknown field");
    missing.remove("nickname");
    assertThat(errors(expect(400, post(format, missing)))).containsExactlyInAnyOrder(
        "lat: a location is required: lat and long, or address_string",
        "attribute[WHEN]: is required: 什么时候出现");

    Map<String, String> unknownService = vendingReport();
    unknownService.put("service_code", "NOPE");
    assertThat(errors(expect(400, post(format, unknownService)))).containsExactly("service_code: no service 'NOPE'");

    Map<String, String> wrongKey = vendingReport();
    wrongKey.put("api_key", "o311_guess");
    assertThat(errors(expect(403, post(format, wrongKey)))).containsExactly("api_key: is not a valid key");
    Map<String, String> noKey = vendingReport();
    noKey.remove("api_key");
    assertThat(errors(expect(400, post(format, noKey)))).containsExactly("api_key: is required");

    Response json = server.send(server.request("/open311/v2/requests." + format, null)
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")));
    assertThat(errors(expect(415, json))).singleElement().asString().contains("x-www-form-urlencoded");

    assertThat(errors(expect(400, get("requests." + format + "?start_date=2026-01-01T00:00:00Z&end_date=2026-04-02T00:00:00Z"))))
        .containsExactly("end_date: lies more than 90 days after start_date");
    assertThat(errors(expect(400, get("requests." + format + "?start_date=yesterday")))).singleElement().asString()
        .startsWith("start_date: ");
    assertThat(errors(expect(400, get("requests." + format + "?status=pending")))).singleElement().asString()
        .startsWith("status: ");
    assertThat(errors(expect(404, get("services/NOPE." + format)))).containsExactly("service_code: no service 'NOPE'");
    assertThat(errors(expect(404, get("requests/00000000-0000-0000-0000-000000000000." + format))))
        .containsExactly("service_request_id: no request '00000000-0000-0000-0000-000000000000'");
  }

  static Response expect(int status, Response r) {
    assertThat(r.status()).as(r.body()).isEqualTo(status);
    return r;
  }

  @Test
  void aRevokedClientCanNoLongerPostAndOnlyAdminConfiguresTheFacade() {
    Response created = server.post("/api/v1/open311/clients", admin, new JsonObject().put("name", "short-lived"));
    String key = created.json().getString("apiKey");
    Map<String, String> report = vendingReport();
    report.put("api_key", key);
    expect(201, post("json", report));
    Response listed = server.get("/api/v1/open311/clients", admin);
    assertThat(listed.body()).doesNotContain(key).doesNotContain(apiKey);
    assertThat(Sql.count(server.dbUrl(), "SELECT count(*) FROM open311_client WHERE key_hash = '"
        + Open311.sha256(key) + "'")).isEqualTo(1);
    Response revoked = server.send(server.request("/api/v1/open311/clients/" + created.json().getString("id"), admin)
        .DELETE());
    assertThat(revoked.status()).as(revoked.body()).isEqualTo(200);
    assertThat(revoked.json().getBoolean("active")).isFalse();
    assertThat(errors(expect(403, post("json", report)))).containsExactly("api_key: is not a valid key");

    assertThat(server.put("/api/v1/open311/services/X", hotline, new JsonObject().put("name", "x")
        .put("category", "x").put("ticketType", "HELP")).status()).isEqualTo(403);
    assertThat(server.put("/api/v1/open311/services/X", admin, new JsonObject().put("name", "x")
        .put("category", "x").put("ticketType", "HELP").put("attributes", new JsonArray().add(new JsonObject()
            .put("code", "A").put("datatype", "singlevaluelist").put("description", "a")))).status()).isEqualTo(400);
    Response inactive = server.put("/api/v1/open311/services/OLD", admin, new JsonObject().put("name", "old")
        .put("category", "x").put("ticketType", "HELP").put("active", false));
    assertThat(inactive.status()).isEqualTo(201);
    assertThat(get("services.json").body()).doesNotContain("\"OLD\"");
    assertThat(server.get("/api/v1/open311/services", admin).body()).contains("\"OLD\"");
  }
}
