package org.jiesu.evaluation;

import io.vertx.ext.web.RoutingContext;
import java.time.YearMonth;
import java.util.Optional;
import java.util.function.Predicate;
import org.jiesu.auth.Actor;
import org.jiesu.auth.Authentication;
import org.jiesu.evaluation.Scorecards.Scorecard;
import org.jiesu.platform.Problem;
import org.jiesu.platform.RequestCheck;
import org.jiesu.platform.Responses;

/** HTTP for the scorecards: supervisors see every department, department staff their own. */
public final class ScorecardRoutes {

  private final ScorecardService service;

  public ScorecardRoutes(ScorecardService service) {
    this.service = service;
  }

  public void list(RoutingContext ctx) {
    Actor actor = Authentication.actor(ctx);
    YearMonth period = period(ctx);
    Optional<String> group = Optional.ofNullable(ctx.queryParams().get("group")).filter(g -> !g.isEmpty());
    Predicate<Scorecard> visible = c -> group.map(g -> g.equals(c.facts().group())).orElse(true)
        && (!actor.isDepartmentStaffOnly() || actor.dept().map(d -> d.equals(c.facts().department())).orElse(false));
    service.month(period)
        .onSuccess(m -> Responses.ok(ctx, ScorecardJson.month(m, visible)))
        .onFailure(ctx::fail);
  }

  public void department(RoutingContext ctx) {
    Actor actor = Authentication.actor(ctx);
    String department = ctx.pathParam("department");
    if (actor.isDepartmentStaffOnly() && !actor.dept().map(department::equals).orElse(false)) {
      ctx.fail(Problem.outOfScope("no scorecard of department '" + department + "' for this caller"));
      return;
    }
    service.department(period(ctx), department)
        .onSuccess(d -> Responses.ok(ctx, ScorecardJson.detail(d)))
        .onFailure(ctx::fail);
  }

  public void csv(RoutingContext ctx) {
    service.month(period(ctx)).onSuccess(m -> {
      if (ctx.response().ended()) {
        return;
      }
      ctx.response().setStatusCode(200)
          .putHeader("Content-Type", "text/csv; charset=utf-8")
          .putHeader("Content-Disposition", "attachment; filename=\"scorecards-" + m.period() + ".csv\"")
          .end(ScorecardJson.csv(m));
    }).onFailure(ctx::fail);
  }

  public void getSettings(RoutingContext ctx) {
    service.settings()
        .onSuccess(s -> Responses.ok(ctx, ScorecardJson.settings(s)))
        .onFailure(ctx::fail);
  }

  public void putSettings(RoutingContext ctx) {
    service.changeSettings(Authentication.actor(ctx), ScorecardJson.settings(RequestCheck.jsonBody(ctx)))
        .onSuccess(s -> Responses.ok(ctx, ScorecardJson.settings(s)))
        .onFailure(ctx::fail);
  }

  /** The contract's pattern already holds it to YYYY-MM. */
  private static YearMonth period(RoutingContext ctx) {
    try {
      return YearMonth.parse(ctx.queryParams().get("period"));
    } catch (RuntimeException e) {
      throw Problem.invalid("period", "a month as YYYY-MM");
    }
  }
}
