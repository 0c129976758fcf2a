package org.jiesu.insights;

import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jiesu.ticket.ChangeRows;
import org.jiesu.ticket.TicketListener;
import org.jiesu.ticket.workflow.Channel;
import org.jiesu.ticket.workflow.Ticket;
import org.jiesu.ticket.workflow.TicketEvent;

/**
 * What the insights read before a call is taken in, in one statement on the pool: its street's calls for the
 * hotspot check ({@link Hotspots#announcements}: each new hotspot is a row of the intake's own statement,
 * written only if the call is), and its similar open calls for the answer's {@code similarCount}
 * ({@link SimilarTickets#count}). Neither needs a row of the new ticket, so a located call pays one read and
 * its share of a batched intake statement; each read is a round trip whose cost on the database was several
 * times its statement's (issue 8, README "Measured"). Backfilled calls older than the stream window, calls
 * without district or street and proactive tasks have no hotspot check; only the hotline's calls are answered
 * a {@code similarCount}; a call that needs neither reads nothing.
 */
public final class IntakeInsights implements TicketListener {

  /**
   * Both reads in one statement: the street's counts (part 0, $1–$5), then the candidates (part 1, $6–$13).
   * A candidate row's {@code category} is the counts' column, null: a count never reads a candidate's category.
   */
  static final String BOTH = """
      SELECT 0 AS part, h.category, h.k, h.n, h.first_at, h.last_at, NULL::uuid AS id,
             NULL::timestamptz AS received_at, NULL::text AS district, NULL::text AS street,
             NULL::float8 AS lat, NULL::float8 AS lon, NULL::text AS title, NULL::text AS content,
             NULL::text AS terms
        FROM (%s) h
      UNION ALL
      SELECT 1, NULL, NULL, NULL, NULL, NULL, c.id, c.received_at, c.district, c.street, c.lat, c.lon, c.title,
             c.content, c.terms
        FROM (%s) c""".formatted(Hotspots.ONE_STREET, SimilarTickets.countSql(6));

  private static final Ticket.Location NOWHERE = new Ticket.Location(null, null, null, null, null);

  private final Hotspots hotspots;
  private final SimilarTickets similar;
  private final InsightSettings settings;
  private final Clock clock;

  public IntakeInsights(InsightSettings settings, Clock clock) {
    this.hotspots = new Hotspots(settings);
    this.similar = new SimilarTickets(settings);
    this.settings = settings;
    this.clock = clock;
  }

  /** The check's rows are in the intake's statement: nothing is left to write after it. */
  @Override
  public boolean hearsIntake(Ticket ticket, List<TicketEvent> events) {
    return false;
  }

  @Override
  public Future<BeforeIntake> readBeforeIntake(SqlClient db, Ticket ticket, List<TicketEvent> events) {
    if (events.stream().noneMatch(TicketEvent.Received.class::isInstance)) {
      return Future.succeededFuture(BeforeIntake.NOTHING);
    }
    Instant now = clock.instant();
    // a call received a little in the future (clock drift) is counted in the window that includes it
    Instant end = ticket.receivedAt().isBefore(now) ? now : ticket.receivedAt().plusNanos(1000);
    boolean hot = ticket.channel() != Channel.PROACTIVE && ticket.location().district() != null
        && ticket.location().street() != null && !ticket.receivedAt().isBefore(end.minus(settings.streamWindow()));
    boolean answered = ticket.channel() == Channel.HOTLINE;
    boolean compared = answered && SimilarTickets.comparable(ticket.location());
    Ticket.Location l = ticket.location();
    if (!hot && !compared) {
      return Future.succeededFuture(answered ? answer(Optional.empty(), 0) : BeforeIntake.NOTHING);
    }
    // a call that is not compared (not the hotline's) is sent without a place: its part 1 is then empty
    Object[] call = similar.countParameters(ticket.externalId(), compared ? l : NOWHERE, ticket.receivedAt());
    Object[] parameters = hot ? concat(hotspots.oneStreet(ticket.category(), l.district(), l.street(), end), call)
        : call;
    return db.preparedQuery(hot ? BOTH : SimilarTickets.COUNT_SQL).execute(Tuple.from(parameters)).map(rows -> {
      List<Row> counts = new ArrayList<>();
      List<Row> candidates = new ArrayList<>();
      int part = rows.columnsNames().indexOf("part"); // COUNT_SQL alone has no parts: all candidates
      for (Row r : rows) {
        (part >= 0 && r.getInteger(part) == 0 ? counts : candidates).add(r);
      }
      Optional<ChangeRows> announced = hot ? hotspots.announcements(counts, ticket.category(), l.district(),
          l.street(), ticket.id(), ticket.receivedAt(), end) : Optional.empty();
      if (!answered) {
        return new BeforeIntake(announced, Map.of());
      }
      return answer(announced, compared ? similar.count(rows.columnsNames(), candidates, l, ticket.receivedAt(),
          ticket.title(), ticket.content()) : 0);
    });
  }

  private static BeforeIntake answer(Optional<ChangeRows> rows, int similarCount) {
    return new BeforeIntake(rows, Map.of("similarCount", similarCount));
  }

  private static Object[] concat(Object[] a, Object[] b) {
    Object[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  /** Nothing after a change: a call is read for once, before it is taken in. */
  @Override
  public Future<Void> onEvents(SqlConnection tx, Ticket ticket, List<TicketEvent> events) {
    return Future.succeededFuture();
  }
}
