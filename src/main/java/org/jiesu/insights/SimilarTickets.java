package org.jiesu.insights;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jiesu.auth.Actor;
import org.jiesu.platform.Times;
import org.jiesu.ticket.workflow.Ticket;
import org.jiesu.ticket.workflow.TicketAccess;

/**
 * 并单 suggestions: open tickets that are likely the same incident as one ticket. Candidates are the open
 * tickets on the same street, and near it when the ticket has coordinates, within the time window (index
 * range scans: {@code ticket_street_time_idx}, {@code ticket_open_point_idx}); {@link Similarity} judges
 * each. The caller sees only candidates a ticket read would show them.
 */
public final class SimilarTickets {

  /** At most this many candidates are compared: a street with more open calls in a week is a hotspot. */
  static final int CANDIDATES = 500;
  // a candidate's stored terms (insight_ticket_terms); its text only when it has none (taken in before them)
  private static final String COLUMNS = """
      id, type, category, title, received_at, status, district, street, lat, lon, lead_department,
      assisting_departments, caller_confidential, x.terms,
      CASE WHEN x.terms IS NULL THEN content END AS content""";
  private static final String FROM = "ticket LEFT JOIN insight_ticket_terms x ON x.ticket_id = ticket.id";
  /**
   * One round trip: the open tickets on the street ($1, $2; skipped when null), and those near the point
   * ($3–$6; skipped when null) that are not on that street. Both read open tickets only through partial
   * indexes, so closed history costs nothing.
   */
  static final String CANDIDATES_SQL = """
      (SELECT %1$s FROM %3$s
        WHERE $1::text IS NOT NULL AND district = $1 AND street = $2 AND received_at >= $7 AND received_at <= $8
          AND status NOT IN ('CLOSED', 'MERGED') AND id <> $9
        LIMIT %2$d)
      UNION ALL
      (SELECT %1$s FROM %3$s
        WHERE $3::float8 IS NOT NULL AND point(lon, lat) <@ box(point($3, $4), point($5, $6))
          AND lat IS NOT NULL AND status NOT IN ('CLOSED', 'MERGED')
          AND received_at >= $7 AND received_at <= $8 AND id <> $9
          AND ($1::text IS NULL OR district IS DISTINCT FROM $1 OR street IS DISTINCT FROM $2)
        LIMIT %2$d)""".formatted(COLUMNS, CANDIDATES, FROM);

  /** One suggestion. */
  public record Suggestion(UUID id, String title, String category, String status, Instant receivedAt,
      String district, String street, Similarity.Match match) {
    public JsonObject json() {
      return new JsonObject()
          .put("ticketId", id.toString())
          .put("title", title)
          .put("category", category)
          .put("status", status)
          .put("receivedAt", Times.rfc3339(receivedAt))
          .put("district", district)
          .put("street", street)
          .put("similarity", match.similarity())
          .put("textOverlap", match.text())
          .put("distanceMeters", match.meters())
          .put("hoursApart", Math.round(match.apart().toMinutes() / 6.0) / 10.0)
          .put("sharedTerms", new JsonArray(match.sharedTerms()))
          .put("reasons", new JsonArray(match.reasons().stream().map(Enum::name).toList()));
    }
  }

  private final Similarity similarity;

  public SimilarTickets(InsightSettings settings) {
    this.similarity = new Similarity(settings.similarWithin(), settings.similarMeters(), settings.similarText());
  }

  /** The suggestions for {@code ticket} the actor may see, most similar first. */
  public Future<List<Suggestion>> find(SqlClient db, Ticket ticket, Optional<Actor> actor) {
    Ticket.Location l = ticket.location();
    Similarity.Call call = new Similarity.Call(l.district(), l.street(), l.lat(), l.lon(), ticket.receivedAt(),
        Similarity.terms(ticket.title(), ticket.content()));
    Instant from = ticket.receivedAt().minus(similarity.within());
    Instant to = ticket.receivedAt().plus(similarity.within());
    Map<UUID, Row> candidates = new LinkedHashMap<>();
    boolean onStreet = l.district() != null && l.street() != null;
    boolean located = l.lat() != null && l.lon() != null;
    if (!onStreet && !located) {
      return Future.succeededFuture(List.of());
    }
    Double dLat = located ? similarity.maxMeters() / 111_320.0 : null;
    Double dLon = located
        ? similarity.maxMeters() / (111_320.0 * Math.max(0.01, Math.cos(Math.toRadians(l.lat())))) : null;
    return db.preparedQuery(CANDIDATES_SQL).execute(Tuple.from(new Object[] {
        onStreet ? l.district() : null, onStreet ? l.street() : null,
        located ? l.lon() - dLon : null, located ? l.lat() - dLat : null,
        located ? l.lon() + dLon : null, located ? l.lat() + dLat : null,
        Hotspots.utc(from), Hotspots.utc(to), ticket.id()})).map(rows -> add(rows, candidates)).map(v -> {
      List<Suggestion> out = new ArrayList<>();
      for (Row r : candidates.values()) {
        if (actor.isPresent() && !visible(actor.get(), r)) {
          continue;
        }
        String title = r.getString("title");
        Similarity.Match m = similarity.compare(call, new Similarity.Call(r.getString("district"),
            r.getString("street"), r.getDouble("lat"), r.getDouble("lon"), r.getOffsetDateTime("received_at")
            .toInstant(), terms(r)));
        if (m != null) {
          out.add(new Suggestion(r.getUUID("id"), title, r.getString("category"), r.getString("status"),
              r.getOffsetDateTime("received_at").toInstant(), r.getString("district"), r.getString("street"), m));
        }
      }
      out.sort(Comparator.comparingDouble((Suggestion s) -> -s.match().similarity())
          .thenComparing(Suggestion::receivedAt));
      return out;
    });
  }

  /** A candidate's terms: stored at intake, or computed from its text when it has none stored. */
  static Set<String> terms(Row r) {
    String[] stored = r.getArrayOfStrings("terms");
    return stored != null ? new java.util.HashSet<>(List.of(stored)) : Similarity.terms(r.getString("title"), r.getString("content"));
  }

  private static Void add(io.vertx.sqlclient.RowSet<Row> rows, Map<UUID, Row> into) {
    for (Row r : rows) {
      into.putIfAbsent(r.getUUID("id"), r);
    }
    return null;
  }

  private static boolean visible(Actor actor, Row r) {
    List<String> assisting = List.of(r.getArrayOfStrings("assisting_departments"));
    boolean confidential = r.getBoolean("caller_confidential") || "REPORT".equals(r.getString("type"));
    return TicketAccess.view(actor, Optional.ofNullable(r.getString("lead_department")), assisting, confidential)
        != TicketAccess.View.NONE;
  }
}
