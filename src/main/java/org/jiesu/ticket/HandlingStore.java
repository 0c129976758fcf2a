package org.jiesu.ticket;

import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jiesu.ticket.workflow.Event;
import org.jiesu.ticket.workflow.Handling;
import org.jiesu.ticket.workflow.Handling.ExtensionRequest;
import org.jiesu.ticket.workflow.Handling.ReturnRequest;
import org.jiesu.ticket.workflow.Handling.SupervisionOrder;
import org.jiesu.ticket.workflow.Handling.SuspensionRequest;

/**
 * Stores what the workflow rules work on: the handling columns of a ticket, its pending requests and its
 * supervision orders. Saving compares the handling before and after an action, so the rules stay free of
 * storage concerns and the store needs no knowledge of which action ran, only of what changed.
 */
final class HandlingStore {

  private static final String LOCK = "SELECT id FROM ticket WHERE id = $1 FOR UPDATE";
  private static final String PENDING = """
      SELECT id, kind, requested_by, requested_by_sub, requested_at, reason, suggested_department, until, length_seconds
      FROM ticket_request WHERE ticket_id = $1 AND status = 'PENDING'""";
  private static final String ORDERS = """
      SELECT id, department, instruction, respond_by, ordered_by, ordered_at, acknowledged_at
      FROM supervision_order WHERE ticket_id = $1 AND superseded_at IS NULL ORDER BY ordered_at, id""";
  private static final String SUPERSEDE_ORDERS = """
      UPDATE supervision_order SET superseded_at = $3
      WHERE ticket_id = $1 AND acknowledged_at IS NULL AND superseded_at IS NULL
        AND ($2::text IS NULL OR department <> $2)""";
  private static final String INSERT_REQUEST = """
      INSERT INTO ticket_request (id, ticket_id, kind, round, status, requested_by, requested_by_sub, requested_at,
                                  reason, suggested_department, until, length_seconds)
      VALUES ($1, $2, $3, $4, 'PENDING', $5, $6, $7, $8, $9, $10, $11)""";
  private static final String CLOSE_REQUEST = """
      UPDATE ticket_request SET status = $2, decided_at = $3, decided_by_sub = $4, decision_reason = $5
      WHERE id = $1 AND status = 'PENDING'""";
  private static final String INSERT_ORDER = """
      INSERT INTO supervision_order (id, ticket_id, round, department, instruction, respond_by, ordered_by, ordered_at)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8)""";
  private static final String ACK_ORDER = """
      UPDATE supervision_order SET acknowledged_at = $2, acknowledged_by = $3 WHERE id = $1 AND acknowledged_at IS NULL""";
  private static final String UPDATE_TICKET = """
      UPDATE ticket SET status = $2, round = $3, lead_department = $4, assisting_departments = $5, dispatched_at = $6,
        signed_at = $7, first_contact_at = $8, suspended_at = $9, granted_extension_seconds = $10, merged_into = $11,
        unreasonable = $12, version = $13, updated_at = $14, dispatch_count = dispatch_count + $15,
        replied_at = CASE WHEN $16::boolean THEN $17 WHEN $18::boolean THEN NULL ELSE replied_at END,
        reply_outcome = CASE WHEN $16::boolean THEN $19 WHEN $18::boolean THEN NULL ELSE reply_outcome END,
        reply_finding = CASE WHEN $16::boolean THEN $20 WHEN $18::boolean THEN NULL ELSE reply_finding END,
        callback_resolved = CASE WHEN $18::boolean THEN NULL WHEN $21::boolean THEN $22 ELSE callback_resolved END,
        callback_satisfaction = CASE WHEN $18::boolean THEN NULL WHEN $21::boolean THEN $23 ELSE callback_satisfaction END,
        closed_at = CASE WHEN $24::boolean THEN $17 ELSE closed_at END,
        extended_until = CASE WHEN $26::timestamptz IS NOT NULL THEN $26 WHEN $10::bigint = 0 THEN NULL ELSE extended_until END
      WHERE id = $1 AND version = $25""";
  private static final String INSERT_FACT = """
      INSERT INTO handling_fact (ticket_id, round, kind, request_id, granted_at, starts_at, ends_at, length_seconds)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8)""";
  private static final String END_SUSPENSION = """
      UPDATE handling_fact SET ends_at = $2 WHERE ticket_id = $1 AND kind = 'SUSPENSION' AND ends_at IS NULL""";

  /** Locks the ticket row for the rest of the transaction; false when there is no such ticket. */
  Future<Boolean> lock(SqlClient tx, UUID id) {
    return tx.preparedQuery(LOCK).execute(Tuple.of(id)).map(rows -> rows.size() == 1);
  }

  /** The rules' view of a stored ticket. */
  Future<Handling> load(SqlClient tx, Ticket t) {
    return tx.preparedQuery(PENDING).execute(Tuple.of(t.id())).compose(pending ->
        tx.preparedQuery(ORDERS).execute(Tuple.of(t.id())).map(orders -> handling(t, pending, orders)));
  }

  private static Handling handling(Ticket t, Iterable<Row> pending, Iterable<Row> orders) {
    Optional<ReturnRequest> ret = Optional.empty();
    Optional<ExtensionRequest> ext = Optional.empty();
    Optional<SuspensionRequest> susp = Optional.empty();
    for (Row r : pending) {
      UUID id = r.getUUID("id");
      String by = r.getString("requested_by");
      Instant at = instant(r.getOffsetDateTime("requested_at"));
      String reason = r.getString("reason");
      switch (r.getString("kind")) {
        case "RETURN" -> ret = Optional.of(new ReturnRequest(id, by, at, reason,
            Optional.ofNullable(r.getString("suggested_department"))));
        case "EXTENSION" -> ext = Optional.of(new ExtensionRequest(id, by, at, instant(r.getOffsetDateTime("until")),
            Duration.ofSeconds(r.getLong("length_seconds")), reason));
        case "SUSPENSION" -> susp = Optional.of(new SuspensionRequest(id, by, at, reason));
        default -> throw new IllegalStateException("unknown request kind " + r.getString("kind"));
      }
    }
    List<SupervisionOrder> list = new ArrayList<>();
    for (Row r : orders) {
      list.add(new SupervisionOrder(r.getUUID("id"), r.getString("department"), r.getString("instruction"),
          instant(r.getOffsetDateTime("respond_by")), r.getString("ordered_by"), instant(r.getOffsetDateTime("ordered_at")),
          Optional.ofNullable(r.getOffsetDateTime("acknowledged_at")).map(OffsetDateTime::toInstant)));
    }
    Ticket.Progress p = t.progress();
    return new Handling(t.id(), t.type(), t.state(), t.round(), t.leadDepartment(), t.assistingDepartments(),
        t.subject().isPresent(), t.dispatchedAt(), p.signedAt(), p.firstContactAt(), p.suspendedAt(), ret, ext, susp,
        p.grantedExtension(), list, p.mergedInto(), p.unreasonable(), t.version());
  }

  /**
   * Writes the change: the ticket's handling columns (guarded by the version read under the lock),
   * requests opened or closed, orders issued or acknowledged, and the granted facts the SLA engine needs.
   */
  Future<Void> save(SqlClient tx, Handling before, Handling after, List<Event> events, String actorSub, Instant now) {
    Map<String, Event> byType = events.stream().collect(Collectors.toMap(Event::type, Function.identity(), (a, b) -> a));
    List<Future<?>> writes = new ArrayList<>();
    if (after != before) {
      writes.add(updateTicket(tx, before, after, byType, now));
    }
    writes.addAll(requests(tx, before, after, byType, actorSub, now));
    writes.addAll(orders(tx, before, after, actorSub));
    if (!before.leadDepartment().equals(after.leadDepartment())) {
      // orders addressed to the department that lost the ticket can no longer be acknowledged
      writes.add(tx.preparedQuery(SUPERSEDE_ORDERS).execute(Tuple.of(after.id(), after.leadDepartment().orElse(null),
          TicketRepository.utc(now))));
    }
    writes.addAll(facts(tx, before, after, byType, now));
    // one connection runs them in order; all() only waits for them
    return Future.all(writes).mapEmpty();
  }

  private Future<?> updateTicket(SqlClient tx, Handling before, Handling after, Map<String, Event> byType,
      Instant now) {
    Event replied = byType.get(Event.REPLIED);
    Event callback = byType.get(Event.CALLBACK);
    // the new RESOLVE deadline an approved extension sets; a new assignment (no extension left) clears it
    Instant extendedUntil = byType.containsKey(Event.EXTENSION_APPROVED)
        ? before.pendingExtension().orElseThrow().until() : null;
    long dispatches = byType.containsKey(Event.DISPATCHED) ? 1 : 0;
    Object[] values = {
        after.id(), after.state().name(), after.round(), after.leadDepartment().orElse(null),
        after.assistingDepartments().toArray(new String[0]), after.dispatchedAt().map(TicketRepository::utc).orElse(null),
        after.signedAt().map(TicketRepository::utc).orElse(null),
        after.firstContactAt().map(TicketRepository::utc).orElse(null),
        after.suspendedAt().map(TicketRepository::utc).orElse(null), after.grantedExtension().toSeconds(),
        after.mergedInto().orElse(null), after.unreasonable(), after.version(), TicketRepository.utc(now), dispatches,
        replied != null, TicketRepository.utc(now), byType.containsKey(Event.REWORK),
        replied == null ? null : String.valueOf(replied.details().get("outcome")),
        replied == null || replied.details().get("finding") == null ? null : String.valueOf(replied.details().get("finding")),
        callback != null, callback == null ? null : (Boolean) callback.details().get("resolved"),
        callback == null ? null : String.valueOf(callback.details().get("satisfaction")),
        byType.containsKey(Event.CLOSED), before.version(),
        extendedUntil == null ? null : TicketRepository.utc(extendedUntil)};
    return tx.preparedQuery(UPDATE_TICKET).execute(Tuple.from(values)).compose(rows -> rows.rowCount() == 1
        ? Future.succeededFuture()
        : Future.failedFuture(new IllegalStateException("ticket " + after.id() + " changed under its lock")));
  }

  private List<Future<?>> requests(SqlClient tx, Handling before, Handling after, Map<String, Event> byType,
      String actorSub, Instant now) {
    List<Future<?>> out = new ArrayList<>();
    closeIfGone(tx, before.pendingReturn().map(ReturnRequest::id), after.pendingReturn().map(ReturnRequest::id),
        status(byType, Event.RETURN_APPROVED, Event.RETURN_REJECTED), byType, actorSub, now, out);
    closeIfGone(tx, before.pendingExtension().map(ExtensionRequest::id), after.pendingExtension().map(ExtensionRequest::id),
        status(byType, Event.EXTENSION_APPROVED, Event.EXTENSION_REJECTED), byType, actorSub, now, out);
    closeIfGone(tx, before.pendingSuspension().map(SuspensionRequest::id),
        after.pendingSuspension().map(SuspensionRequest::id),
        status(byType, Event.SUSPENDED, Event.SUSPENSION_REJECTED), byType, actorSub, now, out);
    after.pendingReturn().filter(r -> !before.pendingReturn().map(b -> b.id().equals(r.id())).orElse(false))
        .ifPresent(r -> out.add(insertRequest(tx, after, "RETURN", r.id(), r.requestedBy(), actorSub, r.requestedAt(),
            r.reason(), r.suggestedDepartment().orElse(null), null, null)));
    after.pendingExtension().filter(r -> !before.pendingExtension().map(b -> b.id().equals(r.id())).orElse(false))
        .ifPresent(r -> out.add(insertRequest(tx, after, "EXTENSION", r.id(), r.requestedBy(), actorSub,
            r.requestedAt(), r.reason(), null, TicketRepository.utc(r.until()), r.length().toSeconds())));
    after.pendingSuspension().filter(r -> !before.pendingSuspension().map(b -> b.id().equals(r.id())).orElse(false))
        .ifPresent(r -> out.add(insertRequest(tx, after, "SUSPENSION", r.id(), r.requestedBy(), actorSub,
            r.requestedAt(), r.reason(), null, null, null)));
    return out;
  }

  /** APPROVED or REJECTED when a decision event names it, otherwise the request was withdrawn by the change. */
  private static Function<UUID, String> status(Map<String, Event> byType, String approved, String rejected) {
    return id -> {
      if (decides(byType.get(approved), id)) {
        return "APPROVED";
      }
      if (decides(byType.get(rejected), id)) {
        return "REJECTED";
      }
      return "WITHDRAWN";
    };
  }

  private static boolean decides(Event e, UUID id) {
    return e != null && (id.equals(e.details().get("requestId")) || !e.details().containsKey("requestId"));
  }

  private void closeIfGone(SqlClient tx, Optional<UUID> before, Optional<UUID> after, Function<UUID, String> status,
      Map<String, Event> byType, String actorSub, Instant now, List<Future<?>> out) {
    if (before.isEmpty() || before.equals(after)) {
      return;
    }
    String decision = status.apply(before.get());
    Object reason = byType.values().stream().filter(e -> decides(e, before.get()) && e.details().containsKey("reason"))
        .map(e -> e.details().get("reason")).findFirst().orElse(null);
    out.add(tx.preparedQuery(CLOSE_REQUEST).execute(Tuple.of(before.get(), decision, TicketRepository.utc(now),
        actorSub, reason == null ? null : reason.toString())));
  }

  private Future<?> insertRequest(SqlClient tx, Handling t, String kind, UUID id, String by, String bySub,
      Instant at, String reason, String suggested, OffsetDateTime until, Long lengthSeconds) {
    return tx.preparedQuery(INSERT_REQUEST).execute(Tuple.from(new Object[] {
        id, t.id(), kind, t.round(), by, bySub, TicketRepository.utc(at), reason, suggested, until, lengthSeconds}));
  }

  private List<Future<?>> orders(SqlClient tx, Handling before, Handling after, String actorSub) {
    List<Future<?>> out = new ArrayList<>();
    Map<UUID, SupervisionOrder> old = before.supervisionOrders().stream()
        .collect(Collectors.toMap(SupervisionOrder::id, Function.identity()));
    for (SupervisionOrder o : after.supervisionOrders()) {
      SupervisionOrder was = old.get(o.id());
      if (was == null) {
        out.add(tx.preparedQuery(INSERT_ORDER).execute(Tuple.from(new Object[] {o.id(), after.id(), after.round(),
            o.department(), o.instruction(), TicketRepository.utc(o.respondBy()), o.orderedBy(),
            TicketRepository.utc(o.orderedAt())})));
      } else if (was.acknowledgedAt().isEmpty() && o.acknowledgedAt().isPresent()) {
        out.add(tx.preparedQuery(ACK_ORDER).execute(Tuple.of(o.id(), TicketRepository.utc(o.acknowledgedAt().get()),
            actorSub)));
      }
    }
    return out;
  }

  private List<Future<?>> facts(SqlClient tx, Handling before, Handling after, Map<String, Event> byType, Instant now) {
    List<Future<?>> out = new ArrayList<>();
    Event granted = byType.get(Event.EXTENSION_APPROVED);
    if (granted != null) {
      ExtensionRequest r = before.pendingExtension().orElseThrow();
      out.add(tx.preparedQuery(INSERT_FACT).execute(Tuple.from(new Object[] {after.id(), after.round(), "EXTENSION",
          r.id(), TicketRepository.utc(now), TicketRepository.utc(now), TicketRepository.utc(r.until()),
          r.length().toSeconds()})));
    }
    if (byType.containsKey(Event.SUSPENDED)) {
      UUID request = before.pendingSuspension().map(SuspensionRequest::id).orElse(null);
      out.add(tx.preparedQuery(INSERT_FACT).execute(Tuple.from(new Object[] {after.id(), after.round(), "SUSPENSION",
          request, TicketRepository.utc(now), TicketRepository.utc(after.suspendedAt().orElse(now)), null, null})));
    }
    if (before.suspendedAt().isPresent() && after.suspendedAt().isEmpty()) {
      out.add(tx.preparedQuery(END_SUSPENSION).execute(Tuple.of(after.id(), TicketRepository.utc(now))));
    }
    return out;
  }

  private static Instant instant(OffsetDateTime t) {
    return Objects.requireNonNull(t).toInstant();
  }
}
