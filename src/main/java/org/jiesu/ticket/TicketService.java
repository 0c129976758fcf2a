package org.jiesu.ticket;

import org.jiesu.ticket.workflow.TicketAccess;
import org.jiesu.ticket.workflow.TicketState;
import org.jiesu.ticket.workflow.Ticket;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Transaction;
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
import org.jiesu.platform.Uuids;
import org.jiesu.routing.Assignment;
import org.jiesu.routing.RoutingFacts;
import org.jiesu.routing.RoutingRules;
import org.jiesu.ticket.workflow.TicketAccess.View;
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

  /**
   * The outcome of an intake: a new ticket, or the one this externalId already made, what the actor who took
   * it in may see of it, and the fields listeners add to its answer ({@link TicketListener.BeforeIntake#answer}).
   */
  public record IntakeResult(Ticket ticket, boolean created, View view, Map<String, Object> answer) {
    IntakeResult withAnswer(Map<String, Object> fields) {
      return new IntakeResult(ticket, created, view, Map.copyOf(fields));
    }
  }

  /** A ticket together with what the caller may see of it. */
  public record Seen(Ticket ticket, View view) {}

  /** One ticket in full: with the duplicates merged into it. */
  public record Detail(Seen seen, List<UUID> mergedFrom, Map<String, Object> annex) {}

  /** A request or supervision order an action opened, and the ticket as it now is. */
  public record Opened(UUID id, String kind, Seen seen) {}

  /** An action's rule, given the locked ticket and the instant of the action. */
  @FunctionalInterface
  private interface Rule {
    Outcome apply(Handling current, Instant now);
  }

  /** A rule deciding a pending request. */
  @FunctionalInterface
  private interface DecisionRule {
    Outcome decide(Handling h, Actor actor, Instant now, Inputs.Decision decision);
  }

  private final Pool pool;
  private final TicketRepository tickets;
  private final IntakeBatches batches;
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
    this(pool, departments, routing, knowledge, audit, clock, returnWindow, extensionCap, listeners, List.of(), 1,
        org.jiesu.platform.Config.Timeouts.defaults().dbAcquire());
  }

  /**
   * {@code annexes}: what other features show with a ticket read on its own; {@code intakeStatements}: intake
   * statements this service keeps running at once, the intakes that find them busy going together in the
   * next ({@link IntakeBatches}), and waiting for it at most {@code intakeWait} (as for a pooled connection).
   */
  public TicketService(Pool pool, Departments departments, RoutingRules routing, Knowledge knowledge, AuditLog audit,
      Clock clock, Duration returnWindow, Duration extensionCap, List<TicketListener> listeners,
      List<TicketAnnex> annexes, int intakeStatements, Duration intakeWait) {
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
    List<String> lockedReads = new ArrayList<>(this.listeners.size());
    for (TicketListener listener : this.listeners) {
      lockedReads.add(listener.readWithLock());
    }
    this.tickets = new TicketRepository(lockedReads);
    this.batches = new IntakeBatches(intakeStatements, IntakeBatches.LARGEST, intakeWait,
        IntakeBatches.MAX_WAITING, System::nanoTime, batch -> tickets.intake(pool, batch));
  }

  // ------------------------------------------------------------------------------------------- intake

  /**
   * Idempotent on externalId: a repeat with the same normalised payload returns the stored ticket, a
   * different payload is a 409. Concurrent repeats serialise on the unique index (ON CONFLICT waits for the
   * first transaction), so exactly one ticket is made.
   *
   * <p>The common case is one round trip and no transaction around it: one statement checks the departments
   * and inserts the ticket, its events and the rows the listeners write for it (audit entry, SLA timers,
   * scorecard row, similarity terms, outbox), committed on its own. Only when a listener still has to write
   * for the ticket after that ({@link TicketListener#hearsIntake}: a credit subject, a located call's hotspot
   * check, an Open311 or proactive ticket) is the statement wrapped in a transaction with the listeners'
   * statements, which go out on the same connection right behind it, without waiting for its answer. When
   * the statement took nothing — the externalId exists, or a department or article does not — whatever
   * the listeners wrote is rolled back and the existing ticket read, in a transaction of its own.
   */
  public Future<IntakeResult> intake(Actor actor, Intake intake) {
    String hash = IntakeJson.hash(intake);
    Instant now = now();
    Map<String, Object> answer = new java.util.LinkedHashMap<>();
    return assignment(pool, intake).compose(assignment -> {
      Outcome.Changed decision = decide(actor, intake, hash, now, assignment);
      List<ChangeRows> rows = new ArrayList<>();
      Ticket made = beforeIntake(decision.after().ticket(), decision.events(), rows);
      List<TicketEvent> events = decision.events();
      return readBeforeIntake(made, events, rows, answer).compose(v -> {
        boolean[] deaf = new boolean[listeners.size()];
        boolean heard = false;
        for (int i = 0; i < deaf.length; i++) {
          deaf[i] = !listeners.get(i).hearsIntake(made, events);
          heard |= !deaf[i];
        }
        return heard
            ? transaction(tx -> create(tx, deaf, actor, intake, made, events, rows))
            : create(null, deaf, actor, intake, made, events, rows);
      });
    }).recover(failure -> failure instanceof NotCreated notCreated
        ? transaction(tx -> tickets.byExternalId(tx, intake.externalId())
            .compose(existing -> existing.isPresent()
                ? repeated(tx, actor, existing.get(), hash)
                : Future.failedFuture(notCreated.problem != null ? notCreated.problem
                    : new IllegalStateException("externalId " + intake.externalId() + " neither new nor stored"))))
        : Future.failedFuture(failure))
        .map(result -> result.withAnswer(answer)); // a repeat answers with its own reads too
  }

  /** A repeat answers with the stored ticket, caller included: that read is audited like any other. */
  private Future<IntakeResult> repeated(SqlClient tx, Actor actor, Ticket existing, String hash) {
    IntakeResult result = repeat(actor, existing, hash);
    return audit.append(tx, actor, "TICKET_INTAKE_REPEAT", existing.id(),
        new JsonObject().put("externalId", existing.externalId())).map(result);
  }

  /** What the rules make of an intake routed to {@code assignment}: the new ticket and its events. */
  private Outcome.Changed decide(Actor actor, Intake intake, String hash, Instant now,
      Optional<Assignment> assignment) {
    return Transitions.intake(Handling.of(received(Uuids.v7(), intake, hash, now)), actor, now,
        new Inputs.Intake(intake.externalId(), intake.urgency(), intake.category(),
            assignment.map(Assignment::leadDepartment),
            assignment.map(Assignment::assistingDepartments).orElse(List.of()),
            assignment.map(Assignment::ruleId), intake.answeredBy(), intake.knowledgeArticleId()))
        .orElseThrow();
  }

  /**
   * The intake statement in the transaction {@code tx}, with the onEvents of the listeners that hear it right
   * behind it (not those that are {@code deaf} to it); or, when {@code tx} is null (no listener hears the
   * intake), on its own, committed by itself, together with the other intakes that wait for the database
   * ({@link IntakeBatches}).
   */
  private Future<IntakeResult> create(SqlConnection tx, boolean[] deaf, Actor actor, Intake intake, Ticket made,
      List<TicketEvent> events, List<ChangeRows> rows) {
    TicketRepository.NewTicket ticket = new TicketRepository.NewTicket(made, intake.namedDepartments(), events, rows);
    Future<TicketRepository.Inserted> inserted = tx == null ? batches.submit(ticket)
        : tickets.intake(tx, List.of(ticket)).map(one -> one.get(0));
    Future<Void> heard = tx == null ? Future.succeededFuture()
        : notifyNow(tx, made, events, new Object[listeners.size()], deaf);
    return Future.join(inserted, heard).transform(done -> {
      if (inserted.failed()) {
        return Future.failedFuture(NotCreated.unless(intake, inserted.cause()));
      }
      TicketRepository.Inserted row = inserted.result();
      if (row.unknownDepartment().isPresent()) {
        int i = row.unknownDepartment().get();
        return Future.failedFuture(new NotCreated(Problem.unprocessable(departmentField(intake, i),
            "no department with code '" + intake.namedDepartments().get(i) + "'")));
      }
      if (row.seq().isEmpty()) {
        return Future.failedFuture(new NotCreated(null)); // the externalId is taken
      }
      if (heard.failed()) {
        return Future.failedFuture(heard.cause());
      }
      Ticket saved = made.withStored(row.seq().get(), made.dueAt());
      return Future.succeededFuture(new IntakeResult(saved, true, TicketAccess.view(actor, saved), Map.of()));
    });
  }

  /**
   * The new ticket with the columns listeners derive for it set, so it is written once, and the rows they
   * write for it in the intake's statement added to {@code rows} (see TicketListener).
   */
  private Ticket beforeIntake(Ticket ticket, List<TicketEvent> events, List<ChangeRows> rows) {
    Ticket made = ticket;
    for (TicketListener listener : listeners) {
      made = listener.beforeIntake(made, events, rows::add);
    }
    return made;
  }

  /**
   * What listeners must read before the intake's statement ({@link TicketListener#readBeforeIntake}): their
   * rows added to {@code rows} and their answer's fields to {@code answer}, in the listeners' order; most
   * intakes read nothing and go on at once.
   */
  private Future<Void> readBeforeIntake(Ticket made, List<TicketEvent> events, List<ChangeRows> rows,
      Map<String, Object> answer) {
    List<Future<TicketListener.BeforeIntake>> reads = new ArrayList<>(listeners.size());
    for (TicketListener listener : listeners) {
      reads.add(listener.readBeforeIntake(pool, made, events));
    }
    return Future.all(reads).map(done -> {
      for (Future<TicketListener.BeforeIntake> read : reads) {
        read.result().rows().ifPresent(rows::add);
        answer.putAll(read.result().answer());
      }
      return null;
    });
  }

  /** The JSON pointer of the i-th department an intake names, lead first. */
  private static String departmentField(Intake intake, int i) {
    if (intake.leadDepartment().isPresent()) {
      return i == 0 ? "/leadDepartment" : "/assistingDepartments/" + (i - 1);
    }
    return "/assistingDepartments/" + i;
  }

  /**
   * The intake statement made no ticket: its transaction is rolled back (with whatever the listeners wrote),
   * and the externalId looked up; {@code problem} is the answer when it is not stored either.
   */
  private static final class NotCreated extends RuntimeException {
    final Problem problem;

    NotCreated(Problem problem) {
      super(problem == null ? "externalId taken" : problem.detail(), null, false, false);
      this.problem = problem;
    }

    /** A foreign key the intake names (lead department, knowledge article) that points nowhere is a 422. */
    static Throwable unless(Intake intake, Throwable failure) {
      if (failure instanceof PgException pg && "23503".equals(pg.getSqlState()) && pg.getConstraint() != null) {
        if (pg.getConstraint().equals("ticket_lead_department_fkey")) {
          return new NotCreated(Problem.unprocessable("/leadDepartment",
              "no department with code '" + intake.leadDepartment().orElse("") + "'"));
        }
        if (pg.getConstraint().equals("ticket_knowledge_article_id_fkey")) {
          return new NotCreated(Problem.unprocessable("/knowledgeArticleId",
              "no knowledge article " + intake.knowledgeArticleId().map(UUID::toString).orElse("")));
        }
      }
      return failure;
    }
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

  /**
   * The citizen's request as taken in, before the intake rule decides its state: version 0, so the rule's
   * decision is version 1, since every decision moves the version by one.
   */
  private static Ticket received(UUID id, Intake in, String hash, Instant now) {
    return new Ticket(id, 0, in.externalId(), hash, in.type(), in.urgency(), in.category(), in.title(),
        in.content(), in.receivedAt(), in.caller(), in.location(), in.subject(), TicketState.RECEIVED, 1,
        Optional.empty(), List.of(), Optional.empty(), 0, now, now,
        Ticket.Progress.none(in.answeredBy(), in.knowledgeArticleId()), Optional.empty(), in.channel());
  }

  private static IntakeResult repeat(Actor actor, Ticket existing, String hash) {
    if (!existing.intakeHash().equals(hash)) {
      throw Problem.conflict("externalId '" + existing.externalId()
          + "' was already used for a different ticket", new JsonObject().put("ticketId", existing.id().toString()));
    }
    return new IntakeResult(existing, false, TicketAccess.view(actor, existing), Map.of());
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
        (cur, now) -> Transitions.dispatch(cur, actor, now, in));
  }

  public Future<Seen> sign(String id, Actor actor, Optional<String> ifMatch) {
    return act(id, actor, ifMatch, false, (cur, now) -> Transitions.sign(cur, actor, now));
  }

  public Future<Seen> contact(String id, Actor actor, Optional<String> ifMatch, Inputs.Contact in) {
    return act(id, actor, ifMatch, false, (cur, now) -> Transitions.contact(cur, actor, now, in));
  }

  public Future<Seen> note(String id, Actor actor, Optional<String> ifMatch, String text) {
    return act(id, actor, ifMatch, false, (cur, now) -> Transitions.note(cur, actor, now, text));
  }

  public Future<Opened> requestReturn(String id, Actor actor, Optional<String> ifMatch, Inputs.Return in) {
    UUID requestId = Uuids.v7();
    return act(id, actor, ifMatch, true, in.suggestedDepartment().map(List::of).orElse(List.of()),
        List.of("/suggestedDepartment"),
        (cur, now) -> Transitions.requestReturn(cur, actor, now, requestId, in, returnWindow))
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
    UUID requestId = Uuids.v7();
    return act(id, actor, ifMatch, true, (cur, now) -> {
      Instant from = cur.ticket().progress().extendedUntil().filter(now::isBefore).orElse(now);
      Duration length = until.isAfter(from) ? Duration.between(from, until) : Duration.ZERO;
      return Transitions.requestExtension(cur, actor, now, requestId,
          new Inputs.Extension(until, length, reason), extensionCap);
    }).map(seen -> new Opened(requestId, "EXTENSION", seen));
  }

  public Future<Seen> decideExtension(String id, UUID requestId, Actor actor, Optional<String> ifMatch,
      Inputs.Decision d) {
    return decide(id, requestId, actor, ifMatch, d, h -> h.pendingExtension().map(Handling.ExtensionRequest::id),
        Transitions::decideExtension);
  }

  public Future<Opened> requestSuspension(String id, Actor actor, Optional<String> ifMatch, String reason) {
    UUID requestId = Uuids.v7();
    return act(id, actor, ifMatch, true,
        (cur, now) -> Transitions.requestSuspension(cur, actor, now, requestId, reason))
        .map(seen -> new Opened(requestId, "SUSPENSION", seen));
  }

  public Future<Seen> decideSuspension(String id, UUID requestId, Actor actor, Optional<String> ifMatch,
      Inputs.Decision d) {
    return decide(id, requestId, actor, ifMatch, d,
        h -> h.pendingSuspension().map(Handling.SuspensionRequest::id), Transitions::decideSuspension);
  }

  public Future<Seen> resume(String id, Actor actor, Optional<String> ifMatch, Optional<String> reason) {
    return act(id, actor, ifMatch, false, (cur, now) -> Transitions.resume(cur, actor, now, reason));
  }

  public Future<Seen> reply(String id, Actor actor, Optional<String> ifMatch, Inputs.Reply in) {
    return act(id, actor, ifMatch, true, (cur, now) -> Transitions.reply(cur, actor, now, in));
  }

  public Future<Seen> callback(String id, Actor actor, Optional<String> ifMatch, Inputs.Callback in) {
    return act(id, actor, ifMatch, false, (cur, now) -> Transitions.callback(cur, actor, now, in));
  }

  public Future<Opened> orderSupervision(String id, Actor actor, Optional<String> ifMatch,
      Inputs.SupervisionOrder in) {
    UUID orderId = Uuids.v7();
    return act(id, actor, ifMatch, true,
        (cur, now) -> Transitions.orderSupervision(cur, actor, now, orderId, in))
        .map(seen -> new Opened(orderId, "SUPERVISION_ORDER", seen));
  }

  public Future<Seen> acknowledgeSupervision(String id, UUID orderId, Actor actor, Optional<String> ifMatch,
      Optional<String> comment) {
    return act(id, actor, ifMatch, true,
        (cur, now) -> Transitions.acknowledgeSupervision(cur, actor, now, orderId, comment));
  }

  public Future<Seen> markUnreasonable(String id, Actor actor, Optional<String> ifMatch, String reason) {
    return act(id, actor, ifMatch, false,
        (cur, now) -> Transitions.markUnreasonable(cur, actor, now, reason));
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
    return transaction(tx -> tickets.lock(tx, first, true)
            .compose(a -> (second.equals(first) ? Future.succeededFuture(a) : tickets.lock(tx, second, true))
                .compose(b -> {
                  Optional<TicketRepository.Locked> duplicate = duplicateFirst ? a : b;
                  Optional<TicketRepository.Locked> target = duplicateFirst ? b : a;
                  if (duplicate.isEmpty()) {
                    return Future.failedFuture(Problem.notFound("no ticket " + rawId));
                  }
                  TicketRepository.Locked cur = duplicate.get();
                  return check(actor, cur.ticket(), ifMatch, rawId)
                      .compose(v -> target.isEmpty()
                          ? Future.failedFuture(Problem.unprocessable("/into", "no ticket " + rawInto))
                          : tickets.mergedFrom(tx, cur.ticket().id()))
                      .compose(duplicates -> duplicates.isEmpty()
                          ? decide(cur.handling(), (c, at) -> Transitions.merge(c, target.get().handling(), actor,
                              at, reason), now)
                          : Future.failedFuture(Problem.conflict(duplicates.size() + " tickets are merged into this"
                              + " one; merge the other way", new JsonObject()
                              .put("currentState", cur.ticket().state().name()))))
                      .compose(change -> write(tx, actor, cur, change, now, List.of(), List.of()));
                })))
        .recover(failure -> auditDenial(actor, id.get(), failure));
  }

  private Future<Seen> decide(String id, UUID requested, Actor actor, Optional<String> ifMatch, Inputs.Decision d,
      Function<Handling, Optional<UUID>> waiting, DecisionRule rule) {
    return act(id, actor, ifMatch, true, (cur, now) -> {
      Handling h = cur;
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
    return transaction(tx -> tickets.lock(tx, id.get(), withRequests)
            .compose(found -> found.isEmpty()
                ? Future.failedFuture(Problem.notFound("no ticket " + rawId))
                : check(actor, found.get().ticket(), ifMatch, rawId)
                    .compose(v -> decide(found.get().handling(), rule, now))
                    .compose(change -> write(tx, actor, found.get(), change, now, departmentsNamed, fields))))
        .recover(failure -> auditDenial(actor, id.get(), failure));
  }

  /**
   * The writing half of an action, in one round trip in the common case: the department check, the save,
   * the listeners and the audit entry of the answer's personal data are issued together on the
   * transaction's connection (pipelined, in that order) and only then awaited. A failure of any of them
   * fails the transaction; the department check's comes first, so an unknown department is a 422, not the
   * foreign key's error.
   */
  private Future<Seen> write(SqlConnection tx, Actor actor, TicketRepository.Locked before, Outcome.Changed change,
      Instant now, List<String> departmentsNamed, List<String> fields) {
    Future<Void> known = departments.requireExisting(tx, departmentsNamed, fields);
    Ticket shown = change.after().ticket();
    if (change.events().stream().allMatch(e -> e.ticket().equals(before.ticket().id()))) {
      // the answer's audit entry of personal data goes in the change's own statement, with the change
      Seen seen = new Seen(shown, TicketAccess.view(actor, shown));
      List<ChangeRows> read = readEntry(actor, List.of(seen)).map(TicketAuditTrail::rows).stream().toList();
      Future<Ticket> committed = commit(tx, actor, before, change, now, read);
      return Future.join(known, committed).transform(done -> known.failed() ? Future.failedFuture(known.cause())
          : committed.failed() ? Future.failedFuture(committed.cause())
          : Future.succeededFuture(new Seen(committed.result(), seen.view())));
    }
    Future<Ticket> committed = commit(tx, actor, before, change, now, List.of());
    Future<Seen> seen = seen(tx, actor, shown);
    return Future.join(known, committed, seen).transform(done -> known.failed() ? Future.failedFuture(known.cause())
        : committed.failed() ? Future.failedFuture(committed.cause())
        : seen.failed() ? Future.failedFuture(seen.cause())
        : Future.succeededFuture(new Seen(committed.result(), seen.result().view())));
  }

  /** Visibility (404, audited) and then If-Match (412, with the current ETag). */
  private static Future<Void> check(Actor actor, Ticket ticket, Optional<String> ifMatch, String rawId) {
    if (!TicketAccess.canSee(actor, ticket)) {
      return Future.failedFuture(new Denied(Problem.outOfScope("no ticket " + rawId), "out of scope"));
    }
    if (ifMatch.isPresent() && !ETags.matches(ifMatch.get(), ticket.etag())) {
      return Future.failedFuture(Problem.of(412, "precondition-failed", "Precondition failed",
          "the ticket changed since you read it (now version " + ticket.version() + ")")
          .withHeader("ETag", ticket.etag()));
    }
    return Future.succeededFuture();
  }

  private static Future<Outcome.Changed> decide(Handling current, Rule rule, Instant now) {
    Outcome outcome = rule.apply(current, now);
    if (outcome instanceof Outcome.Refused refused) {
      return Future.failedFuture(problem(refused.cause(), current));
    }
    return Future.succeededFuture((Outcome.Changed) outcome);
  }

  /**
   * Stores the decision and tells the listeners; answers the acting ticket as it now is. When the decision
   * writes the ticket row, the listeners first set the columns they derive on it ({@link
   * TicketListener#beforeSave}, from what they read under the lock), so the row is written once.
   */
  private Future<Ticket> commit(SqlConnection tx, Actor actor, TicketRepository.Locked locked, Outcome.Changed change,
      Instant now, List<ChangeRows> answered) {
    Ticket before = locked.ticket();
    Ticket after = change.after().ticket();
    Object[] reads = new Object[listeners.size()];
    for (int i = 0; i < reads.length; i++) {
      reads[i] = locked.reads()[i] == null ? null : listeners.get(i).decodeLocked(locked.reads()[i]);
    }
    if (after.version() != before.version()) {
      after = beforeSave(after, change.events().stream().filter(e -> e.ticket().equals(before.id())).toList(),
          reads);
    }
    Ticket row = after;
    if (change.events().stream().anyMatch(e -> !e.ticket().equals(row.id()))) {
      // a change seen on another ticket too (a merge): its listeners need that ticket as stored
      return tickets.save(tx, before.version(), row, change.events(), actor.sub(), now)
          .compose(touched -> notify(tx, touched, change.events(), before.id(), reads)
          .map(v -> touched.get(before.id())));
    }
    // the rule's ticket is the row: listeners may write their rows in the events' statement (ChangeRows), and
    // the others need not wait for it to be written: their statements follow the save's on the same
    // connection, so they still see it, in the same round trip
    List<ChangeRows> rows = new ArrayList<>(answered);
    boolean[] written = new boolean[listeners.size()];
    for (int i = 0; i < written.length; i++) {
      written[i] = listeners.get(i).changeRows(row, change.events(), reads[i], rows::add);
    }
    Future<Map<UUID, Ticket>> saved = tickets.save(tx, before.version(), row, change.events(), actor.sub(), now, rows);
    Future<Void> heard = notifyNow(tx, row, change.events(), reads, written);
    return Future.join(saved, heard).transform(done -> saved.failed() ? Future.failedFuture(saved.cause())
        : heard.failed() ? Future.failedFuture(heard.cause()) : Future.succeededFuture(row));
  }

  /** The ticket about to be saved with the columns listeners derive for it set (see TicketListener). */
  private Ticket beforeSave(Ticket ticket, List<TicketEvent> events, Object[] reads) {
    Ticket row = ticket;
    for (int i = 0; i < listeners.size(); i++) {
      row = listeners.get(i).beforeSave(row, events, reads[i]);
    }
    return row;
  }

  /**
   * Each listener hears, for each ticket the change touched, that ticket's events; in order, one at a time.
   * What the listeners read under the lock ({@code reads}) is handed over with the acting ticket's events.
   */
  private Future<Void> notify(SqlConnection tx, Map<UUID, Ticket> touched, List<TicketEvent> events, UUID acting,
      Object[] reads) {
    Future<Void> chain = Future.succeededFuture();
    for (Ticket ticket : touched.values()) {
      List<TicketEvent> its = events.stream().filter(e -> e.ticket().equals(ticket.id())).toList();
      if (its.isEmpty()) {
        continue;
      }
      for (int i = 0; i < listeners.size(); i++) {
        TicketListener listener = listeners.get(i);
        Object locked = ticket.id().equals(acting) ? reads[i] : null;
        chain = chain.compose(v -> listener.onEvents(tx, ticket, its, locked));
      }
    }
    return chain;
  }

  /**
   * Every listener hears the ticket's events at once, in registration order: their statements are issued
   * one after another on the transaction's connection without waiting for answers (the client pipelines
   * them), so independent listeners cost one round trip together. Fails with the first listener's failure.
   */
  private Future<Void> notifyNow(SqlConnection tx, Ticket ticket, List<TicketEvent> events, Object[] reads) {
    return notifyNow(tx, ticket, events, reads, new boolean[listeners.size()]);
  }

  /** As above, but not the listeners whose rows the change's statement wrote ({@code written}). */
  private Future<Void> notifyNow(SqlConnection tx, Ticket ticket, List<TicketEvent> events, Object[] reads,
      boolean[] written) {
    List<Future<Void>> heard = new ArrayList<>(listeners.size());
    for (int i = 0; i < listeners.size(); i++) {
      if (written[i]) {
        continue;
      }
      TicketListener listener = listeners.get(i);
      Object locked = reads[i];
      Future<Void> one;
      if (listener.readsEarlierListeners() && !heard.isEmpty()) {
        one = Future.all(List.copyOf(heard)).compose(v -> hear(listener, tx, ticket, events, locked));
      } else {
        one = hear(listener, tx, ticket, events, locked);
      }
      heard.add(one);
    }
    return Future.join(heard).transform(done -> {
      for (Future<Void> one : heard) {
        if (one.failed()) {
          return Future.failedFuture(one.cause());
        }
      }
      return Future.succeededFuture();
    });
  }

  private static Future<Void> hear(TicketListener listener, SqlConnection tx, Ticket ticket, List<TicketEvent> events,
      Object locked) {
    try {
      return listener.onEvents(tx, ticket, events, locked);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
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
  public Future<Detail> get(Actor actor, String rawId) {
    Optional<UUID> id = JsonValues.uuid(rawId);
    if (id.isEmpty()) {
      return Future.failedFuture(Problem.notFound("no ticket " + rawId));
    }
    // one round trip: the ticket, its duplicates and the audit entry of a personal-data read, committed
    return tickets.readAudited(pool, id.get(), now(), actor.sub(),
            actor.mainRole() == null ? null : actor.mainRole().name(), actor.dept().orElse(null),
            TicketAccess.fullViewParameters(actor))
        .compose(found -> {
          if (found.isEmpty()) {
            return Future.failedFuture(Problem.notFound("no ticket " + rawId));
          }
          Ticket ticket = found.get().ticket();
          View view = TicketAccess.view(actor, ticket);
          if (view == View.NONE) {
            return denied(actor, id.get(), rawId);
          }
          Seen seen = new Seen(ticket, view);
          // TicketAccess decides; the statement's condition only saved the round trip when it agreed
          Future<Void> audited = TicketJson.showsPersonalData(ticket, view) && !found.get().audited()
              ? audit.append(pool, actor, "PERSONAL_DATA_READ", ticket.id(),
                  new JsonObject().put("tickets", new JsonArray().add(ticket.id().toString())))
              : Future.succeededFuture();
          return audited.compose(v -> annex(ticket))
              .map(annex -> new Detail(seen, found.get().mergedFrom(), annex));
        });
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

  /** A page of tickets: the query is limited to the actor's scope, and each ticket shown as they may see it. */
  public Future<List<Seen>> list(Actor actor, TicketRepository.ListQuery query) {
    // the scope narrows the query in SQL; seen() still applies the rule to each row, in one place
    return tickets.list(pool, TicketAccess.listScope(actor), query).compose(found -> seen(pool, actor, found.stream()
        .filter(t -> TicketAccess.canSee(actor, t)).toList()));
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
    return tickets.byId(pool, id.get()).compose(found -> readable(actor, rawId, found));
  }

  /**
   * The read rule for a ticket a statement of another feature fetched by id ({@link TicketRepository#READ}
   * columns): 404 when it is missing, the same 404 (audited) when it is out of the actor's scope.
   */
  public Future<Ticket> readable(Actor actor, String rawId, Optional<Ticket> found) {
    if (found.isEmpty()) {
      return Future.failedFuture(Problem.notFound("no ticket " + rawId));
    }
    if (!TicketAccess.canSee(actor, found.get())) {
      return denied(actor, found.get().id(), rawId);
    }
    return Future.succeededFuture(found.get());
  }

  /** The same answer as a missing ticket, so scope cannot be probed; the attempt is audited. */
  private <T> Future<T> denied(Actor actor, UUID id, String rawId) {
    return audit.record(actor, "ACCESS_DENIED", id, new JsonObject().put("reason", "out of scope"))
        .compose(v -> Future.failedFuture(Problem.outOfScope("no ticket " + rawId)));
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
    for (Ticket t : found) {
      seen.add(new Seen(t, TicketAccess.view(actor, t)));
    }
    Optional<AuditLog.Entry> entry = readEntry(actor, seen);
    if (entry.isEmpty()) {
      return Future.succeededFuture(seen);
    }
    return audit.append(db, entry.get()).map(seen);
  }

  /** The audit entry of the personal data these answers show, if they show any. */
  private Optional<AuditLog.Entry> readEntry(Actor actor, List<Seen> seen) {
    JsonArray ids = new JsonArray();
    for (Seen s : seen) {
      if (TicketJson.showsPersonalData(s.ticket(), s.view())) {
        ids.add(s.ticket().id().toString());
      }
    }
    if (ids.isEmpty()) {
      return Optional.empty();
    }
    UUID single = ids.size() == 1 ? UUID.fromString(ids.getString(0)) : null;
    return Optional.of(audit.entry(actor, "PERSONAL_DATA_READ", single, new JsonObject().put("tickets", ids)));
  }

  /**
   * {@code pool.withTransaction}, without waiting for {@code BEGIN}: the connection pipelines the work's
   * first statements right behind it, which saves a round trip per change. The transaction object exists as
   * soon as {@code begin()} returns, so every statement issued on the connection is part of it; committed
   * when the work succeeds, rolled back when it fails.
   */
  private <T> Future<T> transaction(Function<SqlConnection, Future<T>> work) {
    return pool.getConnection().compose(conn -> {
      Future<Transaction> begun = conn.begin();
      Future<T> done;
      try {
        done = work.apply(conn);
      } catch (RuntimeException e) {
        done = Future.failedFuture(e);
      }
      Future<T> finished = done;
      return Future.join(begun, finished).<T>transform(ended -> {
        if (begun.failed()) {
          return Future.failedFuture(begun.cause());
        }
        Transaction tx = begun.result();
        if (finished.failed()) {
          return tx.rollback().transform(r -> Future.<T>failedFuture(finished.cause()));
        }
        return tx.commit().map(finished.result());
      }).eventually(conn::close);
    });
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
