package org.jiesu.credit;

import org.jiesu.platform.CreditCode;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import org.jiesu.auth.Authentication;
import org.jiesu.platform.Pages;
import org.jiesu.platform.Problem;
import org.jiesu.platform.RequestCheck;
import org.jiesu.platform.Responses;

/** HTTP for entities and their credit. */
public final class CreditRoutes {

  private final Credit credit;

  public CreditRoutes(Credit credit) {
    this.credit = credit;
  }

  public void putEntity(RoutingContext ctx) {
    JsonObject body = RequestCheck.jsonBody(ctx);
    String code = creditCode(ctx);
    credit.put(Authentication.actor(ctx), code, body.getString("name").strip(), body.getString("kind"),
            Optional.ofNullable(body.getString("district")).map(String::strip).filter(d -> !d.isEmpty()))
        .onSuccess(saved -> Responses.json(ctx, saved.created() ? 201 : 200, CreditJson.entity(saved.entity())))
        .onFailure(ctx::fail);
  }

  public void listEntities(RoutingContext ctx) {
    int limit = Pages.limit(ctx);
    String after = Pages.after(ctx, "entities", 1).map(p -> p.text(0)).orElse("");
    credit.page(Optional.ofNullable(ctx.request().getParam("kind")),
            Optional.ofNullable(ctx.request().getParam("district")),
            Optional.ofNullable(ctx.request().getParam("grade")), after, limit + 1)
        .onSuccess(page -> Pages.respond(ctx, "entities", page, limit, CreditJson::listed,
            g -> List.of(g.entity().creditCode())))
        .onFailure(ctx::fail);
  }

  public void importEntities(RoutingContext ctx) {
    Object body = RequestCheck.parsedBody(ctx);
    if (!(body instanceof String text)) {
      throw Problem.of(415, "unsupported-media-type", "Unsupported media type", "send the entities as CSV in a text/plain body");
    }
    List<Entity> entities = EntityCsv.parse(text, credit.clock().instant());
    credit.putAll(Authentication.actor(ctx), entities)
        .onSuccess(saved -> Responses.ok(ctx, new JsonObject()
            .put("created", saved.stream().filter(Credit.Saved::created).count())
            .put("updated", saved.stream().filter(s -> !s.created()).count())))
        .onFailure(ctx::fail);
  }

  public void getCredit(RoutingContext ctx) {
    String code = creditCode(ctx);
    Optional<Instant> at = Optional.ofNullable(ctx.request().getParam("at"))
        .map(t -> OffsetDateTime.parse(t).toInstant());
    Instant when = at.orElseGet(() -> credit.clock().instant());
    credit.explanation(code, when)
        .onSuccess(explained -> Responses.ok(ctx, explained))
        .onFailure(ctx::fail);
  }

  public void createCreditEvent(RoutingContext ctx) {
    JsonObject body = RequestCheck.jsonBody(ctx);
    String code = creditCode(ctx);
    credit.record(Authentication.actor(ctx), code, CreditEvent.Kind.valueOf(body.getString("kind")),
            Optional.ofNullable(body.getString("effectiveAt")).map(t -> OffsetDateTime.parse(t).toInstant()),
            Optional.ofNullable(body.getString("note")).map(String::strip).filter(n -> !n.isEmpty()),
            Optional.ofNullable(body.getInteger("points")), Optional.ofNullable(body.getString("repairs")))
        .onSuccess(e -> {
          ctx.response().putHeader("Location", "/api/v1/entities/" + code + "/credit");
          Responses.json(ctx, 201, CreditJson.eventInput(e, Optional.ofNullable(body.getString("note"))));
        })
        .onFailure(ctx::fail);
  }

  /** The path's creditCode, with its GB 32100-2015 check character verified (422 naming it otherwise). */
  static String creditCode(RoutingContext ctx) {
    String code = ctx.pathParam("creditCode");
    String problem = CreditCode.problem(code);
    if (problem != null) {
      throw Problem.ruleViolation("creditCode", problem);
    }
    return code;
  }
}
