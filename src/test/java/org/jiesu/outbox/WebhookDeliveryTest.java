package org.jiesu.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.jiesu.auth.Role;
import org.jiesu.platform.Config;
import org.jiesu.support.MutableClock;
import org.jiesu.support.Sql;
import org.jiesu.support.TestDatabase;
import org.jiesu.support.TestServer;
import org.jiesu.support.TestServer.Response;
import org.jiesu.support.Tickets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Webhooks end to end: a real server, a real receiver over HTTP, ticket changes made through the API and
 * SLA breaches fired by the scheduler. The retry schedule is shortened (PT0S, then 0.2 s steps; five
 * attempts) and an attempt's deadline is 1 s, as a deployment may set them; localhost is allow-listed.
 */
class WebhookDeliveryTest {

  static final MutableClock CLOCK = new MutableClock(at("2026-11-23T09:00:00")); // a Monday
  static TestServer server;
  static Receiver receiver;
  static String admin;
  static String hotline;
  static String lead;
  static int counter;

  static Instant at(String local) {
    return OffsetDateTime.parse(local + "+08:00").toInstant();
  }

  @BeforeAll
  static void start() throws Exception {
    receiver = new Receiver();
    server = TestServer.start(TestDatabase.fresh(), CLOCK, c -> c.withWebhooks(new Config.Webhooks(
        List.of(Duration.ZERO, Duration.ofMillis(200), Duration.ofMillis(200), Duration.ofMillis(200),
            Duration.ofMillis(200)), "localhost", Duration.ofSeconds(1), Optional.empty())));
    server.department("D-A", "district");
    admin = server.token(Role.ADMIN);
    hotline = server.token(Role.HOTLINE);
    lead = server.staff("D-A");
  }

  @AfterAll
  static void stop() {
    server.close();
    receiver.close();
  }

  static JsonObject subscribe(String path, String... events) {
    Response r = server.post("/api/v1/webhook-subscriptions", admin, new JsonObject().put("url", receiver.url(path))
        .put("events", new JsonArray(List.of(events))));
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    return r.json();
  }

  static JsonObject dispatched() {
    CLOCK.set(at("2026-11-23T09:00:00"));
    Response r = server.post("/api/v1/tickets", hotline, Tickets.dispatched("WH-" + (++counter), "D-A"));
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    return r.json();
  }

  static Response act(JsonObject t, String action, String token, JsonObject body) {
    String path = "/api/v1/tickets/" + t.getString("id") + "/" + action;
    return body == null ? server.send(server.request(path, token).POST(HttpRequest.BodyPublishers.noBody()))
        : server.post(path, token, body);
  }

  static void sign(JsonObject t) {
    assertThat(act(t, "sign", lead, null).status()).isEqualTo(200);
  }

  /** What the receiver got at {@code path} about ticket {@code t}, in arrival order. */
  static List<Receiver.Received> about(String path, JsonObject t) {
    return receiver.at(path).stream()
        .filter(r -> t.getString("id").equals(r.json().getJsonObject("data").getString("ticketId"))).toList();
  }

  static void waitFor(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within 30 s: " + what);
      }
      Thread.sleep(20);
    }
  }

  static JsonObject delivery(String id) {
    Response r = server.get("/api/v1/webhook-deliveries/" + id, admin);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return r.json();
  }

  static Response redeliver(String id) {
    return server.send(server.request("/api/v1/webhook-deliveries/" + id + "/redelivery", admin)
        .POST(HttpRequest.BodyPublishers.noBody()));
  }

  static JsonObject settled(String id) throws InterruptedException {
    waitFor(() -> !"PENDING".equals(delivery(id).getString("status")), "delivery " + id + " settles");
    return delivery(id);
  }

  @Test
  void aTicketSignedRepliedBreachedAndClosedGivesFourSignedDeliveriesWithoutPersonalData() throws Exception {
    JsonObject sub = subscribe("/four", "ticket.signed", "ticket.replied", "sla.breached", "ticket.closed");
    String secret = sub.getString("secret");
    assertThat(secret).startsWith("whsec_");
    JsonObject t = dispatched();

    CLOCK.set(at("2026-11-23T14:30:00")); // the sign deadline: 4 office hours
    server.fireDueTimers();
    CLOCK.set(at("2026-11-23T15:00:00"));
    sign(t);
    assertThat(act(t, "contacts", lead, new JsonObject().put("at", at("2026-11-23T15:00:00").toString())
        .put("method", "PHONE")).status()).isBetween(200, 201);
    assertThat(act(t, "reply", lead, new JsonObject().put("outcome", "RESOLVED").put("answer", "已退款，张三丰满意"))
        .status()).isEqualTo(200);
    assertThat(act(t, "callback", hotline, new JsonObject().put("resolved", true).put("satisfaction", "SATISFIED"))
        .status()).isEqualTo(200);

    waitFor(() -> about("/four", t).size() >= 4, "four deliveries");
    List<Receiver.Received> got = about("/four", t);
    assertThat(got).hasSize(4);
    assertThat(got.stream().map(r -> r.json().getString("type")))
        .containsExactlyInAnyOrder("sla.breached", "ticket.signed", "ticket.replied", "ticket.closed");
    for (Receiver.Received r : got) {
      assertThat(Receiver.verifies(secret, r)).as("signature of " + r.body()).isTrue();
      assertThat(Math.abs(Long.parseLong(r.timestamp()) - Instant.now().getEpochSecond())).isLessThan(60);
      JsonObject data = r.json().getJsonObject("data");
      assertThat(data.getString("externalId")).isEqualTo(t.getString("externalId"));
      assertThat(data.getInteger("round")).isEqualTo(1);
      assertThat(data.getString("state")).isNotBlank();
      assertThat(r.body()).doesNotContain("张三丰", "13812345678", "中关村大街", "已退款", "39.98");
    }
    JsonObject breach = got.stream().filter(r -> r.json().getString("type").equals("sla.breached")).findFirst()
        .orElseThrow().json();
    assertThat(breach.getJsonObject("data").getString("timer")).isEqualTo("SIGN");
    assertThat(breach.getJsonObject("data").getString("department")).isEqualTo("D-A");
    assertThat(got.stream().filter(r -> r.json().getString("type").equals("ticket.closed")).findFirst().orElseThrow()
        .json().getJsonObject("data").getString("state")).isEqualTo("CLOSED");

    // the deliveries and their attempts are listed
    Response list = server.get("/api/v1/webhook-subscriptions/" + sub.getString("id") + "/deliveries", admin);
    assertThat(list.status()).as(list.body()).isEqualTo(200);
    waitFor(() -> server.get("/api/v1/webhook-subscriptions/" + sub.getString("id") + "/deliveries?status=DELIVERED",
        admin).json().getJsonArray("items").size() == 4, "four recorded as delivered");
    String metrics = server.get("/metrics", null).body();
    assertThat(metrics).contains("jiesu_webhook_backlog", "jiesu_webhook_oldest_age_seconds",
        "jiesu_webhook_attempts_total{result=\"delivered\"}", "jiesu_webhook_latency_seconds_bucket");
    JsonObject one = delivery(got.get(0).id());
    assertThat(one.getString("status")).isEqualTo("DELIVERED");
    assertThat(one.getJsonArray("attempts")).hasSize(1);
    assertThat(one.getJsonArray("attempts").getJsonObject(0).getInteger("statusCode")).isEqualTo(204);
  }

  @Test
  void aReceiverThatFailsThreeTimesGetsTheEventAgainWithTheSameWebhookId() throws Exception {
    receiver.on("/flaky", Receiver.failing(3));
    subscribe("/flaky", "ticket.signed");
    JsonObject t = dispatched();
    sign(t);
    waitFor(() -> about("/flaky", t).size() >= 4, "four attempts");
    List<Receiver.Received> got = about("/flaky", t);
    assertThat(got.stream().map(Receiver.Received::id).distinct()).hasSize(1);
    assertThat(got.stream().map(Receiver.Received::body).distinct()).as("the same body each time").hasSize(1);
    JsonObject d = settled(got.get(0).id());
    assertThat(d.getString("status")).isEqualTo("DELIVERED");
    assertThat(d.getInteger("attemptCount")).isEqualTo(4);
    assertThat(d.getJsonArray("attempts").stream().map(a -> ((JsonObject) a).getString("result")))
        .containsExactly("FAILED", "FAILED", "FAILED", "DELIVERED");
    assertThat(d.getJsonArray("attempts").getJsonObject(0).getInteger("statusCode")).isEqualTo(500);
    assertThat(d.getJsonArray("attempts").getJsonObject(0).getString("error")).isEqualTo("answer 500");
  }

  @Test
  void aReceiverThatAlwaysFailsEndsAsADeadLetterThatAnAdminRedelivers() throws Exception {
    receiver.on("/down", n -> Receiver.Answer.of(500));
    JsonObject sub = subscribe("/down", "ticket.signed");
    JsonObject t = dispatched();
    sign(t);
    waitFor(() -> about("/down", t).size() >= 5, "five attempts");
    String id = about("/down", t).get(0).id();
    JsonObject dead = settled(id);
    assertThat(dead.getString("status")).isEqualTo("DEAD");
    assertThat(dead.getInteger("attemptCount")).isEqualTo(5);
    assertThat(server.get("/api/v1/webhook-subscriptions/" + sub.getString("id") + "/deliveries?status=DEAD", admin)
        .json().getJsonArray("items").stream().map(o -> ((JsonObject) o).getString("id"))).contains(id);
    Thread.sleep(500);
    assertThat(about("/down", t)).as("no attempt after the last of the schedule").hasSize(5);

    receiver.on("/down", Receiver.ok());
    Response again = redeliver(id);
    assertThat(again.status()).as(again.body()).isEqualTo(202);
    JsonObject delivered = settled(id);
    assertThat(delivered.getString("status")).isEqualTo("DELIVERED");
    assertThat(about("/down", t).get(5).id()).isEqualTo(id);
    assertThat(redeliver(id).status())
        .as("only a dead letter is redelivered").isEqualTo(409);
    assertThat(Sql.count(server.dbUrl(), "SELECT count(*) FROM audit_entry WHERE action = 'WEBHOOK_REDELIVER'"))
        .isGreaterThanOrEqualTo(1);
  }

  @Test
  void goneDisablesTheSubscriptionAndNothingMoreIsQueuedForIt() throws Exception {
    receiver.on("/gone", n -> Receiver.Answer.of(410));
    JsonObject sub = subscribe("/gone", "ticket.signed", "ticket.contacted");
    JsonObject t = dispatched();
    sign(t);
    waitFor(() -> about("/gone", t).size() == 1, "one attempt");
    JsonObject d = settled(about("/gone", t).get(0).id());
    assertThat(d.getString("status")).isEqualTo("DEAD");
    assertThat(d.getInteger("attemptCount")).isEqualTo(1);
    assertThat(d.getString("lastResult")).isEqualTo("GONE");
    JsonObject now = server.get("/api/v1/webhook-subscriptions/" + sub.getString("id"), admin).json();
    assertThat(now.getBoolean("enabled")).isFalse();
    assertThat(now.getString("disabledReason")).contains("410");
    assertThat(act(t, "contacts", lead, new JsonObject().put("at", at("2026-11-23T09:00:00").toString())
        .put("method", "PHONE")).status()).isBetween(200, 201);
    assertThat(Sql.count(server.dbUrl(), "SELECT count(*) FROM webhook_delivery WHERE subscription_id = '"
        + sub.getString("id") + "'")).isEqualTo(1);
  }

  @Test
  void tooManyRequestsIsRetriedAfterTheReceiversRetryAfter() throws Exception {
    receiver.on("/busy", n -> n == 1 ? new Receiver.Answer(429, Map.of("Retry-After", "2"), 0) : Receiver.Answer.of(200));
    subscribe("/busy", "ticket.signed");
    JsonObject t = dispatched();
    sign(t);
    waitFor(() -> about("/busy", t).size() >= 2, "a second attempt");
    List<Receiver.Received> got = about("/busy", t);
    // the schedule says 0.2 s; the receiver asked for 2 s
    assertThat(Duration.ofNanos(got.get(1).nanos() - got.get(0).nanos())).isGreaterThan(Duration.ofMillis(1900));
    assertThat(settled(got.get(0).id()).getString("status")).isEqualTo("DELIVERED");
  }

  @Test
  void aReceiverThatHangsTimesOutAndIsTriedAgain() throws Exception {
    receiver.on("/hang", n -> n == 1 ? Receiver.Answer.of(0) : Receiver.Answer.of(200));
    subscribe("/hang", "ticket.signed");
    JsonObject t = dispatched();
    sign(t);
    waitFor(() -> about("/hang", t).size() >= 2, "a second attempt");
    JsonObject d = settled(about("/hang", t).get(0).id());
    assertThat(d.getString("status")).isEqualTo("DELIVERED");
    JsonObject first = d.getJsonArray("attempts").getJsonObject(0);
    assertThat(first.getString("result")).isEqualTo("TIMEOUT");
    assertThat(first.getInteger("durationMs")).isGreaterThanOrEqualTo(900);
  }

  @Test
  void redirectsAreNotFollowed() throws Exception {
    receiver.on("/moved", n -> new Receiver.Answer(302, Map.of("Location", receiver.url("/moved-to")), 0));
    subscribe("/moved", "ticket.signed");
    JsonObject t = dispatched();
    sign(t);
    waitFor(() -> about("/moved", t).size() >= 1, "an attempt");
    JsonObject d = delivery(about("/moved", t).get(0).id());
    waitFor(() -> delivery(d.getString("id")).getJsonArray("attempts").size() >= 1, "the attempt recorded");
    JsonObject first = delivery(d.getString("id")).getJsonArray("attempts").getJsonObject(0);
    assertThat(first.getInteger("statusCode")).isEqualTo(302);
    assertThat(first.getString("result")).isEqualTo("FAILED");
    assertThat(receiver.at("/moved-to")).isEmpty();
  }

  @Test
  void privateLoopbackMetadataAndPlainHttpDestinationsAreRefused() {
    for (String url : List.of("https://10.0.0.5/hook", "https://192.168.1.10/hook", "https://127.0.0.1/hook",
        "https://169.254.169.254/latest/meta-data", "https://[::1]/hook", "https://[fd00::1]/hook",
        "http://hooks.example.gov.cn/hook", "https://user:pw@hooks.example.gov.cn/hook")) {
      Response r = server.post("/api/v1/webhook-subscriptions", admin, new JsonObject().put("url", url)
          .put("events", new JsonArray().add("ticket.signed")));
      assertThat(r.status()).as(url + " " + r.body()).isEqualTo(422);
      assertThat(r.json().getString("type")).isEqualTo("urn:jiesu:problem:unsafe-destination");
      assertThat(r.json().getJsonArray("errors").getJsonObject(0).getString("field")).isEqualTo("/url");
    }
    // a subscription that was allowed cannot be moved to a private address either
    JsonObject sub = subscribe("/moving", "ticket.signed");
    Response moved = server.put("/api/v1/webhook-subscriptions/" + sub.getString("id"), admin,
        new JsonObject().put("url", "https://10.1.2.3/hook").put("events", new JsonArray().add("ticket.signed")));
    assertThat(moved.status()).as(moved.body()).isEqualTo(422);
  }

  @Test
  void subscriptionsAreAdminOnlyAuditedAndShowTheSecretOnce() {
    assertThat(server.get("/api/v1/webhook-subscriptions", hotline).status()).isEqualTo(403);
    JsonObject sub = subscribe("/crud", "ticket.closed");
    String id = sub.getString("id");
    Response got = server.get("/api/v1/webhook-subscriptions/" + id, admin);
    assertThat(got.status()).isEqualTo(200);
    assertThat(got.json().containsKey("secret")).isFalse();
    assertThat(got.body()).doesNotContain(sub.getString("secret"));
    assertThat(server.get("/api/v1/webhook-subscriptions?limit=200", admin).json().getJsonArray("items").stream()
        .map(o -> ((JsonObject) o).getString("id"))).contains(id);

    Response updated = server.put("/api/v1/webhook-subscriptions/" + id, admin, new JsonObject()
        .put("url", receiver.url("/crud2")).put("events", new JsonArray().add("ticket.closed").add("ticket.closed"))
        .put("enabled", false).put("description", "平台"));
    assertThat(updated.status()).as(updated.body()).isEqualTo(200);
    assertThat(updated.json().getJsonArray("events")).containsExactly("ticket.closed");
    assertThat(updated.json().getBoolean("enabled")).isFalse();

    Response bad = server.post("/api/v1/webhook-subscriptions", admin, new JsonObject().put("url", receiver.url("/x"))
        .put("events", new JsonArray().add("ticket.exploded")));
    assertThat(bad.status()).isEqualTo(400);
    Response shortSecret = server.post("/api/v1/webhook-subscriptions", admin, new JsonObject()
        .put("url", receiver.url("/x")).put("events", new JsonArray().add("ticket.closed")).put("secret", "whsec_AAAA"));
    assertThat(shortSecret.status()).isEqualTo(400);

    assertThat(server.send(server.request("/api/v1/webhook-subscriptions/" + id, admin).DELETE()).status())
        .isEqualTo(204);
    assertThat(server.get("/api/v1/webhook-subscriptions/" + id, admin).status()).isEqualTo(404);
    assertThat(server.get("/api/v1/webhook-subscriptions/not-a-uuid", admin).status()).isEqualTo(404);
    for (String action : List.of("WEBHOOK_SUBSCRIPTION_CREATE", "WEBHOOK_SUBSCRIPTION_UPDATE",
        "WEBHOOK_SUBSCRIPTION_DELETE")) {
      assertThat(Sql.count(server.dbUrl(), "SELECT count(*) FROM audit_entry WHERE action = '" + action
          + "' AND detail::jsonb->>'subscription' = '" + id + "'")).as(action).isEqualTo(1);
    }
    assertThat(Sql.count(server.dbUrl(), "SELECT count(*) FROM audit_entry WHERE detail::text LIKE '%"
        + sub.getString("secret").substring(6, 20) + "%'")).as("no secret in the audit log").isZero();
  }

  @Test
  void aRotatedSecretSignsBesideThePreviousOneDuringItsGrace() throws Exception {
    JsonObject sub = subscribe("/rotated", "ticket.signed");
    String old = sub.getString("secret");
    Response rotated = server.post("/api/v1/webhook-subscriptions/" + sub.getString("id") + "/secret-rotation", admin,
        new JsonObject().put("gracePeriod", "PT1H"));
    assertThat(rotated.status()).as(rotated.body()).isEqualTo(200);
    String fresh = rotated.json().getString("secret");
    assertThat(fresh).startsWith("whsec_").isNotEqualTo(old);
    assertThat(rotated.json().getString("previousSecretExpiresAt")).isNotNull();
    JsonObject t = dispatched();
    sign(t);
    waitFor(() -> about("/rotated", t).size() >= 1, "a delivery");
    Receiver.Received r = about("/rotated", t).get(0);
    assertThat(r.signature().split(" ")).hasSize(2);
    assertThat(Receiver.verifies(old, r)).isTrue();
    assertThat(Receiver.verifies(fresh, r)).isTrue();

    // with no grace the previous secret stops signing at once
    Response again = server.post("/api/v1/webhook-subscriptions/" + sub.getString("id") + "/secret-rotation", admin,
        new JsonObject().put("gracePeriod", "PT0S"));
    String third = again.json().getString("secret");
    JsonObject t2 = dispatched();
    sign(t2);
    waitFor(() -> about("/rotated", t2).size() >= 1, "a delivery");
    Receiver.Received r2 = about("/rotated", t2).get(0);
    assertThat(Receiver.verifies(third, r2)).isTrue();
    assertThat(Receiver.verifies(fresh, r2)).isFalse();
  }
}
