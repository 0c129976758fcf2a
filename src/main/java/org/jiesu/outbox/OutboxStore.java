package org.jiesu.outbox;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import org.jiesu.ticket.ChangeRows;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** SQL of the outbox: enqueueing, claiming, recording attempts, reading deliveries. Callers own the transaction. */
public final class OutboxStore {

  /** Committed outbox rows NOTIFY this channel: the relays listen. */
  public static final String CHANNEL = "jiesu_webhooks";

  static final String ENQUEUE = """
      WITH inserted AS (
        INSERT INTO webhook_delivery (id, subscription_id, event_type, occurred_at, ticket_id, data, next_at)
        SELECT gen_random_uuid(), s.id, e.kind, e.at, e.ticket, e.data, clock_timestamp()
          FROM jsonb_to_recordset($1::jsonb) AS e(kind text, at timestamptz, ticket uuid, data jsonb, ord int)
          JOIN webhook_subscription s ON s.enabled AND e.kind = ANY (s.events)
         ORDER BY e.ord
        RETURNING 1
      )
      SELECT pg_notify('%s', '') FROM (SELECT count(*) AS n FROM inserted) c WHERE c.n > 0""".formatted(CHANNEL);

  /**
   * Takes due deliveries nobody else holds (SKIP LOCKED) and moves them a lease ahead, so another relay
   * takes them only if this one dies before recording the attempt.
   */
  static final String CLAIM = """
      WITH due AS (
        SELECT d.id
          FROM webhook_delivery d
          JOIN webhook_subscription s ON s.id = d.subscription_id AND s.enabled
         WHERE d.status = 'PENDING' AND d.next_at <= clock_timestamp()
         ORDER BY d.next_at
         LIMIT $1
         FOR UPDATE OF d SKIP LOCKED
      )
      UPDATE webhook_delivery d
         SET next_at = clock_timestamp() + make_interval(secs => $2)
        FROM due, webhook_subscription s
       WHERE d.id = due.id AND s.id = d.subscription_id
      RETURNING d.id, d.subscription_id, d.event_type, d.occurred_at, d.data, d.attempts, d.created_at, s.url,
                s.secret, CASE WHEN s.previous_secret_until > clock_timestamp() THEN s.previous_secret END AS previous""";

  /** Records a batch of attempts and where each delivery goes next, in one statement. */
  static final String RECORD = """
      WITH r AS (
        SELECT * FROM unnest($1::uuid[], $2::int[], $3::timestamptz[], $4::int[], $5::int[], $6::text[], $7::text[],
                             $8::text[], $9::float8[], $10::text[], $11::uuid[])
               AS r(id, attempt, at, duration_ms, status_code, result, error, status, delay, disable, subscription_id)
      ), attempt AS (
        INSERT INTO webhook_attempt (delivery_id, attempt, at, duration_ms, status_code, result, error)
        SELECT r.id, r.attempt, r.at, r.duration_ms, r.status_code, r.result, r.error
          FROM r JOIN webhook_delivery d ON d.id = r.id
      ), gone AS (
        UPDATE webhook_subscription s SET enabled = false, disabled_reason = r.disable, updated_at = r.at
          FROM r WHERE r.disable IS NOT NULL AND s.id = r.subscription_id
      )
      UPDATE webhook_delivery d
         SET attempts = r.attempt, status = r.status, last_result = r.result, last_status = r.status_code,
             next_at = CASE WHEN r.status = 'PENDING' THEN clock_timestamp() + make_interval(secs => r.delay) END,
             delivered_at = CASE WHEN r.status = 'DELIVERED' THEN clock_timestamp() END
        FROM r
       WHERE d.id = r.id AND d.status = 'PENDING'""";

  static final String BACKLOG = """
      SELECT count(*) AS n, extract(epoch FROM clock_timestamp() - min(created_at)) AS oldest
        FROM webhook_delivery WHERE status = 'PENDING'""";

  static final String DELIVERY_COLUMNS = """
      d.id, d.subscription_id, d.event_type, d.occurred_at, d.ticket_id, d.data, d.status, d.attempts, d.next_at,
      d.created_at, d.delivered_at, d.last_result, d.last_status""";

  static final String PAGE = "SELECT " + DELIVERY_COLUMNS + """
       FROM webhook_delivery d
      WHERE d.subscription_id = $1 AND ($2::text IS NULL OR d.status = $2)
        AND ($3::timestamptz IS NULL OR (d.created_at, d.id) < ($3, $4))
      ORDER BY d.created_at DESC, d.id DESC
      LIMIT $5""";

  static final String ONE = "SELECT " + DELIVERY_COLUMNS + " FROM webhook_delivery d WHERE d.id = $1";

  static final String ATTEMPTS = """
      SELECT attempt, at, duration_ms, status_code, result, error
        FROM webhook_attempt WHERE delivery_id = $1 ORDER BY id LIMIT 200""";

  /** A dead letter back to the queue, from the first attempt of the schedule. */
  static final String REDELIVER = """
      UPDATE webhook_delivery SET status = 'PENDING', attempts = 0, next_at = clock_timestamp()
       WHERE id = $1 AND status = 'DEAD'
      RETURNING id""";

  /** A claimed delivery: what the relay needs to send it. */
  public record Claimed(UUID id, UUID subscriptionId, String type, Instant occurredAt, JsonObject data, int attempts,
      Instant createdAt, String url, List<String> secrets) {}

  /** A delivery as listed. */
  public record Delivery(UUID id, UUID subscriptionId, String type, Instant occurredAt, UUID ticketId, JsonObject data,
      String status, int attempts, Instant nextAt, Instant createdAt, Instant deliveredAt, String lastResult,
      Integer lastStatus) {}

  /** One attempt as kept. */
  public record Attempt(int attempt, Instant at, int durationMs, Integer statusCode, String result, String error) {}

  /**
   * The relay's own writes (a claim, an attempt's record) need not wait for the WAL flush: if a crash loses
   * one, the delivery is only sent again (at least once, deduped by webhook-id), never lost. This keeps a
   * disk flush out of the path from a change's commit to the receiver. The outbox row itself is written by
   * the change's transaction, with its durability.
   */
  public static Future<Void> withoutFlush(SqlClient tx) {
    return tx.query("SET LOCAL synchronous_commit = off").execute().mapEmpty();
  }

  /**
   * {@link #ENQUEUE} as rows of a change's own statement ({@link ChangeRows}): at intake written only for the
   * tickets made (joined to {@code ins}; a batch of intakes concatenates its tickets' records), with the NOTIFY
   * after them.
   */
  static final String ENQUEUE_ROWS = """
      INSERT INTO webhook_delivery (id, subscription_id, event_type, occurred_at, ticket_id, data, next_at)
      SELECT gen_random_uuid(), s.id, e.kind, e.at, e.ticket, e.data, clock_timestamp()
        FROM ROWS FROM (jsonb_to_recordset($1::jsonb) AS (kind text, at timestamptz, ticket uuid, data jsonb, ord int))
             WITH ORDINALITY AS e(kind, at, ticket, data, ord, n)
        JOIN ins ON ins.id = e.ticket
        JOIN webhook_subscription s ON s.enabled AND e.kind = ANY (s.events)
       ORDER BY e.n
      RETURNING 1""";
  static final String NOTIFY_ROWS =
      "SELECT pg_notify('%s', '') FROM (SELECT count(*) AS n FROM {rows}) c WHERE c.n > 0".formatted(CHANNEL);

  /** A change's outbox rows, written by its own statement (the intake's, or an action's events statement). */
  public ChangeRows changeRows(List<WebhookEvents.Outgoing> events) {
    return new ChangeRows(ENQUEUE_ROWS, List.of(rows(events)), NOTIFY_ROWS);
  }

  /**
   * The events go as one JSON array, not as arrays of each field: PostgreSQL estimates {@code unnest} of a
   * known array by its length and of a parameter by a default, so with arrays every execution looked cheaper
   * planned afresh and was (pg_stat_statements: planned on every call, 0.2 ms of database CPU per intake).
   * {@code jsonb_to_recordset} is estimated alike either way, so the statement keeps its generic plan.
   */
  public Future<Void> enqueue(SqlClient tx, List<WebhookEvents.Outgoing> events) {
    if (events.isEmpty()) {
      return Future.succeededFuture();
    }
    return tx.preparedQuery(ENQUEUE).execute(Tuple.of(rows(events))).mapEmpty();
  }

  private static JsonArray rows(List<WebhookEvents.Outgoing> events) {
    JsonArray rows = new JsonArray(new ArrayList<>(events.size()));
    for (int i = 0; i < events.size(); i++) {
      WebhookEvents.Outgoing e = events.get(i);
      rows.add(new JsonObject().put("kind", e.kind()).put("at", utc(e.at().truncatedTo(java.time.temporal.ChronoUnit.MICROS)).toString())
          .put("ticket", e.ticketId() == null ? null : e.ticketId().toString()).put("data", e.data()).put("ord", i));
    }
    return rows;
  }

  public Future<List<Claimed>> claim(SqlClient db, int limit, double leaseSeconds) {
    return db.preparedQuery(CLAIM).execute(Tuple.of(limit, leaseSeconds)).map(rows -> {
      List<Claimed> out = new ArrayList<>();
      for (Row r : rows) {
        List<String> secrets = new ArrayList<>(List.of(r.getString("secret")));
        Optional.ofNullable(r.getString("previous")).ifPresent(secrets::add);
        out.add(new Claimed(r.getUUID("id"), r.getUUID("subscription_id"), r.getString("event_type"),
            instant(r, "occurred_at"), json(r, "data"), r.getInteger("attempts"), instant(r, "created_at"),
            r.getString("url"), secrets));
      }
      return out;
    });
  }

  /**
   * One attempt to record: where the delivery goes next, {@code status} DELIVERED, DEAD, or PENDING again after
   * {@code delaySeconds}; {@code disableReason} disables the subscription (410 Gone).
   */
  public record Recorded(Claimed claimed, int attempt, Instant at, int durationMs, AttemptResult result, String status,
      Double delaySeconds, String disableReason) {}

  /** Records attempts in one statement (the relay batches them, so a busy relay is not a transaction per send). */
  public Future<Void> record(SqlClient db, List<Recorded> batch) {
    int n = batch.size();
    UUID[] ids = new UUID[n];
    Integer[] attempts = new Integer[n];
    OffsetDateTime[] ats = new OffsetDateTime[n];
    Integer[] durations = new Integer[n];
    Integer[] codes = new Integer[n];
    String[] results = new String[n];
    String[] errors = new String[n];
    String[] statuses = new String[n];
    Double[] delays = new Double[n];
    String[] disables = new String[n];
    UUID[] subscriptions = new UUID[n];
    for (int i = 0; i < n; i++) {
      Recorded r = batch.get(i);
      ids[i] = r.claimed().id();
      attempts[i] = r.attempt();
      ats[i] = utc(r.at());
      durations[i] = r.durationMs();
      codes[i] = r.result().status().orElse(null);
      results[i] = r.result().outcome().name();
      errors[i] = r.result().error();
      statuses[i] = r.status();
      delays[i] = r.delaySeconds();
      disables[i] = r.disableReason();
      subscriptions[i] = r.claimed().subscriptionId();
    }
    return db.preparedQuery(RECORD).execute(Tuple.tuple(List.of(ids, attempts, ats, durations, codes, results, errors,
        statuses, delays, disables, subscriptions))).mapEmpty();
  }

  /** Pending deliveries and the age of the oldest, in seconds. */
  public Future<double[]> backlog(SqlClient db) {
    return db.query(BACKLOG).execute().map(rows -> {
      Row r = rows.iterator().next();
      Number oldest = (Number) r.getValue("oldest");
      return new double[] {r.getLong("n"), oldest == null ? 0 : oldest.doubleValue()};
    });
  }

  public Future<List<Delivery>> page(SqlClient db, UUID subscription, Optional<String> status,
      Optional<Instant> afterCreated, Optional<UUID> afterId, int limit) {
    return db.preparedQuery(PAGE).execute(Tuple.of(subscription, status.orElse(null),
        afterCreated.map(OutboxStore::utc).orElse(null), afterId.orElse(null), limit)).map(rows -> {
          List<Delivery> out = new ArrayList<>();
          rows.forEach(r -> out.add(delivery(r)));
          return out;
        });
  }

  public Future<Optional<Delivery>> one(SqlClient db, UUID id) {
    return db.preparedQuery(ONE).execute(Tuple.of(id)).map(rows -> rows.size() == 0
        ? Optional.<Delivery>empty() : Optional.of(delivery(rows.iterator().next())));
  }

  public Future<List<Attempt>> attempts(SqlClient db, UUID delivery) {
    return db.preparedQuery(ATTEMPTS).execute(Tuple.of(delivery)).map(rows -> {
      List<Attempt> out = new ArrayList<>();
      rows.forEach(r -> out.add(new Attempt(r.getInteger("attempt"), instant(r, "at"), r.getInteger("duration_ms"),
          r.getInteger("status_code"), r.getString("result"), r.getString("error"))));
      return out;
    });
  }

  /** True when the delivery was dead and is queued again. */
  public Future<Boolean> redeliver(SqlClient db, UUID id) {
    return db.preparedQuery(REDELIVER).execute(Tuple.of(id)).map(rows -> rows.size() == 1);
  }

  private static Delivery delivery(Row r) {
    return new Delivery(r.getUUID("id"), r.getUUID("subscription_id"), r.getString("event_type"),
        instant(r, "occurred_at"), r.getUUID("ticket_id"), json(r, "data"), r.getString("status"),
        r.getInteger("attempts"), instant(r, "next_at"), instant(r, "created_at"), instant(r, "delivered_at"),
        r.getString("last_result"), r.getInteger("last_status"));
  }

  private static JsonObject json(Row r, String column) {
    Object v = r.getValue(column);
    return v instanceof JsonObject o ? o : new JsonObject(String.valueOf(v));
  }

  static Instant instant(Row r, String column) {
    OffsetDateTime t = r.getOffsetDateTime(column);
    return t == null ? null : t.toInstant();
  }

  static OffsetDateTime utc(Instant at) {
    return at.atOffset(ZoneOffset.UTC);
  }
}
