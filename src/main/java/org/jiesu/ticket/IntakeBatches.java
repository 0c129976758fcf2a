package org.jiesu.ticket;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.pgclient.PgException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.jiesu.platform.Problems;
import org.jiesu.ticket.TicketRepository.Inserted;
import org.jiesu.ticket.TicketRepository.NewTicket;

/**
 * Intakes that arrive while the database is still busy with earlier ones go together, in one statement
 * (issue 8). At most {@code inFlight} intake statements run at once (JIESU_INTAKE_STATEMENTS, per event
 * loop); an intake that finds them all running waits for the first to end and then goes with every other
 * intake that waited, up to {@code largest}: a
 * batch of n tickets costs the database far less than n statements (one plan start-up, one commit and WAL
 * flush, one round trip: pgbench of the intake statement, 16 clients, PostgreSQL 15: 0.55 ms of CPU per
 * ticket alone, 0.33 in twos, 0.26 in fours, 0.19 in eights). An intake that finds a statement free goes at
 * once, so a quiet hotline waits for nothing.
 *
 * <p>Each ticket's answer is its own: a taken externalId or an unknown department leaves the others of its
 * batch untouched (the statement skips that ticket). A batch the database refuses as a whole (a knowledge
 * article that does not exist, a department removed meanwhile, a deadlock, any other SQL error) has written
 * nothing; each of its intakes is then sent again alone, so the one at fault gets its own answer and the rest
 * are made. A lost connection or a timeout fails the whole batch, as it would each of them.
 *
 * <p>Waiting is bounded as waiting for a pooled connection is: an intake that waited longer than
 * {@code maxWait} (JIESU_DB_ACQUIRE_TIMEOUT) is answered 503 and never sent (its caller may have given up
 * and will send it again: the externalId makes that safe), and one that finds {@code maxWaiting} waiting is
 * answered 503 at once, so a frozen database cannot pile intakes up in memory.
 *
 * <p>Only intakes whose listeners write the same rows ({@link NewTicket#shape}) share a statement. One per
 * {@link TicketService}, which each event loop has its own of: used from that event loop only, not shared.
 */
final class IntakeBatches {

  /** The most tickets one statement takes. */
  static final int LARGEST = 32;
  /** The most intakes that wait at once, as many as the pool lets wait for a connection (its size × 64). */
  static final int MAX_WAITING = 1024;

  private final int inFlight;
  private final int largest;
  private final long maxWaitNanos;
  private final int maxWaiting;
  private final LongSupplier nanos;
  private final Function<List<NewTicket>, Future<List<Inserted>>> statement;
  private final ArrayDeque<Waiting> waiting = new ArrayDeque<>();
  private int running;

  /** An intake not yet sent, since {@code since} (nanoseconds); {@code alone} after its batch was refused. */
  private record Waiting(NewTicket ticket, List<String> shape, Promise<Inserted> answer, long since, boolean alone) {}

  IntakeBatches(int inFlight, int largest, java.time.Duration maxWait, int maxWaiting, LongSupplier nanos,
      Function<List<NewTicket>, Future<List<Inserted>>> statement) {
    if (inFlight < 1 || largest < 1 || maxWaiting < 1) {
      throw new IllegalArgumentException("inFlight, largest and maxWaiting must be positive");
    }
    this.inFlight = inFlight;
    this.largest = largest;
    this.maxWaitNanos = maxWait.toNanos();
    this.maxWaiting = maxWaiting;
    this.nanos = nanos;
    this.statement = statement;
  }

  /** What the statement that takes {@code ticket} did for it. */
  Future<Inserted> submit(NewTicket ticket) {
    if (waiting.size() >= maxWaiting) {
      return Future.failedFuture(Problems.overloaded("too many intakes are waiting for the database"));
    }
    Promise<Inserted> answer = Promise.promise();
    waiting.add(new Waiting(ticket, ticket.shape(), answer, nanos.getAsLong(), false));
    send();
    return answer.future();
  }

  private void send() {
    while (running < inFlight && !waiting.isEmpty()) {
      List<Waiting> batch = take();
      if (batch.isEmpty()) {
        return; // every one that waited had waited too long
      }
      List<NewTicket> tickets = new ArrayList<>(batch.size());
      batch.forEach(w -> tickets.add(w.ticket()));
      running++;
      Future<List<Inserted>> done;
      try {
        done = statement.apply(tickets);
      } catch (RuntimeException e) {
        done = Future.failedFuture(e);
      }
      done.onComplete(result -> {
        running--;
        if (result.succeeded()) {
          for (int i = 0; i < batch.size(); i++) {
            batch.get(i).answer().complete(result.result().get(i));
          }
        } else if (batch.size() > 1 && result.cause() instanceof PgException) {
          // refused as a whole, nothing written: each again on its own, first in line
          for (int i = batch.size() - 1; i >= 0; i--) {
            Waiting w = batch.get(i);
            waiting.addFirst(new Waiting(w.ticket(), w.shape(), w.answer(), w.since(), true));
          }
        } else {
          batch.forEach(w -> w.answer().fail(result.cause()));
        }
        send();
      });
    }
  }

  /**
   * The first waiting intake and those after it of its shape, up to {@link #largest}; alone when it must be.
   * Those that waited too long are answered on the way and left out; empty when none is left.
   */
  private List<Waiting> take() {
    long now = nanos.getAsLong();
    Waiting first;
    do {
      first = waiting.poll();
    } while (first != null && expired(first, now));
    List<Waiting> batch = new ArrayList<>();
    if (first == null) {
      return batch;
    }
    batch.add(first);
    if (first.alone()) {
      return batch;
    }
    for (Iterator<Waiting> it = waiting.iterator(); it.hasNext() && batch.size() < largest; ) {
      Waiting w = it.next();
      if (!w.alone() && w.shape().equals(first.shape())) {
        it.remove();
        if (!expired(w, now)) {
          batch.add(w);
        }
      }
    }
    return batch;
  }

  /** Whether {@code w} waited longer than {@link #maxWaitNanos}; if so it is answered 503 here. */
  private boolean expired(Waiting w, long now) {
    if (now - w.since() <= maxWaitNanos) {
      return false;
    }
    w.answer().fail(Problems.unavailable());
    return true;
  }
}
