package org.jiesu.platform;

import io.vertx.core.http.HttpServerRequest;
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

  /**
   * Requests Netty could not even parse (request line or headers too long, bad HTTP) never reach the
   * router; they still get a problem body.
   */
  public static void invalidRequest(HttpServerRequest request) {
    Throwable cause = request.decoderResult().cause();
    String kind = cause == null ? "" : cause.getClass().getSimpleName();
    Problem problem = kind.contains("TooLongHttpLine")
        ? Problem.of(414, "uri-too-long", "URI too long", "the request line exceeds the limit")
        : kind.contains("TooLongHttpHeader")
            ? Problem.of(431, "headers-too-large", "Request headers too large", "the headers exceed the limit")
            : Problem.badRequest("the request is not valid HTTP");
    request.response()
        .setStatusCode(problem.status())
        .putHeader("Content-Type", Problems.CONTENT_TYPE + "; charset=utf-8")
        .putHeader("Connection", "close")
        .end(problem.toJson().toBuffer());
  }

  public static void ok(RoutingContext ctx, JsonObject body) {
    json(ctx, 200, body);
  }

  public static void problem(RoutingContext ctx, Problem problem) {
    if (problem.status() == 401) {
      ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"jiesu\"");
    }
    problem.headers().forEach(ctx.response()::putHeader);
    ctx.response()
        .setStatusCode(problem.status())
        .putHeader("Content-Type", Problems.CONTENT_TYPE + "; charset=utf-8")
        .end(problem.toJson().toBuffer());
  }
}
