package org.jiesu.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.jiesu.auth.Role;
import org.jiesu.support.Sql;
import org.jiesu.support.TestDatabase;
import org.jiesu.support.TestServer;
import org.jiesu.support.TestServer.Response;
import org.jiesu.support.Tickets;
import org.junit.jupiter.api.Test;

/** A request that cannot finish (here: a row lock held elsewhere) is answered at its own deadline. */
class RequestDeadlineTest {

  @Test
  void aRequestPastItsDeadlineAnswers503AndItsLateResultIsDropped() throws Exception {
    Config.Timeouts short1s = new Config.Timeouts(Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(60));
    try (TestServer server = TestServer.start(TestDatabase.fresh(), Clock.systemUTC(), c -> c.withTimeouts(short1s))) {
      server.department("D-IP", "municipal");
      Response created = server.post("/api/v1/tickets", server.token(Role.HOTLINE), Tickets.dispatched("slow-1", "D-IP"));
      assertThat(created.status()).isEqualTo(201);
      String id = created.json().getString("id");
      String sign = "/api/v1/tickets/" + id + "/sign";
      try (Connection holder = Sql.connect(server.dbUrl())) {
        holder.setAutoCommit(false);
        try (Statement s = holder.createStatement()) {
          s.execute("SELECT id FROM ticket WHERE id = '" + id + "' FOR UPDATE");
        }
        long start = System.nanoTime();
        Response waited = server.send(server.request(sign, server.staff("D-IP")).POST(HttpRequest.BodyPublishers.noBody()));
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertThat(waited.status()).as(waited.toString()).isEqualTo(503);
        assertThat(waited.header("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
        assertThat(waited.header("Retry-After")).isPresent();
        assertThat(waited.json().getString("type")).isEqualTo("urn:jiesu:problem:timeout");
        assertThat(ms).as("answered at its deadline, not when the lock goes").isLessThan(5_000);
        holder.rollback(); // the sign now goes through, after its client was told 503
      }
      // the late result found its response gone and wrote nothing; the server serves on
      for (int i = 0; i < 50 && !"SIGNED".equals(server.get("/api/v1/tickets/" + id, server.token(Role.HOTLINE)).json()
          .getString("status")); i++) {
        TimeUnit.MILLISECONDS.sleep(100);
      }
      Response after = server.get("/api/v1/tickets/" + id, server.token(Role.HOTLINE));
      assertThat(after.status()).isEqualTo(200);
      assertThat(server.get("/health/ready", null).status()).isEqualTo(200);
    }
  }
}
