package org.jiesu.sla;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.pubsub.PgSubscriber;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jiesu.platform.Times;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fans fired warnings and breaches out to this replica's stream clients, whichever replica fired them.
 * Events are rows with increasing ids; one LISTEN connection per replica takes the NOTIFY hint, reads the
 * rows after the last one it published, and publishes each on the local event bus. It also polls, because a
 * notification sent while the listening connection is down is lost.
 */
public final class SlaEventFeed {

  /** Local event-bus address of published events (JSON as {@link #json} makes it). */
  public static final String ADDRESS = "jiesu.supervision.events";

  private static final Logger LOG = LoggerFactory.getLogger(SlaEventFeed.class);
  private static final int PAGE = 1000;

  static final String AFTER = """
      SELECT e.id, e.ticket_id, e.round, e.timer, e.type, e.due_at, e.at, e.department
        FROM sla_event e
       WHERE e.id > $1 AND ($2::text IS NULL OR e.department = $2)
       ORDER BY e.id
       LIMIT $3
      """;
  static final String NEWEST = "SELECT coalesce(max(id), 0) AS id FROM sla_event";

  private final Vertx vertx;
  private final Pool pool;
  private final Optional<PgSubscriber> subscriber;
  private final Duration pollInterval;
  private long published;
  private boolean reading;
  private boolean again;
  private long poll = -1;

  public SlaEventFeed(Vertx vertx, Pool pool, Optional<PgSubscriber> subscriber, Duration pollInterval) {
    this.vertx = vertx;
    this.pool = pool;
    this.subscriber = subscriber;
    this.pollInterval = pollInterval;
  }

  /** Starts after the newest event already stored: clients that want older ones resume from the table. */
  public Future<Void> start() {
    return pool.query(NEWEST).execute().compose(rows -> {
      published = rows.iterator().next().getLong("id");
      vertx.runOnContext(v -> poll = vertx.setPeriodic(pollInterval.toMillis(), id -> read()));
      if (subscriber.isEmpty()) {
        return Future.succeededFuture();
      }
      // the owner connects the subscriber once every listener has registered its channel
      subscriber.get().channel(TimerStore.EVENTS_CHANNEL).handler(payload -> read());
      return Future.succeededFuture();
    });
  }

  public void stop() {
    vertx.cancelTimer(poll);
  }

  /** Events after {@code afterId}, oldest first, for one department or all: resuming a stream. */
  public Future<List<JsonObject>> after(SqlClient db, long afterId, Optional<String> department, int limit) {
    return db.preparedQuery(AFTER).execute(Tuple.of(afterId, department.orElse(null), limit)).map(rows -> {
      List<JsonObject> events = new ArrayList<>();
      for (Row r : rows) {
        events.add(json(TimerStore.fired(r)));
      }
      return events;
    });
  }

  private void read() {
    if (reading) {
      again = true;
      return;
    }
    reading = true;
    after(pool, published, Optional.empty(), PAGE)
        .onSuccess(events -> {
          for (JsonObject e : events) {
            published = Math.max(published, e.getLong("id"));
            vertx.eventBus().publish(ADDRESS, e);
          }
          if (events.size() == PAGE) {
            again = true;
          }
        })
        .onFailure(e -> LOG.debug("supervision stream read failed; retried at the next poll", e))
        .onComplete(r -> {
          reading = false;
          if (again) {
            again = false;
            read();
          }
        });
  }

  /** The stream's JSON for a fired event: {@code sla.warning} or {@code sla.breached}. */
  public static JsonObject json(TimerStore.Fired f) {
    return new JsonObject()
        .put("id", f.id())
        .put("event", "SLA_BREACHED".equals(f.type()) ? "sla.breached" : "sla.warning")
        .put("ticketId", f.ticketId().toString())
        .put("round", f.round())
        .put("department", f.department())
        .put("timer", f.timer())
        .put("dueAt", Times.rfc3339(f.dueAt()))
        .put("at", Times.rfc3339(f.at()));
  }

}
