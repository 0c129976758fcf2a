package org.jiesu.audit;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import org.jiesu.platform.JsonValues;
import org.jiesu.platform.Pages;
import org.jiesu.platform.Problem;
import org.jiesu.platform.Responses;
import org.jiesu.platform.Times;

/** HTTP for auditors: the chained log, filtered and paged, and its head. */
public final class AuditRoutes {

  private static final Instant EARLIEST = Instant.parse("2000-01-01T00:00:00Z");
  private static final Instant LATEST = Instant.parse("2100-01-01T00:00:00Z");

  private final Pool pool;
  private final AuditReader reader = new AuditReader();

  public AuditRoutes(Pool pool) {
    this.pool = pool;
  }

  public void list(RoutingContext ctx) {
    int limit = Pages.limit(ctx);
    long after = cursorAfter(ctx);
    AuditReader.Filter filter = new AuditReader.Filter(param(ctx, "actor"),
        param(ctx, "ticket").map(t -> JsonValues.uuid(t).orElseThrow(() -> Problem.invalid("ticket", "is not a ticket id"))),
        param(ctx, "action"), param(ctx, "from").map(v -> time("from", v)), param(ctx, "to").map(v -> time("to", v)));
    reader.page(pool, filter, after, limit + 1)
        .onSuccess(rows -> Pages.respond(ctx, "audit-log", rows, limit, AuditRoutes::json, r -> List.of(r.seq())))
        .onFailure(ctx::fail);
  }

  public void head(RoutingContext ctx) {
    reader.head(pool)
        .onSuccess(h -> Responses.ok(ctx, new JsonObject().put("head", h.text()).put("seq", h.seq()).put("hash", h.hash())
            .put("at", h.at().map(Times::rfc3339).orElse(null))))
        .onFailure(ctx::fail);
  }

  /** The chain position the page continues after (0 for the first page), from the shared cursor codec. */
  static long cursorAfter(RoutingContext ctx) {
    return Pages.after(ctx, "audit-log", 1).map(p -> p.number(0)).filter(seq -> seq >= 0).orElse(0L);
  }

  private static Optional<String> param(RoutingContext ctx, String name) {
    return Optional.ofNullable(ctx.request().getParam(name)).filter(v -> !v.isEmpty());
  }

  private static Instant time(String name, String text) {
    try {
      Instant at = OffsetDateTime.parse(text).toInstant();
      if (!at.isBefore(EARLIEST) && at.isBefore(LATEST)) {
        return at;
      }
    } catch (DateTimeParseException e) {
      throw Problem.invalid(name, "must be an RFC 3339 date-time with offset");
    }
    throw Problem.invalid(name, "must lie between 2000 and 2100");
  }

  static JsonObject json(AuditEntry e) {
    JsonObject actor = e.actorSub() == null && e.actorRole() == null ? null
        : new JsonObject().put("sub", e.actorSub()).put("role", e.actorRole()).put("dept", e.actorDept());
    return new JsonObject().put("seq", e.seq()).put("at", Times.rfc3339(e.at())).put("actor", actor)
        .put("action", e.action()).put("ticketId", e.ticketId() == null ? null : e.ticketId().toString())
        .put("detail", e.detail()).put("entryId", e.entryId()).put("hashVersion", e.hashVersion())
        .put("prevHash", e.prevHash()).put("hash", e.hash());
  }
}
