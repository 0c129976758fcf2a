package org.jiesu.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.jiesu.auth.Keys;
import org.jiesu.platform.Database;
import org.jiesu.support.ServerProcesses;
import org.jiesu.support.Sql;
import org.jiesu.support.TestDatabase;
import org.jiesu.support.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two server processes relay one outbox, as replicas do; one is killed with SIGKILL while it has deliveries
 * in flight and started again. Every event reaches the receiver at least once, and once the receiver dedupes
 * by webhook-id, exactly once; every request verifies.
 */
class WebhookRelayKillTest {

  private ServerProcesses servers;
  private Receiver receiver;

  @AfterEach
  void stopAll() throws Exception {
    if (servers != null) {
      servers.close();
    }
    if (receiver != null) {
      receiver.close();
    }
  }

  private Process replica(String db, Path jwks, Path folder, int port) throws Exception {
    return servers.serve(Map.of("JIESU_DB_URL", db, "JIESU_JWT_JWKS", jwks.toString(),
        "JIESU_HTTP_PORT", Integer.toString(port), "JIESU_DATA_DIR", folder.toString(), "JIESU_DB_POOL_SIZE", "4",
        "JIESU_WEBHOOK_ALLOW", "localhost", "JIESU_WEBHOOK_TIMEOUT", "PT5S",
        "JIESU_WEBHOOK_RETRY_SCHEDULE", "PT0S,PT0.5S,PT0.5S,PT0.5S,PT0.5S,PT0.5S"), port);
  }

  @Test
  void aRelayKilledMidDeliveryLosesNothingAndDedupedByWebhookIdEachEventArrivesOnce() throws Exception {
    servers = ServerProcesses.inNewFolder("jiesu-relay-kill");
    Path folder = servers.folder();
    Path jwks = Keys.ensureDevKeys(folder);
    String db = TestDatabase.fresh();
    Database.migrate(Database.Target.parse(db));
    receiver = new Receiver();
    // a slow receiver, so the kill lands while deliveries are in flight
    receiver.on("/hook", n -> new Receiver.Answer(204, Map.of(), 300));
    String secret = WebhookSignature.newSecret();
    int n = 2000;
    Sql.execute(db, """
        INSERT INTO webhook_subscription (id, url, events, secret, created_at, updated_at)
        VALUES ('00000000-0000-0000-0000-00000000000a', '%s', '{ticket.signed}', '%s', now(), now())"""
        .formatted(receiver.url("/hook"), secret));
    int portA = TestServer.freePort();
    int portB = TestServer.freePort();
    replica(db, jwks, folder, portA);
    Process b = replica(db, jwks, folder, portB);

    // committed outbox rows, as ticket changes leave them, and the NOTIFY their commit sends; a few first,
    // so both relays have made their first connections before the burst
    enqueue(db, 1, 20);
    waitFor(() -> Sql.count(db, "SELECT count(*) FROM webhook_delivery WHERE status = 'DELIVERED'") == 20, 60);
    enqueue(db, 21, n);

    waitFor(() -> receiver.received.size() >= 400, 60);
    long inFlightAtKill = Sql.count(db, "SELECT count(*) FROM webhook_delivery WHERE status = 'PENDING' "
        + "AND next_at > clock_timestamp() AND attempts = 0");
    b.destroyForcibly().waitFor(30, TimeUnit.SECONDS); // SIGKILL with deliveries claimed and in flight
    assertThat(receiver.received.size()).as("killed mid-way").isLessThan(n);
    replica(db, jwks, folder, portB);
    waitFor(() -> Sql.count(db, "SELECT count(*) FROM webhook_delivery WHERE status = 'DELIVERED'") == n, 120);

    Set<String> ids = receiver.at("/hook").stream().map(Receiver.Received::id).collect(Collectors.toSet());
    Set<String> stored = strings(db, "SELECT id::text FROM webhook_delivery");
    assertThat(ids).as("every event arrived; deduped by webhook-id, once each").isEqualTo(stored).hasSize(n);
    assertThat(receiver.at("/hook")).allMatch(r -> Receiver.verifies(secret, r), "verifies");
    assertThat(Sql.count(db, "SELECT count(*) FROM webhook_delivery WHERE status <> 'DELIVERED'")).isZero();
    System.out.println("attempts by result: " + strings(db,
        "SELECT result || ':' || coalesce(status_code, 0) || ':' || count(*) FROM webhook_attempt GROUP BY result, status_code"));
    System.out.printf("relay kill: %d events, %d requests received (%d repeated after the kill), %d claimed at the kill%n",
        n, receiver.at("/hook").size(), receiver.at("/hook").size() - n, inFlightAtKill);
  }

  private static void enqueue(String db, int from, int to) throws Exception {
    Sql.execute(db, """
        INSERT INTO webhook_delivery (id, subscription_id, event_type, occurred_at, data, next_at)
        SELECT gen_random_uuid(), '00000000-0000-0000-0000-00000000000a', 'ticket.signed', now(),
               jsonb_build_object('ticketId', gen_random_uuid(), 'externalId', 'K-' || g, 'state', 'SIGNED', 'round', 1),
               clock_timestamp()
          FROM generate_series(%d, %d) g""".formatted(from, to), "NOTIFY jiesu_webhooks");
  }

  private static Set<String> strings(String db, String query) throws Exception {
    Set<String> out = new java.util.HashSet<>();
    try (var c = Sql.connect(db); var s = c.createStatement(); var rs = s.executeQuery(query)) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }

  private static void waitFor(java.util.function.BooleanSupplier condition, int seconds) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not reached within " + seconds + " s");
      }
      Thread.sleep(10);
    }
  }
}
