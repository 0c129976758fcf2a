package org.jiesu.ticket;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jiesu.auth.Actor;
import org.jiesu.auth.Authentication;
import org.jiesu.platform.RequestCheck;
import org.jiesu.platform.JsonValues;
import org.jiesu.platform.Problem;
import org.jiesu.platform.Responses;
import org.jiesu.ticket.workflow.ContactMethod;
import org.jiesu.ticket.workflow.Finding;
import org.jiesu.ticket.workflow.Inputs;
import org.jiesu.ticket.workflow.ReplyOutcome;
import org.jiesu.ticket.workflow.Satisfaction;
import org.jiesu.ticket.workflow.Verdict;

/**
 * HTTP for the handling workflow: each handler reads its body into typed inputs and calls the service
 * method named after the action. Actions answer 200 with the ticket; requests and orders answer 201 with
 * their id.
 */
public final class WorkflowRoutes {

  private final TicketService service;
  private final RequestQueue queue;

  public WorkflowRoutes(TicketService service, RequestQueue queue) {
    this.service = service;
    this.queue = queue;
  }

  /** The queue of requests: {@code status}, {@code kind}, {@code department}, newest first, cursor-paged. */
  public void requests(RoutingContext ctx) {
    int limit = org.jiesu.platform.Pages.limit(ctx);
    Optional<org.jiesu.platform.Pages.Position> before = org.jiesu.platform.Pages.after(ctx, "ticket-requests", 2);
    Optional<Instant> beforeAt = before.map(p -> p.instant(0));
    Optional<UUID> beforeId = before.map(p -> p.uuid(1));
    RequestQueue.Query q = new RequestQueue.Query(Optional.ofNullable(ctx.request().getParam("status")),
        Optional.ofNullable(ctx.request().getParam("kind")), Optional.ofNullable(ctx.request().getParam("department")),
        beforeAt, beforeId, limit + 1);
    queue.page(Authentication.actor(ctx), q)
        .onSuccess(page -> org.jiesu.platform.Pages.respond(ctx, "ticket-requests", page, limit, r -> r,
            r -> List.of(Instant.parse(r.getString("requestedAt")), r.getString("id"))))
        .onFailure(ctx::fail);
  }

  public void dispatch(RoutingContext ctx) {
    JsonObject body = body(ctx);
    Inputs.Dispatch in = new Inputs.Dispatch(body.getString("leadDepartment"),
        JsonValues.strings(body.getJsonArray("assistingDepartments")), Optional.ofNullable(body.getString("reason")));
    answer(ctx, service.dispatch(id(ctx), Authentication.actor(ctx), ifMatch(ctx), in));
  }

  public void sign(RoutingContext ctx) {
    answer(ctx, service.sign(id(ctx), Authentication.actor(ctx), ifMatch(ctx)));
  }

  public void contact(RoutingContext ctx) {
    JsonObject body = body(ctx);
    Inputs.Contact in = new Inputs.Contact(instant(body.getString("at"), "/at"),
        ContactMethod.valueOf(body.getString("method")), Optional.ofNullable(body.getString("note")));
    answer(ctx, service.contact(id(ctx), Authentication.actor(ctx), ifMatch(ctx), in));
  }

  public void note(RoutingContext ctx) {
    answer(ctx, service.note(id(ctx), Authentication.actor(ctx), ifMatch(ctx), body(ctx).getString("text")));
  }

  public void requestReturn(RoutingContext ctx) {
    JsonObject body = body(ctx);
    Inputs.Return in = new Inputs.Return(body.getString("reason"),
        Optional.ofNullable(body.getString("suggestedDepartment")));
    opened(ctx, service.requestReturn(id(ctx), Authentication.actor(ctx), ifMatch(ctx), in));
  }

  public void decideReturn(RoutingContext ctx) {
    answer(ctx, service.decideReturn(id(ctx), pathId(ctx, "requestId"), Authentication.actor(ctx), ifMatch(ctx), decision(ctx)));
  }

  public void requestExtension(RoutingContext ctx) {
    JsonObject body = body(ctx);
    opened(ctx, service.requestExtension(id(ctx), Authentication.actor(ctx), ifMatch(ctx), instant(body.getString("until"),
        "/until"), body.getString("reason")));
  }

  public void decideExtension(RoutingContext ctx) {
    answer(ctx, service.decideExtension(id(ctx), pathId(ctx, "requestId"), Authentication.actor(ctx), ifMatch(ctx),
        decision(ctx)));
  }

  public void requestSuspension(RoutingContext ctx) {
    opened(ctx, service.requestSuspension(id(ctx), Authentication.actor(ctx), ifMatch(ctx), body(ctx).getString("reason")));
  }

  public void decideSuspension(RoutingContext ctx) {
    answer(ctx, service.decideSuspension(id(ctx), pathId(ctx, "requestId"), Authentication.actor(ctx), ifMatch(ctx),
        decision(ctx)));
  }

  public void resume(RoutingContext ctx) {
    answer(ctx, service.resume(id(ctx), Authentication.actor(ctx), ifMatch(ctx),
        Optional.ofNullable(optionalBody(ctx).getString("reason"))));
  }

  public void reply(RoutingContext ctx) {
    JsonObject body = body(ctx);
    Inputs.Reply in = new Inputs.Reply(ReplyOutcome.valueOf(body.getString("outcome")), body.getString("answer"),
        Optional.ofNullable(body.getString("finding")).map(Finding::valueOf));
    answer(ctx, service.reply(id(ctx), Authentication.actor(ctx), ifMatch(ctx), in));
  }

  public void callback(RoutingContext ctx) {
    JsonObject body = body(ctx);
    Inputs.Callback in = new Inputs.Callback(body.getBoolean("resolved"),
        Satisfaction.valueOf(body.getString("satisfaction")), Optional.ofNullable(body.getString("comment")),
        body.getBoolean("rework", false));
    answer(ctx, service.callback(id(ctx), Authentication.actor(ctx), ifMatch(ctx), in));
  }

  public void merge(RoutingContext ctx) {
    JsonObject body = body(ctx);
    answer(ctx, service.merge(id(ctx), Authentication.actor(ctx), ifMatch(ctx), body.getString("into"),
        Optional.ofNullable(body.getString("reason"))));
  }

  public void orderSupervision(RoutingContext ctx) {
    JsonObject body = body(ctx);
    Inputs.SupervisionOrder in = new Inputs.SupervisionOrder(body.getString("instruction"),
        instant(body.getString("respondBy"), "/respondBy"));
    opened(ctx, service.orderSupervision(id(ctx), Authentication.actor(ctx), ifMatch(ctx), in));
  }

  public void acknowledgeSupervision(RoutingContext ctx) {
    answer(ctx, service.acknowledgeSupervision(id(ctx), pathId(ctx, "orderId"), Authentication.actor(ctx), ifMatch(ctx),
        Optional.ofNullable(optionalBody(ctx).getString("note"))));
  }

  public void markUnreasonable(RoutingContext ctx) {
    answer(ctx, service.markUnreasonable(id(ctx), Authentication.actor(ctx), ifMatch(ctx), body(ctx).getString("reason")));
  }

  /** 200 with the ticket as the caller may see it. */
  private static void answer(RoutingContext ctx, Future<TicketService.Seen> action) {
    action.onSuccess(seen -> {
      ctx.response().putHeader("ETag", seen.ticket().etag());
      Responses.json(ctx, 200, TicketJson.view(seen.ticket(), seen.view()));
    }).onFailure(ctx::fail);
  }

  /** 201 with the request or order the action opened, and the ticket. */
  private static void opened(RoutingContext ctx, Future<TicketService.Opened> action) {
    action.onSuccess(o -> {
      ctx.response().putHeader("ETag", o.seen().ticket().etag());
      Responses.json(ctx, 201, new JsonObject().put("id", o.id().toString()).put("kind", o.kind())
          .put("status", o.kind().equals("SUPERVISION_ORDER") ? "OPEN" : "PENDING")
          .put("ticket", TicketJson.view(o.seen().ticket(), o.seen().view())));
    }).onFailure(ctx::fail);
  }

  private static String id(RoutingContext ctx) {
    return ctx.pathParam("id");
  }

  /** The If-Match header, checked for syntax (400 when malformed). */
  static Optional<String> ifMatch(RoutingContext ctx) {
    return ETags.ifMatch(ctx.request().getHeader("If-Match"));
  }

  private static UUID pathId(RoutingContext ctx, String name) {
    try {
      return UUID.fromString(ctx.pathParam(name));
    } catch (IllegalArgumentException e) {
      throw Problem.notFound("no " + name + " " + ctx.pathParam(name));
    }
  }

  private static Inputs.Decision decision(RoutingContext ctx) {
    JsonObject body = body(ctx);
    return new Inputs.Decision(Verdict.valueOf(body.getString("decision")), Optional.ofNullable(body.getString("reason")));
  }

  private static Instant instant(String text, String field) {
    List<Problem.FieldError> errors = new ArrayList<>();
    Instant at = IntakeJson.instant(text, field, errors);
    if (!errors.isEmpty()) {
      throw Problem.invalid(errors);
    }
    return at;
  }

  private static JsonObject body(RoutingContext ctx) {
    return RequestCheck.jsonBody(ctx);
  }

  private static JsonObject optionalBody(RoutingContext ctx) {
    JsonObject json = RequestCheck.jsonBody(ctx);
    return json == null ? new JsonObject() : json;
  }
}
