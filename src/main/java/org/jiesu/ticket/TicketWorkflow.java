package org.jiesu.ticket;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jiesu.audit.AuditLog;
import org.jiesu.auth.Actor;
import org.jiesu.department.Departments;
import org.jiesu.platform.JsonValues;
import org.jiesu.platform.Problem;
import org.jiesu.ticket.workflow.Event;
import org.jiesu.ticket.workflow.Handling;
import org.jiesu.ticket.workflow.Outcome;
import org.jiesu.ticket.workflow.Refusal;

/**
 * Runs one workflow action in one transaction: lock the ticket, check visibility and If-Match, let the
 * plain-Java rules decide, then store the new handling state and the timeline events together. Refusals
 * become problems; denials (404 out of scope, 403) are audited after the transaction rolls back.
 */
public final class TicketWorkflow {

  /** An action as the rules see it: the ticket's handling in (and the stored ticket, for inputs), an outcome out. */
  @FunctionalInterface
  public interface Action {
    Outcome apply(Handling handling, Ticket ticket, Instant now);
  }

  private final Pool pool;
  private final TicketRepository tickets = new TicketRepository();
  private final HandlingStore store = new HandlingStore();
  private final Departments departments;
  private final AuditLog audit;
  private final Clock clock;

  public TicketWorkflow(Pool pool, Departments departments, AuditLog audit, Clock clock) {
    this.pool = pool;
    this.departments = departments;
    this.audit = audit;
    this.clock = clock;
  }

  /**
   * Runs {@code action} on ticket {@code rawId}. {@code departmentsNamed} ({@code fields} are their JSON
   * pointers) must exist (422) before the change is stored, so no ticket is assigned to a department that
   * is not registered.
   */
  public Future<Ticket> act(Actor actor, String rawId, Optional<String> ifMatch, List<String> departmentsNamed,
      List<String> fields, Action action) {
    Optional<UUID> id = JsonValues.uuid(rawId);
    if (id.isEmpty()) {
      return Future.failedFuture(Problem.notFound("no ticket " + rawId));
    }
    Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
    // departments are checked after the rule, so role and state refusals come first (visibility → role →
    // state → input, the rules' order)
    return pool.withTransaction(tx -> lockAndLoad(tx, id.get(), rawId)
            .compose(ticket -> visible(actor, ticket, rawId)
                .compose(v -> precondition(ticket, ifMatch))
                .compose(v -> store.load(tx, ticket))
                .compose(handling -> apply(tx, actor, handling, ticket, action, now,
                    () -> departments.requireExisting(tx, departmentsNamed, fields)))))
        .recover(failure -> auditDenial(actor, id.get(), failure));
  }

  /** Merge locks both tickets, in id order so two opposite merges cannot deadlock. */
  public Future<Ticket> merge(Actor actor, String rawId, Optional<String> ifMatch, String rawInto,
      Optional<String> reason) {
    Optional<UUID> id = JsonValues.uuid(rawId);
    if (id.isEmpty()) {
      return Future.failedFuture(Problem.notFound("no ticket " + rawId));
    }
    Optional<UUID> into = JsonValues.uuid(rawInto);
    if (into.isEmpty()) {
      return Future.failedFuture(Problem.unprocessable("/into", "no ticket " + rawInto));
    }
    Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
    UUID first = id.get().compareTo(into.get()) <= 0 ? id.get() : into.get();
    UUID second = first.equals(id.get()) ? into.get() : id.get();
    return pool.withTransaction(tx -> store.lock(tx, first).compose(v -> store.lock(tx, second))
            .compose(v -> lockAndLoad(tx, id.get(), rawId))
            .compose(ticket -> visible(actor, ticket, rawId)
                .compose(v -> precondition(ticket, ifMatch))
                .compose(v -> tickets.byId(tx, into.get()))
                .compose(target -> target.isEmpty()
                    ? Future.failedFuture(Problem.unprocessable("/into", "no ticket " + rawInto))
                    : store.load(tx, target.get()))
                .compose(targetHandling -> tickets.mergedFrom(tx, ticket.id()).compose(duplicates -> duplicates.isEmpty()
                    ? store.load(tx, ticket)
                    : Future.failedFuture(Problem.conflict(duplicates.size() + " tickets are merged into this one;"
                        + " merge the other way", new JsonObject().put("currentState", ticket.state().name()))))
                    .compose(handling -> apply(tx, actor, handling, ticket,
                        (h, t, at) -> org.jiesu.ticket.workflow.Transitions.merge(h, targetHandling, actor, at, reason),
                        now, Future::succeededFuture))
                    .compose(result -> recordMergedFrom(tx, actor, targetHandling, ticket, now).map(result)))))
        .recover(failure -> auditDenial(actor, id.get(), failure));
  }

  /** The other end of the merge link, in the primary's own timeline and in the audit log. */
  private Future<Void> recordMergedFrom(SqlClient tx, Actor actor, Handling primary, Ticket duplicate, Instant now) {
    JsonObject details = new JsonObject().put("duplicate", duplicate.id().toString())
        .put("externalId", duplicate.externalId());
    return tickets.appendEvent(tx, new TicketEvent(0, primary.id(), primary.round(), "MERGED_FROM", now, actor.sub(),
            actor.mainRole() == null ? null : actor.mainRole().name(), actor.dept().orElse(null), details))
        .compose(v -> audit.append(tx, actor, "TICKET_ACTION", primary.id(),
            new JsonObject().put("events", new JsonArray().add("MERGED_FROM")).put("duplicate", duplicate.id().toString())));
  }

  private Future<Ticket> lockAndLoad(SqlClient tx, UUID id, String rawId) {
    return store.lock(tx, id).compose(found -> found
        ? tickets.byId(tx, id).map(Optional::orElseThrow)
        : Future.failedFuture(Problem.notFound("no ticket " + rawId)));
  }

  private Future<Void> visible(Actor actor, Ticket ticket, String rawId) {
    return TicketAccess.canSee(actor, ticket)
        ? Future.succeededFuture()
        : Future.failedFuture(new Denied(Problem.notFound("no ticket " + rawId), "out of scope"));
  }

  private static Future<Void> precondition(Ticket ticket, Optional<String> ifMatch) {
    if (ifMatch.isPresent() && !ETags.matches(ifMatch.get(), ticket.etag())) {
      return Future.failedFuture(Problem.of(412, "precondition-failed", "Precondition failed",
          "the ticket changed since you read it (now version " + ticket.version() + ")"));
    }
    return Future.succeededFuture();
  }

  private Future<Ticket> apply(SqlClient tx, Actor actor, Handling handling, Ticket ticket, Action action,
      Instant now, java.util.function.Supplier<Future<Void>> inputCheck) {
    Outcome outcome = action.apply(handling, ticket, now);
    if (outcome instanceof Outcome.Refused refused) {
      return Future.failedFuture(problem(refused.cause(), handling));
    }
    Outcome.Changed change = (Outcome.Changed) outcome;
    return inputCheck.get().compose(v -> store(tx, actor, handling, change, now));
  }

  private Future<Ticket> store(SqlClient tx, Actor actor, Handling handling, Outcome.Changed change, Instant now) {
    JsonArray types = new JsonArray();
    change.events().forEach(e -> types.add(e.type()));
    return store.save(tx, handling, change.after(), change.events(), actor.sub(), now)
        .compose(v -> appendEvents(tx, handling.id(), change.events()))
        // the tamper-evident record of who did what to which ticket, committed with the change
        .compose(v -> audit.append(tx, actor, "TICKET_ACTION", handling.id(), new JsonObject().put("events", types)
            .put("fromState", handling.state().name()).put("toState", change.after().state().name())))
        .compose(v -> tickets.byId(tx, handling.id()))
        .map(Optional::orElseThrow);
  }

  private Future<Void> appendEvents(SqlClient tx, UUID ticketId, List<Event> events) {
    Future<Void> chain = Future.succeededFuture();
    for (Event e : events) {
      chain = chain.compose(v -> tickets.appendEvent(tx, stored(ticketId, e)));
    }
    return chain;
  }

  private static Throwable problem(Refusal refusal, Handling handling) {
    if (refusal instanceof Refusal.NotFound) {
      // the ticket is out of the actor's scope, or the order it names does not exist for them
      return new Denied(Problem.notFound("no such ticket, request or order for you"), "not found in scope");
    }
    if (refusal instanceof Refusal.Forbidden) {
      return new Denied(Problem.forbidden("you may not take this action on this ticket"), "not permitted");
    }
    if (refusal instanceof Refusal.Conflict c) {
      return Problem.conflict(c.detail(), new JsonObject().put("currentState", c.state().name())
          .put("version", handling.version()));
    }
    Refusal.Invalid invalid = (Refusal.Invalid) refusal;
    return Problem.invalid(invalid.field(), invalid.message());
  }

  /** Denials are recorded in their own transaction: the action's own one has rolled back. */
  private Future<Ticket> auditDenial(Actor actor, UUID ticketId, Throwable failure) {
    if (failure instanceof Denied denied) {
      return audit.record(actor, "ACCESS_DENIED", ticketId, new JsonObject().put("reason", denied.reason))
          .compose(v -> Future.failedFuture(denied.problem));
    }
    return Future.failedFuture(failure);
  }

  private static TicketEvent stored(UUID ticketId, Event e) {
    Actor a = e.actor();
    return new TicketEvent(0, ticketId, e.round(), e.type(), e.at(), a.sub(),
        a.mainRole() == null ? null : a.mainRole().name(), a.dept().orElse(null), details(e.details()));
  }

  static JsonObject details(Map<String, Object> details) {
    JsonObject json = new JsonObject();
    details.forEach((k, v) -> json.put(k, jsonValue(v)));
    return json;
  }

  private static Object jsonValue(Object v) {
    if (v == null || v instanceof String || v instanceof Boolean || v instanceof Number) {
      return v;
    }
    if (v instanceof Instant i) {
      return org.jiesu.platform.Times.rfc3339(i);
    }
    if (v instanceof Duration d) {
      return d.toString();
    }
    if (v instanceof Iterable<?> list) {
      JsonArray array = new JsonArray();
      list.forEach(x -> array.add(jsonValue(x)));
      return array;
    }
    return v.toString(); // enums, UUIDs
  }

  /** A refusal that is also a denied access, to be audited. */
  private static final class Denied extends RuntimeException {
    final Problem problem;
    final String reason;

    Denied(Problem problem, String reason) {
      super(problem.detail(), null, false, false);
      this.problem = problem;
      this.reason = reason;
    }
  }
}
