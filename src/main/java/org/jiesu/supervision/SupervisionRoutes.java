package org.jiesu.supervision;

import io.vertx.core.Future;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jiesu.auth.Actor;
import org.jiesu.auth.Authentication;
import org.jiesu.platform.Pages;
import org.jiesu.platform.Problem;
import org.jiesu.sla.SlaEventFeed;

/**
 * HTTP for supervisors: breaches, timers at risk, and the live stream of warnings and breaches. HOTLINE and
 * SUPERVISOR see every department; STAFF see their own, whatever filter they send.
 */
public final class SupervisionRoutes {

  private static final int CATCH_UP_PAGE = 1000;

  private final Pool pool;
  private final Clock clock;
  private final SlaEventFeed feed;
  private final Duration heartbeat;
  private final SupervisionViews views = new SupervisionViews();

  public SupervisionRoutes(Pool pool, Clock clock, SlaEventFeed feed, Duration heartbeat) {
    this.pool = pool;
    this.clock = clock;
    this.feed = feed;
    this.heartbeat = heartbeat;
  }

  public void breaches(RoutingContext ctx) {
    int limit = Pages.limit(ctx);
    Optional<SupervisionViews.Position> after = position(ctx);
    if (foreign(ctx)) {
      page(ctx, List.of(), limit);
      return;
    }
    views.breaches(pool, filter(ctx), after, limit + 1)
        .onSuccess(items -> page(ctx, items, limit))
        .onFailure(ctx::fail);
  }

  public void atRisk(RoutingContext ctx) {
    int limit = Pages.limit(ctx);
    Optional<SupervisionViews.Position> after = position(ctx);
    if (foreign(ctx)) {
      page(ctx, List.of(), limit);
      return;
    }
    views.atRisk(pool, clock.instant(), filter(ctx), after, limit + 1)
        .onSuccess(items -> page(ctx, items, limit))
        .onFailure(ctx::fail);
  }

  /**
   * Server-sent events {@code sla.warning} and {@code sla.breached}, and {@code insight.hotspot} on the
   * centre's streams (a department's STAFF get their department's SLA events only). The SSE id is the event's
   * stream position, so a client that reconnects with {@code Last-Event-ID} resumes from the tables, SLA events
   * and hotspots alike (also after a replica restart); without it the stream starts with what happens next.
   * Comments every {@code heartbeat} keep proxies open. A client that cannot keep up is disconnected rather
   * than buffered without bound; it resumes by its last id.
   */
  public void stream(RoutingContext ctx) {
    Optional<String> department = scope(ctx, Optional.empty());
    Optional<SlaEventFeed.Position> resumeAfter = lastEventId(ctx);
    HttpServerResponse res = ctx.response();
    res.setChunked(true)
        .putHeader("Content-Type", "text/event-stream; charset=utf-8")
        .putHeader("Cache-Control", "no-store")
        .putHeader("X-Accel-Buffering", "no");
    res.write("retry: 3000\n\n");
    Stream stream = new Stream(res, department);
    MessageConsumer<JsonObject> consumer = ctx.vertx().eventBus().localConsumer(SlaEventFeed.ADDRESS,
        msg -> stream.live(msg.body()));
    long beat = ctx.vertx().setPeriodic(heartbeat.toMillis(), id -> {
      if (!res.ended() && !res.closed()) {
        res.write(": keepalive\n\n");
      }
    });
    res.closeHandler(v -> {
      consumer.unregister();
      ctx.vertx().cancelTimer(beat);
    });
    if (resumeAfter.isEmpty()) {
      stream.caughtUp();
      return;
    }
    catchUp(stream, resumeAfter.get(), department).onComplete(r -> {
      if (r.failed()) {
        res.reset(); // the client reconnects with the last id it saw
      } else {
        stream.caughtUp();
      }
    });
  }

  private Future<Void> catchUp(Stream stream, SlaEventFeed.Position after, Optional<String> department) {
    return feed.after(pool, after, department, CATCH_UP_PAGE).compose(events -> {
      events.forEach(stream::send);
      if (events.size() < CATCH_UP_PAGE || stream.closed()) {
        return Future.succeededFuture();
      }
      return catchUp(stream, SlaEventFeed.position(events.get(events.size() - 1)), department);
    });
  }

  /**
   * One client's stream: live events wait while the table is replayed, no id is sent twice, and a client
   * that reads slower than events come gets them buffered up to {@link #MAX_BACKLOG}, then is dropped (it
   * resumes by its last id).
   */
  private static final class Stream {
    private static final int MAX_BACKLOG = 10_000;
    private final HttpServerResponse res;
    private final Optional<String> department;
    private final List<JsonObject> waiting = new ArrayList<>();
    private final java.util.ArrayDeque<String> backlog = new java.util.ArrayDeque<>();
    private boolean catchingUp = true;
    private SlaEventFeed.Position lastSent = SlaEventFeed.Position.START;

    Stream(HttpServerResponse res, Optional<String> department) {
      this.res = res;
      this.department = department;
      res.drainHandler(v -> flush());
    }

    void live(JsonObject event) {
      if (catchingUp) {
        waiting.add(event);
      } else {
        send(event);
      }
    }

    void caughtUp() {
      catchingUp = false;
      waiting.forEach(this::send);
      waiting.clear();
    }

    boolean closed() {
      return res.ended() || res.closed();
    }

    void send(JsonObject event) {
      SlaEventFeed.Position at = SlaEventFeed.position(event);
      if (closed() || at.compareTo(lastSent) <= 0
          || (department.isPresent() && !department.get().equals(event.getString("department")))) {
        return;
      }
      lastSent = at;
      backlog.add("id: " + at + "\nevent: " + event.getString("event") + "\ndata: " + event.encode() + "\n\n");
      if (backlog.size() > MAX_BACKLOG) {
        backlog.clear();
        res.reset();
        return;
      }
      flush();
    }

    private void flush() {
      while (!backlog.isEmpty() && !res.writeQueueFull() && !closed()) {
        res.write(backlog.poll());
      }
    }
  }

  private static Optional<SlaEventFeed.Position> lastEventId(RoutingContext ctx) {
    String raw = ctx.request().getHeader("Last-Event-ID");
    if (raw == null || raw.isBlank()) {
      return Optional.empty();
    }
    return Optional.of(SlaEventFeed.Position.parse(raw.trim())
        .orElseThrow(() -> Problem.invalid("Last-Event-ID", "must be an event id this stream sent, or 0")));
  }

  private SupervisionViews.Filter filter(RoutingContext ctx) {
    return new SupervisionViews.Filter(scope(ctx, Optional.ofNullable(ctx.request().getParam("department"))),
        Optional.ofNullable(ctx.request().getParam("timer")), instant(ctx, "from"), instant(ctx, "to"));
  }

  /** STAFF see their own department only, whatever they ask for. */
  private static Optional<String> scope(RoutingContext ctx, Optional<String> asked) {
    Actor actor = Authentication.actor(ctx);
    return actor.isDepartmentStaffOnly() ? actor.dept() : asked;
  }

  /** STAFF asking for another department's breaches get an empty page, as if it had none. */
  private static boolean foreign(RoutingContext ctx) {
    Actor actor = Authentication.actor(ctx);
    String asked = ctx.request().getParam("department");
    return actor.isDepartmentStaffOnly() && asked != null && !actor.dept().orElseThrow().equals(asked);
  }

  private static Optional<Instant> instant(RoutingContext ctx, String name) {
    String raw = ctx.request().getParam(name);
    if (raw == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(OffsetDateTime.parse(raw).toInstant());
    } catch (RuntimeException e) {
      throw Problem.invalid(name, "must be an RFC 3339 date-time with offset");
    }
  }

  /** Both views page by (instant, id); the list name in the cursor keeps one view's cursor out of the other. */
  private static Optional<SupervisionViews.Position> position(RoutingContext ctx) {
    return Pages.after(ctx, list(ctx), 2).map(p -> new SupervisionViews.Position(p.instant(0), p.number(1)));
  }

  private static String list(RoutingContext ctx) {
    return ctx.request().path().endsWith("/breaches") ? "breaches" : "at-risk";
  }

  private static void page(RoutingContext ctx, List<SupervisionViews.Item> items, int limit) {
    Pages.respond(ctx, list(ctx), items, limit, SupervisionViews.Item::json,
        i -> List.of(i.position().at(), i.position().id()));
  }
}
