package org.jiesu.ticket;

import org.jiesu.ticket.workflow.Ticket;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;
import java.util.List;
import java.util.function.Consumer;
import org.jiesu.audit.AuditLog;
import org.jiesu.ticket.workflow.TicketEvent;

/**
 * The tamper-evident record of who did what to which ticket, committed with the change: one entry per
 * ticket and change, TICKET_INTAKE for a new ticket, TICKET_ACTION for anything later. The intake's entry
 * goes in the intake's own statement ({@link #beforeIntake}: one round trip with the ticket and its events),
 * an action's in the action's events statement ({@link #changeRows}), and a merge's, which touches several
 * tickets, through {@link #onEvents}.
 */
public final class TicketAuditTrail implements TicketListener {

  static final String INTAKE = "TICKET_INTAKE";

  private final AuditLog audit;

  public TicketAuditTrail(AuditLog audit) {
    this.audit = audit;
  }

  /** What the intake's entry says of the new ticket. */
  private static JsonObject intakeDetail(Ticket ticket) {
    return new JsonObject().put("externalId", ticket.externalId()).put("status", ticket.state().name());
  }

  /** An entry as rows of the change's own statement ({@link ChangeRows}: {@code ins} is the ticket). */
  static final String ENTRY = """
      INSERT INTO audit_entry (at, actor_sub, actor_role, actor_dept, action, ticket_id, detail)
      SELECT $1::timestamptz, $2::text, $3::text, $4::text, $5::text, ins.id, $6::text FROM ins RETURNING 1""";

  /** A new ticket's entry as a record of the intake's statement ({@link ChangeRows}: joined to the ticket made). */
  static final String INTAKE_ENTRY = """
      INSERT INTO audit_entry (at, actor_sub, actor_role, actor_dept, action, ticket_id, detail)
      SELECT e.at, e.actor_sub, e.actor_role, e.actor_dept, e.action, e.ticket_id, e.detail
        FROM jsonb_populate_recordset(NULL::audit_entry, $1::jsonb) AS e JOIN ins ON ins.id = e.ticket_id
      RETURNING 1""";

  /** A new ticket's entry goes in the intake's own statement, written only if the ticket is. */
  @Override
  public Ticket beforeIntake(Ticket ticket, List<TicketEvent> events, Consumer<ChangeRows> rows) {
    if (events.get(0) instanceof TicketEvent.Received) {
      AuditLog.Entry e = audit.entry(events.get(0).actor(), INTAKE, ticket.id(), intakeDetail(ticket));
      rows.accept(new ChangeRows(INTAKE_ENTRY, List.of(new JsonArray().add(new JsonObject()
          .put("at", e.at().toString()).put("actor_sub", e.actorSub()).put("actor_role", e.actorRole())
          .put("actor_dept", e.actorDept()).put("action", e.action()).put("ticket_id", e.ticketId().toString())
          .put("detail", e.detail())))));
    }
    return ticket;
  }

  /** Everything it writes for a new ticket is in the intake's statement. */
  @Override
  public boolean hearsIntake(Ticket ticket, List<TicketEvent> events) {
    return false;
  }

  @Override
  public boolean changeRows(Ticket ticket, List<TicketEvent> events, Object locked, Consumer<ChangeRows> rows) {
    rows.accept(rows(actionEntry(ticket, events)));
    return true;
  }

  static ChangeRows rows(AuditLog.Entry e) {
    return new ChangeRows(ENTRY, java.util.Arrays.asList(e.at(), e.actorSub(), e.actorRole(), e.actorDept(),
        e.action(), e.detail()));
  }

  @Override
  public Future<Void> onEvents(SqlConnection tx, Ticket ticket, List<TicketEvent> events) {
    return audit.append(tx, events.get(0).actor(), ACTION, ticket.id(), actionDetail(ticket, events));
  }

  static final String ACTION = "TICKET_ACTION";

  private AuditLog.Entry actionEntry(Ticket ticket, List<TicketEvent> events) {
    return audit.entry(events.get(0).actor(), ACTION, ticket.id(), actionDetail(ticket, events));
  }

  /** What an action's entry says: the events' types and the state the ticket is left in. */
  private static JsonObject actionDetail(Ticket ticket, List<TicketEvent> events) {
    JsonArray types = new JsonArray();
    events.forEach(e -> types.add(e.type()));
    return new JsonObject().put("events", types).put("toState", ticket.state().name());
  }
}
