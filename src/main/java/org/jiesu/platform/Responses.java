package org.jiesu.platform;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** Writing JSON and problem bodies; the only place that sets content types. */
public final class Responses {

  private Responses() {}

  public static void json(RoutingContext ctx, int status, JsonObject body) {
    ctx.response()
        .setStatusCode(status)
        .putHeader("Content-Type", "application/json; charset=utf-8")
        .end(body.toBuffer());
  }

  public static void ok(RoutingContext ctx, JsonObject body) {
    json(ctx, 200, body);
  }

  public static void problem(RoutingContext ctx, Problem problem) {
    ctx.response()
        .setStatusCode(problem.status())
        .putHeader("Content-Type", Problems.CONTENT_TYPE + "; charset=utf-8")
        .end(problem.toJson().toBuffer());
  }
}
