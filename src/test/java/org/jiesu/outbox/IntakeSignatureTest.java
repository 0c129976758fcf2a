package org.jiesu.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jiesu.auth.Role;
import org.jiesu.platform.Config;
import org.jiesu.support.TestDatabase;
import org.jiesu.support.TestServer;
import org.jiesu.support.TestServer.Response;
import org.jiesu.support.Tickets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A deployment that sets JIESU_INTAKE_SIGNING_SECRET takes in only tickets signed as Standard Webhooks. */
class IntakeSignatureTest {

  static final String SECRET = WebhookSignature.newSecret();
  static TestServer server;
  static String hotline;

  @BeforeAll
  static void start() {
    server = TestServer.start(TestDatabase.fresh(), java.time.Clock.systemUTC(), c -> c.withWebhooks(new Config.Webhooks(
        List.of(Duration.ZERO), "", Duration.ofSeconds(15), Optional.of(SECRET))));
    server.department("D-A", "district");
    hotline = server.token(Role.HOTLINE);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static Response intake(String body, String id, Long timestamp, String signature) {
    HttpRequest.Builder b = server.request("/api/v1/tickets", hotline).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body));
    if (id != null) {
      b.header("webhook-id", id).header("webhook-timestamp", Long.toString(timestamp)).header("webhook-signature", signature);
    }
    return server.send(b);
  }

  @Test
  void aSignedIntakeIsTakenInAndAnUnsignedStaleOrAlteredOneIsRefused() {
    String body = Tickets.dispatched("SIG-1", "D-A").encode();
    long now = Instant.now().getEpochSecond();
    assertThat(intake(body, null, null, null).status()).as("unsigned").isEqualTo(401);
    assertThat(intake(body, "msg_1", now, WebhookSignature.sign(SECRET, "msg_1", now, body + " ")).status())
        .as("signature over other bytes").isEqualTo(401);
    assertThat(intake(body, "msg_1", now - 600, WebhookSignature.sign(SECRET, "msg_1", now - 600, body)).status())
        .as("outside the replay window").isEqualTo(401);
    assertThat(intake(body, "msg_1", now, WebhookSignature.sign(WebhookSignature.newSecret(), "msg_1", now, body))
        .status()).as("another secret").isEqualTo(401);
    Response ok = intake(body, "msg_1", now, WebhookSignature.sign(SECRET, "msg_1", now, body));
    assertThat(ok.status()).as(ok.body()).isEqualTo(201);
    // other operations are not affected
    assertThat(server.get("/api/v1/tickets", hotline).status()).isEqualTo(200);
  }
}
