package org.jiesu.evaluation;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.jiesu.sla.TimerKind;
import org.jiesu.ticket.ChangeRows;
import org.jiesu.ticket.workflow.Channel;
import org.jiesu.ticket.workflow.Ticket;
import org.jiesu.ticket.TicketListener;
import org.jiesu.ticket.workflow.TicketEvent;

/**
 * Keeps the scorecards' facts current in the ticket's own transaction: a row per dispatch (the round that
 * counts for the response, on-time and return rates in the month it was dispatched) and a row per callback
 * (resolution, satisfaction and rework in the month it was recorded). Registered after the SLA listener, so
 * the round's timers read here are the ones this very change met.
 *
 * <p>Why fact rows and not counters: a round's outcome is known only later (signed tomorrow, returned next
 * week, the ticket marked unreasonable after its callback), and the scorecard of a department must name
 * the tickets behind each rate. Rows updated in place give both; a month is one index range of them.
 */
public final class ScorecardFacts implements TicketListener {

  /** The state of one timer of a dispatch: the first of its kind started at or after the dispatch. */
  private static final String TIMER = """
      (SELECT CASE WHEN s.met_at IS NULL THEN 'OPEN' WHEN s.state = 'MET' AND s.met_at <= s.due_at THEN 'MET'
                   ELSE 'LATE' END
         FROM sla_timer s WHERE s.ticket_id = %1$s AND s.round = %2$s AND s.kind = '%4$s'
          AND s.started_at >= %3$s ORDER BY s.id LIMIT 1)""";

  private static String timers(String ticket, String round, String dispatchedAt) {
    return TIMER.formatted(ticket, round, dispatchedAt, "SIGN") + ", " + TIMER.formatted(ticket, round, dispatchedAt,
        "CONTACT") + ", " + TIMER.formatted(ticket, round, dispatchedAt, "RESOLVE");
  }

  /** A dispatch, with the timers the SLA listener has just started for it: one statement. */
  static final String INSERT_ROUND = """
      INSERT INTO scorecard_round (ticket_id, round, department, dispatched_at, period, proactive, sign_timer,
                                   contact_timer, resolve_timer)
      SELECT $1, $2, $3, $4, $5, $6, """ + timers("$1", "$2", "$4");

  /** The latest dispatch of the round takes the state of the timers that dispatch started. */
  static final String REFRESH_TIMERS = "UPDATE scorecard_round r SET (sign_timer, contact_timer, resolve_timer) = ("
      + timers("r.ticket_id", "r.round", "r.dispatched_at") + ") "
      + "WHERE r.ticket_id = $1 AND r.round = $2"
      + " AND r.id = (SELECT max(id) FROM scorecard_round WHERE ticket_id = $1 AND round = $2)";

  /**
   * A new ticket's dispatch, in the intake's own statement ({@link #beforeIntake}); the timer columns are given,
   * as the SLA engine's timers are written by a sibling CTE this one cannot see. Every timer a dispatch just
   * started is OPEN; a kind the policy does not start is NULL, as {@link #INSERT_ROUND} would read it.
   */
  static final String INTAKE_ROUND = """
      INSERT INTO scorecard_round (ticket_id, round, department, dispatched_at, period, proactive, sign_timer,
                                   contact_timer, resolve_timer)
      SELECT r.ticket_id, r.round, r.department, r.dispatched_at, r.period, r.proactive, r.sign_timer,
             r.contact_timer, r.resolve_timer
        FROM jsonb_populate_recordset(NULL::scorecard_round, $1::jsonb) AS r JOIN ins ON ins.id = r.ticket_id
      RETURNING 1""";

  /** Which timers the SLA engine starts for a new ticket's dispatch of a round. */
  @FunctionalInterface
  public interface StartedTimers {
    Set<TimerKind> startedAtIntake(Ticket ticket, List<TicketEvent> events, int round);
  }

  private final StartedTimers started;

  /**
   * {@code started}: the SLA engine's plan for a new ticket ({@code SlaTimers::startedAtIntake}). It is planned
   * from the settings of the moment, as the timers are; should the settings change between the two (the same
   * intake, microseconds apart) and start other kinds, the row is put right at the round's next sign, first
   * contact or reply, which read the timers themselves ({@link #REFRESH_TIMERS}).
   */
  public ScorecardFacts(StartedTimers started) {
    this.started = started;
  }

  private static final String RETURNED = """
      UPDATE scorecard_round SET returned = true
       WHERE ticket_id = $1 AND round = $2
         AND id = (SELECT max(id) FROM scorecard_round WHERE ticket_id = $1 AND round = $2 AND department = $3)""";

  private static final String INSERT_CALLBACK = """
      INSERT INTO scorecard_callback (ticket_id, round, department, at, period, resolved, satisfaction, rework,
                                      unreasonable, proactive)
      SELECT r.ticket_id, r.round, r.department, $3, $4, $5, $6, $7, $8, r.proactive
        FROM scorecard_round r
       WHERE r.ticket_id = $1 AND r.round = $2
         AND r.id = (SELECT max(id) FROM scorecard_round WHERE ticket_id = $1 AND round = $2)""";

  private static final String UNREASONABLE = "UPDATE scorecard_callback SET unreasonable = true WHERE ticket_id = $1";

  private static final String MERGED = "UPDATE scorecard_round SET merged = true WHERE ticket_id = $1";

  /** The facts copy the state of the timers the SLA listener has just started or met. */
  @Override
  public boolean readsEarlierListeners() {
    return true;
  }

  /** A new ticket's dispatch: its row goes in the intake's own statement. */
  @Override
  public Ticket beforeIntake(Ticket ticket, List<TicketEvent> events, Consumer<ChangeRows> rows) {
    if (!received(events)) {
      return ticket;
    }
    for (TicketEvent event : events) {
      if (event instanceof TicketEvent.Dispatched d) {
        Set<TimerKind> kinds = started.startedAtIntake(ticket, events, d.round());
        rows.accept(new ChangeRows(INTAKE_ROUND, List.of(new io.vertx.core.json.JsonArray().add(
            new io.vertx.core.json.JsonObject().put("ticket_id", ticket.id().toString()).put("round", d.round())
                .put("department", d.leadDepartment()).put("dispatched_at", d.at().atOffset(ZoneOffset.UTC).toString())
                .put("period", period(d.at()).toString()).put("proactive", proactive(ticket))
                .put("sign_timer", open(kinds, TimerKind.SIGN)).put("contact_timer", open(kinds, TimerKind.CONTACT))
                .put("resolve_timer", open(kinds, TimerKind.RESOLVE))))));
      }
    }
    return ticket;
  }

  /** Nothing is left for a new ticket: a dispatch is its only fact, written by {@link #beforeIntake}. */
  @Override
  public boolean hearsIntake(Ticket ticket, List<TicketEvent> events) {
    return false;
  }

  private static String open(Set<TimerKind> kinds, TimerKind kind) {
    return kinds.contains(kind) ? "OPEN" : null;
  }

  private static boolean received(List<TicketEvent> events) {
    return events.stream().anyMatch(TicketEvent.Received.class::isInstance);
  }

  @Override
  public Future<Void> onEvents(SqlConnection tx, Ticket ticket, List<TicketEvent> events) {
    Future<Void> chain = Future.succeededFuture();
    for (TicketEvent event : events) {
      chain = chain.compose(v -> apply(tx, ticket, event));
    }
    return chain;
  }

  private static Future<Void> apply(SqlConnection tx, Ticket ticket, TicketEvent event) {
    if (event instanceof TicketEvent.Dispatched d) {
      return tx.preparedQuery(INSERT_ROUND).execute(Tuple.of(d.ticket(), d.round(), d.leadDepartment(),
              d.at().atOffset(ZoneOffset.UTC), period(d.at()), proactive(ticket)))
          .mapEmpty();
    }
    if (event instanceof TicketEvent.Signed || event instanceof TicketEvent.Replied
        || event instanceof TicketEvent.Contacted c && c.first()) {
      return refresh(tx, event.ticket(), event.round());
    }
    if (event instanceof TicketEvent.ReturnApproved r) {
      return tx.preparedQuery(RETURNED).execute(Tuple.of(r.ticket(), r.round(), r.department())).mapEmpty();
    }
    if (event instanceof TicketEvent.CallbackMade c) {
      return tx.preparedQuery(INSERT_CALLBACK).execute(Tuple.from(List.of(c.ticket(), c.round(),
              c.at().atOffset(ZoneOffset.UTC), period(c.at()), c.resolved(), c.satisfaction().name(), c.rework(),
              ticket.progress().unreasonable())))
          .mapEmpty();
    }
    if (event instanceof TicketEvent.MarkedUnreasonable u) {
      return tx.preparedQuery(UNREASONABLE).execute(Tuple.of(u.ticket())).mapEmpty();
    }
    if (event instanceof TicketEvent.Merged m) {
      return tx.preparedQuery(MERGED).execute(Tuple.of(m.ticket())).mapEmpty();
    }
    return Future.succeededFuture();
  }

  private static Future<Void> refresh(SqlConnection tx, java.util.UUID ticket, int round) {
    return tx.preparedQuery(REFRESH_TIMERS).execute(Tuple.of(ticket, round)).mapEmpty();
  }

  /** The first day of the month (Asia/Shanghai) {@code at} falls in. */
  static LocalDate period(Instant at) {
    return Months.of(at).atDay(1);
  }

  /** Proactive tasks (主动治理, DESIGN §6a) are counted apart from the three rates. */
  static boolean proactive(Ticket ticket) {
    return ticket.channel() == Channel.PROACTIVE;
  }
}
