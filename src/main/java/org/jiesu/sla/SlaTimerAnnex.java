package org.jiesu.sla;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.sqlclient.SqlClient;
import java.time.Clock;
import org.jiesu.ticket.workflow.Ticket;
import org.jiesu.ticket.TicketAnnex;

/** A ticket read on its own lists its timers, every round, with the time remaining on each open one. */
public final class SlaTimerAnnex implements TicketAnnex {

  private final SlaEngine engine;
  private final Clock clock;
  private final TimerStore store = new TimerStore();

  public SlaTimerAnnex(SlaEngine engine, Clock clock) {
    this.engine = engine;
    this.clock = clock;
  }

  @Override
  public String field() {
    return "timers";
  }

  @Override
  public Future<Object> of(SqlClient db, Ticket ticket) {
    return store.ofTicket(db, ticket.id()).map(timers -> {
      TimerRules rules = engine.settings().rules();
      JsonArray out = new JsonArray();
      timers.forEach(t -> out.add(SlaJson.timer(t.timer(), rules, clock.instant())));
      return out;
    });
  }
}
