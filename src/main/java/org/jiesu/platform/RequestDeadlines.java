package org.jiesu.platform;

import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;

/**
 * Every request has a deadline of its own: past it, the client gets a 503 problem and whatever the
 * handler finishes later is dropped ({@link Responses} does not write to an ended response). While the
 * database does not answer ({@link DatabaseWatch}), API requests are refused at once, and those already
 * waiting on it are answered 503 when the watch sees it go, rather than at their own deadline.
 *
 * <p>One instance per HTTP verticle: it runs on that verticle's event loop only, so its set needs no lock.
 */
public final class RequestDeadlines implements Handler<RoutingContext> {

  private final Vertx vertx;
  private final long timeoutMs;
  private final DatabaseWatch watch;
  private final Set<RoutingContext> waiting = new HashSet<>();

  public RequestDeadlines(Vertx vertx, Duration requestTimeout, DatabaseWatch watch) {
    this.vertx = vertx;
    this.timeoutMs = requestTimeout.toMillis();
    this.watch = watch;
    Context context = vertx.getOrCreateContext();
    watch.onDown(() -> context.runOnContext(v -> releaseWaiting()));
  }

  @Override
  public void handle(RoutingContext ctx) {
    // health, metrics and the contract do not go through the gate: readiness reports the database itself
    boolean needsDatabase = ctx.request().path().startsWith("/api/");
    if (needsDatabase && !watch.reachable()) {
      ctx.fail(Problems.unavailable());
      return;
    }
    long timer = vertx.setTimer(timeoutMs, id -> {
      if (!ctx.response().ended() && !ctx.response().headWritten()) {
        ctx.fail(Problem.of(503, "timeout", "Request timed out",
            "the request did not finish within " + Math.max(1, timeoutMs / 1000) + " s; retry shortly"));
      }
    });
    if (needsDatabase) {
      waiting.add(ctx);
    }
    ctx.addEndHandler(v -> {
      vertx.cancelTimer(timer);
      waiting.remove(ctx);
    });
    ctx.next();
  }

  private void releaseWaiting() {
    for (RoutingContext ctx : new ArrayList<>(waiting)) {
      waiting.remove(ctx);
      if (!ctx.response().ended() && !ctx.response().headWritten()) {
        ctx.fail(Problems.unavailable());
      }
    }
  }
}
