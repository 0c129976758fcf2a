package org.jiesu.insights;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jiesu.auth.Actor;
import org.jiesu.platform.Times;
import org.jiesu.ticket.TicketRepository;
import org.jiesu.ticket.TicketService;
import org.jiesu.ticket.workflow.Ticket;
import org.jiesu.ticket.workflow.TicketAccess;

/**
 * 并单 suggestions: open tickets that are likely the same incident as one ticket, in one statement that reads
 * the ticket by id and its candidates: the open tickets on the same street, and near it when the ticket has
 * coordinates, within the time window (index range scans: {@code ticket_open_street_idx}, and
 * {@code ticket_open_point_idx} index-only, V30_2); {@link Similarity} judges each. The caller sees only
 * candidates a ticket read would show them, and nothing when the ticket is out of their scope.
 */
public final class SimilarTickets {

  /** At most this many candidates are compared: a street with more open calls in a week is a hotspot. */
  static final int CANDIDATES = 500;
  /** What a candidate needs: where, when, who may see it, and what the answer shows. */
  private static final Set<String> CANDIDATE_COLUMNS = Set.of("id", "type", "category", "title", "received_at",
      "status", "district", "street", "lat", "lon", "lead_department", "assisting_departments",
      "caller_confidential");
  /**
   * One round trip: the ticket ($1; part 0, every column a ticket read maps, and its stored terms), then its
   * candidates (part 1: the candidate columns, its stored terms, its text only when it has none stored):
   * the open tickets on its street, and those near its point that are not on that street, received within
   * $2 seconds of it; the box is $3 metres either way. Both read open tickets only through partial indexes,
   * so closed history costs nothing; the point branch reads only the index (which carries id, street and
   * time) and fetches the rows that survive. The statement is prepared once and runs on a generic plan,
   * which cannot see the window's values: the OFFSET 0 keeps the point branch on its GiST index (without it
   * the generic plan ANDed it with a scan of every call of the fortnight on {@code ticket_received_seq_idx},
   * since V34 {@code ticket_received_idx}: 108,000 index entries at 1,000,000 tickets).
   */
  static final String SIMILAR_SQL = """
      WITH s AS MATERIALIZED (
        SELECT t.*, x.terms FROM ticket t LEFT JOIN insight_ticket_terms x ON x.ticket_id = t.id WHERE t.id = $1)
      SELECT 0 AS part, %1$s, array_to_string(s.terms, chr(31)) AS terms FROM s
      UNION ALL
      (SELECT 1, %2$s, array_to_string(x.terms, chr(31))
         FROM s
         JOIN ticket c ON c.district = s.district AND c.street = s.street
                      AND c.received_at >= s.received_at - $2::float8 * interval '1 second'
                      AND c.received_at <= s.received_at + $2::float8 * interval '1 second'
                      AND c.status NOT IN ('CLOSED', 'MERGED') AND c.id <> s.id
         LEFT JOIN insight_ticket_terms x ON x.ticket_id = c.id
        LIMIT %3$d)
      UNION ALL
      (SELECT 1, %2$s, array_to_string(x.terms, chr(31))
         FROM s
         CROSS JOIN LATERAL (
           SELECT n.id, n.district, n.street, n.received_at FROM ticket n
            WHERE point(n.lon, n.lat) <@ box(
                    point(s.lon - $3::float8 / (111320.0 * greatest(0.01, cos(radians(s.lat)))), s.lat - $3::float8 / 111320.0),
                    point(s.lon + $3::float8 / (111320.0 * greatest(0.01, cos(radians(s.lat)))), s.lat + $3::float8 / 111320.0))
              AND n.lat IS NOT NULL AND n.status NOT IN ('CLOSED', 'MERGED')
           OFFSET 0) p
         JOIN ticket c ON c.id = p.id
         LEFT JOIN insight_ticket_terms x ON x.ticket_id = c.id
        WHERE s.lat IS NOT NULL AND s.lon IS NOT NULL
          AND p.received_at >= s.received_at - $2::float8 * interval '1 second'
          AND p.received_at <= s.received_at + $2::float8 * interval '1 second' AND p.id <> s.id
          AND (s.district IS NULL OR s.street IS NULL
               OR p.district IS DISTINCT FROM s.district OR p.street IS DISTINCT FROM s.street)
        LIMIT %3$d)""".formatted(subjectColumns(), candidateColumns(), CANDIDATES);

  private static final String GENERIC_PLAN = "SET LOCAL plan_cache_mode = force_generic_plan";

  private static String subjectColumns() {
    return readColumns().stream().map(c -> "s." + c).collect(java.util.stream.Collectors.joining(", "));
  }

  /** A ticket read's columns in the same order (the union's names are the subject's), null where not needed. */
  private static String candidateColumns() {
    return readColumns().stream().map(c -> CANDIDATE_COLUMNS.contains(c) ? "c." + c
        : c.equals("content") ? "CASE WHEN x.terms IS NULL THEN c.content END" : "NULL")
        .collect(java.util.stream.Collectors.joining(", "));
  }

  private static List<String> readColumns() {
    return java.util.Arrays.stream(TicketRepository.READ.split(",")).map(String::strip).toList();
  }

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

  /**
   * The suggestions for ticket {@code rawId} the actor may see, most similar first; a ticket they may not
   * read answers as {@link TicketService#readable} does (404, audited).
   */
  public Future<List<Suggestion>> find(Pool pool, TicketService tickets, Actor actor, String rawId) {
    Optional<UUID> id = org.jiesu.platform.JsonValues.uuid(rawId);
    if (id.isEmpty()) {
      return tickets.readable(actor, rawId, Optional.empty()).map(t -> List.of());
    }
    return query(pool, id.get()).compose(found -> tickets.readable(actor, rawId, found.ticket())
        .map(t -> judge(found, Optional.of(actor))));
  }

  /**
   * How many open tickets look like the same incident as {@code ticket}, whoever may see them. A ticket with
   * neither a street nor a point has no candidate (both branches of the statement match on one of them), so
   * it is answered without a read: an intake without a place costs no second transaction.
   */
  public Future<Integer> count(Pool pool, Ticket ticket) {
    if (!comparable(ticket.location())) {
      return Future.succeededFuture(0);
    }
    return query(pool, ticket.id()).map(found -> found.ticket().isEmpty() ? 0 : judge(found, Optional.empty()).size());
  }

  /** Whether a call at {@code l} can have candidates: the statement's street branch or its point branch. */
  static boolean comparable(Ticket.Location l) {
    return (l.district() != null && l.street() != null) || (l.lat() != null && l.lon() != null);
  }

  /** The ticket (if it exists) and its candidates, as one statement read them. */
  private record Found(Optional<Ticket> ticket, Set<String> terms, List<Candidate> candidates) {}

  /** What a candidate is judged and shown by. */
  private record Candidate(UUID id, String type, String category, String title, Instant receivedAt, String status,
      String district, String street, Double lat, Double lon, Optional<String> lead, List<String> assisting,
      boolean confidential, Set<String> terms) {}

  /**
   * The statement runs on its generic plan, always: left to itself PostgreSQL kept planning it afresh for
   * every call (its custom plans looked cheaper on small or uniform data), and planning this union costs
   * about 3.3 ms of database CPU (pg_stat_statements with track_planning, bench at intake) against 0.2 ms to
   * run it: most of an intake's database time. {@code SET LOCAL} keeps the setting to this one read-only
   * transaction.
   */
  private Future<Found> query(Pool pool, UUID id) {
    return pool.withTransaction(tx -> tx.query(GENERIC_PLAN).execute().compose(v -> tx.preparedQuery(SIMILAR_SQL)
        .execute(Tuple.of(id, similarity.within().toSeconds(), similarity.maxMeters())))).map(rows -> {
      // by position: the union has every column of a ticket read, and a lookup by name is a linear search
      List<String> names = rows.columnsNames();
      int part = names.indexOf("part");
      int[] c = CANDIDATE_READ.stream().mapToInt(names::indexOf).toArray();
      Ticket ticket = null;
      Set<String> terms = null;
      List<Candidate> candidates = new ArrayList<>();
      Set<UUID> seen = new java.util.HashSet<>();
      for (Row r : rows) {
        if (r.getInteger(part) == 0) {
          ticket = TicketRepository.ticket(r);
          terms = terms(r.getString(c[13]), r.getString(c[3]), r.getString(c[14]));
        } else if (seen.add(r.getUUID(c[0]))) {
          String[] assisting = r.getArrayOfStrings(c[11]);
          candidates.add(new Candidate(r.getUUID(c[0]), r.getString(c[1]), r.getString(c[2]), r.getString(c[3]),
              r.getOffsetDateTime(c[4]).toInstant(), r.getString(c[5]), r.getString(c[6]), r.getString(c[7]),
              r.getDouble(c[8]), r.getDouble(c[9]), Optional.ofNullable(r.getString(c[10])),
              assisting == null ? List.of() : List.of(assisting), r.getBoolean(c[12]),
              terms(r.getString(c[13]), r.getString(c[3]), r.getString(c[14]))));
        }
      }
      return new Found(Optional.ofNullable(ticket), terms, candidates);
    });
  }

  /** The columns a candidate is read from, in {@link Candidate}'s order, then its terms and its text. */
  private static final List<String> CANDIDATE_READ = List.of("id", "type", "category", "title", "received_at",
      "status", "district", "street", "lat", "lon", "lead_department", "assisting_departments",
      "caller_confidential", "terms", "content");

  private List<Suggestion> judge(Found found, Optional<Actor> actor) {
    Ticket ticket = found.ticket().orElseThrow();
    Ticket.Location l = ticket.location();
    Similarity.Call call = new Similarity.Call(l.district(), l.street(), l.lat(), l.lon(), ticket.receivedAt(),
        found.terms());
    List<Suggestion> out = new ArrayList<>();
    for (Candidate c : found.candidates()) {
      if (actor.isPresent() && !visible(actor.get(), c)) {
        continue;
      }
      Similarity.Match m = similarity.compare(call, new Similarity.Call(c.district(), c.street(), c.lat(), c.lon(),
          c.receivedAt(), c.terms()));
      if (m != null) {
        out.add(new Suggestion(c.id(), c.title(), c.category(), c.status(), c.receivedAt(), c.district(),
            c.street(), m));
      }
    }
    out.sort(Comparator.comparingDouble((Suggestion s) -> -s.match().similarity())
        .thenComparing(Suggestion::receivedAt));
    return out;
  }

  /**
   * A ticket's terms: stored at intake (read as one string, joined by U+001F, which no term contains: one
   * string to decode instead of one per term), or computed from its text when it has none stored.
   */
  static Set<String> terms(String stored, String title, String content) {
    if (stored == null) {
      return Similarity.terms(title, content);
    }
    Set<String> out = new java.util.HashSet<>();
    int from = 0;
    while (from < stored.length()) {
      int to = stored.indexOf(31, from);
      if (to < 0) {
        to = stored.length();
      }
      out.add(stored.substring(from, to));
      from = to + 1;
    }
    return out;
  }

  private static boolean visible(Actor actor, Candidate c) {
    boolean confidential = c.confidential() || "REPORT".equals(c.type());
    return TicketAccess.view(actor, c.lead(), c.assisting(), confidential) != TicketAccess.View.NONE;
  }
}
