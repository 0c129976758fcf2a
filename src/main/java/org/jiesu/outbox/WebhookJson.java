package org.jiesu.outbox;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;

/** How subscriptions, deliveries and attempts are shown: explicitly, field by field, never a secret. */
final class WebhookJson {

  private WebhookJson() {}

  static JsonObject subscription(Subscriptions.Subscription s) {
    return new JsonObject()
        .put("id", s.id().toString())
        .put("url", s.url())
        .put("events", Subscriptions.array(s.events()))
        .put("description", s.description())
        .put("enabled", s.enabled())
        .put("disabledReason", s.disabledReason())
        .put("previousSecretExpiresAt", time(s.previousSecretUntil()))
        .put("createdAt", time(s.createdAt()))
        .put("updatedAt", time(s.updatedAt()));
  }

  static JsonObject delivery(OutboxStore.Delivery d) {
    return new JsonObject()
        .put("id", d.id().toString())
        .put("subscriptionId", d.subscriptionId().toString())
        .put("type", d.type())
        .put("occurredAt", time(d.occurredAt()))
        .put("ticketId", d.ticketId() == null ? null : d.ticketId().toString())
        .put("status", d.status())
        .put("attemptCount", d.attempts())
        .put("nextAttemptAt", "PENDING".equals(d.status()) ? time(d.nextAt()) : null)
        .put("createdAt", time(d.createdAt()))
        .put("deliveredAt", time(d.deliveredAt()))
        .put("lastResult", d.lastResult())
        .put("lastStatus", d.lastStatus())
        .put("payload", new JsonObject(WebhookEvents.body(d.type(), d.occurredAt(), d.data())));
  }

  static JsonArray attempts(List<OutboxStore.Attempt> attempts) {
    JsonArray out = new JsonArray();
    attempts.forEach(a -> out.add(new JsonObject()
        .put("attempt", a.attempt())
        .put("at", time(a.at()))
        .put("durationMs", a.durationMs())
        .put("statusCode", a.statusCode())
        .put("result", a.result())
        .put("error", a.error())));
    return out;
  }

  private static String time(Instant at) {
    return at == null ? null : at.toString();
  }
}
