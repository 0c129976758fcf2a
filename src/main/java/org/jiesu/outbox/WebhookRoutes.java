package org.jiesu.outbox;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import org.jiesu.auth.Authentication;
import org.jiesu.platform.JsonValues;
import org.jiesu.platform.Pages;
import org.jiesu.platform.Problem;
import org.jiesu.platform.RequestCheck;
import org.jiesu.platform.Responses;

/** HTTP for webhook subscriptions and their deliveries (ADMIN). */
public final class WebhookRoutes {

  private final Subscriptions subscriptions;

  public WebhookRoutes(Subscriptions subscriptions) {
    this.subscriptions = subscriptions;
  }

  public void list(RoutingContext ctx) {
    int limit = Pages.limit(ctx);
    Optional<Pages.Position> after = Pages.after(ctx, "webhook-subscriptions", 2);
    subscriptions.page(after.map(p -> p.instant(0)), after.map(p -> p.uuid(1)), limit + 1)
        .onSuccess(page -> Pages.respond(ctx, "webhook-subscriptions", page, limit, WebhookJson::subscription,
            s -> List.of(s.createdAt(), s.id())))
        .onFailure(ctx::fail);
  }

  public void create(RoutingContext ctx) {
    JsonObject body = RequestCheck.jsonBody(ctx);
    Subscriptions.Input input = input(body, true);
    subscriptions.create(Authentication.actor(ctx), input, secret(body))
        .onSuccess(c -> {
          ctx.response().putHeader("Location", "/api/v1/webhook-subscriptions/" + c.subscription().id());
          Responses.json(ctx, 201, WebhookJson.subscription(c.subscription()).put("secret", c.secret()));
        })
        .onFailure(ctx::fail);
  }

  public void get(RoutingContext ctx) {
    subscriptions.get(ctx.pathParam("id"))
        .onSuccess(s -> Responses.ok(ctx, WebhookJson.subscription(s)))
        .onFailure(ctx::fail);
  }

  public void update(RoutingContext ctx) {
    JsonObject body = RequestCheck.jsonBody(ctx);
    subscriptions.update(Authentication.actor(ctx), ctx.pathParam("id"), input(body, body.getBoolean("enabled", true)))
        .onSuccess(s -> Responses.ok(ctx, WebhookJson.subscription(s)))
        .onFailure(ctx::fail);
  }

  public void delete(RoutingContext ctx) {
    subscriptions.delete(Authentication.actor(ctx), ctx.pathParam("id"))
        .onSuccess(v -> ctx.response().setStatusCode(204).end())
        .onFailure(ctx::fail);
  }

  public void rotate(RoutingContext ctx) {
    JsonObject body = RequestCheck.jsonBody(ctx);
    Duration grace = Subscriptions.DEFAULT_GRACE;
    if (body.getString("gracePeriod") != null) {
      try {
        grace = Duration.parse(body.getString("gracePeriod"));
      } catch (java.time.format.DateTimeParseException e) {
        throw Problem.invalid("/gracePeriod", "must be an ISO-8601 duration such as PT24H");
      }
      if (grace.isNegative() || grace.compareTo(Subscriptions.MAX_GRACE) > 0) {
        throw Problem.invalid("/gracePeriod", "must be from PT0S to P7D");
      }
    }
    subscriptions.rotate(Authentication.actor(ctx), ctx.pathParam("id"), secret(body), grace)
        .onSuccess(c -> Responses.ok(ctx, WebhookJson.subscription(c.subscription()).put("secret", c.secret())))
        .onFailure(ctx::fail);
  }

  public void deliveries(RoutingContext ctx) {
    int limit = Pages.limit(ctx);
    Optional<Pages.Position> after = Pages.after(ctx, "webhook-deliveries", 2);
    Optional<String> status = Optional.ofNullable(ctx.request().getParam("status"));
    subscriptions.deliveries(ctx.pathParam("id"), status, after.map(p -> p.instant(0)), after.map(p -> p.uuid(1)),
            limit + 1)
        .onSuccess(page -> Pages.respond(ctx, "webhook-deliveries", page, limit, WebhookJson::delivery,
            d -> List.of(d.createdAt(), d.id())))
        .onFailure(ctx::fail);
  }

  public void delivery(RoutingContext ctx) {
    subscriptions.delivery(ctx.pathParam("id"))
        .onSuccess(d -> Responses.ok(ctx, d))
        .onFailure(ctx::fail);
  }

  public void redeliver(RoutingContext ctx) {
    subscriptions.redeliver(Authentication.actor(ctx), ctx.pathParam("id"))
        .onSuccess(d -> Responses.json(ctx, 202, d))
        .onFailure(ctx::fail);
  }

  private static Subscriptions.Input input(JsonObject body, boolean enabled) {
    // the schema allows only known kinds; a kind named twice is one
    List<String> events = new ArrayList<>(new LinkedHashSet<>(JsonValues.strings(body.getJsonArray("events"))));
    return new Subscriptions.Input(body.getString("url"), events, Optional.ofNullable(body.getString("description")),
        enabled);
  }

  /** A secret given by the client must be a whsec_ secret of 24 to 64 random bytes. */
  private static Optional<String> secret(JsonObject body) {
    String s = body.getString("secret");
    if (s == null) {
      return Optional.empty();
    }
    try {
      if (s.startsWith(WebhookSignature.PREFIX)) {
        int bytes = Base64.getDecoder().decode(s.substring(WebhookSignature.PREFIX.length())).length;
        if (bytes >= 24 && bytes <= 64) {
          return Optional.of(s);
        }
      }
    } catch (IllegalArgumentException e) {
      // reported below
    }
    throw Problem.invalid("/secret", "must be whsec_ followed by the base64 of 24 to 64 random bytes");
  }
}
