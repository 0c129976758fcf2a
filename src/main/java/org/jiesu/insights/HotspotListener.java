package org.jiesu.insights;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jiesu.ticket.workflow.Channel;
import org.jiesu.ticket.workflow.Ticket;
import org.jiesu.ticket.ChangeRows;
import org.jiesu.ticket.TicketListener;
import org.jiesu.ticket.workflow.TicketEvent;

/**
 * Announces hotspots as calls come in: before a new call inside the stream window is taken in, its cells are
 * judged (one query over its street, the new call counted with them), and each new hotspot is a row of the
 * intake's own statement, written only if the call is ({@link Hotspots#announcements}). Backfilled calls older
 * than the window, calls without district or street and proactive tasks cost nothing.
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

  /** The check's rows are in the intake's statement: nothing is left to write after it. */
  @Override
  public boolean hearsIntake(Ticket ticket, List<TicketEvent> events) {
    return false;
  }

  @Override
  public Future<Optional<ChangeRows>> readBeforeIntake(SqlClient db, Ticket ticket, List<TicketEvent> events) {
    if (!judged(ticket, events)) {
      return Future.succeededFuture(Optional.empty());
    }
    Instant now = clock.instant();
    // a call received a little in the future (clock drift) is counted in the window that includes it
    Instant end = ticket.receivedAt().isBefore(now) ? now : ticket.receivedAt().plusNanos(1000);
    if (ticket.receivedAt().isBefore(end.minus(settings.streamWindow()))) {
      return Future.succeededFuture(Optional.empty());
    }
    return hotspots.announcements(db, ticket.category(), ticket.location().district(), ticket.location().street(),
        ticket.id(), ticket.receivedAt(), end);
  }

  /** Nothing after a change: a call is judged once, before it is taken in. */
  @Override
  public Future<Void> onEvents(SqlConnection tx, Ticket ticket, List<TicketEvent> events) {
    return Future.succeededFuture();
  }

  private static boolean judged(Ticket ticket, List<TicketEvent> events) {
    return events.stream().anyMatch(TicketEvent.Received.class::isInstance) && ticket.channel() != Channel.PROACTIVE
        && ticket.location().district() != null && ticket.location().street() != null;
  }
}
