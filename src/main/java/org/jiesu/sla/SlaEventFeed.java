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
 * Fans fired warnings and breaches out to this replica's stream clients, whichever replica fired them, and
 * the hotspots intake announced, which share their order. Events are rows with increasing ids; one LISTEN connection per replica takes the NOTIFY hint, reads the
 * rows after the last one it published, and publishes each on the local event bus. It also polls, because a
 * notification sent while the listening connection is down is lost.
 */
public final class SlaEventFeed {

  /** Local event-bus address of published events (JSON as {@link #json} makes it). */
  public static final String ADDRESS = "jiesu.supervision.events";

  private static final Logger LOG = LoggerFactory.getLogger(SlaEventFeed.class);
  private static final int PAGE = 1000;

  /** A place in the stream: the writing transaction and the event id (commit-safe order). */
  public record Position(long txid, long id) implements Comparable<Position> {
    public static final Position START = new Position(0, 0);

    /** The SSE id: {@code txid-id}. */
    @Override
    public String toString() {
      return txid + "-" + id;
    }

    /** Parses an SSE id this stream sent; {@code 0} means the beginning. */
    public static Optional<Position> parse(String text) {
      if (text.equals("0")) {
        return Optional.of(START);
      }
      java.util.regex.Matcher m = java.util.regex.Pattern.compile("([0-9]{1,18})-([0-9]{1,18})").matcher(text);
      return m.matches() ? Optional.of(new Position(Long.parseLong(m.group(1)), Long.parseLong(m.group(2))))
          : Optional.empty();
    }

    @Override
    public int compareTo(Position o) {
      return txid != o.txid ? Long.compare(txid, o.txid) : Long.compare(id, o.id);
    }
  }

  /**
   * The stream's rows after a position: SLA events and announced hotspots ({@code insight_hotspot}, written by
   * the intake that found them; V30_1 gives them a txid and ids from the same sequence), merged in
   * (txid, id) order, so one position resumes both. Hotspots are for the centre: a department's stream
   * ($3 set) has none.
   */
  static final String AFTER = """
      (SELECT 'sla' AS kind, e.id, e.txid::text::bigint AS txid, e.ticket_id, e.round, e.timer, e.type, e.due_at,
              e.at, e.department, NULL::text AS category, NULL::text AS district, NULL::text AS street,
              NULL::int AS window_seconds, NULL::timestamptz AS window_start, NULL::int AS count,
              NULL::float8 AS expected, NULL::float8 AS score, NULL::timestamptz AS first_at,
              NULL::timestamptz AS last_at
         FROM sla_event e
        WHERE (e.txid, e.id) > ($1::bigint::text::xid8, $2::bigint)
          AND e.txid < pg_snapshot_xmin(pg_current_snapshot())
          AND ($3::text IS NULL OR e.department = $3)
        ORDER BY e.txid, e.id
        LIMIT $4)
      UNION ALL
      (SELECT 'hotspot', h.id, h.txid::text::bigint, h.ticket_id, NULL, NULL, NULL, NULL, h.at, NULL, h.category,
              h.district, h.street, h.window_seconds, h.window_start, h.count, h.expected, h.score, h.first_at,
              h.last_at
         FROM insight_hotspot h
        WHERE (h.txid, h.id) > ($1::bigint::text::xid8, $2::bigint)
          AND h.txid < pg_snapshot_xmin(pg_current_snapshot())
          AND $3::text IS NULL
        ORDER BY h.txid, h.id
        LIMIT $4)
      ORDER BY txid, id
      LIMIT $4
      """;
  /** Where "from now on" starts: events of transactions still running are still to come. */
  static final String NOW = "SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint AS xmin";

  private final Vertx vertx;
  private final Pool pool;
  private final Optional<PgSubscriber> subscriber;
  private final Duration pollInterval;
  private Position published = Position.START;
  // reading state is touched on this one context only (NOTIFY handlers and the poll hop onto it)
  private final io.vertx.core.Context context;
  private boolean reading;
  private boolean again;
  private long poll = -1;

  public SlaEventFeed(Vertx vertx, Pool pool, Optional<PgSubscriber> subscriber, Duration pollInterval) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.pool = pool;
    this.subscriber = subscriber;
    this.pollInterval = pollInterval;
  }

  /** Starts after the newest event already stored: clients that want older ones resume from the table. */
  public Future<Void> start() {
    return pool.query(NOW).execute().compose(rows -> {
      published = new Position(rows.iterator().next().getLong("xmin") - 1, Long.MAX_VALUE);
      context.runOnContext(v -> poll = vertx.setPeriodic(pollInterval.toMillis(), id -> read()));
      if (subscriber.isEmpty()) {
        return Future.succeededFuture();
      }
      // the owner connects the subscriber once every listener has registered its channel
      subscriber.get().channel(TimerStore.EVENTS_CHANNEL).handler(payload -> context.runOnContext(v -> read()));
      return Future.succeededFuture();
    });
  }

  public void stop() {
    vertx.cancelTimer(poll);
  }

  /** Events after a position, in stream order, for one department or all: resuming a stream. */
  public Future<List<JsonObject>> after(SqlClient db, Position after, Optional<String> department, int limit) {
    return db.preparedQuery(AFTER).execute(Tuple.of(after.txid(), after.id(), department.orElse(null), limit))
        .map(rows -> {
          List<JsonObject> events = new ArrayList<>();
          for (Row r : rows) {
            JsonObject event = "hotspot".equals(r.getString("kind")) ? org.jiesu.insights.Hotspots.streamEvent(r)
                : json(TimerStore.fired(r));
            events.add(event.put("position", new Position(r.getLong("txid"), r.getLong("id")).toString()));
          }
          return events;
        });
  }

  /** The stream position an event carries. */
  public static Position position(JsonObject event) {
    return Position.parse(event.getString("position")).orElseThrow();
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
            published = position(e);
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
