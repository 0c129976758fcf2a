package org.jiesu.department;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.jiesu.auth.Authentication;
import org.jiesu.auth.Actor;
import org.jiesu.platform.RequestCheck;
import org.jiesu.platform.Pages;
import org.jiesu.platform.Responses;

/** HTTP for the department register. */
public final class DepartmentRoutes {

  private final Departments departments;

  public DepartmentRoutes(Departments departments) {
    this.departments = departments;
  }

  public void put(RoutingContext ctx) {
    JsonObject body = RequestCheck.jsonBody(ctx);
    Department d = new Department(ctx.pathParam("code"), body.getString("name").trim(), body.getString("group").trim());
    departments.put(Authentication.actor(ctx), d)
        .onSuccess(created -> Responses.json(ctx, created ? 201 : 200, json(d)))
        .onFailure(ctx::fail);
  }

  public void list(RoutingContext ctx) {
    int limit = Pages.limit(ctx);
    String after = Pages.after(ctx, "departments", 1).map(p -> p.text(0)).orElse("");
    departments.page(after, limit + 1)
        .onSuccess(page -> Pages.respond(ctx, "departments", page, limit, DepartmentRoutes::json,
            d -> java.util.List.of(d.code())))
        .onFailure(ctx::fail);
  }

  static JsonObject json(Department d) {
    return new JsonObject().put("code", d.code()).put("name", d.name()).put("group", d.group());
  }
}
