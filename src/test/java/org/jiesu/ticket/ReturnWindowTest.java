package org.jiesu.ticket;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import org.jiesu.auth.Role;
import org.jiesu.support.MutableClock;
import org.jiesu.support.TestServer;
import org.jiesu.support.TestServer.Response;
import org.jiesu.support.Tickets;
import org.jiesu.support.WithServer;
import org.junit.jupiter.api.Test;

/** The server's clock is injected: the return window is tested by moving it, not by waiting. */
@WithServer(departments = "D-IP")
class ReturnWindowTest {

  static final MutableClock CLOCK = new MutableClock(Instant.parse("2026-11-23T02:00:00Z"));
  static TestServer server;

  private static Response requestReturn(String id) {
    return server.post("/api/v1/tickets/" + id + "/return-requests", server.staff("D-IP"),
        new JsonObject().put("reason", "非本单位职责"));
  }

  @Test
  void aReturnMayBeAskedUpTo24HoursAfterDispatchNotLater() {
    String hotline = server.token(Role.HOTLINE);
    JsonObject early = Tickets.dispatched("RW-1", "D-IP").put("receivedAt", "2026-11-23T09:00:00+08:00");
    JsonObject late = Tickets.dispatched("RW-2", "D-IP").put("receivedAt", "2026-11-23T09:00:00+08:00");
    String onTime = server.post("/api/v1/tickets", hotline, early).json().getString("id");
    String tooLate = server.post("/api/v1/tickets", hotline, late).json().getString("id");

    CLOCK.advance(Duration.ofHours(24));
    assertThat(requestReturn(onTime).status()).isEqualTo(201);

    CLOCK.advance(Duration.ofSeconds(1));
    Response refused = requestReturn(tooLate);
    assertThat(refused.status()).isEqualTo(409);
    assertThat(refused.json().getString("detail")).contains("return window");
    assertThat(refused.json().getString("currentState")).isEqualTo("DISPATCHED");
  }
}
