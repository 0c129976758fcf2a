package org.jiesu.platform;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jiesu.support.TestDatabase;
import org.junit.jupiter.api.Test;

/**
 * A request that waits longer than JIESU_DB_ACQUIRE_TIMEOUT for a pooled connection gets 503, not 500: the
 * fault runs found the pool's bare "Timeout" answered as an internal error on an overloaded host.
 */
class PoolTimeoutTest {

  @Test
  void waitingTooLongForAConnectionIsUnavailableNotInternal() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      Config.Timeouts t = Config.Timeouts.defaults();
      Pool pool = Database.pool(vertx, Database.Target.parse(TestDatabase.fresh()), 1,
          new Config.Timeouts(t.request(), t.dbConnect(), Duration.ofMillis(200), t.httpIdle()));
      // the acquire timeout also bounds opening the connection, which a loaded host may not do in 200 ms
      SqlConnection held = null;
      for (int i = 0; i < 50 && held == null; i++) {
        try {
          held = pool.getConnection().await(30, TimeUnit.SECONDS);
        } catch (Throwable slow) {
          // try again: the connection being opened joins the pool
        }
      }
      assertThat(held).as("one connection taken").isNotNull();
      Throwable failure = null;
      try {
        pool.getConnection().await(30, TimeUnit.SECONDS);
      } catch (Throwable e) {
        failure = e;
      }
      assertThat(failure).as("the second caller waits out the acquire timeout").isNotNull();
      assertThat(Problems.unavailable(failure)).as("%s", failure).isPresent()
          .hasValueSatisfying(p -> assertThat(p.status()).isEqualTo(503));
      Throwable query = null;
      try {
        pool.preparedQuery("SELECT 1").execute().await(30, TimeUnit.SECONDS);
      } catch (Throwable e) {
        query = e;
      }
      assertThat(query).as("a query on the pool waits out the acquire timeout too").isNotNull();
      assertThat(Problems.toProblem(query, 500).status()).as("%s", query).isEqualTo(503);
      // a full wait queue (64 per connection) is overload: 503 as well
      List<io.vertx.core.Future<SqlConnection>> waiting = new java.util.ArrayList<>();
      Pool slow = Database.pool(vertx, Database.Target.parse(TestDatabase.fresh()), 1,
          new Config.Timeouts(t.request(), t.dbConnect(), Duration.ofSeconds(60), t.httpIdle()));
      Throwable busy = null;
      for (int i = 0; i < 200 && busy == null; i++) {
        io.vertx.core.Future<SqlConnection> f = slow.getConnection();
        if (f.failed()) {
          busy = f.cause();
        }
        waiting.add(f);
      }
      for (int i = 0; busy == null && i < waiting.size(); i++) {
        try {
          waiting.get(i).await(1, TimeUnit.MILLISECONDS);
        } catch (Throwable e) {
          if (String.valueOf(e.getMessage()).contains("max wait queue")) {
            busy = e;
          }
        }
      }
      assertThat(busy).as("the wait queue overflowed").isNotNull();
      Problem overloaded = Problems.toProblem(busy, 500);
      assertThat(overloaded.status()).as("%s", busy).isEqualTo(503);
      assertThat(overloaded.type()).endsWith("overloaded");
      slow.close();
      held.close();
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }
}
