package org.jiesu.evaluation;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jiesu.audit.AuditLog;
import org.jiesu.auth.Actor;
import org.jiesu.department.Department;
import org.jiesu.department.Departments;
import org.jiesu.evaluation.ScorecardStore.CallbackFact;
import org.jiesu.evaluation.ScorecardStore.RoundFact;
import org.jiesu.evaluation.ScorecardStore.Versioned;
import org.jiesu.evaluation.Scorecards.Scorecard;
import org.jiesu.evaluation.Scorecards.Settings;
import org.jiesu.platform.Problem;

/**
 * Department scorecards (三率, DESIGN §5) for a month: every registered department scored from the facts
 * {@link ScorecardFacts} keeps, ranked within its group. A finished month is scored with the settings fixed
 * for it the first time it was scored after it ended; the running month with the current settings.
 */
public final class ScorecardService {

  /** The register is a few hundred departments; one read takes all of them. */
  private static final int ALL_DEPARTMENTS = 100_000;

  private final Pool pool;
  private final Departments departments;
  private final AuditLog audit;
  private final Clock clock;
  private final ScorecardStore store = new ScorecardStore();

  public ScorecardService(Pool pool, Departments departments, AuditLog audit, Clock clock) {
    this.pool = pool;
    this.departments = departments;
    this.audit = audit;
    this.clock = clock;
  }

  /** A month's scorecards and what they were computed with; {@code fixed}: the month is over, its settings fixed. */
  public record Month(YearMonth period, boolean fixed, Versioned settings, List<Scorecard> cards,
      Map<String, Department> departments) {}

  /** One department's scorecard and the facts behind it. */
  public record Detail(Month month, Scorecard card, List<RoundFact> rounds, List<CallbackFact> callbacks) {}

  /** The register, the month's settings and its counts are read at once (the pool holds several connections). */
  public Future<Month> month(YearMonth period) {
    Instant now = clock.instant();
    boolean over = !now.isBefore(Months.end(period));
    Future<List<Department>> register = departments.page("", ALL_DEPARTMENTS);
    Future<Versioned> settings = over ? store.ofFinishedMonth(pool, period, now) : store.current(pool);
    Future<Map<String, Scorecards.Facts>> counts = store.counts(pool, period);
    return Future.all(register, settings, counts).map(v -> {
      Map<String, Department> byCode = new LinkedHashMap<>();
      List<Scorecards.Facts> facts = new ArrayList<>();
      for (Department d : register.result()) {
        byCode.put(d.code(), d);
        Scorecards.Facts f = counts.result().get(d.code());
        facts.add(f == null ? Scorecards.Facts.none(d.code(), d.group()) : f.inGroup(d.group()));
      }
      return new Month(period, over, settings.result(), Scorecards.rank(facts, settings.result().settings()), byCode);
    });
  }

  public Future<Detail> department(YearMonth period, String department) {
    return month(period).compose(m -> {
      Scorecard card = m.cards().stream().filter(c -> c.facts().department().equals(department)).findFirst()
          .orElse(null);
      if (card == null) {
        return Future.failedFuture(Problem.notFound("no department with code '" + department + "'"));
      }
      return store.rounds(pool, period, department)
          .compose(rounds -> store.callbacks(pool, period, department)
              .map(callbacks -> new Detail(m, card, rounds, callbacks)));
    });
  }

  /** The SQL a month's counts take (for the bench to show their plans). */
  public static List<String> countingQueries() {
    return List.of(ScorecardStore.ROUND_COUNTS, ScorecardStore.CALLBACK_COUNTS);
  }

  public Future<Versioned> settings() {
    return store.current(pool);
  }

  /** A new version of the settings, audited with the version before it in the same transaction. */
  public Future<Versioned> changeSettings(Actor actor, Settings settings) {
    var refusal = settings.refusal();
    if (refusal.isPresent()) {
      return Future.failedFuture(Problem.ruleViolation(refusal.get().field(), refusal.get().message()));
    }
    Instant now = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MICROS);
    return pool.withTransaction(tx -> store.serialise(tx).compose(v -> store.current(tx)).compose(before -> store.insert(tx, settings, now, actor.sub())
        .compose(version -> {
          Versioned after = new Versioned(version, settings, now, actor.sub());
          JsonObject detail = new JsonObject().put("before", ScorecardJson.settings(before))
              .put("after", ScorecardJson.settings(after));
          return audit.append(tx, actor, "SCORECARD_SETTINGS_UPDATE", null, detail).map(after);
        })));
  }
}
