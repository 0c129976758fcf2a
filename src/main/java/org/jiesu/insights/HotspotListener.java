package org.jiesu.insights;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.jiesu.ticket.workflow.Channel;
import org.jiesu.ticket.workflow.Ticket;
import org.jiesu.ticket.TicketListener;
import org.jiesu.ticket.workflow.TicketEvent;

/**
 * Announces hotspots as calls come in: a new call inside the stream window gets its cells judged in the
 * intake's transaction (one query over its street). Backfilled calls older than the window, calls without
 * district or street and proactive tasks cost nothing.
 */
public final class HotspotListener implements TicketListener {

  private final Hotspots hotspots;
  private final InsightSettings settings;
  private final Clock clock;

  public HotspotListener(Hotspots hotspots, InsightSettings settings, Clock clock) {
    this.hotspots = hotspots;
    this.settings = settings;
    this.clock = clock;
  }

  /** A call with a street is judged in the intake's transaction (if it falls inside the window). */
  @Override
  public boolean hearsIntake(Ticket ticket, List<TicketEvent> events) {
    return judged(ticket, events);
  }

  @Override
  public Future<Void> onEvents(SqlConnection tx, Ticket ticket, List<TicketEvent> events) {
    if (!judged(ticket, events)) {
      return Future.succeededFuture();
    }
    Instant now = clock.instant();
    // a call received a little in the future (clock drift) is counted in the window that includes it
    Instant end = ticket.receivedAt().isBefore(now) ? now : ticket.receivedAt().plusNanos(1000);
    if (ticket.receivedAt().isBefore(end.minus(settings.streamWindow()))) {
      return Future.succeededFuture();
    }
    return hotspots.check(tx, ticket.category(), ticket.location().district(), ticket.location().street(),
        ticket.id(), end);
  }

  private static boolean judged(Ticket ticket, List<TicketEvent> events) {
    return events.stream().anyMatch(TicketEvent.Received.class::isInstance) && ticket.channel() != Channel.PROACTIVE
        && ticket.location().district() != null && ticket.location().street() != null;
  }
}
