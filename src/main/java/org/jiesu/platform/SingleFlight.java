package org.jiesu.platform;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * A background loop that runs one cycle at a time on one context: the SLA scheduler's firing and the
 * webhook relay's claiming. Wakes come from a poll, from NOTIFY and from the loop's owner; a wake while a
 * cycle runs folds into one more cycle after it, so a burst of wakes never stacks up concurrent cycles.
 * A cycle answers whether to go again at once (a full batch: more may be waiting); a failed cycle waits
 * for the next wake (the owner logs why).
 */
public final class SingleFlight {

  private final Vertx vertx;
  private final Context context;
  private final Supplier<Future<Boolean>> cycle;

  // touched only on the context
  private boolean running;
  private boolean again;
  private long pollTimer = -1;
  private volatile boolean stopped;

  public SingleFlight(Vertx vertx, Context context, Supplier<Future<Boolean>> cycle) {
    this.vertx = vertx;
    this.context = context;
    this.cycle = cycle;
  }

  /** Wakes now and then every {@code poll}: the safety net for wakes that were lost. */
  public void start(Duration poll) {
    context.runOnContext(v -> pollTimer = vertx.setPeriodic(0, poll.toMillis(), id -> wake()));
  }

  /** No cycle starts after this; one that runs finishes. */
  public void stop() {
    stopped = true;
    context.runOnContext(v -> vertx.cancelTimer(pollTimer));
  }

  public boolean stopped() {
    return stopped;
  }

  /** Run a cycle now, or one more after the one running. */
  public void wake() {
    context.runOnContext(v -> run());
  }

  private void run() {
    if (stopped) {
      return;
    }
    if (running) {
      again = true;
      return;
    }
    running = true;
    Future<Boolean> one;
    try {
      one = cycle.get();
    } catch (RuntimeException e) {
      one = Future.failedFuture(e);
    }
    one.onComplete(r -> {
      running = false;
      if (again || (r.succeeded() && Boolean.TRUE.equals(r.result()))) {
        again = false;
        run();
      }
    });
  }
}
