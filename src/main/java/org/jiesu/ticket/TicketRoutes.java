package org.jiesu.ticket;

import org.jiesu.ticket.workflow.TicketType;
import org.jiesu.ticket.workflow.TicketState;
import org.jiesu.ticket.workflow.Ticket;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.jiesu.auth.Actor;
import org.jiesu.auth.Authentication;
import org.jiesu.platform.RequestCheck;
import org.jiesu.platform.Pages;
import org.jiesu.platform.Problem;
import org.jiesu.platform.Responses;

/** HTTP for tickets: translates requests and results, nothing more. */
public final class TicketRoutes {

  private final TicketService service;
  private final Clock clock;

  public TicketRoutes(TicketService service, Clock clock) {
    this.service = service;
    this.clock = clock;
  }

  public void create(RoutingContext ctx) {
    Actor actor = Authentication.actor(ctx);
    Intake intake = IntakeJson.parse(RequestCheck.jsonBody(ctx), clock.instant());
    service.intake(actor, intake)
        .onSuccess(result -> {
          Ticket t = result.ticket();
          ctx.response().putHeader("Location", "/api/v1/tickets/" + t.id());
          ctx.response().putHeader("ETag", t.etag());
          JsonObject json = TicketJson.view(t, result.view());
          result.answer().forEach(json::put); // what listeners add (the insights' similarCount)
          Responses.json(ctx, result.created() ? 201 : 200, json);
        })
        .onFailure(ctx::fail);
  }

  public void get(RoutingContext ctx) {
    service.get(Authentication.actor(ctx), ctx.pathParam("id"))
        .onSuccess(detail -> {
          TicketService.Seen seen = detail.seen();
          ctx.response().putHeader("ETag", seen.ticket().etag());
          JsonArray merged = new JsonArray();
          detail.mergedFrom().forEach(id -> merged.add(id.toString()));
          JsonObject json = TicketJson.view(seen.ticket(), seen.view()).put("mergedFrom", merged);
          detail.annex().forEach(json::put);
          Responses.ok(ctx, json);
        })
        .onFailure(ctx::fail);
  }

  public void list(RoutingContext ctx) {
    Actor actor = Authentication.actor(ctx);
    TicketRepository.ListQuery query = query(ctx);
    service.list(actor, query)
        .onSuccess(page -> Pages.respond(ctx, list(query.sort()), page, query.limit() - 1,
            s -> TicketJson.view(s.ticket(), s.view()), s -> List.of(query.sort() == TicketRepository.Sort.DUE
                ? s.ticket().dueAt().orElseThrow() : s.ticket().receivedAt(), s.ticket().seq())))
        .onFailure(ctx::fail);
  }

  public void events(RoutingContext ctx) {
    int limit = Pages.limit(ctx);
    long after = Pages.after(ctx, "ticket-events", 1).map(p -> p.number(0)).orElse(0L);
    service.events(Authentication.actor(ctx), ctx.pathParam("id"), after, limit + 1)
        .onSuccess(events -> Pages.respond(ctx, "ticket-events", events, limit, TicketJson::event,
            e -> List.of(e.id())))
        .onFailure(ctx::fail);
  }

  /** Reads the list's filters; the limit asked for is increased by one to learn whether a next page exists. */
  private static TicketRepository.ListQuery query(RoutingContext ctx) {
    List<Problem.FieldError> errors = new ArrayList<>();
    List<String> statuses = enums(ctx, "status", TicketState.class, errors);
    List<String> types = enums(ctx, "type", TicketType.class, errors);
    Instant from = IntakeJson.instant(ctx.request().getParam("receivedFrom"), "receivedFrom", errors);
    Instant to = IntakeJson.instant(ctx.request().getParam("receivedTo"), "receivedTo", errors);
    Instant dueBefore = IntakeJson.instant(ctx.request().getParam("dueBefore"), "dueBefore", errors);
    TicketRepository.Sort sort = sort(ctx);
    if (dueBefore != null && sort != TicketRepository.Sort.DUE) {
      errors.add(new Problem.FieldError("dueBefore", "needs sort=dueAt"));
    }
    Optional<TicketRepository.Cursor> cursor = Optional.empty();
    try {
      cursor = Pages.after(ctx, list(sort), 2).map(p -> new TicketRepository.Cursor(p.instant(0), p.number(1)));
    } catch (Problem p) {
      errors.addAll(p.errors());
    }
    if (!errors.isEmpty()) {
      throw Problem.invalid(errors);
    }
    return new TicketRepository.ListQuery(statuses, types,
        Optional.ofNullable(ctx.request().getParam("department")), Optional.ofNullable(from),
        Optional.ofNullable(to), Optional.ofNullable(ctx.request().getParam("category")),
        sort, Optional.ofNullable(dueBefore), cursor, Pages.limit(ctx) + 1);
  }

  /** The contract allows receivedAt, -receivedAt (the default) and dueAt. */
  private static TicketRepository.Sort sort(RoutingContext ctx) {
    return switch (Optional.ofNullable(ctx.request().getParam("sort")).orElse("-receivedAt")) {
      case "receivedAt" -> TicketRepository.Sort.RECEIVED_ASC;
      case "dueAt" -> TicketRepository.Sort.DUE;
      default -> TicketRepository.Sort.RECEIVED_DESC;
    };
  }

  /** Each order has its own cursor, so a cursor of one order cannot be replayed in another. */
  private static String list(TicketRepository.Sort sort) {
    return sort == TicketRepository.Sort.DUE ? "tickets-due" : "tickets";
  }

  private static <E extends Enum<E>> List<String> enums(RoutingContext ctx, String name, Class<E> type,
      List<Problem.FieldError> errors) {
    List<String> out = new ArrayList<>();
    for (String raw : ctx.queryParam(name)) {
      for (String v : raw.split(",")) {
        if (v.isBlank()) {
          continue;
        }
        if (Arrays.stream(type.getEnumConstants()).noneMatch(c -> c.name().equals(v.trim()))) {
          errors.add(new Problem.FieldError(name, "unknown value '" + v.trim() + "'"));
        } else {
          out.add(v.trim());
        }
      }
    }
    return out;
  }

}
