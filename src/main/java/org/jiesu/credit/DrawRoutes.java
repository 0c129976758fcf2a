package org.jiesu.credit;

import org.jiesu.platform.CreditCode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.jiesu.auth.Authentication;
import org.jiesu.platform.JsonValues;
import org.jiesu.platform.Problem;
import org.jiesu.platform.RequestCheck;
import org.jiesu.platform.Responses;

/** HTTP for inspectors, draws, inspections and the public draw record. */
public final class DrawRoutes {

  private final Draws draws;

  public DrawRoutes(Draws draws) {
    this.draws = draws;
  }

  public void putInspector(RoutingContext ctx) {
    JsonObject body = RequestCheck.jsonBody(ctx);
    String id = ctx.pathParam("id");
    Set<String> conflicts = new TreeSet<>();
    JsonArray list = body.getJsonArray("conflicts", new JsonArray());
    for (int i = 0; i < list.size(); i++) {
      String problem = CreditCode.problem(list.getString(i));
      if (problem != null) {
        throw Problem.ruleViolation("/conflicts/" + i, problem);
      }
      conflicts.add(list.getString(i));
    }
    Draws.Inspector inspector = new Draws.Inspector(id, body.getString("name").strip(), body.getString("district").strip(),
        conflicts);
    draws.putInspector(Authentication.actor(ctx), inspector)
        .onSuccess(created -> Responses.json(ctx, created ? 201 : 200, new JsonObject().put("id", id)
            .put("name", inspector.name()).put("district", inspector.district())
            .put("conflicts", new JsonArray(List.copyOf(conflicts)))))
        .onFailure(ctx::fail);
  }

  public void createDraw(RoutingContext ctx) {
    JsonObject body = RequestCheck.jsonBody(ctx);
    Map<String, Double> ratios = new LinkedHashMap<>();
    body.getJsonObject("ratios", new JsonObject()).forEach(e -> ratios.put(e.getKey(), ((Number) e.getValue()).doubleValue()));
    Draws.Request request = new Draws.Request(Optional.ofNullable(body.getString("kind")),
        Optional.ofNullable(body.getString("district")).map(String::strip), ratios,
        body.getInteger("inspectorsPerEntity", 2), body.getString("randomnessSource").strip());
    draws.create(Authentication.actor(ctx), request)
        .onSuccess(record -> {
          ctx.response().putHeader("Location", "/api/v1/public/draws/" + record.getString("id"));
          Responses.json(ctx, 201, record);
        })
        .onFailure(ctx::fail);
  }

  public void executeDraw(RoutingContext ctx) {
    JsonObject body = RequestCheck.jsonBody(ctx);
    draws.execute(Authentication.actor(ctx), drawId(ctx), body.getString("publicRandomness"))
        .onSuccess(record -> Responses.ok(ctx, record))
        .onFailure(ctx::fail);
  }

  public void recordInspection(RoutingContext ctx) {
    JsonObject body = RequestCheck.jsonBody(ctx);
    String code = CreditRoutes.creditCode(ctx);
    String outcome = body.getString("outcome");
    Optional<String> penalty = Optional.ofNullable(body.getString("penalty"));
    if (penalty.isPresent() && outcome.equals("COMPLIANT")) {
      throw Problem.ruleViolation("/penalty", "a COMPLIANT inspection carries no penalty");
    }
    draws.inspect(Authentication.actor(ctx), drawId(ctx), code, outcome, penalty,
            Optional.ofNullable(body.getString("note")).map(String::strip).filter(n -> !n.isEmpty()))
        .onSuccess(result -> Responses.json(ctx, 201, result))
        .onFailure(ctx::fail);
  }

  public void publicDraw(RoutingContext ctx) {
    draws.publicRecord(drawId(ctx)).onSuccess(record -> Responses.ok(ctx, record)).onFailure(ctx::fail);
  }

  private static UUID drawId(RoutingContext ctx) {
    return JsonValues.uuid(ctx.pathParam("id")).orElseThrow(() -> Problem.notFound("no draw " + ctx.pathParam("id")));
  }
}
