package org.jiesu.insights;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import org.jiesu.auth.Actor;
import org.jiesu.auth.Authentication;
import org.jiesu.platform.Problem;
import org.jiesu.platform.RequestCheck;
import org.jiesu.platform.Responses;
import org.jiesu.platform.Times;
import org.jiesu.ticket.workflow.TicketAccess;
import org.jiesu.ticket.TicketJson;
import org.jiesu.ticket.TicketService;

/** HTTP for proactive handling (DESIGN §6a): hotspots, monthly topics, similar tickets, proactive tasks. */
public final class InsightRoutes {

  static final Duration MIN_WINDOW = Duration.ofHours(1);
  static final Duration MAX_WINDOW = Duration.ofDays(7);

  private final Pool pool;
  private final Clock clock;
  private final Hotspots hotspots;
  private final Topics topics;
  private final SimilarTickets similar;
  private final ProactiveTasks tasks;
  private final TaskLinks links;
  private final TicketService tickets;

  public InsightRoutes(Pool pool, Clock clock, InsightSettings settings, TicketService tickets, TaskLinks links) {
    this.pool = pool;
    this.clock = clock;
    this.hotspots = new Hotspots(settings);
    this.topics = new Topics(settings);
    this.similar = new SimilarTickets(settings);
    this.tasks = new ProactiveTasks(tickets, links, clock);
    this.links = links;
    this.tickets = tickets;
  }

  public void hotspots(RoutingContext ctx) {
    Duration window = window(ctx.request().getParam("window"));
    Instant at = Optional.ofNullable(ctx.request().getParam("at")).map(t -> instant(t, "at")).orElse(clock.instant());
    int limit = limit(ctx);
    hotspots.list(pool, window, at, Optional.ofNullable(ctx.request().getParam("district")),
            Optional.ofNullable(ctx.request().getParam("category")), limit)
        .onSuccess(list -> Responses.ok(ctx, new JsonObject()
            .put("window", window.toString())
            .put("at", Times.rfc3339(at))
            .put("items", new JsonArray(list.stream().map(Hotspots.Hotspot::json).toList()))
            .putNull("next")))
        .onFailure(ctx::fail);
  }

  public void topics(RoutingContext ctx) {
    YearMonth period = period(ctx);
    topics.rank(pool, period, limit(ctx))
        .onSuccess(list -> Responses.ok(ctx, new JsonObject().put("period", period.toString())
            .put("items", new JsonArray(list.stream().map(Topics.Topic::json).toList())).putNull("next")))
        .onFailure(ctx::fail);
  }

  public void topicsCsv(RoutingContext ctx) {
    YearMonth period = period(ctx);
    topics.rank(pool, period, limit(ctx))
        .onSuccess(list -> ctx.response()
            .putHeader("Content-Type", "text/csv; charset=utf-8")
            .putHeader("Content-Disposition", "attachment; filename=\"topics-" + period + ".csv\"")
            .end(Topics.csv(period, list)))
        .onFailure(ctx::fail);
  }

  public void similar(RoutingContext ctx) {
    Actor actor = Authentication.actor(ctx);
    int limit = limit(ctx);
    similar.find(pool, tickets, actor, ctx.pathParam("id"))
        .onSuccess(found -> Responses.ok(ctx, new JsonObject()
            .put("items", new JsonArray(found.stream().limit(limit).map(SimilarTickets.Suggestion::json).toList()))
            .putNull("next")))
        .onFailure(ctx::fail);
  }

  public void createTask(RoutingContext ctx) {
    Actor actor = Authentication.actor(ctx);
    tasks.create(actor, RequestCheck.jsonBody(ctx))
        .compose(ticket -> links.of(pool, ticket).map(annex -> {
          JsonObject json = TicketJson.view(ticket, TicketAccess.view(actor, ticket)).put("mergedFrom", new JsonArray())
              .put(links.field(), annex);
          ctx.response().putHeader("Location", "/api/v1/tickets/" + ticket.id());
          ctx.response().putHeader("ETag", ticket.etag());
          Responses.json(ctx, 201, json);
          return ticket;
        }))
        .onFailure(ctx::fail);
  }

  static Duration window(String raw) {
    if (raw == null) {
      return Duration.ofHours(24);
    }
    try {
      Duration d = Duration.parse(raw);
      if (d.compareTo(MIN_WINDOW) < 0 || d.compareTo(MAX_WINDOW) > 0 || d.getNano() != 0) {
        throw Problem.invalid("window", "must be whole seconds from PT1H to P7D");
      }
      return d;
    } catch (DateTimeParseException e) {
      throw Problem.invalid("window", "must be an ISO 8601 duration such as PT24H");
    }
  }

  private static Instant instant(String raw, String name) {
    try {
      Instant t = OffsetDateTime.parse(raw).toInstant();
      if (!Times.inRange(t)) {
        throw Problem.invalid(name, "must lie between 2000-01-01 and 2100-01-01");
      }
      return t;
    } catch (DateTimeParseException e) {
      throw Problem.invalid(name, "must be an RFC 3339 date-time with offset");
    }
  }

  private static YearMonth period(RoutingContext ctx) {
    String raw = ctx.request().getParam("period");
    try {
      YearMonth p = YearMonth.parse(raw);
      if (p.getYear() < 2000 || p.getYear() > 2099) {
        throw Problem.invalid("period", "must lie between 2000-01 and 2099-12");
      }
      return p;
    } catch (DateTimeParseException | NullPointerException e) {
      throw Problem.invalid("period", "must be a month such as 2026-11");
    }
  }

  private static int limit(RoutingContext ctx) {
    String raw = ctx.request().getParam("limit");
    if (raw == null) {
      return 50;
    }
    try {
      int l = Integer.parseInt(raw);
      if (l < 1 || l > 200) {
        throw Problem.invalid("limit", "must be from 1 to 200");
      }
      return l;
    } catch (NumberFormatException e) {
      throw Problem.invalid("limit", "must be a whole number");
    }
  }

}
