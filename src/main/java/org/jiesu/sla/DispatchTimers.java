package org.jiesu.sla;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jiesu.ticket.workflow.Ticket;
import org.jiesu.ticket.workflow.TicketEvent;

/**
 * What the SLA engine's plan tells another feature of the timers a dispatch started, planned in plain Java as
 * the engine plans them, so that feature can write what it derives from them in the same statement as the
 * timers (a sibling CTE cannot read them). The scorecard facts copy each dispatch's timer outcomes this way.
 */
public interface DispatchTimers {

  /** The kinds of timer a new ticket's dispatch of {@code round} starts; empty when none or no policy applies. */
  Set<TimerKind> startedAtIntake(Ticket ticket, List<TicketEvent> events, int round);

  /**
   * The ticket's timers, read by the statement that locks it for an action ({@code $1} its id): the SLA
   * listener's own read, so the lock reads them once for both.
   */
  String readWithLock();

  /** What {@link #readWithLock} read, as the SQL client decoded it, turned into what {@link #ofDispatch} takes. */
  Object decodeLocked(Object value);

  /**
   * After an action's {@code events}, the first timer of each kind of {@code round} started at or after
   * {@code dispatchedAt} (the timers that dispatch started), planned from the timers read under the lock
   * ({@code locked}, decoded). A kind the dispatch did not start is absent.
   */
  Map<TimerKind, Timer> ofDispatch(Ticket ticket, List<TicketEvent> events, Object locked, int round,
      Instant dispatchedAt);
}
