package org.jiesu.platform;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** Writing JSON and problem bodies; the only place that sets content types. */
public final class Responses {

  /** What a 503 tells clients to wait: about one probe of the database (see DatabaseWatch). */
  static final String RETRY_AFTER_SECONDS = "2";

  private Responses() {}

  public static void json(RoutingContext ctx, int status, JsonObject body) {
    if (!ctx.response().ended()) {
      json(ctx, status, body.toBuffer());
    }
  }

  /** A body already encoded as JSON (UTF-8). */
  public static void json(RoutingContext ctx, int status, io.vertx.core.buffer.Buffer body) {
    if (ctx.response().ended()) {
      return; // the request's deadline already answered 503; a late result has no one to go to
    }
    ctx.response()
        .setStatusCode(status)
        .putHeader("Content-Type", "application/json; charset=utf-8")
        .end(body);
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
    if (ctx.response().ended()) {
      return;
    }
    if (problem.status() == 503 && ctx.response().headers().get("Retry-After") == null) {
      ctx.response().putHeader("Retry-After", RETRY_AFTER_SECONDS);
    }
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
