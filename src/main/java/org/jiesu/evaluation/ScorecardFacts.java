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
import org.jiesu.sla.DispatchTimers;
import org.jiesu.sla.Timer;
import org.jiesu.sla.TimerKind;
import org.jiesu.sla.TimerState;
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

  private final DispatchTimers timers;

  /**
   * {@code timers}: the SLA engine's plan of a dispatch's timers, at intake and for an action. It is planned
   * from the settings of the moment, as the timers are; should the settings change between the two (the same
   * change, microseconds apart) and plan otherwise, the row is put right at the round's next sign, first
   * contact or reply, which take the outcomes of the timers as stored.
   */
  public ScorecardFacts(DispatchTimers timers) {
    this.timers = timers;
  }

  // An action's facts, written by the action's own statement (changeRows): the timer outcomes are given,
  // planned in Java, because the SLA engine's timer writes are a sibling CTE this one cannot see. Each says
  // what the statement it replaces in onEvents says. The ticket is $1, so the primary key (ticket_id, round,
  // id) finds its rows whatever the statistics say (joined on ins.id, a generic plan made while the table was
  // small hashed a scan of the whole table: 3 ms at 6,000 rows); ins.id = $1 still writes nothing when the
  // action's statement wrote no ticket.

  /** {@link #INSERT_ROUND} of an action's dispatch (a first dispatch, a re-dispatch). */
  static final String CHANGE_ROUND = """
      INSERT INTO scorecard_round (ticket_id, round, department, dispatched_at, period, proactive, sign_timer,
                                   contact_timer, resolve_timer)
      SELECT ins.id, $2::int, $3::text, $4::timestamptz, $5::date, $6::boolean, $7::text, $8::text, $9::text
        FROM ins WHERE ins.id = $1::uuid""";

  /** {@link #REFRESH_TIMERS} after a sign, first contact or reply. */
  static final String CHANGE_TIMERS = """
      UPDATE scorecard_round r SET (sign_timer, contact_timer, resolve_timer) = ($3::text, $4::text, $5::text)
        FROM ins
       WHERE ins.id = $1::uuid AND r.ticket_id = $1::uuid AND r.round = $2::int
         AND r.id = (SELECT max(id) FROM scorecard_round WHERE ticket_id = $1::uuid AND round = $2::int)""";

  // The facts that do not read the timers, for the ticket $1: in an action's statement or alone ({@link
  // #alone}, ins then being the ticket's id).

  static final String RETURNED = """
      UPDATE scorecard_round r SET returned = true
        FROM ins
       WHERE ins.id = $1::uuid AND r.ticket_id = $1::uuid AND r.round = $2::int
         AND r.id = (SELECT max(id) FROM scorecard_round
                      WHERE ticket_id = $1::uuid AND round = $2::int AND department = $3::text)""";

  static final String INSERT_CALLBACK = """
      INSERT INTO scorecard_callback (ticket_id, round, department, at, period, resolved, satisfaction, rework,
                                      unreasonable, proactive)
      SELECT r.ticket_id, r.round, r.department, $3::timestamptz, $4::date, $5::boolean, $6::text, $7::boolean,
             $8::boolean, r.proactive
        FROM scorecard_round r, ins
       WHERE ins.id = $1::uuid AND r.ticket_id = $1::uuid AND r.round = $2::int
         AND r.id = (SELECT max(id) FROM scorecard_round WHERE ticket_id = $1::uuid AND round = $2::int)""";

  static final String UNREASONABLE = """
      UPDATE scorecard_callback c SET unreasonable = true FROM ins WHERE ins.id = $1::uuid AND c.ticket_id = $1::uuid""";

  static final String MERGED = """
      UPDATE scorecard_round r SET merged = true FROM ins WHERE ins.id = $1::uuid AND r.ticket_id = $1::uuid""";

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
        Set<TimerKind> kinds = timers.startedAtIntake(ticket, events, d.round());
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

  /** The timers, read once by the lock for this listener and the SLA engine ({@link DispatchTimers#readWithLock}). */
  @Override
  public String readWithLock() {
    return timers.readWithLock();
  }

  @Override
  public Object decodeLocked(Object value) {
    return timers.decodeLocked(value);
  }

  /**
   * An action's facts, in the action's own statement, the timer outcomes planned from the timers read under
   * the lock. Sibling CTEs see the tables as they were before the statement, where onEvents writes the facts
   * one after the other; so a fact may join the statement only if it reads no table an earlier fact of the
   * change writes (a return approved marks its round, then the re-dispatch adds the next: fine; the other way
   * round would not be). Declines (onEvents then writes them) otherwise, without the read, for a merge, and
   * for a sign, contact or reply of another round than the ticket's current dispatch.
   */
  @Override
  public boolean changeRows(Ticket ticket, List<TicketEvent> events, Object locked, Consumer<ChangeRows> rows) {
    List<ChangeRows> facts = new java.util.ArrayList<>(2);
    Set<String> written = new java.util.HashSet<>(2);
    for (TicketEvent event : events) {
      Fact fact;
      if (event instanceof TicketEvent.Merged) {
        return false;
      } else if (event instanceof TicketEvent.Dispatched d) {
        if (locked == null) {
          return false;
        }
        String[] t = outcomes(timers.ofDispatch(ticket, events, locked, d.round(), d.at()));
        fact = new Fact(new ChangeRows(CHANGE_ROUND, java.util.Arrays.asList(ticket.id(), d.round(),
            d.leadDepartment(), d.at().atOffset(ZoneOffset.UTC), period(d.at()), proactive(ticket), t[0], t[1], t[2])),
            null, ROUNDS);
      } else if (meets(event)) {
        if (locked == null || event.round() != ticket.round() || ticket.dispatchedAt().isEmpty()) {
          return false;
        }
        // the round's latest dispatch is the ticket's current one: its row is the round's newest
        String[] t = outcomes(timers.ofDispatch(ticket, events, locked, event.round(), ticket.dispatchedAt().get()));
        fact = new Fact(new ChangeRows(CHANGE_TIMERS, java.util.Arrays.asList(ticket.id(), event.round(), t[0], t[1],
            t[2])), ROUNDS, ROUNDS);
      } else {
        fact = fact(ticket, event);
      }
      if (fact == null) {
        continue;
      }
      if (fact.reads() != null && written.contains(fact.reads())) {
        return false;
      }
      written.add(fact.writes());
      facts.add(fact.rows());
    }
    facts.forEach(rows);
    return true;
  }

  private static final String ROUNDS = "scorecard_round";
  private static final String CALLBACKS = "scorecard_callback";

  /** A fact's rows, the table they read (null: none) and the one they write. */
  private record Fact(ChangeRows rows, String reads, String writes) {}

  /** A timer's outcome as the facts keep it (see {@link #TIMER}): MET, LATE or OPEN; null when none started. */
  static String outcome(Timer t) {
    if (t == null) {
      return null;
    }
    if (t.metAt() == null) {
      return "OPEN";
    }
    return t.state() == TimerState.MET && !t.metAt().isAfter(t.dueAt()) ? "MET" : "LATE";
  }

  private static String[] outcomes(java.util.Map<TimerKind, Timer> first) {
    return new String[] {outcome(first.get(TimerKind.SIGN)), outcome(first.get(TimerKind.CONTACT)),
        outcome(first.get(TimerKind.RESOLVE))};
  }

  private static boolean meets(TicketEvent event) {
    return event instanceof TicketEvent.Signed || event instanceof TicketEvent.Replied
        || event instanceof TicketEvent.Contacted c && c.first();
  }

  /** The facts that read no timers, as rows for the ticket {@code ins}; null when the event has none. */
  private static Fact fact(Ticket ticket, TicketEvent event) {
    if (event instanceof TicketEvent.ReturnApproved r) {
      return new Fact(new ChangeRows(RETURNED, List.of(ticket.id(), r.round(), r.department())), ROUNDS, ROUNDS);
    }
    if (event instanceof TicketEvent.CallbackMade c) {
      return new Fact(new ChangeRows(INSERT_CALLBACK, List.of(ticket.id(), c.round(), c.at().atOffset(ZoneOffset.UTC),
          period(c.at()), c.resolved(), c.satisfaction().name(), c.rework(), ticket.progress().unreasonable())),
          ROUNDS, CALLBACKS);
    }
    if (event instanceof TicketEvent.MarkedUnreasonable) {
      return new Fact(new ChangeRows(UNREASONABLE, List.of(ticket.id())), CALLBACKS, CALLBACKS);
    }
    if (event instanceof TicketEvent.Merged) {
      return new Fact(new ChangeRows(MERGED, List.of(ticket.id())), ROUNDS, ROUNDS);
    }
    return null;
  }

  /**
   * The facts one at a time, each reading what the ones before wrote, the timers read as stored (the SLA
   * listener, registered before, has written them): a merge, which touches two tickets, and the rare change
   * {@link #changeRows} declines.
   */
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
    if (meets(event)) {
      return tx.preparedQuery(REFRESH_TIMERS).execute(Tuple.of(event.ticket(), event.round())).mapEmpty();
    }
    Fact fact = fact(ticket, event);
    return fact == null ? Future.succeededFuture() : alone(tx, fact.rows());
  }

  /** A fact's rows as a statement of its own, {@code ins} being the ticket's id (its first parameter). */
  private static Future<Void> alone(SqlConnection tx, ChangeRows rows) {
    return tx.preparedQuery("WITH ins AS (SELECT $1::uuid AS id)\n" + rows.sql()).execute(Tuple.from(rows.params()))
        .mapEmpty();
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
