package org.jiesu.sla;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.sqlclient.SqlConnection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.jiesu.ticket.ChangeRows;
import org.jiesu.platform.Problem;
import org.jiesu.ticket.workflow.Ticket;
import org.jiesu.ticket.TicketDeadlines;
import org.jiesu.ticket.TicketListener;
import org.jiesu.ticket.workflow.TicketEvent;

/**
 * The SLA engine's ears on the ticket write path: in the transaction that changes a ticket, dispatch starts a
 * round's timers; signing, first contact and reply meet them; suspension pauses and resumption shifts them;
 * an approved extension moves RESOLVE; return, re-dispatch, merge and close cancel what is open. A failure
 * here rolls the ticket change back, so a ticket never changes without its timers.
 */
public final class SlaTimers implements TicketListener, DispatchTimers {

  private final SlaEngine engine;
  private final TimerStore store = new TimerStore();
  private final TicketDeadlines deadlines = new TicketDeadlines();
  private final Duration wakeWithin;
  private final int extensionCapWorkingDays;

  /**
   * {@code wakeWithin}: timers due sooner than this wake the schedulers (their poll would come too late).
   * {@code extensionCapWorkingDays}: how far past its unextended due time RESOLVE may be extended in total
   * (DESIGN §3: 10 working days by default), in whole working days of the business calendar.
   */
  public SlaTimers(SlaEngine engine, Duration wakeWithin, int extensionCapWorkingDays) {
    this.engine = engine;
    this.wakeWithin = wakeWithin;
    this.extensionCapWorkingDays = extensionCapWorkingDays;
  }

  @Override
  public Future<Void> onEvents(SqlConnection tx, Ticket ticket, List<TicketEvent> events) {
    return onEvents(tx, ticket, events, null);
  }

  /**
   * {@code locked}: the ticket's timers as the action's lock read them ({@link #readWithLock},
   * {@link #decodeLocked}); null: read them here (another ticket a merge touched).
   */
  @Override
  public Future<Void> onEvents(SqlConnection tx, Ticket ticket, List<TicketEvent> events, Object locked) {
    // not called for an intake (hearsIntake): a new ticket's timers go with its intake statement
    if (events.stream().noneMatch(SlaTimers::affectsTimers)) {
      return Future.succeededFuture();
    }
    SlaSettings settings = engine.settings();
    Future<List<TimerStore.Stored>> existing = locked != null
        ? Future.succeededFuture(timers(locked)) : store.ofTicket(tx, ticket.id());
    return existing.compose(stored -> {
      Optional<Problem> overCap = overCap(settings.rules(), events, stored);
      if (overCap.isPresent()) {
        return Future.failedFuture(overCap.get());
      }
      Plan plan = plan(settings, ticket, events, stored);
      if (plan.changed().isEmpty() && plan.started().isEmpty()) {
        return Future.succeededFuture();
      }
      // independent statements, issued together: the connection pipelines them in this order (the update
      // cancels a round's open timers before the insert starts its new ones), one round trip for all
      List<Future<?>> writes = new ArrayList<>(List.of(store.update(tx, plan.changed(), 0)));
      if (!ticket.dueAt().equals(plan.nearestDeadline())) {
        // a new ticket was inserted with it (beforeIntake), an action's ticket saved with it (beforeSave);
        // anything else (a change that writes no ticket row, another ticket a merge touched, settings that
        // moved between the two) moves it with its own statement
        writes.add(deadlines.record(tx,
            java.util.Collections.singletonMap(ticket.id(), plan.nearestDeadline().orElse(null))));
      }
      writes.add(store.insert(tx, ticket.id(), plan.policyKey(), settings.version(), plan.started()));
      if (plan.wakes(wakeWithin, events.get(events.size() - 1).at())) {
        writes.add(tx.query("SELECT pg_notify('" + TimerStore.WAKE_CHANNEL + "', '')").execute());
      }
      return Future.all(writes).mapEmpty();
    });
  }

  /**
   * A new ticket's timers and nearest deadline, planned from its events alone (it has no stored timers): the
   * ticket is inserted with its deadline, and its timers (and the schedulers' wake-up, when one is due soon)
   * go in the intake's own statement, so {@link #onEvents} has nothing left to do for it.
   */
  @Override
  public Ticket beforeIntake(Ticket ticket, List<TicketEvent> events, Consumer<ChangeRows> rows) {
    if (!received(events) || events.stream().noneMatch(SlaTimers::affectsTimers)) {
      return ticket;
    }
    SlaSettings settings = engine.settings();
    Plan plan = plan(settings, ticket, events, List.of());
    if (!plan.started().isEmpty()) {
      rows.accept(store.intakeRows(ticket.id(), plan.policyKey(), settings.version(), plan.started()));
    }
    if (plan.wakes(wakeWithin, events.get(events.size() - 1).at())) {
      rows.accept(WAKE); // the intake statement may commit on its own
    }
    return ticket.withDueAt(plan.nearestDeadline());
  }

  /**
   * An action's timer writes, in the action's own statement: the changed timers' update, the timers a
   * dispatch starts (after the update when a re-dispatch also cancels the old ones: {@link
   * TimerStore#CHANGE_REPLACE}), and the schedulers' wake-up when one falls due soon. Declines (onEvents then
   * writes and checks) when the timers were not read under the lock, when an extension is past the cap
   * (onEvents refuses it), and when the ticket's nearest deadline was not saved with it.
   */
  @Override
  public boolean changeRows(Ticket ticket, List<TicketEvent> events, Object locked, Consumer<ChangeRows> rows) {
    if (events.stream().noneMatch(SlaTimers::affectsTimers)) {
      return true;
    }
    if (locked == null) {
      return false;
    }
    SlaSettings settings = engine.settings();
    List<TimerStore.Stored> stored = timers(locked);
    if (overCap(settings.rules(), events, stored).isPresent()) {
      return false;
    }
    Plan plan = plan(settings, ticket, events, stored);
    if (!ticket.dueAt().equals(plan.nearestDeadline())) {
      return false;
    }
    if (!plan.changed().isEmpty() && !plan.started().isEmpty()) {
      rows.accept(store.replaceRows(plan.changed(), ticket.id(), plan.policyKey(), settings.version(), plan.started()));
    } else if (!plan.changed().isEmpty()) {
      rows.accept(store.changeRows(plan.changed()));
    } else if (!plan.started().isEmpty()) {
      rows.accept(store.intakeRows(ticket.id(), plan.policyKey(), settings.version(), plan.started()));
    }
    if (plan.wakes(wakeWithin, events.get(events.size() - 1).at())) {
      rows.accept(WAKE);
    }
    return true;
  }

  /** The schedulers' wake-up, once a statement; FROM ins: none for a ticket the statement did not write. */
  private static final ChangeRows WAKE =
      new ChangeRows("SELECT pg_notify('" + TimerStore.WAKE_CHANNEL + "', '') FROM ins", List.of());

  @Override
  public Map<TimerKind, Timer> ofDispatch(Ticket ticket, List<TicketEvent> events, Object locked, int round,
      Instant dispatchedAt) {
    return ofDispatch(engine.settings(), ticket, events, timers(locked), round, dispatchedAt);
  }

  /** {@link #ofDispatch(Ticket, List, Object, int, Instant)} with the settings given: pure. */
  static Map<TimerKind, Timer> ofDispatch(SlaSettings settings, Ticket ticket, List<TicketEvent> events,
      List<TimerStore.Stored> stored, int round, Instant dispatchedAt) {
    Map<TimerKind, Timer> first = new java.util.EnumMap<>(TimerKind.class);
    // in id order: the stored timers as read (by round, then id), then those this change starts
    for (Timer t : plan(settings, ticket, events, stored).all()) {
      if (t.round() == round && !t.startedAt().isBefore(dispatchedAt)) {
        first.putIfAbsent(t.kind(), t);
      }
    }
    return first;
  }

  /** A new ticket's timers are all in the intake's statement ({@link #beforeIntake}). */
  @Override
  public boolean hearsIntake(Ticket ticket, List<TicketEvent> events) {
    return false;
  }

  /**
   * The kinds of timer {@link #beforeIntake} starts for a new ticket's dispatch of {@code round}, planned the
   * same way: the scorecard facts write that dispatch's row in the same statement as the timers, so they cannot
   * read them. Pure; empty when the intake dispatches nothing or no policy applies.
   */
  @Override
  public java.util.Set<TimerKind> startedAtIntake(Ticket ticket, List<TicketEvent> events, int round) {
    java.util.Set<TimerKind> kinds = java.util.EnumSet.noneOf(TimerKind.class);
    if (received(events) && events.stream().anyMatch(SlaTimers::affectsTimers)) {
      for (Timer t : plan(engine.settings(), ticket, events, List.of()).started()) {
        if (t.round() == round) {
          kinds.add(t.kind());
        }
      }
    }
    return kinds;
  }

  private static boolean received(List<TicketEvent> events) {
    return events.stream().anyMatch(e -> e instanceof TicketEvent.Received);
  }

  /** The ticket's timers, read by the statement that locks the ticket for an action: see {@link #beforeSave}. */
  @Override
  public String readWithLock() {
    return TimerStore.OF_TICKET_JSON;
  }

  /**
   * The ticket an action saves, with the nearest deadline its events leave (planned from the timers read
   * under the lock), so the action's one UPDATE of the ticket writes it and {@link #onEvents} finds nothing
   * to move. Unchanged when nothing was read or no event touches the timers.
   */
  @Override
  public Ticket beforeSave(Ticket ticket, List<TicketEvent> events, Object locked) {
    if (locked == null || events.stream().noneMatch(SlaTimers::affectsTimers)) {
      return ticket;
    }
    return withNearestDeadline(engine.settings(), ticket, events, timers(locked));
  }

  /** The timers as {@link #readWithLock} read them, decoded once for both hooks. */
  @Override
  public Object decodeLocked(Object value) {
    return TimerStore.stored((JsonArray) value);
  }

  @SuppressWarnings("unchecked")
  private static List<TimerStore.Stored> timers(Object locked) {
    return (List<TimerStore.Stored>) locked;
  }

  /** The ticket with the nearest deadline its timers ({@code stored}) have after {@code events}: pure. */
  static Ticket withNearestDeadline(SlaSettings settings, Ticket ticket, List<TicketEvent> events,
      List<TimerStore.Stored> stored) {
    return ticket.withDueAt(plan(settings, ticket, events, stored).nearestDeadline());
  }

  /** What the events do to the ticket's timers, decided in plain Java; {@code all}: every timer afterwards. */
  record Plan(List<TimerStore.Stored> changed, List<Timer> started, String policyKey, List<Timer> all) {

    /** The ticket's nearest deadline: of timers still counting, or breached and not yet met. */
    Optional<Instant> nearestDeadline() {
      return all.stream().filter(SlaTimers::pending).map(Timer::dueAt).min(Instant::compareTo);
    }

    boolean wakes(Duration within, Instant now) {
      Instant soon = now.plus(within);
      return changed.stream().map(TimerStore.Stored::nextAt).anyMatch(t -> t != null && t.isBefore(soon))
          || started.stream().map(t -> t.warnAt()).anyMatch(t -> t.isBefore(soon));
    }
  }

  static Plan plan(SlaSettings settings, Ticket ticket, List<TicketEvent> events, List<TimerStore.Stored> stored) {
    TimerRules rules = settings.rules();
    Map<Long, TimerStore.Stored> current = new LinkedHashMap<>();
    stored.forEach(s -> current.put(s.id(), s));
    Map<Long, TimerStore.Stored> changed = new LinkedHashMap<>();
    List<Timer> started = new ArrayList<>();
    String policyKey = null;
    for (TicketEvent event : events) {
      if (event instanceof TicketEvent.Dispatched d) {
        cancelOpen(rules, current, changed, started);
        Optional<SlaPolicy> policy = SlaPolicies.select(settings.policies(), ticket.type().name(),
            ticket.urgency().name(), ticket.category());
        if (policy.isPresent()) {
          policyKey = policy.get().key();
          started.addAll(rules.startRound(policy.get(), d.round(), d.at()));
        }
      } else if (event instanceof TicketEvent.Signed s) {
        meet(rules, TimerKind.SIGN, s.round(), s.at(), current, changed, started);
      } else if (event instanceof TicketEvent.Contacted c && c.first()) {
        // met when the caller was reached, which the department may record afterwards
        meet(rules, TimerKind.CONTACT, c.round(), c.contactedAt(), current, changed, started);
      } else if (event instanceof TicketEvent.Replied r) {
        meet(rules, TimerKind.RESOLVE, r.round(), r.at(), current, changed, started);
      } else if (event instanceof TicketEvent.Suspended s) {
        each(current, changed, started, t -> rules.pause(t, s.at()));
      } else if (event instanceof TicketEvent.Resumed r) {
        each(current, changed, started, t -> rules.resume(t, r.at()));
      } else if (event instanceof TicketEvent.ExtensionApproved x) {
        each(current, changed, started, t -> t.kind() == TimerKind.RESOLVE && t.round() == x.round()
            ? rules.extend(t, x.until()) : Optional.empty());
      } else if (event instanceof TicketEvent.ReturnApproved || event instanceof TicketEvent.Closed
          || event instanceof TicketEvent.Merged) {
        cancelOpen(rules, current, changed, started);
      }
    }
    List<Timer> all = new ArrayList<>();
    current.values().forEach(st -> all.add(st.timer()));
    all.addAll(started);
    return new Plan(List.copyOf(changed.values()), started, policyKey, all);
  }

  static boolean pending(Timer t) {
    return t.state().open() || (t.state() == TimerState.BREACHED && t.metAt() == null);
  }

  /** An extension asked or granted past the cap, measured in working days from the unextended due time. */
  private Optional<Problem> overCap(TimerRules rules, List<TicketEvent> events, List<TimerStore.Stored> stored) {
    for (TicketEvent e : events) {
      Optional<Instant> until = e instanceof TicketEvent.ExtensionRequested r ? Optional.of(r.until())
          : e instanceof TicketEvent.ExtensionApproved a ? Optional.of(a.until()) : Optional.empty();
      if (until.isEmpty()) {
        continue;
      }
      for (TimerStore.Stored s : stored) {
        Timer t = s.timer();
        if (t.kind() == TimerKind.RESOLVE && t.round() == e.round() && t.state().open()) {
          Instant latest = rules.latestExtension(t, extensionCapWorkingDays);
          if (until.get().isAfter(latest)) {
            return Optional.of(Problem.ruleViolation("/until", "is past the extension cap of "
                + extensionCapWorkingDays + " working days after the deadline; the latest is "
                + org.jiesu.platform.Times.rfc3339(latest)));
          }
        }
      }
    }
    return Optional.empty();
  }

  static boolean affectsTimers(TicketEvent e) {
    return e instanceof TicketEvent.Dispatched || e instanceof TicketEvent.Signed
        || (e instanceof TicketEvent.Contacted c && c.first()) || e instanceof TicketEvent.Replied
        || e instanceof TicketEvent.Suspended || e instanceof TicketEvent.Resumed
        || e instanceof TicketEvent.ExtensionApproved || e instanceof TicketEvent.ExtensionRequested
        || e instanceof TicketEvent.ReturnApproved
        || e instanceof TicketEvent.Closed || e instanceof TicketEvent.Merged;
  }

  private static void meet(TimerRules rules, TimerKind kind, int round, Instant at,
      Map<Long, TimerStore.Stored> current, Map<Long, TimerStore.Stored> changed, List<Timer> started) {
    each(current, changed, started, t -> t.kind() == kind && t.round() == round ? rules.meet(t, at) : Optional.empty());
  }

  private static void cancelOpen(TimerRules rules, Map<Long, TimerStore.Stored> current,
      Map<Long, TimerStore.Stored> changed, List<Timer> started) {
    each(current, changed, started, rules::cancel);
  }

  /** Applies a change to every timer, stored or started in this transaction; unchanged ones stay as they are. */
  private static void each(Map<Long, TimerStore.Stored> current, Map<Long, TimerStore.Stored> changed,
      List<Timer> started, java.util.function.Function<Timer, Optional<Timer>> change) {
    for (TimerStore.Stored s : List.copyOf(current.values())) {
      change.apply(s.timer()).ifPresent(next -> {
        TimerStore.Stored updated = s.with(next);
        current.put(s.id(), updated);
        changed.put(s.id(), updated);
      });
    }
    for (int i = 0; i < started.size(); i++) {
      Optional<Timer> next = change.apply(started.get(i));
      if (next.isPresent()) {
        started.set(i, next.get());
      }
    }
  }
}
