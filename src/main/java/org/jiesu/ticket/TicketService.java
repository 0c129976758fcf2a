package org.jiesu.ticket;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jiesu.audit.AuditLog;
import org.jiesu.auth.Actor;
import org.jiesu.department.Departments;
import org.jiesu.knowledge.Knowledge;
import org.jiesu.routing.Assignment;
import org.jiesu.routing.RoutingFacts;
import org.jiesu.routing.RoutingRules;
import org.jiesu.platform.JsonValues;
import org.jiesu.platform.Problem;
import org.jiesu.ticket.TicketAccess.View;

/** Ticket use cases. Each owns its transaction; the audit row commits with the change it records. */
public final class TicketService {

  /** The outcome of an intake: a new ticket, or the one this externalId already made. */
  public record IntakeResult(Ticket ticket, boolean created) {}

  /** A ticket together with what the caller may see of it. */
  public record Seen(Ticket ticket, View view) {}

  /** One ticket in full: with the duplicates merged into it. */
  public record Detail(Seen seen, List<UUID> mergedFrom) {}

  private final Pool pool;
  private final TicketRepository tickets = new TicketRepository();
  private final Departments departments;
  private final RoutingRules routing;
  private final Knowledge knowledge;
  private final AuditLog audit;
  private final Clock clock;

  public TicketService(Pool pool, Departments departments, RoutingRules routing, Knowledge knowledge, AuditLog audit,
      Clock clock) {
    this.pool = pool;
    this.departments = departments;
    this.routing = routing;
    this.knowledge = knowledge;
    this.audit = audit;
    this.clock = clock;
  }

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

  private Future<IntakeResult> create(SqlClient tx, Actor actor, Intake intake, String hash, Instant now) {
    List<String> fields = new ArrayList<>();
    intake.leadDepartment().ifPresent(d -> fields.add("/leadDepartment"));
    for (int i = 0; i < intake.assistingDepartments().size(); i++) {
      fields.add("/assistingDepartments/" + i);
    }
    return departments.requireExisting(tx, intake.namedDepartments(), fields)
        .compose(v -> requireArticle(tx, intake))
        .compose(v -> assignment(tx, intake))
        .compose(assignment -> {
          Ticket ticket = newTicket(intake, hash, now, assignment);
          return tickets.insert(tx, ticket).compose(inserted -> {
            if (inserted.isEmpty()) {
              // another transaction committed the same externalId between our lookup and insert
              return tickets.byExternalId(tx, intake.externalId())
                  .compose(found -> repeated(tx, actor, found.orElseThrow(), hash));
            }
            Ticket saved = inserted.get();
            return recordIntake(tx, actor, saved, assignment, now).map(new IntakeResult(saved, true));
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

  private static Ticket newTicket(Intake in, String hash, Instant now, Optional<Assignment> assignment) {
    boolean dispatched = assignment.isPresent();
    TicketState state = in.answeredByHotline() ? TicketState.CLOSED
        : dispatched ? TicketState.DISPATCHED : TicketState.RECEIVED;
    Ticket.Progress progress = Ticket.Progress.atIntake(dispatched);
    if (in.answeredByHotline()) {
      progress = new Ticket.Progress(Optional.empty(), Optional.empty(), Optional.empty(), java.time.Duration.ZERO,
          Optional.empty(), false, 0, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
          Optional.empty(), Optional.of(now), in.answeredBy(), in.knowledgeArticleId(), Optional.empty());
    }
    return new Ticket(UUID.randomUUID(), 0, in.externalId(), hash, in.type(), in.urgency(), in.category(), in.title(),
        in.content(), in.receivedAt(), in.caller(), in.location(), in.subject(), state, 1,
        assignment.map(Assignment::leadDepartment), assignment.map(Assignment::assistingDepartments).orElse(List.of()),
        dispatched ? Optional.of(now) : Optional.empty(), 1, now, now, progress);
  }

  private Future<Void> recordIntake(SqlClient tx, Actor actor, Ticket t, Optional<Assignment> assignment,
      Instant now) {
    Future<Void> events = tickets.appendEvent(tx, TicketEvent.of(t, "RECEIVED", actor, now,
        new JsonObject().put("externalId", t.externalId()).put("type", t.type().name())
            .put("urgency", t.urgency().name()).put("category", t.category())));
    if (assignment.isPresent()) {
      Assignment a = assignment.get();
      JsonObject details = new JsonObject().put("leadDepartment", a.leadDepartment())
          .put("assistingDepartments", new JsonArray(a.assistingDepartments()))
          .put("by", a.ruleId() == null ? "HOTLINE" : "ROUTING");
      if (a.ruleId() != null) {
        details.put("ruleId", a.ruleId());
      }
      events = events.compose(v -> tickets.appendEvent(tx, TicketEvent.of(t, "DISPATCHED", actor, now, details)));
    }
    if (t.state() == TicketState.CLOSED) {
      events = events.compose(v -> tickets.appendEvent(tx, TicketEvent.of(t, "CLOSED", actor, now,
          new JsonObject().put("answeredBy", t.progress().answeredBy().orElseThrow())
              .put("knowledgeArticleId", t.progress().knowledgeArticleId().orElseThrow().toString()))));
    }
    return events.compose(v -> audit.append(tx, actor, "TICKET_INTAKE", t.id(),
        new JsonObject().put("externalId", t.externalId()).put("status", t.state().name())));
  }

  private static IntakeResult repeat(Ticket existing, String hash) {
    if (!existing.intakeHash().equals(hash)) {
      throw Problem.conflict("externalId '" + existing.externalId()
          + "' was already used for a different ticket", new JsonObject().put("ticketId", existing.id().toString()));
    }
    return new IntakeResult(existing, false);
  }

  /** One ticket as the actor may see it; out of scope answers 404 and is audited. */
  public Future<Detail> get(Actor actor, String id) {
    return visible(actor, id).compose(seen -> auditRead(actor, List.of(seen))
        .compose(v -> tickets.mergedFrom(pool, seen.ticket().id()))
        .map(merged -> new Detail(seen, merged)));
  }

  public Future<List<TicketEvent>> events(Actor actor, String id, long afterId, int limit) {
    return visible(actor, id).compose(seen -> tickets.events(pool, seen.ticket().id(), afterId, limit));
  }

  public Future<List<Seen>> list(Actor actor, TicketRepository.ListQuery query) {
    return tickets.list(pool, query).compose(found -> {
      List<Seen> seen = new ArrayList<>(found.size());
      for (Ticket t : found) {
        View v = TicketAccess.view(actor, t);
        if (v != View.NONE) { // the query already scopes; this keeps the rule in one place
          seen.add(new Seen(t, v));
        }
      }
      return auditRead(actor, seen).map(seen);
    });
  }

  private Future<Seen> visible(Actor actor, String rawId) {
    Optional<UUID> id = JsonValues.uuid(rawId);
    if (id.isEmpty()) {
      return Future.failedFuture(Problem.notFound("no ticket " + rawId));
    }
    return tickets.byId(pool, id.get()).compose(found -> {
      if (found.isEmpty()) {
        return Future.failedFuture(Problem.notFound("no ticket " + rawId));
      }
      View view = TicketAccess.view(actor, found.get());
      if (view == View.NONE) {
        // the same answer as a missing ticket, so scope cannot be probed; the attempt is audited
        return audit.record(actor, "ACCESS_DENIED", id.get(), new JsonObject().put("reason", "out of scope"))
            .compose(v -> Future.failedFuture(Problem.notFound("no ticket " + rawId)));
      }
      return Future.succeededFuture(new Seen(found.get(), view));
    });
  }

  /** Reads of unmasked personal data are audited before the data leaves the server. */
  private Future<Void> auditRead(Actor actor, List<Seen> seen) {
    JsonArray ids = new JsonArray();
    for (Seen s : seen) {
      if (TicketJson.showsPersonalData(s.ticket(), s.view())) {
        ids.add(s.ticket().id().toString());
      }
    }
    if (ids.isEmpty()) {
      return Future.succeededFuture();
    }
    UUID single = ids.size() == 1 ? UUID.fromString(ids.getString(0)) : null;
    return audit.record(actor, "PERSONAL_DATA_READ", single, new JsonObject().put("tickets", ids));
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }
}
