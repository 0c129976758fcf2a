package org.jiesu.ticket;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jiesu.auth.Actor;
import org.jiesu.platform.JsonValues;
import org.jiesu.platform.Problem;
import org.jiesu.platform.Responses;
import org.jiesu.ticket.workflow.ContactMethod;
import org.jiesu.ticket.workflow.Finding;
import org.jiesu.ticket.workflow.Handling;
import org.jiesu.ticket.workflow.Inputs;
import org.jiesu.ticket.workflow.Outcome;
import org.jiesu.ticket.workflow.Refusal;
import org.jiesu.ticket.workflow.ReplyOutcome;
import org.jiesu.ticket.workflow.Satisfaction;
import org.jiesu.ticket.workflow.Transitions;
import org.jiesu.ticket.workflow.Verdict;

/**
 * HTTP for the handling workflow: each handler reads its body into the rules' inputs and hands the rule to
 * {@link TicketWorkflow}. Actions answer 200 with the ticket; requests and orders answer 201 with their id.
 */
public final class WorkflowRoutes {

  private final TicketWorkflow workflow;
  private final RequestQueue queue;
  private final Duration returnWindow;
  private final Duration extensionCap;

  public WorkflowRoutes(TicketWorkflow workflow, RequestQueue queue, Duration returnWindow, Duration extensionCap) {
    this.workflow = workflow;
    this.queue = queue;
    this.returnWindow = returnWindow;
    this.extensionCap = extensionCap;
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
    queue.page(Actor.of(ctx), q)
        .onSuccess(page -> org.jiesu.platform.Pages.respond(ctx, "ticket-requests", page, limit, r -> r,
            r -> List.of(Instant.parse(r.getString("requestedAt")), r.getString("id"))))
        .onFailure(ctx::fail);
  }

  public void dispatch(RoutingContext ctx) {
    JsonObject body = body(ctx);
    String lead = body.getString("leadDepartment");
    List<String> assisting = JsonValues.strings(body.getJsonArray("assistingDepartments"));
    List<String> named = new ArrayList<>(List.of(lead));
    named.addAll(assisting);
    List<String> fields = new ArrayList<>(List.of("/leadDepartment"));
    for (int i = 0; i < assisting.size(); i++) {
      fields.add("/assistingDepartments/" + i);
    }
    Inputs.Dispatch in = new Inputs.Dispatch(lead, assisting, Optional.ofNullable(body.getString("reason")));
    action(ctx, named, fields, (h, t, now) -> Transitions.dispatch(h, Actor.of(ctx), now, in));
  }

  public void sign(RoutingContext ctx) {
    action(ctx, (h, t, now) -> Transitions.sign(h, Actor.of(ctx), now));
  }

  public void contact(RoutingContext ctx) {
    JsonObject body = body(ctx);
    Inputs.Contact in = new Inputs.Contact(instant(body.getString("at"), "/at"),
        ContactMethod.valueOf(body.getString("method")), Optional.ofNullable(body.getString("note")));
    action(ctx, (h, t, now) -> Transitions.contact(h, Actor.of(ctx), now, in));
  }

  public void note(RoutingContext ctx) {
    String text = body(ctx).getString("text");
    action(ctx, (h, t, now) -> Transitions.note(h, Actor.of(ctx), now, text));
  }

  public void requestReturn(RoutingContext ctx) {
    JsonObject body = body(ctx);
    Optional<String> suggested = Optional.ofNullable(body.getString("suggestedDepartment"));
    UUID id = UUID.randomUUID();
    Inputs.Return in = new Inputs.Return(body.getString("reason"), suggested);
    request(ctx, "RETURN", id, suggested.map(List::of).orElse(List.of()), List.of("/suggestedDepartment"),
        (h, t, now) -> Transitions.requestReturn(h, Actor.of(ctx), now, id, in, returnWindow));
  }

  public void decideReturn(RoutingContext ctx) {
    decide(ctx, h -> h.pendingReturn().map(Handling.ReturnRequest::id), Transitions::decideReturn);
  }

  /**
   * Until the SLA engine measures deadlines in working time, an extension's length is the natural time from
   * the request to {@code until}, and the cap is natural time too ({@code JIESU_EXTENSION_CAP}).
   */
  public void requestExtension(RoutingContext ctx) {
    JsonObject body = body(ctx);
    Instant until = instant(body.getString("until"), "/until");
    UUID id = UUID.randomUUID();
    request(ctx, "EXTENSION", id, List.of(), List.of(), (h, t, now) -> {
      // measured from the deadline the latest extension set, else from now (until the SLA engine knows
      // the RESOLVE deadline itself)
      Instant from = t.progress().extendedUntil().filter(now::isBefore).orElse(now);
      Duration length = until.isAfter(from) ? Duration.between(from, until) : Duration.ZERO;
      return Transitions.requestExtension(h, Actor.of(ctx), now, id, new Inputs.Extension(until, length,
          body.getString("reason")), extensionCap);
    });
  }

  public void decideExtension(RoutingContext ctx) {
    decide(ctx, h -> h.pendingExtension().map(Handling.ExtensionRequest::id), Transitions::decideExtension);
  }

  public void requestSuspension(RoutingContext ctx) {
    String reason = body(ctx).getString("reason");
    UUID id = UUID.randomUUID();
    request(ctx, "SUSPENSION", id, List.of(), List.of(),
        (h, t, now) -> Transitions.requestSuspension(h, Actor.of(ctx), now, id, reason));
  }

  public void decideSuspension(RoutingContext ctx) {
    decide(ctx, h -> h.pendingSuspension().map(Handling.SuspensionRequest::id), Transitions::decideSuspension);
  }

  public void resume(RoutingContext ctx) {
    Optional<String> reason = Optional.ofNullable(optionalBody(ctx).getString("reason"));
    action(ctx, (h, t, now) -> Transitions.resume(h, Actor.of(ctx), now, reason));
  }

  public void reply(RoutingContext ctx) {
    JsonObject body = body(ctx);
    Inputs.Reply in = new Inputs.Reply(ReplyOutcome.valueOf(body.getString("outcome")), body.getString("answer"),
        Optional.ofNullable(body.getString("finding")).map(Finding::valueOf));
    action(ctx, (h, t, now) -> Transitions.reply(h, Actor.of(ctx), now, in));
  }

  public void callback(RoutingContext ctx) {
    JsonObject body = body(ctx);
    Inputs.Callback in = new Inputs.Callback(body.getBoolean("resolved"),
        Satisfaction.valueOf(body.getString("satisfaction")), Optional.ofNullable(body.getString("comment")),
        body.getBoolean("rework", false));
    action(ctx, (h, t, now) -> Transitions.callback(h, Actor.of(ctx), now, in));
  }

  public void merge(RoutingContext ctx) {
    JsonObject body = body(ctx);
    workflow.merge(Actor.of(ctx), ctx.pathParam("id"), ifMatch(ctx), body.getString("into"),
            Optional.ofNullable(body.getString("reason")))
        .onSuccess(r -> ticket(ctx, 200, r))
        .onFailure(ctx::fail);
  }

  public void orderSupervision(RoutingContext ctx) {
    JsonObject body = body(ctx);
    Inputs.SupervisionOrder in = new Inputs.SupervisionOrder(body.getString("instruction"),
        instant(body.getString("respondBy"), "/respondBy"));
    UUID id = UUID.randomUUID();
    request(ctx, "SUPERVISION_ORDER", id, List.of(), List.of(),
        (h, t, now) -> Transitions.orderSupervision(h, Actor.of(ctx), now, id, in));
  }

  public void acknowledgeSupervision(RoutingContext ctx) {
    UUID orderId = pathId(ctx, "orderId");
    Optional<String> note = Optional.ofNullable(optionalBody(ctx).getString("note"));
    action(ctx, (h, t, now) -> Transitions.acknowledgeSupervision(h, Actor.of(ctx), now, orderId, note));
  }

  public void markUnreasonable(RoutingContext ctx) {
    String reason = body(ctx).getString("reason");
    action(ctx, (h, t, now) -> Transitions.markUnreasonable(h, Actor.of(ctx), now, reason));
  }

  private void action(RoutingContext ctx, TicketWorkflow.Action rule) {
    action(ctx, List.of(), List.of(), rule);
  }

  private void action(RoutingContext ctx, List<String> departments, List<String> fields, TicketWorkflow.Action rule) {
    run(ctx, departments, fields, rule).onSuccess(r -> ticket(ctx, 200, r)).onFailure(ctx::fail);
  }

  private void request(RoutingContext ctx, String kind, UUID id, List<String> departments, List<String> fields,
      TicketWorkflow.Action rule) {
    run(ctx, departments, fields, rule)
        .onSuccess(r -> {
          ctx.response().putHeader("ETag", r.etag());
          Responses.json(ctx, 201, new JsonObject().put("id", id.toString()).put("kind", kind)
              .put("status", kind.equals("SUPERVISION_ORDER") ? "OPEN" : "PENDING")
              .put("ticket", TicketJson.view(r, TicketAccess.view(Actor.of(ctx), r))));
        })
        .onFailure(ctx::fail);
  }

  private Future<Ticket> run(RoutingContext ctx, List<String> departments, List<String> fields,
      TicketWorkflow.Action rule) {
    return workflow.act(Actor.of(ctx), ctx.pathParam("id"), ifMatch(ctx), departments, fields, rule);
  }

  private static void ticket(RoutingContext ctx, int status, Ticket t) {
    ctx.response().putHeader("ETag", t.etag());
    Responses.json(ctx, status, TicketJson.view(t, TicketAccess.view(Actor.of(ctx), t)));
  }

  /** A decision rule of {@link Transitions}. */
  @FunctionalInterface
  private interface DecisionRule {
    Outcome decide(Handling h, Actor actor, Instant now, Inputs.Decision decision);
  }

  /** Decides the request named in the path, which must be the one waiting for a decision. */
  private void decide(RoutingContext ctx, java.util.function.Function<Handling, Optional<UUID>> waiting,
      DecisionRule rule) {
    Inputs.Decision d = decision(ctx);
    UUID requested = pathId(ctx, "requestId");
    action(ctx, (h, t, now) -> {
      Optional<UUID> pending = waiting.apply(h);
      if (pending.isPresent() && !pending.get().equals(requested)) {
        return new Outcome.Refused(Refusal.conflict(h.state(), "request " + requested
            + " is not the one waiting for a decision (it was decided, withdrawn, or never made)"));
      }
      return rule.decide(h, Actor.of(ctx), now, d);
    });
  }

  static Optional<String> ifMatch(RoutingContext ctx) {
    return Optional.ofNullable(ctx.request().getHeader("If-Match"));
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
    return ctx.body().asJsonObject();
  }

  private static JsonObject optionalBody(RoutingContext ctx) {
    JsonObject json = ctx.body() == null ? null : ctx.body().asJsonObject();
    return json == null ? new JsonObject() : json;
  }
}
