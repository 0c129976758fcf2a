package org.jiesu.platform;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.vertx.pgclient.PgException;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;

/** A fault every request meets is logged once a second, and which failures count as the database away. */
class FaultLogTest {

  @Test
  void aFaultIsLoggedAtMostOnceASecondWithTheCountOfLinesLeftOut() {
    Logger logger = (Logger) LoggerFactory.getLogger("test.faults");
    ListAppender<ILoggingEvent> lines = new ListAppender<>();
    lines.start();
    logger.addAppender(lines);
    AtomicLong nanos = new AtomicLong(5_000_000_000L);
    FaultLog log = new FaultLog(logger, 1_000_000_000L, nanos::get);

    assertThat(log.fault("database down")).isTrue();
    for (int i = 0; i < 500; i++) {
      nanos.addAndGet(1_000_000); // 500 requests in half a second
      assertThat(log.fault("database down")).isFalse();
    }
    nanos.addAndGet(600_000_000);
    assertThat(log.fault("database down")).isTrue();
    log.recovered("database answers again");

    assertThat(lines.list).extracting(ILoggingEvent::getFormattedMessage).containsExactly(
        "database down", "database down (500 similar lines suppressed)", "database answers again");
    assertThat(lines.list).allSatisfy(e -> assertThat(e.getThrowableProxy()).isNull());
  }

  @ParameterizedTest
  @ValueSource(strings = {"57P01", "57P02", "57P03", "08006", "08001", "08P01"})
  void sqlStatesOfAServerGoingAwayAre503(String state) {
    PgException e = new PgException("gone", "FATAL", state, null);
    assertThat(Problems.toProblem(new RuntimeException(e), 500).status()).isEqualTo(503);
    assertThat(Problems.toProblem(e, 500).type()).isEqualTo("unavailable");
  }

  @Test
  void connectionFaultsAre503AndOtherFailuresAreNot() {
    assertThat(Problems.toProblem(new java.net.ConnectException("Connection refused"), 500).status()).isEqualTo(503);
    assertThat(Problems.toProblem(io.vertx.sqlclient.ClosedConnectionException.INSTANCE, 500).status()).isEqualTo(503);
    assertThat(Problems.toProblem(new io.vertx.core.VertxException("Connection is not active now, current status: CLOSED"), 500)
        .status()).isEqualTo(503);
    assertThat(Problems.toProblem(new IllegalStateException("max wait queue size of 512 reached"), 500).status()).isEqualTo(503);
    assertThat(Problems.toProblem(new PgException("syntax", "ERROR", "42601", null), 500).status()).isEqualTo(500);
    assertThat(Problems.toProblem(new NullPointerException(), 500).status()).isEqualTo(500);
  }
}
