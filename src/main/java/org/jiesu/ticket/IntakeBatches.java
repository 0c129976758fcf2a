package org.jiesu.ticket;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.pgclient.PgException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Function;
import org.jiesu.ticket.TicketRepository.Inserted;
import org.jiesu.ticket.TicketRepository.NewTicket;

/**
 * Intakes that arrive while the database is still busy with earlier ones go together, in one statement
 * (issue 8). At most {@code inFlight} intake statements run at once (JIESU_INTAKE_STATEMENTS, per event loop); an intake that finds them all running
 * waits for the first to end and then goes with every other intake that waited, up to {@code largest}: a
 * batch of n tickets costs the database far less than n statements (one plan start-up, one commit and WAL
 * flush, one round trip: pgbench of the intake statement, 16 clients, PostgreSQL 15: 0.55 ms of CPU per
 * ticket alone, 0.33 in twos, 0.26 in fours, 0.19 in eights). An intake that finds a statement free goes at
 * once, so a quiet hotline waits for nothing.
 *
 * <p>Each ticket's answer is its own: a taken externalId or an unknown department leaves the others of its
 * batch untouched (the statement skips that ticket). A batch the database refuses as a whole (a lead
 * department or knowledge article that does not exist, any other SQL error) has written nothing; each of
 * its intakes is then sent again alone, so the one at fault gets its own answer and the rest are made. A
 * lost connection or a timeout fails the whole batch, as it would each of them.
 *
 * <p>Only intakes whose listeners write the same rows ({@link NewTicket#shape}) share a statement. One per
 * {@link TicketService}, which each event loop has its own of: used from that event loop only, not shared.
 */
final class IntakeBatches {

  /** The most tickets one statement takes. */
  static final int LARGEST = 32;

  private final int inFlight;
  private final int largest;
  private final Function<List<NewTicket>, Future<List<Inserted>>> statement;
  private final ArrayDeque<Waiting> waiting = new ArrayDeque<>();
  private int running;

  /** An intake not yet sent; {@code alone} after its batch was refused. */
  private record Waiting(NewTicket ticket, List<String> shape, Promise<Inserted> answer, boolean alone) {}

  IntakeBatches(int inFlight, int largest, Function<List<NewTicket>, Future<List<Inserted>>> statement) {
    if (inFlight < 1 || largest < 1) {
      throw new IllegalArgumentException("inFlight and largest must be positive");
    }
    this.inFlight = inFlight;
    this.largest = largest;
    this.statement = statement;
  }

  /** What the statement that takes {@code ticket} did for it. */
  Future<Inserted> submit(NewTicket ticket) {
    Promise<Inserted> answer = Promise.promise();
    waiting.add(new Waiting(ticket, ticket.shape(), answer, false));
    send();
    return answer.future();
  }

  private void send() {
    while (running < inFlight && !waiting.isEmpty()) {
      List<Waiting> batch = take();
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
            waiting.addFirst(new Waiting(w.ticket(), w.shape(), w.answer(), true));
          }
        } else {
          batch.forEach(w -> w.answer().fail(result.cause()));
        }
        send();
      });
    }
  }

  /** The first waiting intake and those after it of its shape, up to {@link #largest}; alone when it must be. */
  private List<Waiting> take() {
    Waiting first = waiting.poll();
    List<Waiting> batch = new ArrayList<>();
    batch.add(first);
    if (first.alone()) {
      return batch;
    }
    for (Iterator<Waiting> it = waiting.iterator(); it.hasNext() && batch.size() < largest; ) {
      Waiting w = it.next();
      if (!w.alone() && w.shape().equals(first.shape())) {
        batch.add(w);
        it.remove();
      }
    }
    return batch;
  }
}
