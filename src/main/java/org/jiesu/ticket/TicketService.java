package org.jiesu.ticket;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import org.jiesu.audit.AuditLog;
import org.jiesu.auth.Actor;
import org.jiesu.department.Departments;
import org.jiesu.knowledge.Knowledge;
import org.jiesu.platform.JsonValues;
import org.jiesu.platform.Problem;
import org.jiesu.routing.Assignment;
import org.jiesu.routing.RoutingFacts;
import org.jiesu.routing.RoutingRules;
import org.jiesu.ticket.TicketAccess.View;
import org.jiesu.ticket.TicketRepository.Locked;
import org.jiesu.ticket.workflow.Handling;
import org.jiesu.ticket.workflow.Inputs;
import org.jiesu.ticket.workflow.Outcome;
import org.jiesu.ticket.workflow.Refusal;
import org.jiesu.ticket.workflow.TicketEvent;
import org.jiesu.ticket.workflow.Transitions;

/**
 * Ticket use cases, and the only writer of tickets. Every change runs the same way in one transaction:
 * lock and read the ticket (one statement), check visibility and If-Match, let the plain-Java rules
 * decide, store the decision's events, and hand them to the registered {@link TicketListener}s. Whatever
 * renders a ticket for a caller goes through {@link #seen}, which decides the view and audits reads of
 * personal data in the same transaction. Denials (404 out of scope, 403) are audited after the rollback.
 */
public final class TicketService {

  /** The outcome of an intake: a new ticket, or the one this externalId already made. */
  public record IntakeResult(Ticket ticket, boolean created) {}

  /** A ticket together with what the caller may see of it. */
  public record Seen(Ticket ticket, View view) {}

  /** One ticket in full: with the duplicates merged into it. */
  public record Detail(Seen seen, List<UUID> mergedFrom, Map<String, Object> annex) {}

  /** A request or supervision order an action opened, and the ticket as it now is. */
  public record Opened(UUID id, String kind, Seen seen) {}

  /** An action's rule, given the locked ticket and the instant of the action. */
  @FunctionalInterface
  private interface Rule {
    Outcome apply(Locked current, Instant now);
  }

  /** A rule deciding a pending request. */
  @FunctionalInterface
  private interface DecisionRule {
    Outcome decide(Handling h, Actor actor, Instant now, Inputs.Decision decision);
  }

  private final Pool pool;
  private final TicketRepository tickets = new TicketRepository();
  private final Departments departments;
  private final RoutingRules routing;
  private final Knowledge knowledge;
  private final AuditLog audit;
  private final Clock clock;
  private final Duration returnWindow;
  private final Duration extensionCap;
  private final List<TicketListener> listeners;
  private final List<TicketAnnex> annexes;

  /**
   * {@code returnWindow}: how long after dispatch a department may ask to return a ticket.
   * {@code extensionCap}: the total extension a department may be granted; until the SLA engine measures
   * deadlines in working time, both are natural time.
   */
  public TicketService(Pool pool, Departments departments, RoutingRules routing, Knowledge knowledge, AuditLog audit,
      Clock clock, Duration returnWindow, Duration extensionCap, List<TicketListener> listeners) {
    this(pool, departments, routing, knowledge, audit, clock, returnWindow, extensionCap, listeners, List.of());
  }

  /** {@code annexes}: what other features show with a ticket read on its own. */
  public TicketService(Pool pool, Departments departments, RoutingRules routing, Knowledge knowledge, AuditLog audit,
      Clock clock, Duration returnWindow, Duration extensionCap, List<TicketListener> listeners,
      List<TicketAnnex> annexes) {
    this.pool = pool;
    this.departments = departments;
    this.routing = routing;
    this.knowledge = knowledge;
    this.audit = audit;
    this.clock = clock;
    this.returnWindow = returnWindow;
    this.extensionCap = extensionCap;
    this.listeners = List.copyOf(listeners);
    this.annexes = List.copyOf(annexes);
  }

  // ------------------------------------------------------------------------------------------- intake

  /**
   * Idempotent on externalId: a repeat with the same normalised payload returns the stored ticket, a
   * different payload is a 409. Concurrent repeats serialise on the unique index (ON CONFLICT waits for the
   * first transaction), so exactly one ticket is made.
   */
  public Future<IntakeResult> intake(Actor actor, Intake intake) {
    String hash = IntakeJson.hash(intake);
    Instant now = now();
    return pool.withTransaction(tx -> tickets.byExternalId(tx, intake.externalId())
        .compose(existing -> existing.isPresent()
            ? repeated(tx, actor, existing.get(), hash)
            : create(tx, actor, intake, hash, now)));
  }

  /** A repeat answers with the stored ticket, caller included: that read is audited like any other. */
  private Future<IntakeResult> repeated(SqlClient tx, Actor actor, Ticket existing, String hash) {
    IntakeResult result = repeat(existing, hash);
    return audit.append(tx, actor, "TICKET_INTAKE_REPEAT", existing.id(),
        new JsonObject().put("externalId", existing.externalId())).map(result);
  }

  private Future<IntakeResult> create(SqlConnection tx, Actor actor, Intake intake, String hash, Instant now) {
    List<String> fields = new ArrayList<>();
    intake.leadDepartment().ifPresent(d -> fields.add("/leadDepartment"));
    for (int i = 0; i < intake.assistingDepartments().size(); i++) {
      fields.add("/assistingDepartments/" + i);
    }
    return departments.requireExisting(tx, intake.namedDepartments(), fields)
        .compose(v -> requireArticle(tx, intake))
        .compose(v -> assignment(tx, intake))
        .compose(assignment -> {
          UUID id = UUID.randomUUID();
          Outcome.Changed decision = Transitions.intake(
              Handling.unsaved(id, intake.type(), intake.subject().isPresent()), actor, now,
              new Inputs.Intake(intake.externalId(), intake.urgency(), intake.category(),
                  assignment.map(Assignment::leadDepartment),
                  assignment.map(Assignment::assistingDepartments).orElse(List.of()),
                  assignment.map(Assignment::ruleId), intake.answeredBy(), intake.knowledgeArticleId()))
              .orElseThrow();
          return tickets.insert(tx, newTicket(intake, hash, now, decision)).compose(inserted -> {
            if (inserted.isEmpty()) {
              // another transaction committed the same externalId between our lookup and insert
              return tickets.byExternalId(tx, intake.externalId())
                  .compose(found -> repeated(tx, actor, found.orElseThrow(), hash));
            }
            Ticket saved = inserted.get();
            return tickets.insertEvents(tx, decision.events())
                .compose(v -> notify(tx, Map.of(saved.id(), saved), decision.events()))
                .map(new IntakeResult(saved, true));
          });
        });
  }

  /** Who handles a new ticket: the departments the hotline named, else the routing rules, else nobody yet. */
  private Future<Optional<Assignment>> assignment(SqlClient tx, Intake intake) {
    if (intake.answeredByHotline()) {
      return Future.succeededFuture(Optional.empty());
    }
    if (intake.leadDepartment().isPresent()) {
      return Future.succeededFuture(Optional.of(new Assignment(intake.leadDepartment().get(),
          intake.assistingDepartments(), null)));
    }
    return routing.route(tx, new RoutingFacts(intake.category(), Optional.ofNullable(intake.location().district()),
        Optional.ofNullable(intake.location().street()), intake.type().name(), intake.title(), intake.content()));
  }

  private Future<Void> requireArticle(SqlClient tx, Intake intake) {
    if (intake.knowledgeArticleId().isEmpty()) {
      return Future.succeededFuture();
    }
    return knowledge.exists(tx, intake.knowledgeArticleId().get()).compose(found -> found
        ? Future.<Void>succeededFuture()
        : Future.failedFuture(Problem.unprocessable("/knowledgeArticleId", "no knowledge article "
            + intake.knowledgeArticleId().get())));
  }

  /** The row of a new ticket: the citizen's request as taken in, and the state the intake rule decided. */
  private static Ticket newTicket(Intake in, String hash, Instant now, Outcome.Changed decision) {
    Handling h = decision.after();
    int dispatches = (int) decision.events().stream().filter(TicketEvent.Dispatched.class::isInstance).count();
    Optional<Instant> closedAt = decision.events().stream().filter(TicketEvent.Closed.class::isInstance)
        .findFirst().map(TicketEvent::at);
    Ticket.Progress progress = new Ticket.Progress(h.signedAt(), h.firstContactAt(), h.suspendedAt(),
        h.grantedExtension(), h.mergedInto(), h.unreasonable(), dispatches, Optional.empty(), Optional.empty(),
        Optional.empty(), Optional.empty(), Optional.empty(), closedAt, in.answeredBy(), in.knowledgeArticleId(),
        Optional.empty());
    return new Ticket(h.id(), 0, in.externalId(), hash, in.type(), in.urgency(), in.category(), in.title(),
        in.content(), in.receivedAt(), in.caller(), in.location(), in.subject(), h.state(), h.round(),
        h.leadDepartment(), h.assistingDepartments(), h.dispatchedAt(), h.version(), now, now, progress,
        Optional.empty(), in.channel());
  }

  private static IntakeResult repeat(Ticket existing, String hash) {
    if (!existing.intakeHash().equals(hash)) {
      throw Problem.conflict("externalId '" + existing.externalId()
          + "' was already used for a different ticket", new JsonObject().put("ticketId", existing.id().toString()));
    }
    return new IntakeResult(existing, false);
  }

  // ------------------------------------------------------------------------------------------ actions

  /** 派单; the departments named must exist (422), checked after the rule so its refusals come first. */
  public Future<Seen> dispatch(String id, Actor actor, Optional<String> ifMatch, Inputs.Dispatch in) {
    List<String> named = new ArrayList<>(List.of(in.leadDepartment() == null ? "" : in.leadDepartment()));
    named.addAll(in.assistingDepartments());
    List<String> fields = new ArrayList<>(List.of("/leadDepartment"));
    for (int i = 0; i < in.assistingDepartments().size(); i++) {
      fields.add("/assistingDepartments/" + i);
    }
    return act(id, actor, ifMatch, true, named, fields,
        (cur, now) -> Transitions.dispatch(cur.handling(), actor, now, in));
  }

  public Future<Seen> sign(String id, Actor actor, Optional<String> ifMatch) {
    return act(id, actor, ifMatch, false, (cur, now) -> Transitions.sign(cur.handling(), actor, now));
  }

  public Future<Seen> contact(String id, Actor actor, Optional<String> ifMatch, Inputs.Contact in) {
    return act(id, actor, ifMatch, false, (cur, now) -> Transitions.contact(cur.handling(), actor, now, in));
  }

  public Future<Seen> note(String id, Actor actor, Optional<String> ifMatch, String text) {
    return act(id, actor, ifMatch, false, (cur, now) -> Transitions.note(cur.handling(), actor, now, text));
  }

  public Future<Opened> requestReturn(String id, Actor actor, Optional<String> ifMatch, Inputs.Return in) {
    UUID requestId = UUID.randomUUID();
    return act(id, actor, ifMatch, true, in.suggestedDepartment().map(List::of).orElse(List.of()),
        List.of("/suggestedDepartment"),
        (cur, now) -> Transitions.requestReturn(cur.handling(), actor, now, requestId, in, returnWindow))
        .map(seen -> new Opened(requestId, "RETURN", seen));
  }

  public Future<Seen> decideReturn(String id, UUID requestId, Actor actor, Optional<String> ifMatch,
      Inputs.Decision d) {
    return decide(id, requestId, actor, ifMatch, d, h -> h.pendingReturn().map(Handling.ReturnRequest::id),
        Transitions::decideReturn);
  }

  /**
   * 延期 request for a new RESOLVE deadline {@code until}. Until the SLA engine measures deadlines in
   * working time, its length is the natural time from the deadline the latest extension set (else from now)
   * to {@code until}, and the cap is natural time too ({@code JIESU_EXTENSION_CAP}).
   */
  public Future<Opened> requestExtension(String id, Actor actor, Optional<String> ifMatch, Instant until,
      String reason) {
    UUID requestId = UUID.randomUUID();
    return act(id, actor, ifMatch, true, (cur, now) -> {
      Instant from = cur.ticket().progress().extendedUntil().filter(now::isBefore).orElse(now);
      Duration length = until.isAfter(from) ? Duration.between(from, until) : Duration.ZERO;
      return Transitions.requestExtension(cur.handling(), actor, now, requestId,
          new Inputs.Extension(until, length, reason), extensionCap);
    }).map(seen -> new Opened(requestId, "EXTENSION", seen));
  }

  public Future<Seen> decideExtension(String id, UUID requestId, Actor actor, Optional<String> ifMatch,
      Inputs.Decision d) {
    return decide(id, requestId, actor, ifMatch, d, h -> h.pendingExtension().map(Handling.ExtensionRequest::id),
        Transitions::decideExtension);
  }

  public Future<Opened> requestSuspension(String id, Actor actor, Optional<String> ifMatch, String reason) {
    UUID requestId = UUID.randomUUID();
    return act(id, actor, ifMatch, true,
        (cur, now) -> Transitions.requestSuspension(cur.handling(), actor, now, requestId, reason))
        .map(seen -> new Opened(requestId, "SUSPENSION", seen));
  }

  public Future<Seen> decideSuspension(String id, UUID requestId, Actor actor, Optional<String> ifMatch,
      Inputs.Decision d) {
    return decide(id, requestId, actor, ifMatch, d,
        h -> h.pendingSuspension().map(Handling.SuspensionRequest::id), Transitions::decideSuspension);
  }

  public Future<Seen> resume(String id, Actor actor, Optional<String> ifMatch, Optional<String> reason) {
    return act(id, actor, ifMatch, false, (cur, now) -> Transitions.resume(cur.handling(), actor, now, reason));
  }

  public Future<Seen> reply(String id, Actor actor, Optional<String> ifMatch, Inputs.Reply in) {
    return act(id, actor, ifMatch, true, (cur, now) -> Transitions.reply(cur.handling(), actor, now, in));
  }

  public Future<Seen> callback(String id, Actor actor, Optional<String> ifMatch, Inputs.Callback in) {
    return act(id, actor, ifMatch, false, (cur, now) -> Transitions.callback(cur.handling(), actor, now, in));
  }

  public Future<Opened> orderSupervision(String id, Actor actor, Optional<String> ifMatch,
      Inputs.SupervisionOrder in) {
    UUID orderId = UUID.randomUUID();
    return act(id, actor, ifMatch, true,
        (cur, now) -> Transitions.orderSupervision(cur.handling(), actor, now, orderId, in))
        .map(seen -> new Opened(orderId, "SUPERVISION_ORDER", seen));
  }

  public Future<Seen> acknowledgeSupervision(String id, UUID orderId, Actor actor, Optional<String> ifMatch,
      Optional<String> comment) {
    return act(id, actor, ifMatch, true,
        (cur, now) -> Transitions.acknowledgeSupervision(cur.handling(), actor, now, orderId, comment));
  }

  public Future<Seen> markUnreasonable(String id, Actor actor, Optional<String> ifMatch, String reason) {
    return act(id, actor, ifMatch, false,
        (cur, now) -> Transitions.markUnreasonable(cur.handling(), actor, now, reason));
  }

  /**
   * 并单 into {@code rawInto}. Both tickets are locked, in id order so two opposite merges cannot deadlock.
   * A ticket others are merged into cannot itself become a duplicate (their link would dangle).
   */
  public Future<Seen> merge(String rawId, Actor actor, Optional<String> ifMatch, String rawInto,
      Optional<String> reason) {
    Optional<UUID> id = JsonValues.uuid(rawId);
    if (id.isEmpty()) {
      return Future.failedFuture(Problem.notFound("no ticket " + rawId));
    }
    Optional<UUID> into = JsonValues.uuid(rawInto);
    if (into.isEmpty()) {
      return Future.failedFuture(Problem.unprocessable("/into", "no ticket " + rawInto));
    }
    Instant now = now();
    boolean duplicateFirst = id.get().compareTo(into.get()) <= 0;
    UUID first = duplicateFirst ? id.get() : into.get();
    UUID second = duplicateFirst ? into.get() : id.get();
    return pool.withTransaction(tx -> tickets.lock(tx, first, true)
            .compose(a -> (second.equals(first) ? Future.succeededFuture(a) : tickets.lock(tx, second, true))
                .compose(b -> {
                  Optional<Locked> duplicate = duplicateFirst ? a : b;
                  Optional<Locked> target = duplicateFirst ? b : a;
                  if (duplicate.isEmpty()) {
                    return Future.failedFuture(Problem.notFound("no ticket " + rawId));
                  }
                  Locked cur = duplicate.get();
                  return check(actor, cur.ticket(), ifMatch, rawId)
                      .compose(v -> target.isEmpty()
                          ? Future.failedFuture(Problem.unprocessable("/into", "no ticket " + rawInto))
                          : tickets.mergedFrom(tx, cur.ticket().id()))
                      .compose(duplicates -> duplicates.isEmpty()
                          ? decide(cur, (c, at) -> Transitions.merge(c.handling(), target.get().handling(), actor,
                              at, reason), now)
                          : Future.failedFuture(Problem.conflict(duplicates.size() + " tickets are merged into this"
                              + " one; merge the other way", new JsonObject()
                              .put("currentState", cur.ticket().state().name()))))
                      .compose(change -> commit(tx, actor, cur.ticket(), change, now))
                      .compose(after -> seen(tx, actor, after));
                })))
        .recover(failure -> auditDenial(actor, id.get(), failure));
  }

  private Future<Seen> decide(String id, UUID requested, Actor actor, Optional<String> ifMatch, Inputs.Decision d,
      Function<Handling, Optional<UUID>> waiting, DecisionRule rule) {
    return act(id, actor, ifMatch, true, (cur, now) -> {
      Handling h = cur.handling();
      Optional<UUID> pending = waiting.apply(h);
      if (pending.isPresent() && !pending.get().equals(requested)) {
        return new Outcome.Refused(Refusal.conflict(h.state(), "request " + requested
            + " is not the one waiting for a decision (it was decided, withdrawn, or never made)"));
      }
      return rule.decide(h, actor, now, d);
    });
  }

  private Future<Seen> act(String rawId, Actor actor, Optional<String> ifMatch, boolean withRequests, Rule rule) {
    return act(rawId, actor, ifMatch, withRequests, List.of(), List.of(), rule);
  }

  /**
   * The one write path of an action: lock and read, check, decide, store, tell the listeners, render.
   * {@code departmentsNamed} ({@code fields} are their JSON pointers) must exist before the change is stored.
   */
  private Future<Seen> act(String rawId, Actor actor, Optional<String> ifMatch, boolean withRequests,
      List<String> departmentsNamed, List<String> fields, Rule rule) {
    Optional<UUID> id = JsonValues.uuid(rawId);
    if (id.isEmpty()) {
      return Future.failedFuture(Problem.notFound("no ticket " + rawId));
    }
    Instant now = now();
    return pool.withTransaction(tx -> tickets.lock(tx, id.get(), withRequests)
            .compose(found -> found.isEmpty()
                ? Future.failedFuture(Problem.notFound("no ticket " + rawId))
                : check(actor, found.get().ticket(), ifMatch, rawId)
                    .compose(v -> decide(found.get(), rule, now))
                    .compose(change -> departments.requireExisting(tx, departmentsNamed, fields)
                        .compose(v -> commit(tx, actor, found.get().ticket(), change, now))))
            .compose(after -> seen(tx, actor, after)))
        .recover(failure -> auditDenial(actor, id.get(), failure));
  }

  /** Visibility (404, audited) and then If-Match (412, with the current ETag). */
  private static Future<Void> check(Actor actor, Ticket ticket, Optional<String> ifMatch, String rawId) {
    if (!TicketAccess.canSee(actor, ticket.leadDepartment(), ticket.assistingDepartments())) {
      return Future.failedFuture(new Denied(Problem.outOfScope("no ticket " + rawId), "out of scope"));
    }
    if (ifMatch.isPresent() && !ETags.matches(ifMatch.get(), ticket.etag())) {
      return Future.failedFuture(Problem.of(412, "precondition-failed", "Precondition failed",
          "the ticket changed since you read it (now version " + ticket.version() + ")")
          .withHeader("ETag", ticket.etag()));
    }
    return Future.succeededFuture();
  }

  private static Future<Outcome.Changed> decide(Locked current, Rule rule, Instant now) {
    Outcome outcome = rule.apply(current, now);
    if (outcome instanceof Outcome.Refused refused) {
      return Future.failedFuture(problem(refused.cause(), current.handling()));
    }
    return Future.succeededFuture((Outcome.Changed) outcome);
  }

  /** Stores the decision and tells the listeners; answers the acting ticket as it now is. */
  private Future<Ticket> commit(SqlConnection tx, Actor actor, Ticket before, Outcome.Changed change, Instant now) {
    return tickets.save(tx, before, change.after(), change.events(), actor.sub(), now)
        .compose(touched -> notify(tx, touched, change.events()).map(v -> touched.get(before.id())));
  }

  /** Each listener hears, for each ticket the change touched, that ticket's events; in order, one at a time. */
  private Future<Void> notify(SqlConnection tx, Map<UUID, Ticket> touched, List<TicketEvent> events) {
    Future<Void> chain = Future.succeededFuture();
    for (Ticket ticket : touched.values()) {
      List<TicketEvent> its = events.stream().filter(e -> e.ticket().equals(ticket.id())).toList();
      if (its.isEmpty()) {
        continue;
      }
      for (TicketListener listener : listeners) {
        chain = chain.compose(v -> listener.onEvents(tx, ticket, its));
      }
    }
    return chain;
  }

  private static Throwable problem(Refusal refusal, Handling handling) {
    Problem problem = answer(refusal, handling.version());
    if (refusal instanceof Refusal.NotFound) {
      return new Denied(problem, "not found in scope");
    }
    return refusal instanceof Refusal.Forbidden ? new Denied(problem, "not permitted") : problem;
  }

  /** The HTTP answer to a refusal of the rules: 404, 403, 409 with the state, 422 naming the field. */
  static Problem answer(Refusal refusal, int version) {
    if (refusal instanceof Refusal.NotFound) {
      // the ticket is out of the actor's scope, or the order it names does not exist for them
      return Problem.notFound("no such ticket, request or order for you");
    }
    if (refusal instanceof Refusal.Forbidden) {
      return Problem.forbidden("you may not take this action on this ticket");
    }
    if (refusal instanceof Refusal.Conflict c) {
      return Problem.conflict(c.detail(), new JsonObject().put("currentState", c.state().name())
          .put("version", version));
    }
    Refusal.Invalid invalid = (Refusal.Invalid) refusal;
    // the body matched the contract (the validator saw to that) but breaks a handling rule
    return Problem.ruleViolation(invalid.field(), invalid.message());
  }

  /** Denials are recorded in their own transaction: the action's own one has rolled back. */
  private <T> Future<T> auditDenial(Actor actor, UUID ticketId, Throwable failure) {
    if (failure instanceof Denied denied) {
      return audit.record(actor, "ACCESS_DENIED", ticketId, new JsonObject().put("reason", denied.reason))
          .compose(v -> Future.failedFuture(denied.problem));
    }
    return Future.failedFuture(failure);
  }

  // -------------------------------------------------------------------------------------------- reads

  /** One ticket as the actor may see it; out of scope answers 404 and is audited. */
  public Future<Detail> get(Actor actor, String id) {
    return visible(actor, id).compose(ticket -> seen(pool, actor, ticket)
        .compose(seen -> tickets.mergedFrom(pool, ticket.id())
            .compose(merged -> annex(ticket).map(annex -> new Detail(seen, merged, annex)))));
  }

  private Future<Map<String, Object>> annex(Ticket ticket) {
    Map<String, Object> out = new java.util.LinkedHashMap<>();
    Future<Void> chain = Future.succeededFuture();
    for (TicketAnnex a : annexes) {
      chain = chain.compose(v -> a.of(pool, ticket).map(value -> {
        out.put(a.field(), value);
        return null;
      }));
    }
    return chain.map(out);
  }

  public Future<List<TimelineEntry>> events(Actor actor, String id, long afterId, int limit) {
    return visible(actor, id).compose(ticket -> tickets.events(pool, ticket.id(), afterId, limit));
  }

  public Future<List<Seen>> list(Actor actor, TicketRepository.ListQuery query) {
    // the query already scopes; seen() keeps the rule in one place
    return tickets.list(pool, query).compose(found -> seen(pool, actor, found.stream()
        .filter(t -> TicketAccess.view(actor, t) != View.NONE).toList()));
  }

  /** The ticket if the actor may read it: the same 404 (audited when out of scope) as a read. */
  public Future<Ticket> readable(Actor actor, String rawId) {
    return visible(actor, rawId);
  }

  private Future<Ticket> visible(Actor actor, String rawId) {
    Optional<UUID> id = JsonValues.uuid(rawId);
    if (id.isEmpty()) {
      return Future.failedFuture(Problem.notFound("no ticket " + rawId));
    }
    return tickets.byId(pool, id.get()).compose(found -> {
      if (found.isEmpty()) {
        return Future.failedFuture(Problem.notFound("no ticket " + rawId));
      }
      if (TicketAccess.view(actor, found.get()) == View.NONE) {
        // the same answer as a missing ticket, so scope cannot be probed; the attempt is audited
        return audit.record(actor, "ACCESS_DENIED", id.get(), new JsonObject().put("reason", "out of scope"))
            .compose(v -> Future.failedFuture(Problem.outOfScope("no ticket " + rawId)));
      }
      return Future.succeededFuture(found.get());
    });
  }

  private Future<Seen> seen(SqlClient db, Actor actor, Ticket ticket) {
    return seen(db, actor, List.of(ticket)).map(list -> list.get(0));
  }

  /**
   * What the actor sees of these tickets, the one step every answer with a ticket goes through: reads of
   * unmasked personal data are audited ({@code db} is the action's transaction, or the pool for a read)
   * before the data leaves the server.
   */
  private Future<List<Seen>> seen(SqlClient db, Actor actor, List<Ticket> found) {
    List<Seen> seen = new ArrayList<>(found.size());
    JsonArray ids = new JsonArray();
    for (Ticket t : found) {
      View view = TicketAccess.view(actor, t);
      seen.add(new Seen(t, view));
      if (TicketJson.showsPersonalData(t, view)) {
        ids.add(t.id().toString());
      }
    }
    if (ids.isEmpty()) {
      return Future.succeededFuture(seen);
    }
    UUID single = ids.size() == 1 ? UUID.fromString(ids.getString(0)) : null;
    return audit.append(db, actor, "PERSONAL_DATA_READ", single, new JsonObject().put("tickets", ids)).map(seen);
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
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
