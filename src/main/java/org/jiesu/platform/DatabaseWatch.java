package org.jiesu.platform;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.SqlConnection;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * Whether the database answers, asked twice a second on a connection of its own (so a busy pool does not
 * look like a dead database, and a probe never waits behind requests). A stopped database fails the probe at once; a frozen one (SIGSTOP, a
 * network partition) never answers, so the probe has a deadline. While the database is down, API requests
 * are refused with 503 at once instead of each waiting out its own deadline; the first answered probe lets
 * them through again.
 */
public final class DatabaseWatch {

  static final long INTERVAL_MS = 500;
  static final long PROBE_TIMEOUT_MS = 1000;
  /** Without an answer for this long the database counts as away, whatever the probe is waiting on. */
  static final long SILENCE_MS = 1500;

  private final Supplier<Future<? extends SqlConnection>> connector;
  private final long connectTimeoutMs;
  private final AtomicBoolean probing = new AtomicBoolean();
  private final List<Runnable> onDown = new CopyOnWriteArrayList<>();
  private volatile SqlConnection connection;
  private volatile boolean reachable = true;
  private volatile long lastAnswer;

  private DatabaseWatch(Supplier<Future<? extends SqlConnection>> connector, long connectTimeoutMs) {
    this.connector = connector;
    this.connectTimeoutMs = connectTimeoutMs;
    this.lastAnswer = System.nanoTime();
  }

  /**
   * Starts probing now; blocking (call it before deployment). {@code connector} opens a connection used for nothing else; opening one may take
   * up to {@code connectTimeout}, a probe on an open one must answer within {@link #PROBE_TIMEOUT_MS},
   * and whatever the probe is waiting on, {@link #SILENCE_MS} without an answer means the database is away.
   */
  public static DatabaseWatch start(Vertx vertx, Supplier<Future<? extends SqlConnection>> connector,
      Duration connectTimeout) {
    DatabaseWatch watch = new DatabaseWatch(connector, connectTimeout.toMillis());
    try {
      // opened here, before anything is served (a slow first connection on a busy machine is no outage)
      watch.connection = connector.get().await(connectTimeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      FaultLog.DATABASE.fault("database probe could not connect at start: " + e.getMessage());
    }
    watch.lastAnswer = System.nanoTime();
    vertx.setPeriodic(INTERVAL_MS, id -> watch.check());
    return watch;
  }

  public boolean reachable() {
    return reachable;
  }

  /** Called (on the watch's thread) each time the database goes from answering to not answering. */
  public void onDown(Runnable listener) {
    onDown.add(listener);
  }

  private void check() {
    if (!probing.compareAndSet(false, true)) {
      long silent = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lastAnswer);
      if (silent > SILENCE_MS) {
        down("no answer for " + silent + " ms");
      }
      return;
    }
    SqlConnection open = connection;
    Future<SqlConnection> ready = open != null ? Future.succeededFuture(open) : connect();
    ready.compose(c -> c.query("SELECT 1").execute().timeout(PROBE_TIMEOUT_MS, TimeUnit.MILLISECONDS))
        .onComplete(r -> {
          probing.set(false);
          if (r.succeeded()) {
            lastAnswer = System.nanoTime();
            if (!reachable) {
              FaultLog.DATABASE.recovered("database answers again");
            }
            reachable = true;
            return;
          }
          // a connection that did not answer may never answer: the next probe opens a new one
          SqlConnection stale = connection;
          connection = null;
          if (stale != null) {
            stale.close();
          }
          down(String.valueOf(r.cause().getMessage()));
        });
  }

  private void down(String why) {
    FaultLog.DATABASE.fault("database does not answer: " + why);
    if (reachable) {
      reachable = false;
      onDown.forEach(Runnable::run);
    }
  }

  private Future<SqlConnection> connect() {
    Future<? extends SqlConnection> opening = connector.get();
    return opening.map(c -> (SqlConnection) c)
        .timeout(connectTimeoutMs, TimeUnit.MILLISECONDS)
        .onSuccess(c -> connection = c)
        // one that opens after we gave up on it is closed, not leaked
        .onFailure(e -> opening.onSuccess(SqlConnection::close));
  }
}
