package org.jiesu.sla;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.pubsub.PgSubscriber;
import io.vertx.sqlclient.Pool;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The replica's view of the SLA settings, and the recomputation of open timers when they change (DESIGN §3:
 * a policy or calendar change recomputes the due times of running timers). Every settings write moves a
 * version in its own transaction; open timers remember the version they were computed with, so timers
 * computed with older settings — also by a replica that had not reloaded yet — are found and recomputed in
 * batches, by whichever replica claims them first.
 */
public final class SlaEngine {

  private static final Logger LOG = LoggerFactory.getLogger(SlaEngine.class);
  private static final int BATCH = 500;

  private final Vertx vertx;
  private final Pool pool;
  private final SlaConfigStore config = new SlaConfigStore();
  private final TimerStore timers = new TimerStore();
  private final org.jiesu.ticket.TicketDeadlines deadlines = new org.jiesu.ticket.TicketDeadlines();
  private final AtomicReference<SlaSettings> current = new AtomicReference<>();
  private final Duration pollInterval;
  private final AtomicBoolean refreshing = new AtomicBoolean();
  private final AtomicBoolean again = new AtomicBoolean();
  private long poll = -1;

  public SlaEngine(Vertx vertx, Pool pool, Duration pollInterval) {
    this.vertx = vertx;
    this.pool = pool;
    this.pollInterval = pollInterval;
  }

  /** Loads the settings (before the first request needs them), then follows changes. */
  public Future<Void> start(Optional<PgSubscriber> subscriber) {
    return refresh().map(v -> {
      subscriber.ifPresent(s -> s.channel(SlaConfigStore.CHANGED_CHANNEL).handler(payload -> refresh()));
      vertx.runOnContext(x -> poll = vertx.setPeriodic(pollInterval.toMillis(), id -> refresh()));
      return null;
    });
  }

  public void stop() {
    vertx.cancelTimer(poll);
  }

  public SlaSettings settings() {
    SlaSettings s = current.get();
    if (s == null) {
      throw new IllegalStateException("SLA settings not loaded yet");
    }
    return s;
  }

  /** Re-reads the settings when their version moved, then recomputes what they made stale. */
  public Future<Void> refresh() {
    if (!refreshing.compareAndSet(false, true)) {
      // the refresh under way may have read the version before this change: look again when it ends
      again.set(true);
      return Future.succeededFuture();
    }
    return pool.query(SlaConfigStore.VERSION).execute()
        .compose(rows -> {
          long version = rows.iterator().next().getLong("version");
          SlaSettings known = current.get();
          if (known != null && known.version() == version) {
            return Future.succeededFuture(known);
          }
          return config.load(pool).onSuccess(current::set);
        })
        .compose(s -> recomputeStale(s, 0))
        .onFailure(e -> LOG.warn("SLA settings refresh failed; retried at the next poll: {}", e.toString()))
        .onComplete(r -> {
          refreshing.set(false);
          if (again.getAndSet(false)) {
            refresh();
          }
        })
        .mapEmpty();
  }

  /** Recomputes open timers older than the settings, batch after batch; how many were looked at. */
  Future<Integer> recomputeStale(SlaSettings s, int sofar) {
    return pool.withTransaction(tx -> timers.claimStale(tx, s.version(), BATCH).compose(stale -> {
      List<TimerStore.Stored> changed = new ArrayList<>(stale.size());
      TimerRules rules = s.rules();
      for (TimerStore.Stale st : stale) {
        changed.add(st.stored().with(recomputed(rules, s, st)));
      }
      java.util.Set<java.util.UUID> tickets = new java.util.HashSet<>();
      stale.forEach(st -> tickets.add(st.stored().ticketId()));
      return timers.update(tx, changed, s.version())
          .compose(v -> tickets.isEmpty() ? Future.succeededFuture(java.util.Map.<java.util.UUID, java.time.Instant>of())
              : timers.nearest(tx, tickets))
          .compose(due -> deadlines.record(tx, due))
          .map(stale.size());
    })).compose(n -> n == BATCH ? recomputeStale(s, sofar + n) : Future.succeededFuture(sofar + n));
  }

  /** The timer under the policy the ticket now gets; a timer the new policy no longer has is cancelled. */
  static Timer recomputed(TimerRules rules, SlaSettings s, TimerStore.Stale st) {
    Timer t = st.stored().timer();
    Optional<SlaPolicy> policy = SlaPolicies.select(s.policies(), st.type(), st.urgency(), st.category());
    Optional<TimerSpec> spec = policy.flatMap(p -> p.spec(t.kind()));
    if (spec.isEmpty()) {
      return rules.cancel(t).orElse(t);
    }
    return rules.recompute(t, spec.get(), policy.get().warningShare()).orElse(t);
  }

}
