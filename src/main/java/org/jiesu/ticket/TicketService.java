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
import org.jiesu.platform.Problem;
import org.jiesu.ticket.TicketAccess.View;

/** Ticket use cases. Each owns its transaction; the audit row commits with the change it records. */
public final class TicketService {

  /** The outcome of an intake: a new ticket, or the one this externalId already made. */
  public record IntakeResult(Ticket ticket, boolean created) {}

  /** A ticket together with what the caller may see of it. */
  public record Seen(Ticket ticket, View view) {}

  private final Pool pool;
  private final TicketRepository tickets = new TicketRepository();
  private final Departments departments;
  private final AuditLog audit;
  private final Clock clock;

  public TicketService(Pool pool, Departments departments, AuditLog audit, Clock clock) {
    this.pool = pool;
    this.departments = departments;
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
            ? Future.succeededFuture(repeat(existing.get(), hash))
            : create(tx, actor, intake, hash, now)));
  }

  private Future<IntakeResult> create(SqlClient tx, Actor actor, Intake intake, String hash, Instant now) {
    List<String> fields = new ArrayList<>();
    intake.leadDepartment().ifPresent(d -> fields.add("/leadDepartment"));
    for (int i = 0; i < intake.assistingDepartments().size(); i++) {
      fields.add("/assistingDepartments/" + i);
    }
    boolean dispatched = intake.leadDepartment().isPresent();
    Ticket ticket = new Ticket(UUID.randomUUID(), 0, intake.externalId(), hash, intake.type(),
        intake.urgency(), intake.category(), intake.title(), intake.content(), intake.receivedAt(),
        intake.caller(), intake.location(), intake.subject(),
        dispatched ? TicketState.DISPATCHED : TicketState.RECEIVED, 1, intake.leadDepartment(),
        intake.assistingDepartments(), dispatched ? Optional.of(now) : Optional.empty(), 1, now, now);
    return departments.requireExisting(tx, intake.namedDepartments(), fields)
        .compose(v -> tickets.insert(tx, ticket))
        .compose(inserted -> {
          if (inserted.isEmpty()) {
            // another transaction committed the same externalId between our lookup and insert
            return tickets.byExternalId(tx, intake.externalId())
                .map(found -> repeat(found.orElseThrow(), hash));
          }
          Ticket saved = inserted.get();
          return recordIntake(tx, actor, saved, now).map(new IntakeResult(saved, true));
        });
  }

  private Future<Void> recordIntake(SqlClient tx, Actor actor, Ticket t, Instant now) {
    Future<Void> events = tickets.appendEvent(tx, TicketEvent.of(t, "RECEIVED", actor, now,
        new JsonObject().put("externalId", t.externalId()).put("type", t.type().name())
            .put("urgency", t.urgency().name()).put("category", t.category())));
    if (t.state() == TicketState.DISPATCHED) {
      events = events.compose(v -> tickets.appendEvent(tx, TicketEvent.of(t, "DISPATCHED", actor, now,
          new JsonObject().put("leadDepartment", t.leadDepartment().orElseThrow())
              .put("assistingDepartments", new JsonArray(t.assistingDepartments()))
              .put("by", "HOTLINE"))));
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
  public Future<Seen> get(Actor actor, String id) {
    return visible(actor, id).compose(seen -> auditRead(actor, List.of(seen)).map(seen));
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
    Optional<UUID> id = parseId(rawId);
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

  private static Optional<UUID> parseId(String raw) {
    try {
      return Optional.of(UUID.fromString(raw));
    } catch (IllegalArgumentException | NullPointerException e) {
      return Optional.empty();
    }
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }
}
