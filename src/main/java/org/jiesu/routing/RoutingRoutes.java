package org.jiesu.routing;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jiesu.auth.Authentication;
import org.jiesu.auth.Actor;
import org.jiesu.platform.RequestCheck;
import org.jiesu.platform.Pages;
import org.jiesu.platform.JsonValues;
import org.jiesu.platform.Problem;
import org.jiesu.platform.Responses;

/** HTTP for routing rules. */
public final class RoutingRoutes {

  private final RoutingRules rules;

  public RoutingRoutes(RoutingRules rules) {
    this.rules = rules;
  }

  public void list(RoutingContext ctx) {
    int limit = Pages.limit(ctx);
    Optional<Pages.Position> after = Pages.after(ctx, "routing-rules", 2);
    rules.page(after.map(p -> p.integer(0)), after.map(p -> p.uuid(1)), limit + 1)
        .onSuccess(page -> Pages.respond(ctx, "routing-rules", page, limit, RoutingRoutes::json,
            r -> List.of(r.priority(), r.id())))
        .onFailure(ctx::fail);
  }

  public void create(RoutingContext ctx) {
    RoutingRule rule = parse(UUID.randomUUID().toString(), RequestCheck.jsonBody(ctx));
    rules.create(Authentication.actor(ctx), rule)
        .onSuccess(r -> {
          ctx.response().putHeader("Location", "/api/v1/routing-rules/" + r.id());
          Responses.json(ctx, 201, json(r));
        })
        .onFailure(ctx::fail);
  }

  public void update(RoutingContext ctx) {
    String id = RoutingRules.parse(ctx.pathParam("id")).toString();
    rules.update(Authentication.actor(ctx), parse(id, RequestCheck.jsonBody(ctx)))
        .onSuccess(r -> Responses.ok(ctx, json(r)))
        .onFailure(ctx::fail);
  }

  public void delete(RoutingContext ctx) {
    rules.delete(Authentication.actor(ctx), ctx.pathParam("id"))
        .onSuccess(v -> ctx.response().setStatusCode(204).end())
        .onFailure(ctx::fail);
  }

  /** The body passed the schema; what the rule's constructor still refuses is a 400 on the field. */
  static RoutingRule parse(String id, JsonObject body) {
    JsonObject m = body.getJsonObject("match", new JsonObject());
    List<String> assisting = JsonValues.strings(body.getJsonArray("assistingDepartments"));
    String lead = body.getString("leadDepartment");
    if (assisting.contains(lead)) {
      throw Problem.invalid("/assistingDepartments", "contains the lead department");
    }
    try {
      return new RoutingRule(id, body.getInteger("priority"),
          new RoutingRule.Match(Optional.ofNullable(m.getString("category")), JsonValues.strings(m.getJsonArray("districts")),
              JsonValues.strings(m.getJsonArray("streets")),
              JsonValues.strings(m.getJsonArray("types")),
              JsonValues.strings(m.getJsonArray("keywords"))),
          lead, assisting);
    } catch (IllegalArgumentException e) {
      throw Problem.invalid("/match", e.getMessage());
    }
  }

  static JsonObject json(RoutingRule r) {
    RoutingRule.Match m = r.match();
    JsonObject match = new JsonObject()
        .put("category", m.category().orElse(null))
        .put("districts", new JsonArray(m.districts()))
        .put("streets", new JsonArray(m.streets()))
        .put("types", new JsonArray(m.types()))
        .put("keywords", new JsonArray(m.keywords()));
    return new JsonObject().put("id", r.id()).put("priority", r.priority()).put("match", match)
        .put("leadDepartment", r.leadDepartment()).put("assistingDepartments", new JsonArray(r.assistingDepartments()));
  }
}
