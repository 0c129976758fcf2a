package org.jiesu.sla;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import java.util.Optional;
import org.jiesu.audit.AuditLog;
import org.jiesu.auth.Actor;
import org.jiesu.platform.Problem;

/**
 * Writes of the SLA settings. Each write is audited with before and after, and moves the settings version
 * in the same transaction, which makes every open timer computed with older settings due for recomputation.
 */
public final class SlaAdmin {

  private final Pool pool;
  private final AuditLog audit;
  private final SlaEngine engine;
  private final SlaConfigStore store = new SlaConfigStore();

  public SlaAdmin(Pool pool, AuditLog audit, SlaEngine engine) {
    this.pool = pool;
    this.audit = audit;
    this.engine = engine;
  }

  /** Whether the policy is new. */
  public Future<Boolean> putPolicy(Actor actor, SlaPolicy policy) {
    return pool.withTransaction(tx -> store.policy(tx, policy.key()).compose(before -> store.put(tx, policy)
            .recover(e -> Future.failedFuture(e instanceof PgException pg && "23505".equals(pg.getSqlState())
                ? Problem.conflict("another policy already has this type, urgency and category",
                    new JsonObject().put("field", "/category"))
                : e))
            .compose(created -> audit.append(tx, actor, "SLA_POLICY_PUT", null, new JsonObject()
                    .put("key", policy.key())
                    .put("before", before.map(SlaJson::policy).orElse(null))
                    .put("after", SlaJson.policy(policy)))
                .compose(v -> store.bump(tx))
                .map(created))))
        .onSuccess(v -> engine.refresh());
  }

  public Future<Void> deletePolicy(Actor actor, String key) {
    return pool.withTransaction(tx -> store.policy(tx, key).compose(before -> {
          if (before.isEmpty()) {
            return Future.failedFuture(Problem.notFound("no SLA policy " + key));
          }
          return store.delete(tx, key)
              .compose(v -> audit.append(tx, actor, "SLA_POLICY_DELETE", null, new JsonObject()
                  .put("key", key).put("before", SlaJson.policy(before.get()))))
              .compose(v -> store.bump(tx))
              .<Void>mapEmpty();
        }))
        .onSuccess(v -> engine.refresh());
  }

  /** Whether the year is new. */
  public Future<Boolean> putYear(Actor actor, CalendarYear year, Optional<String> source) {
    return pool.withTransaction(tx -> store.year(tx, year.year()).compose(before -> store.putYear(tx, year,
            source.orElse(null))
        .compose(created -> audit.append(tx, actor, "CALENDAR_YEAR_PUT", null, new JsonObject()
                .put("year", year.year())
                .put("before", before.map(b -> SlaJson.year(b.year(), b.source())).orElse(null))
                .put("after", SlaJson.year(year, source.orElse(null))))
            .compose(v -> store.bump(tx))
            .map(created))))
        .onSuccess(v -> engine.refresh());
  }

  /** The week (zone and office hours); every open working-time timer is recomputed under it. */
  public Future<JsonObject> putWeek(Actor actor, BusinessCalendar week) {
    return pool.withTransaction(tx -> store.week(tx).compose(before -> store.putWeek(tx, week)
        .compose(v -> store.week(tx))
        .compose(after -> audit.append(tx, actor, "BUSINESS_WEEK_PUT", null,
                new JsonObject().put("before", before).put("after", after))
            .compose(v -> store.bump(tx))
            .map(after))))
        .onSuccess(v -> engine.refresh());
  }

  public Future<JsonObject> week() {
    return store.week(pool);
  }

  /** Read from the database, not the replica's copy, so a write is visible to the next read at once. */
  public Future<java.util.List<SlaPolicy>> policies() {
    return store.load(pool).map(SlaSettings::policies);
  }

  public Future<Optional<SlaConfigStore.YearRecord>> year(int year) {
    return store.year(pool, year);
  }
}
