package org.jiesu.sla;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.vertx.core.Context;
import org.jiesu.platform.SingleFlight;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fires warnings and breaches at their due instant. Every replica runs one. It keeps the next due instant
 * in memory and sets a Vert.x timer for it; at that instant it claims due timers in batches
 * ({@code FOR UPDATE SKIP LOCKED}, so replicas share a burst instead of colliding) and fires each batch in one
 * transaction. A NOTIFY on {@link TimerStore#WAKE_CHANNEL} wakes it for a timer due sooner than its next
 * look; polling every {@code pollInterval} is the safety net, since notifications are lost while a
 * connection is down. Nothing lives only in memory: a crash loses no timer, and a repeated firing is a
 * no-op under the unique key of {@code sla_event}.
 *
 * <p>Meters: {@code jiesu.sla.breach.lateness}, a histogram (buckets, so replicas add up) of how long after
 * its due instant each breach was committed; {@code jiesu.sla.open.timers}, the running and paused timers,
 * counted by the loop at most every {@link #COUNT_EVERY} (not by each scrape).
 */
public final class SlaScheduler {

  private static final Logger LOG = LoggerFactory.getLogger(SlaScheduler.class);

  private final Vertx vertx;
  private final Pool pool;
  private final Clock clock;
  private final TimerStore store;
  private final Duration pollInterval;
  private final int batchSize;
  private final Consumer<TimerStore.Fired> onFired;
  private final io.micrometer.core.instrument.Timer lateness;
  private volatile double openTimers = Double.NaN;

  /**
   * The count reads every open timer (the partial index {@code sla_timer_one_open}): 80-95 ms of database time at
   * 350,000 open timers (PostgreSQL 15, 2026-11-26), by every replica. Every 5 s that was a core's 2 % for a
   * gauge a dashboard plots by the minute.
   */
  static final Duration COUNT_EVERY = Duration.ofSeconds(30);

  // every field below is only touched on this one context, so the scheduler needs no locks
  private final Context context;
  private final SingleFlight loop;
  private long dueTimer = -1;
  private Instant dueTimerAt;
  private long countedAt = Long.MIN_VALUE;

  public SlaScheduler(Vertx vertx, Pool pool, Clock clock, Duration pollInterval, int batchSize,
      Consumer<TimerStore.Fired> onFired) {
    this(vertx, pool, clock, pollInterval, batchSize, onFired, new CompositeMeterRegistry());
  }

  public SlaScheduler(Vertx vertx, Pool pool, Clock clock, Duration pollInterval, int batchSize,
      Consumer<TimerStore.Fired> onFired, MeterRegistry registry) {
    this.vertx = vertx;
    this.pool = pool;
    this.clock = clock;
    this.store = new TimerStore();
    this.pollInterval = pollInterval;
    this.batchSize = batchSize;
    this.onFired = onFired;
    this.context = vertx.getOrCreateContext();
    this.loop = new SingleFlight(vertx, context, this::cycle);
    this.lateness = io.micrometer.core.instrument.Timer.builder("jiesu.sla.breach.lateness")
        .description("from a breach's due instant to the commit of its firing")
        .serviceLevelObjectives(Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
            Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(5),
            Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofMinutes(1), Duration.ofMinutes(2),
            Duration.ofMinutes(5), Duration.ofMinutes(10), Duration.ofMinutes(30), Duration.ofHours(1))
        .register(registry);
    Gauge.builder("jiesu.sla.open.timers", () -> openTimers)
        .description("running and paused SLA timers (NaN until this replica's scheduler has counted them)")
        .register(registry);
  }

  /** Starts polling; call {@link #wake()} from a LISTEN handler for earlier timers. */
  public void start() {
    loop.start(pollInterval);
  }

  public void stop() {
    loop.stop();
    context.runOnContext(v -> vertx.cancelTimer(dueTimer));
  }

  /** Look now: fire what is due, then plan the next instant. Calls while a cycle runs fold into one more. */
  public void wake() {
    loop.wake();
  }

  private Future<Boolean> cycle() {
    return fireDue()
        .compose(n -> store.nextDue(pool))
        .onSuccess(this::plan)
        .compose(planned -> countOpen().map(planned))
        .onFailure(e -> LOG.warn("SLA scheduler cycle failed; the next poll retries: {}", e.toString()))
        .map(planned -> false);
  }

  /** Refreshes the open-timers gauge when the last count is older than {@link #COUNT_EVERY}. */
  private Future<Void> countOpen() {
    long now = System.nanoTime();
    if (countedAt != Long.MIN_VALUE && now - countedAt < COUNT_EVERY.toNanos()) {
      return Future.succeededFuture();
    }
    countedAt = now;
    return store.countOpen(pool).onSuccess(n -> openTimers = n).mapEmpty();
  }

  /** Fires every timer due at the clock's now, batch after batch; the number of events recorded. */
  public Future<Integer> fireDue() {
    return fireFrom(0);
  }

  private Future<Integer> fireFrom(int sofar) {
    Instant now = clock.instant();
    return pool.withTransaction(tx -> store.fire(tx, now, batchSize)).compose(batch -> {
      Instant committed = clock.instant();
      for (TimerStore.Fired f : batch.events()) {
        if (f.type().equals("SLA_BREACHED")) {
          lateness.record(Duration.between(f.dueAt(), committed).isNegative() ? Duration.ZERO
              : Duration.between(f.dueAt(), committed));
        }
        onFired.accept(f);
      }
      int total = sofar + batch.events().size();
      // a full batch means more may be waiting; a short one means this instant is drained
      return batch.claimed() >= batchSize && !loop.stopped() ? fireFrom(total) : Future.succeededFuture(total);
    });
  }

  private void plan(Optional<Instant> next) {
    if (next.isEmpty() || loop.stopped()) {
      return;
    }
    Instant at = next.get();
    long delay = Math.max(1, Duration.between(clock.instant(), at).toMillis() + 1);
    if (delay > pollInterval.toMillis()) {
      return; // the poll will find it first
    }
    if (dueTimer >= 0 && dueTimerAt != null && !dueTimerAt.isAfter(at)) {
      return; // already set for this instant or an earlier one
    }
    vertx.cancelTimer(dueTimer);
    dueTimerAt = at;
    dueTimer = vertx.setTimer(delay, id -> {
      dueTimer = -1;
      dueTimerAt = null;
      wake();
    });
  }
}
