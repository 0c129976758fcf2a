package org.jiesu.platform;

import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A fault that every request meets while it lasts (the database is down) must not write a stack trace
 * per request: one line a second at most, saying how many like it were left out.
 */
public final class FaultLog {

  public static final FaultLog DATABASE = new FaultLog(LoggerFactory.getLogger("org.jiesu.database"), 1_000_000_000L,
      System::nanoTime);

  private final Logger log;
  private final long intervalNanos;
  private final java.util.function.LongSupplier nanoTime;
  private final AtomicLong nextAllowed;
  private final AtomicLong suppressed = new AtomicLong();

  FaultLog(Logger log, long intervalNanos, java.util.function.LongSupplier nanoTime) {
    this.log = log;
    this.intervalNanos = intervalNanos;
    this.nanoTime = nanoTime;
    this.nextAllowed = new AtomicLong(nanoTime.getAsLong());
  }

  /** Logs at most once per interval; returns whether this call wrote a line. */
  public boolean fault(String message) {
    long now = nanoTime.getAsLong();
    long next = nextAllowed.get();
    if (now - next < 0 || !nextAllowed.compareAndSet(next, now + intervalNanos)) {
      suppressed.incrementAndGet();
      return false;
    }
    long left = suppressed.getAndSet(0);
    if (left > 0) {
      log.warn("{} ({} similar lines suppressed)", message, left);
    } else {
      log.warn("{}", message);
    }
    return true;
  }

  /** The fault is over: always said, with the count of lines left out since the last one. */
  public void recovered(String message) {
    long left = suppressed.getAndSet(0);
    log.info("{}{}", message, left > 0 ? " (" + left + " fault lines suppressed)" : "");
    nextAllowed.set(nanoTime.getAsLong());
  }
}
