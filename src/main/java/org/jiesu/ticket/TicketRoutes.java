package org.jiesu.ticket;

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
    Intake intake = IntakeJson.parse(ctx.body().asJsonObject(), clock.instant());
    service.intake(actor, intake)
        .onSuccess(result -> {
          Ticket t = result.ticket();
          ctx.response().putHeader("Location", "/api/v1/tickets/" + t.id());
          ctx.response().putHeader("ETag", t.etag());
          Responses.json(ctx, result.created() ? 201 : 200,
              TicketJson.view(t, TicketAccess.view(actor, t)));
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
          Responses.ok(ctx, TicketJson.view(seen.ticket(), seen.view()).put("mergedFrom", merged));
        })
        .onFailure(ctx::fail);
  }

  public void list(RoutingContext ctx) {
    Actor actor = Authentication.actor(ctx);
    TicketRepository.ListQuery query = query(ctx, actor);
    service.list(actor, query)
        .onSuccess(page -> Pages.respond(ctx, "tickets", page, query.limit() - 1,
            s -> TicketJson.view(s.ticket(), s.view()), s -> List.of(s.ticket().receivedAt(), s.ticket().seq())))
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
  private static TicketRepository.ListQuery query(RoutingContext ctx, Actor actor) {
    List<Problem.FieldError> errors = new ArrayList<>();
    List<String> statuses = enums(ctx, "status", TicketState.class, errors);
    List<String> types = enums(ctx, "type", TicketType.class, errors);
    Instant from = IntakeJson.instant(ctx.request().getParam("receivedFrom"), "receivedFrom", errors);
    Instant to = IntakeJson.instant(ctx.request().getParam("receivedTo"), "receivedTo", errors);
    String sort = Optional.ofNullable(ctx.request().getParam("sort")).orElse("-receivedAt");
    if (!sort.equals("receivedAt") && !sort.equals("-receivedAt")) {
      errors.add(new Problem.FieldError("sort", "must be receivedAt or -receivedAt"));
    }
    Optional<TicketRepository.Cursor> cursor = Optional.empty();
    try {
      cursor = Pages.after(ctx, "tickets", 2).map(p -> new TicketRepository.Cursor(p.instant(0), p.number(1)));
    } catch (Problem p) {
      errors.addAll(p.errors());
    }
    if (!errors.isEmpty()) {
      throw Problem.invalid(errors);
    }
    return new TicketRepository.ListQuery(TicketAccess.listScope(actor), statuses, types,
        Optional.ofNullable(ctx.request().getParam("department")), Optional.ofNullable(from),
        Optional.ofNullable(to), Optional.ofNullable(ctx.request().getParam("category")),
        sort.equals("receivedAt"), cursor, Pages.limit(ctx) + 1);
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
