package org.jiesu.sla;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.jiesu.auth.Keys;
import org.jiesu.auth.Role;
import org.jiesu.auth.Tokens;
import org.jiesu.platform.Database;
import org.jiesu.support.ServerProcesses;
import org.jiesu.support.Sql;
import org.jiesu.support.TestDatabase;
import org.jiesu.support.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Three server processes on one database, as replicas run: A serves a supervision stream and fires nothing
 * (JIESU_SLA_SCHEDULER=false), B and C fire deadlines; B is killed with SIGKILL midway and started again.
 * Every deadline fires exactly once, and A's stream carries breaches that B and C fired.
 */
class SlaReplicasTest {

  private Path scratch;
  private ServerProcesses servers;
  private final HttpClient http = HttpClient.newHttpClient();

  @AfterEach
  void stopAll() throws Exception {
    if (servers != null) {
      servers.close();
    }
  }

  private Process replica(String db, Path jwks, int port, boolean fires) throws Exception {
    return servers.serve(Map.of("JIESU_DB_URL", db, "JIESU_JWT_JWKS", jwks.toString(),
        "JIESU_HTTP_PORT", Integer.toString(port), "JIESU_DATA_DIR", scratch.toString(),
        "JIESU_SLA_SCHEDULER", Boolean.toString(fires), "JIESU_DB_POOL_SIZE", "4"), port);
  }

  @Test
  void everyDeadlineFiresExactlyOnceAcrossReplicasAndAKillAndAnyReplicaStreamsIt() throws Exception {
    servers = ServerProcesses.inNewFolder("jiesu-replicas");
    scratch = servers.folder();
    Path jwks = Keys.ensureDevKeys(scratch);
    String db = TestDatabase.fresh();
    Database.migrate(Database.Target.parse(db));
    Vertx vertx = Vertx.vertx();
    String supervisor = new Tokens(vertx, Keys.readPem(scratch.resolve(Keys.DEV_PRIVATE_KEY)), Keys.DEV_KID,
        TestServer.ISSUER, TestServer.AUDIENCE).mint("sup", List.of(Role.SUPERVISOR), Optional.empty(), Duration.ofMinutes(30));
    vertx.close();
    int portA = TestServer.freePort();
    int portB = TestServer.freePort();
    int portC = TestServer.freePort();
    replica(db, jwks, portA, false);
    Process b = replica(db, jwks, portB, true);
    replica(db, jwks, portC, true);

    // the stream on A, read on a thread of its own
    Set<Long> streamed = ConcurrentHashMap.newKeySet();
    HttpResponse<InputStream> stream = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + portA
        + "/api/v1/supervision/stream")).header("Authorization", "Bearer " + supervisor).build(),
        HttpResponse.BodyHandlers.ofInputStream());
    assertThat(stream.statusCode()).isEqualTo(200);
    Thread reader = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          if (line.startsWith("data: ")) {
            JsonObject e = new JsonObject(line.substring(6));
            if ("sla.breached".equals(e.getString("event"))) {
              streamed.add(e.getLong("id"));
            }
          }
        }
      } catch (Exception closed) {
        // the test closes the stream
      }
    });
    reader.setDaemon(true);
    reader.start();

    int n = 1000;
    Sql.execute(db, "INSERT INTO department (code, name, dept_group) VALUES ('D-1', 'one', 'district')", """
        INSERT INTO ticket (id, external_id, intake_hash, type, urgency, category, title, content, received_at,
                            status, lead_department, dispatched_at, created_at, updated_at)
        SELECT gen_random_uuid(), 'rep-' || g, 'h', 'COMPLAINT', 'NORMAL', 'roads', 't', 'c', now(),
               'DISPATCHED', 'D-1', now(), now(), now()
          FROM generate_series(1, %d) g""".formatted(n), """
        INSERT INTO sla_timer (ticket_id, round, kind, clock, allowed, warning_share, started_at, due_at, warn_at,
                               state, next_at, config_version)
        SELECT id, 1, 'SIGN', 'NATURAL', 'PT8S', 0.75, now(),
               clock_timestamp() + interval '4 seconds' + (random() * interval '4 seconds'),
               clock_timestamp() + interval '2 seconds', 'RUNNING', clock_timestamp() + interval '2 seconds',
               (SELECT version FROM sla_config)
          FROM ticket""");

    waitFor(() -> Sql.count(db, "SELECT count(*) FROM sla_event WHERE type = 'SLA_BREACHED'") > 0, 60);
    b.destroyForcibly().waitFor(30, TimeUnit.SECONDS); // SIGKILL in the middle of the breaches
    replica(db, jwks, portB, true);
    waitFor(() -> Sql.count(db, "SELECT count(*) FROM sla_timer WHERE state = 'BREACHED'") == n, 90);

    assertThat(Sql.count(db, "SELECT count(*) FROM sla_event WHERE type = 'SLA_BREACHED'")).isEqualTo(n);
    assertThat(Sql.count(db, "SELECT count(*) FROM sla_event WHERE type = 'SLA_WARNING'")).isEqualTo(n);
    assertThat(Sql.count(db, "SELECT count(*) FROM ticket_event WHERE type = 'SLA_BREACHED'")).isEqualTo(n);
    assertThat(Sql.count(db, "SELECT count(*) FROM sla_event WHERE type = 'SLA_BREACHED' AND at < due_at")).isZero();
    // A fired nothing, yet its stream carries every breach
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (streamed.size() < n && System.nanoTime() < until) {
      Thread.sleep(100);
    }
    assertThat(streamed).as("breaches on A's stream").hasSize(n);
    stream.body().close();
  }

  private static void waitFor(java.util.function.BooleanSupplier condition, int seconds) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not reached within " + seconds + " s");
      }
      Thread.sleep(100);
    }
  }
}
