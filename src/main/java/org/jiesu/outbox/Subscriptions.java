package org.jiesu.outbox;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jiesu.audit.AuditLog;
import org.jiesu.auth.Actor;
import org.jiesu.platform.Problem;

/**
 * Webhook subscriptions (ADMIN): where deliveries go, for which kinds, signed with which secret. Every
 * change is audited in its transaction with before and after (never the secret). A secret is shown once,
 * when made or rotated; a rotation keeps the previous secret signing beside the new one for a grace period.
 */
public final class Subscriptions {

  static final Duration DEFAULT_GRACE = Duration.ofHours(24);
  static final Duration MAX_GRACE = Duration.ofDays(7);

  private static final String COLUMNS = """
      id, url, events, description, enabled, disabled_reason, previous_secret_until, created_at, updated_at""";
  private static final String INSERT = "INSERT INTO webhook_subscription (id, url, events, description, secret, "
      + "created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING " + COLUMNS;
  private static final String LOCK = "SELECT " + COLUMNS + " FROM webhook_subscription WHERE id = $1 FOR UPDATE";
  private static final String ONE = "SELECT " + COLUMNS + " FROM webhook_subscription WHERE id = $1";
  private static final String PAGE = "SELECT " + COLUMNS + """
       FROM webhook_subscription
      WHERE $1::timestamptz IS NULL OR (created_at, id) > ($1, $2)
      ORDER BY created_at, id LIMIT $3""";
  private static final String UPDATE = """
      UPDATE webhook_subscription
         SET url = $2, events = $3, description = $4, enabled = $5,
             disabled_reason = CASE WHEN $5 THEN NULL ELSE coalesce(disabled_reason, 'disabled by an administrator') END,
             updated_at = $6
       WHERE id = $1
      RETURNING\s""" + COLUMNS;
  private static final String ROTATE = """
      UPDATE webhook_subscription
         SET previous_secret = secret, previous_secret_until = clock_timestamp() + make_interval(secs => $3),
             secret = $2, updated_at = $4
       WHERE id = $1
      RETURNING\s""" + COLUMNS;
  private static final String DELETE = "DELETE FROM webhook_subscription WHERE id = $1";

  /** A subscription as shown (its secrets never are, except once in {@link Created}). */
  public record Subscription(UUID id, String url, List<String> events, String description, boolean enabled,
      String disabledReason, Instant previousSecretUntil, Instant createdAt, Instant updatedAt) {}

  /** A subscription with the secret just made, to be shown this once. */
  public record Created(Subscription subscription, String secret) {}

  /** What a client may set. */
  public record Input(String url, List<String> events, Optional<String> description, boolean enabled) {}

  private final Pool pool;
  private final AuditLog audit;
  private final Clock clock;
  private final SafeAddress addresses;
  private final OutboxStore outbox = new OutboxStore();

  public Subscriptions(Pool pool, AuditLog audit, Clock clock, SafeAddress addresses) {
    this.pool = pool;
    this.audit = audit;
    this.clock = clock;
    this.addresses = addresses;
  }

  public Future<Created> create(Actor actor, Input input, Optional<String> secret) {
    String chosen = secret.orElseGet(WebhookSignature::newSecret);
    return checkUrl(input.url()).compose(v -> pool.withTransaction(tx -> tx.preparedQuery(INSERT)
        .execute(Tuple.of(UUID.randomUUID(), input.url(), input.events().toArray(new String[0]),
            input.description().orElse(null), chosen, OutboxStore.utc(clock.instant())))
        .map(rows -> subscription(rows.iterator().next()))
        .compose(after -> audit(tx, actor, "WEBHOOK_SUBSCRIPTION_CREATE", null, after).map(new Created(after, chosen)))));
  }

  public Future<Subscription> update(Actor actor, String rawId, Input input) {
    UUID id = parse(rawId);
    return checkUrl(input.url()).compose(v -> pool.withTransaction(tx -> lock(tx, id)
        .compose(before -> tx.preparedQuery(UPDATE).execute(Tuple.of(id, input.url(),
                input.events().toArray(new String[0]), input.description().orElse(null), input.enabled(),
                OutboxStore.utc(clock.instant())))
            .map(rows -> subscription(rows.iterator().next()))
            .compose(after -> audit(tx, actor, "WEBHOOK_SUBSCRIPTION_UPDATE", before, after).map(after)))));
  }

  public Future<Void> delete(Actor actor, String rawId) {
    UUID id = parse(rawId);
    return pool.withTransaction(tx -> lock(tx, id)
        .compose(before -> tx.preparedQuery(DELETE).execute(Tuple.of(id))
            .compose(r -> audit(tx, actor, "WEBHOOK_SUBSCRIPTION_DELETE", before, null))));
  }

  /** A new secret; the previous one signs too until {@code grace} has passed. */
  public Future<Created> rotate(Actor actor, String rawId, Optional<String> secret, Duration grace) {
    UUID id = parse(rawId);
    String chosen = secret.orElseGet(WebhookSignature::newSecret);
    Instant now = clock.instant();
    return pool.withTransaction(tx -> lock(tx, id)
        // the grace is measured on the database's clock, the one the relay compares it with
        .compose(before -> tx.preparedQuery(ROTATE).execute(Tuple.of(id, chosen, grace.toMillis() / 1000.0,
                OutboxStore.utc(now)))
            .map(rows -> subscription(rows.iterator().next()))
            .compose(after -> audit(tx, actor, "WEBHOOK_SECRET_ROTATE", before, after)
                .map(new Created(after, chosen)))));
  }

  public Future<Subscription> get(String rawId) {
    UUID id = parse(rawId);
    return pool.preparedQuery(ONE).execute(Tuple.of(id)).map(rows -> {
      if (rows.size() == 0) {
        throw Problem.notFound("no webhook subscription " + rawId);
      }
      return subscription(rows.iterator().next());
    });
  }

  public Future<List<Subscription>> page(Optional<Instant> afterCreated, Optional<UUID> afterId, int limit) {
    return pool.preparedQuery(PAGE).execute(Tuple.of(afterCreated.map(OutboxStore::utc).orElse(null),
        afterId.orElse(null), limit)).map(rows -> {
          List<Subscription> out = new ArrayList<>();
          rows.forEach(r -> out.add(subscription(r)));
          return out;
        });
  }

  public Future<List<OutboxStore.Delivery>> deliveries(String rawId, Optional<String> status,
      Optional<Instant> afterCreated, Optional<UUID> afterId, int limit) {
    return get(rawId).compose(s -> outbox.page(pool, s.id(), status, afterCreated, afterId, limit));
  }

  /** One delivery with its attempts. */
  public Future<JsonObject> delivery(String rawId) {
    UUID id = parseDelivery(rawId);
    // one snapshot, so the attempt list and the delivery's count agree
    return pool.withTransaction(tx -> tx.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY").execute()
        .compose(v -> outbox.one(tx, id)).compose(found -> {
          OutboxStore.Delivery d = found.orElseThrow(() -> Problem.notFound("no webhook delivery " + rawId));
          return outbox.attempts(tx, id).map(list -> WebhookJson.delivery(d).put("attempts", WebhookJson.attempts(list)));
        }));
  }

  /** A dead letter queued again (audited); anything else is a 409. */
  public Future<JsonObject> redeliver(Actor actor, String rawId) {
    UUID id = parseDelivery(rawId);
    return pool.withTransaction(tx -> outbox.one(tx, id).compose(found -> {
      OutboxStore.Delivery d = found.orElseThrow(() -> Problem.notFound("no webhook delivery " + rawId));
      return outbox.redeliver(tx, id).compose(requeued -> {
        if (!requeued) {
          return Future.failedFuture(Problem.conflict("only a dead-lettered delivery can be redelivered; this one is "
              + d.status(), new JsonObject()));
        }
        return audit.append(tx, actor, "WEBHOOK_REDELIVER", d.ticketId(), new JsonObject()
                .put("delivery", id.toString()).put("subscription", d.subscriptionId().toString())
                .put("type", d.type()))
            .compose(v -> outbox.one(tx, id)).map(again -> WebhookJson.delivery(again.orElseThrow()));
      });
    }));
  }

  private Future<Void> checkUrl(String url) {
    return addresses.resolve(url).<Void>mapEmpty().recover(e -> Future.failedFuture(e instanceof SafeAddress.Refused
        ? unsafe(e.getMessage()) : e));
  }

  static Problem unsafe(String why) {
    return new Problem(422, "unsafe-destination", "The webhook URL may not be used", "/url: " + why,
        List.of(new Problem.FieldError("/url", why)), null);
  }

  private Future<Subscription> lock(SqlClient tx, UUID id) {
    return tx.preparedQuery(LOCK).execute(Tuple.of(id)).map(rows -> {
      if (rows.size() == 0) {
        throw Problem.notFound("no webhook subscription " + id);
      }
      return subscription(rows.iterator().next());
    });
  }

  private Future<Void> audit(SqlClient tx, Actor actor, String action, Subscription before, Subscription after) {
    JsonObject detail = new JsonObject().put("subscription", (after != null ? after : before).id().toString());
    if (before != null) {
      detail.put("before", WebhookJson.subscription(before));
    }
    if (after != null) {
      detail.put("after", WebhookJson.subscription(after));
    }
    return audit.append(tx, actor, action, null, detail);
  }

  static UUID parse(String raw) {
    try {
      return UUID.fromString(raw);
    } catch (IllegalArgumentException e) {
      throw Problem.notFound("no webhook subscription " + raw);
    }
  }

  static UUID parseDelivery(String raw) {
    try {
      return UUID.fromString(raw);
    } catch (IllegalArgumentException e) {
      throw Problem.notFound("no webhook delivery " + raw);
    }
  }

  private static Subscription subscription(Row r) {
    List<String> events = new ArrayList<>();
    for (String e : r.getArrayOfStrings("events")) {
      events.add(e);
    }
    return new Subscription(r.getUUID("id"), r.getString("url"), events, r.getString("description"),
        r.getBoolean("enabled"), r.getString("disabled_reason"), OutboxStore.instant(r, "previous_secret_until"),
        OutboxStore.instant(r, "created_at"), OutboxStore.instant(r, "updated_at"));
  }

  static JsonArray array(List<String> values) {
    return new JsonArray(new ArrayList<>(values));
  }
}
