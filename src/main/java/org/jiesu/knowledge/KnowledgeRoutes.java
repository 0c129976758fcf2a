package org.jiesu.knowledge;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import org.jiesu.auth.Authentication;
import org.jiesu.platform.RequestCheck;
import org.jiesu.platform.Pages;
import org.jiesu.platform.Responses;
import org.jiesu.platform.Times;

/** HTTP for the knowledge base. */
public final class KnowledgeRoutes {

  private final Knowledge knowledge;

  public KnowledgeRoutes(Knowledge knowledge) {
    this.knowledge = knowledge;
  }

  public void search(RoutingContext ctx) {
    String q = ctx.request().getParam("q", "");
    knowledge.search(q, Pages.limit(ctx))
        .onSuccess(hits -> {
          // the database wrote each article's JSON (see KnowledgeRepository.DOC): the page is spliced, not re-encoded
          Buffer page = Buffer.buffer(hits.stream().mapToInt(h -> h.json().length() + 1).sum() + 32).appendString("{\"items\":[");
          for (int i = 0; i < hits.size(); i++) {
            page.appendBuffer(hits.get(i).json()).appendString(i + 1 < hits.size() ? "," : "");
          }
          // ranked results are one page: refine the query rather than page through weak matches
          Responses.json(ctx, 200, page.appendString("],\"next\":null}"));
        })
        .onFailure(ctx::fail);
  }

  public void get(RoutingContext ctx) {
    knowledge.get(ctx.pathParam("id")).onSuccess(a -> Responses.ok(ctx, json(a))).onFailure(ctx::fail);
  }

  public void create(RoutingContext ctx) {
    JsonObject body = RequestCheck.jsonBody(ctx);
    knowledge.create(Authentication.actor(ctx), body.getString("title").trim(), body.getString("body"), tags(body))
        .onSuccess(a -> {
          ctx.response().putHeader("Location", "/api/v1/knowledge/" + a.id());
          Responses.json(ctx, 201, json(a));
        })
        .onFailure(ctx::fail);
  }

  public void update(RoutingContext ctx) {
    JsonObject body = RequestCheck.jsonBody(ctx);
    knowledge.update(Authentication.actor(ctx), ctx.pathParam("id"), body.getString("title").trim(), body.getString("body"), tags(body))
        .onSuccess(a -> Responses.ok(ctx, json(a)))
        .onFailure(ctx::fail);
  }

  public void delete(RoutingContext ctx) {
    knowledge.delete(Authentication.actor(ctx), ctx.pathParam("id"))
        .onSuccess(v -> ctx.response().setStatusCode(204).end())
        .onFailure(ctx::fail);
  }

  private static List<String> tags(JsonObject body) {
    List<String> tags = new ArrayList<>();
    body.getJsonArray("tags", new JsonArray()).forEach(t -> tags.add(String.valueOf(t).trim()));
    return tags;
  }

  static JsonObject json(Article a) {
    return new JsonObject().put("id", a.id().toString()).put("title", a.title()).put("body", a.body())
        .put("tags", new JsonArray(a.tags())).put("version", a.version())
        .put("createdAt", Times.rfc3339(a.createdAt()))
        .put("updatedAt", Times.rfc3339(a.updatedAt()));
  }
}
