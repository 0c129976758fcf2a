package org.jiesu.sla;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;
import org.jiesu.auth.Authentication;
import org.jiesu.platform.RequestCheck;
import org.jiesu.platform.Problem;
import org.jiesu.platform.Responses;

/** HTTP for SLA policies and the business calendar. */
public final class SlaRoutes {

  private final SlaEngine engine;
  private final SlaAdmin admin;

  public SlaRoutes(SlaEngine engine, SlaAdmin admin) {
    this.engine = engine;
    this.admin = admin;
  }

  /** Policies are few (tens): one page, ordered by key. */
  public void listPolicies(RoutingContext ctx) {
    admin.policies()
        .onSuccess(policies -> {
          JsonArray items = new JsonArray();
          policies.forEach(p -> items.add(SlaJson.policy(p)));
          Responses.ok(ctx, new JsonObject().put("items", items).put("next", null));
        })
        .onFailure(ctx::fail);
  }

  public void putPolicy(RoutingContext ctx) {
    SlaPolicy policy = SlaJson.policy(ctx.pathParam("key"), RequestCheck.jsonBody(ctx));
    admin.putPolicy(Authentication.actor(ctx), policy)
        .onSuccess(created -> Responses.json(ctx, created ? 201 : 200, SlaJson.policy(policy)))
        .onFailure(ctx::fail);
  }

  public void deletePolicy(RoutingContext ctx) {
    admin.deletePolicy(Authentication.actor(ctx), ctx.pathParam("key"))
        .onSuccess(v -> ctx.response().setStatusCode(204).end())
        .onFailure(ctx::fail);
  }

  public void getCalendar(RoutingContext ctx) {
    int year = year(ctx);
    admin.year(year)
        .onSuccess(found -> {
          if (found.isEmpty()) {
            ctx.fail(Problem.notFound("no calendar for " + year + "; deadlines in it count plain weekdays"));
            return;
          }
          Responses.ok(ctx, SlaJson.calendar(found.get().year(), found.get().source(), engine.settings().calendar()));
        })
        .onFailure(ctx::fail);
  }

  public void putCalendar(RoutingContext ctx) {
    int year = year(ctx);
    JsonObject body = RequestCheck.jsonBody(ctx);
    CalendarYear parsed = SlaJson.year(year, body);
    Optional<String> source = Optional.ofNullable(body.getString("source"));
    admin.putYear(Authentication.actor(ctx), parsed, source)
        .onSuccess(created -> Responses.json(ctx, created ? 201 : 200,
            SlaJson.calendar(parsed, source.orElse(null), engine.settings().calendar())))
        .onFailure(ctx::fail);
  }

  public void getWeek(RoutingContext ctx) {
    admin.week().onSuccess(week -> Responses.ok(ctx, week)).onFailure(ctx::fail);
  }

  public void putWeek(RoutingContext ctx) {
    BusinessCalendar week = SlaJson.week(RequestCheck.jsonBody(ctx));
    admin.putWeek(Authentication.actor(ctx), week).onSuccess(after -> Responses.ok(ctx, after)).onFailure(ctx::fail);
  }

  private static int year(RoutingContext ctx) {
    try {
      int year = Integer.parseInt(ctx.pathParam("year"));
      if (year >= 2000 && year <= 2100) {
        return year;
      }
    } catch (NumberFormatException ignored) {
      // below
    }
    throw Problem.invalid("year", "must be a year from 2000 to 2100");
  }
}
