package org.jiesu.ticket;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.pgclient.PgException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jiesu.ticket.TicketRepository.Inserted;
import org.jiesu.ticket.TicketRepository.NewTicket;
import org.junit.jupiter.api.Test;

/**
 * How {@link IntakeBatches} forms its statements, against a statement the test answers by hand: who goes at
 * once, who waits, who goes with whom, and what happens when a statement fails. (That a batch is one statement
 * of the real database, each ticket with its own answer: {@code IntakeBatchTest}.)
 */
class IntakeBatchesTest {

  /** The statements sent, each with the promise the test completes. */
  record Sent(List<NewTicket> tickets, Promise<List<Inserted>> answer) {}

  final List<Sent> sent = new ArrayList<>();
  /** The batcher's clock, in nanoseconds, moved by hand. */
  long now = 0;

  IntakeBatches batches(int inFlight, int largest) {
    return batches(inFlight, largest, 1024);
  }

  IntakeBatches batches(int inFlight, int largest, int maxWaiting) {
    return new IntakeBatches(inFlight, largest, java.time.Duration.ofSeconds(5), maxWaiting, () -> now, tickets -> {
      Promise<List<Inserted>> answer = Promise.promise();
      sent.add(new Sent(tickets, answer));
      return answer.future();
    });
  }

  /** A new ticket whose listeners write {@code shape} (only its rows matter here). */
  static NewTicket ticket(String shape) {
    return new NewTicket(null, List.of(), List.of(), List.of(new ChangeRows(shape, List.of("records"))));
  }

  static List<Inserted> made(int n) {
    List<Inserted> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(new Inserted(Optional.of(100L + i), Optional.empty()));
    }
    return out;
  }

  @Test
  void theFirstGoesAtOnceAndThoseThatWaitGoTogetherByShape() {
    IntakeBatches b = batches(1, 32);
    NewTicket first = ticket("A");
    Future<Inserted> a0 = b.submit(first);
    List<NewTicket> a = List.of(ticket("A"), ticket("A"), ticket("A"));
    NewTicket other = ticket("B");
    List<Future<Inserted>> waiting = new ArrayList<>();
    waiting.add(b.submit(a.get(0)));
    waiting.add(b.submit(other));
    waiting.add(b.submit(a.get(1)));
    waiting.add(b.submit(a.get(2)));

    assertThat(sent).hasSize(1);
    assertThat(sent.get(0).tickets()).containsExactly(first);

    sent.get(0).answer().complete(made(1));
    assertThat(a0.result().seq()).contains(100L);
    assertThat(sent).hasSize(2);
    assertThat(sent.get(1).tickets()).containsExactlyElementsOf(a);

    sent.get(1).answer().complete(made(3));
    assertThat(waiting.get(0).result().seq()).contains(100L);
    assertThat(waiting.get(2).result().seq()).contains(101L);
    assertThat(waiting.get(3).result().seq()).contains(102L);
    assertThat(sent).hasSize(3);
    assertThat(sent.get(2).tickets()).containsExactly(other);
    assertThat(waiting.get(1).isComplete()).isFalse();
  }

  @Test
  void noStatementTakesMoreThanTheLargestAndTwoCanRunAtOnce() {
    IntakeBatches b = batches(2, 2);
    for (int i = 0; i < 7; i++) {
      b.submit(ticket("A"));
    }
    assertThat(sent).hasSize(2); // two alone, five waiting
    sent.get(0).answer().complete(made(1));
    assertThat(sent).hasSize(3);
    assertThat(sent.get(2).tickets()).hasSize(2);
    sent.get(1).answer().complete(made(1));
    sent.get(2).answer().complete(made(2));
    assertThat(sent.stream().map(s -> s.tickets().size()).toList()).containsExactly(1, 1, 2, 2, 1);
  }

  @Test
  void aBatchTheDatabaseRefusesGoesAgainTicketByTicketFirstInLine() {
    IntakeBatches b = batches(1, 32);
    b.submit(ticket("A"));
    List<NewTicket> batch = List.of(ticket("A"), ticket("A"), ticket("A"));
    List<Future<Inserted>> answers = new ArrayList<>();
    batch.forEach(t -> answers.add(b.submit(t)));
    sent.get(0).answer().complete(made(1));
    NewTicket later = ticket("A");
    Future<Inserted> laterAnswer = b.submit(later);

    sent.get(1).answer().fail(new PgException("insert or update on table \"ticket\" violates foreign key constraint",
        "ERROR", "23503", null));

    // each of the three again, alone and in order, before the one that came later
    assertThat(sent.get(2).tickets()).containsExactly(batch.get(0));
    sent.get(2).answer().complete(made(1));
    assertThat(sent.get(3).tickets()).containsExactly(batch.get(1));
    sent.get(3).answer().fail(new PgException("violates foreign key constraint", "ERROR", "23503", null));
    assertThat(answers.get(1).cause()).isInstanceOf(PgException.class);
    assertThat(sent.get(4).tickets()).containsExactly(batch.get(2));
    sent.get(4).answer().complete(made(1));
    assertThat(sent.get(5).tickets()).containsExactly(later);
    assertThat(answers.get(0).succeeded()).isTrue();
    assertThat(answers.get(2).succeeded()).isTrue();
    assertThat(laterAnswer.isComplete()).isFalse();
  }

  @Test
  void aLostConnectionFailsTheWholeBatchWithoutSendingItAgain() {
    IntakeBatches b = batches(1, 32);
    b.submit(ticket("A"));
    Future<Inserted> x = b.submit(ticket("A"));
    Future<Inserted> y = b.submit(ticket("A"));
    sent.get(0).answer().complete(made(1));

    sent.get(1).answer().fail(new io.vertx.core.VertxException("Connection closed"));

    assertThat(x.cause()).hasMessage("Connection closed");
    assertThat(y.cause()).hasMessage("Connection closed");
    assertThat(sent).hasSize(2);
  }

  @Test
  void anIntakeThatWaitedLongerThanAConnectionWouldIsAnswered503AndNeverSent() {
    IntakeBatches b = batches(1, 32);
    b.submit(ticket("A"));
    Future<Inserted> old = b.submit(ticket("A"));
    now += java.time.Duration.ofSeconds(4).toNanos();
    Future<Inserted> recent = b.submit(ticket("A"));
    now += java.time.Duration.ofSeconds(2).toNanos(); // the first waited 6 s, the second 2 s

    sent.get(0).answer().complete(made(1));

    assertThat(old.failed()).isTrue();
    assertThat(((org.jiesu.platform.Problem) old.cause()).status()).isEqualTo(503);
    assertThat(sent).hasSize(2);
    assertThat(sent.get(1).tickets()).hasSize(1);
    sent.get(1).answer().complete(made(1));
    assertThat(recent.succeeded()).isTrue();
  }

  @Test
  void anIntakeThatFindsTooManyWaitingIsAnswered503AtOnce() {
    IntakeBatches b = batches(1, 32, 2);
    b.submit(ticket("A"));
    b.submit(ticket("A"));
    b.submit(ticket("A"));

    Future<Inserted> third = b.submit(ticket("A"));

    assertThat(third.failed()).isTrue();
    assertThat(((org.jiesu.platform.Problem) third.cause()).status()).isEqualTo(503);
    assertThat(sent).hasSize(1);
  }
}
