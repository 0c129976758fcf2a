package org.jiesu.credit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The grading's CPU work leaves the event loop: the helper runs it on a worker and answers on the caller's loop. */
class CreditBlockingTest {

  static final Vertx VERTX = Vertx.vertx();

  @AfterAll
  static void close() throws Exception {
    VERTX.close().await(10, TimeUnit.SECONDS);
  }

  record Threads(boolean workRanOnLoop, boolean answerOnLoop) {}

  @Test
  void fromAnEventLoopTheWorkRunsOnAWorkerAndTheAnswerComesBackOnTheLoop() throws Exception {
    Promise<Threads> seen = Promise.promise();
    VERTX.runOnContext(v -> {
      assertThat(Context.isOnEventLoopThread()).isTrue();
      Credit.blocking(Context::isOnEventLoopThread)
          .onComplete(r -> seen.complete(new Threads(r.result(), Context.isOnEventLoopThread())));
    });
    Threads threads = seen.future().await(10, TimeUnit.SECONDS);
    assertThat(threads.workRanOnLoop()).isFalse();
    assertThat(threads.answerOnLoop()).isTrue();
  }

  @Test
  void aFailureOfTheWorkFailsTheFuture() throws Exception {
    Promise<Throwable> seen = Promise.promise();
    VERTX.runOnContext(v -> Credit.blocking(() -> {
      throw new IllegalStateException("bad row");
    }).onComplete(r -> seen.complete(r.cause())));
    assertThat(seen.future().await(10, TimeUnit.SECONDS)).hasMessage("bad row");
  }

  @Test
  void withoutAContextItRunsInline() {
    Future<String> done = Credit.blocking(() -> Thread.currentThread().getName());
    assertThat(done.succeeded()).isTrue();
    assertThat(done.result()).isEqualTo(Thread.currentThread().getName());
    assertThatThrownBy(() -> Credit.blocking(() -> {
      throw new IllegalStateException("x");
    }).await(1, TimeUnit.SECONDS)).hasMessageContaining("x");
  }
}
