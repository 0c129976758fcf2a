package org.jiesu.ticket;

import org.jiesu.ticket.workflow.Ticket;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import java.util.List;
import java.util.Optional;
import org.jiesu.ticket.workflow.TicketEvent;

/**
 * Reacts to what happened to a ticket, inside the transaction that made it happen: the audit trail today;
 * SLA timers, the outbox and credit tomorrow. Registered once at wiring; the ticket package does not know
 * who listens. {@code ticket} is the ticket as stored after the change, {@code events} what happened to it,
 * in order. A failed future fails (rolls back) the whole change.
 *
 * <p>Listeners are called as soon as the rule has decided, with the ticket the rule left (the row the
 * change writes), while the ticket's own statements are still on their way: issue statements on {@code tx}
 * without waiting needlessly and they follow the ticket's on the same connection, in order, in the same
 * round trip (a read of the ticket through {@code tx} sees the change). At intake the new ticket's
 * {@code seq} is not known yet (0); its id is.
 */
@FunctionalInterface
public interface TicketListener {
  Future<Void> onEvents(SqlConnection tx, Ticket ticket, List<TicketEvent> events);

  /**
   * Whether this listener reads what listeners registered before it wrote (the scorecard facts read the
   * SLA timers the SLA listener just met): it is then called only once they have all finished, instead of
   * together with them. Costs a round trip, so only listeners that need it say so.
   */
  default boolean readsEarlierListeners() {
    return false;
  }

  /**
   * A new ticket, before its one INSERT, with the derived columns this listener keeps on the ticket row set
   * (the SLA engine's nearest deadline): updating the row just inserted would write it, and every index of
   * the ticket table, a second time in the same transaction. The rows this listener writes for a new ticket
   * may go to {@code rows}: they are written by the intake's own statement ({@link ChangeRows}: at intake one
   * JSON array of records, as a batch of intakes concatenates them), in its round trip, and {@link #onEvents}
   * must then not write them again. Plain Java, no I/O; by default unchanged and
   * nothing added.
   */
  default Ticket beforeIntake(Ticket ticket, List<TicketEvent> events, java.util.function.Consumer<ChangeRows> rows) {
    return ticket;
  }

  /**
   * What a listener read before a new ticket's statement: the rows to add to that statement (as
   * {@link #beforeIntake} adds them), and fields for the intake's answer (the insights' similarCount).
   */
  record BeforeIntake(Optional<ChangeRows> rows, java.util.Map<String, Object> answer) {
    public static final BeforeIntake NOTHING = new BeforeIntake(Optional.empty(), java.util.Map.of());

    public BeforeIntake {
      answer = java.util.Map.copyOf(answer);
    }
  }

  /**
   * What this listener must read before a new ticket's statement (the insights read the new call's street for
   * the hotspot check and its similar open calls for the answer): one statement on {@code db}, the pool,
   * outside any transaction. It sees the database without the new ticket, and is called for a repeat too
   * (whose rows then join no ticket made, and whose answer is the repeat's). Called after
   * {@link #beforeIntake}, with the ticket that left; a failure fails the intake, before anything is written.
   * By default nothing is read.
   */
  default Future<BeforeIntake> readBeforeIntake(SqlClient db, Ticket ticket, List<TicketEvent> events) {
    return Future.succeededFuture(BeforeIntake.NOTHING);
  }

  /**
   * Whether {@link #onEvents} still has something to write for a new ticket once {@link #beforeIntake} has put
   * this listener's rows in the intake's statement; when it does not, its onEvents is not called for the intake.
   * When no listener does, the intake is that one statement, committed on its own (no BEGIN, no COMMIT: two
   * round trips fewer). Plain Java, no I/O; by default true, which keeps the intake in a transaction with
   * onEvents.
   */
  default boolean hearsIntake(Ticket ticket, List<TicketEvent> events) {
    return true;
  }

  /**
   * An action's change of one ticket (not an intake, not a merge): the rows this listener writes for it may go
   * to {@code rows}, written by the change's own statement ({@link ChangeRows}, {@code ins} is the ticket,
   * updated by that same statement when the change moves its version). {@code locked}: what {@link
   * #readWithLock} read under the action's lock, decoded ({@link #decodeLocked}), or null. The rows are sibling
   * CTEs of one statement: they see the database as it was before it, not one another's writes, so a listener
   * that would read what an earlier one writes computes it in Java instead. Answers true when that is all it
   * writes for the change: {@link #onEvents} is then not called for it. Plain Java, no I/O; by default nothing,
   * and onEvents is called.
   */
  default boolean changeRows(Ticket ticket, List<TicketEvent> events, Object locked,
      java.util.function.Consumer<ChangeRows> rows) {
    return false;
  }

  /**
   * What this listener needs to know of a ticket before an action changes it, read by the statement that
   * locks and reads the ticket, so it costs no statement of its own: a SQL expression yielding one value (a
   * scalar subquery; {@code $1} is the ticket's id), or null for nothing. The value, as the SQL client
   * decodes it (a {@code json} array is a JsonArray) and then {@link #decodeLocked}, is handed to
   * {@link #beforeSave} and {@link #onEvents(SqlConnection, Ticket, List, Object)} of that change. It is read
   * after the lock is granted: a ticket that changed while the action waited for it is read again.
   */
  default String readWithLock() {
    return null;
  }

  /**
   * What {@link #readWithLock} read, as the SQL client decoded it, turned into what this listener's hooks
   * take: called once per change, so the two hooks need not decode it twice. By default as it is.
   */
  default Object decodeLocked(Object value) {
    return value;
  }

  /**
   * A ticket an action is about to save, with the derived columns this listener keeps on the ticket row set
   * (the SLA engine's nearest deadline), so that the one UPDATE of the action writes them: a second UPDATE
   * of the same row would write it, and every index of the ticket table, again in the same transaction.
   * Called only when the action writes the ticket row; {@code locked}: what {@link #readWithLock} read.
   * Plain Java, no I/O; by default unchanged.
   */
  default Ticket beforeSave(Ticket ticket, List<TicketEvent> events, Object locked) {
    return ticket;
  }

  /**
   * {@link #onEvents(SqlConnection, Ticket, List)} with what {@link #readWithLock} read of the ticket under
   * its lock ({@code locked}), or null when the change did not read it (intake, and the other tickets a
   * merge touches).
   */
  default Future<Void> onEvents(SqlConnection tx, Ticket ticket, List<TicketEvent> events, Object locked) {
    return onEvents(tx, ticket, events);
  }
}
