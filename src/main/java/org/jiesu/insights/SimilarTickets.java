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
   * What a candidate needs to be counted: where and when (and its text, only when it has no terms stored). The
   * SQL client decodes every column of a row as it arrives, so what a count does not need is not sent.
   */
  private static final Set<String> COUNT_COLUMNS = Set.of("id", "received_at", "district", "street", "lat", "lon");
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
  private static final String STATEMENT = """
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
        LIMIT %3$d)""";
  /** The statement of /similar, and that of an intake's similarCount (the same, with the count's columns). */
  static final String SIMILAR_SQL = STATEMENT.formatted(subjectColumns(), candidateColumns(CANDIDATE_COLUMNS),
      CANDIDATES);
  static final String COUNT_SQL = STATEMENT.formatted(subjectColumns(), candidateColumns(COUNT_COLUMNS), CANDIDATES);

  private static final String GENERIC_PLAN = "SET LOCAL plan_cache_mode = force_generic_plan";

  private static String subjectColumns() {
    return readColumns().stream().map(c -> "s." + c).collect(java.util.stream.Collectors.joining(", "));
  }

  /**
   * A ticket read's columns in the same order (the union's names are the subject's): those in {@code needed},
   * the text when the candidate has no terms stored, null for the rest.
   */
  private static String candidateColumns(Set<String> needed) {
    return readColumns().stream().map(c -> needed.contains(c) ? "c." + c
        : c.equals("content") || c.equals("title") ? "CASE WHEN x.terms IS NULL THEN c." + c + " END" : "NULL")
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
    return query(pool, id.get(), SIMILAR_SQL).compose(found -> tickets.readable(actor, rawId, found.ticket())
        .map(t -> judge(found, actor)));
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
    return query(pool, ticket.id(), COUNT_SQL)
        .map(found -> found.ticket().isEmpty() ? 0 : alike(found, Optional.empty()).size());
  }

  /** Whether a call at {@code l} can have candidates: the statement's street branch or its point branch. */
  static boolean comparable(Ticket.Location l) {
    return (l.district() != null && l.street() != null) || (l.lat() != null && l.lon() != null);
  }

  /** The ticket (if it exists) and its candidates, as one statement read them. */
  private record Found(Optional<Ticket> ticket, Set<String> terms, List<Candidate> candidates) {}

  /**
   * A candidate as the statement read it. What it is judged by (place, time, and its terms as read: joined by
   * U+001F, or null when it has none stored and is judged by its text) is taken from its row at once; the rest
   * of its {@code row} (columns where {@code at} says, in {@link #CANDIDATE_READ}'s order) only when it is
   * shown or its visibility asked. An intake's count is not even sent the rest ({@link #COUNT_SQL}), and a
   * {@link TermTable} counts its terms where they lie: on a crowded street, sets of terms per candidate were
   * the largest part of a located intake's server CPU (README, "Measured").
   */
  private record Candidate(Row row, int[] at, UUID id, String district, String street, Double lat, Double lon,
      Instant receivedAt, String stored) {

    Similarity.Call call(Set<String> terms) {
      return new Similarity.Call(district, street, lat, lon, receivedAt, terms);
    }

    TermTable.Overlap overlap(TermTable table) {
      return stored != null ? table.overlap(stored) : table.overlap(terms());
    }

    Set<String> terms() {
      return SimilarTickets.terms(stored, title(), row.getString(at[CONTENT]));
    }

    String title() {
      return row.getString(at[TITLE]);
    }

    String category() {
      return row.getString(at[CATEGORY]);
    }

    String status() {
      return row.getString(at[STATUS]);
    }

    boolean visibleTo(Actor actor) {
      String[] assisting = row.getArrayOfStrings(at[ASSISTING]);
      boolean confidential = row.getBoolean(at[CONFIDENTIAL]) || "REPORT".equals(row.getString(at[TYPE]));
      return TicketAccess.view(actor, Optional.ofNullable(row.getString(at[LEAD])),
          assisting == null ? List.of() : List.of(assisting), confidential) != TicketAccess.View.NONE;
    }
  }

  /**
   * The statement runs on its generic plan, always: left to itself PostgreSQL kept planning it afresh for
   * every call (its custom plans looked cheaper on small or uniform data), and planning this union costs
   * about 3.3 ms of database CPU (pg_stat_statements with track_planning, bench at intake) against 0.2 ms to
   * run it: most of an intake's database time. {@code SET LOCAL} keeps the setting to this one read-only
   * transaction.
   */
  private Future<Found> query(Pool pool, UUID id, String sql) {
    return pool.withTransaction(tx -> tx.query(GENERIC_PLAN).execute().compose(v -> tx.preparedQuery(sql)
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
          terms = terms(r.getString(c[TERMS]), r.getString(c[TITLE]), r.getString(c[CONTENT]));
        } else {
          UUID candidate = r.getUUID(c[ID]);
          if (seen.add(candidate)) {
            candidates.add(new Candidate(r, c, candidate, r.getString(c[DISTRICT]), r.getString(c[STREET]),
                r.getDouble(c[LAT]), r.getDouble(c[LON]), r.getOffsetDateTime(c[RECEIVED_AT]).toInstant(),
                r.getString(c[TERMS])));
          }
        }
      }
      return new Found(Optional.ofNullable(ticket), terms, candidates);
    });
  }

  /** The columns a candidate is read from, then its terms and its text; {@link Candidate} finds them by these. */
  private static final List<String> CANDIDATE_READ = List.of("id", "type", "category", "title", "received_at",
      "status", "district", "street", "lat", "lon", "lead_department", "assisting_departments",
      "caller_confidential", "terms", "content");
  private static final int ID = 0, TYPE = 1, CATEGORY = 2, TITLE = 3, RECEIVED_AT = 4, STATUS = 5, DISTRICT = 6,
      STREET = 7, LAT = 8, LON = 9, LEAD = 10, ASSISTING = 11, CONFIDENTIAL = 12, TERMS = 13, CONTENT = 14;

  /** The candidates that look like the same incident as the ticket and that {@code actor} (if any) may see. */
  private List<Candidate> alike(Found found, Optional<Actor> actor) {
    Similarity.Call call = subject(found);
    TermTable table = new TermTable(call.terms());
    List<Candidate> out = new ArrayList<>();
    for (Candidate c : found.candidates()) {
      boolean visible = actor.isEmpty() || c.visibleTo(actor.get());
      if (visible && similarity.alike(call, c.call(Set.of()), c.overlap(table))) {
        out.add(c);
      }
    }
    return out;
  }

  private List<Suggestion> judge(Found found, Actor actor) {
    Similarity.Call call = subject(found);
    List<Suggestion> out = new ArrayList<>();
    for (Candidate c : alike(found, Optional.of(actor))) {
      Similarity.Match m = similarity.compare(call, c.call(c.terms()));
      if (m != null) {
        out.add(new Suggestion(c.id(), c.title(), c.category(), c.status(), c.receivedAt(), c.district(),
            c.street(), m));
      }
    }
    out.sort(Comparator.comparingDouble((Suggestion s) -> -s.match().similarity())
        .thenComparing(Suggestion::receivedAt));
    return out;
  }

  private static Similarity.Call subject(Found found) {
    Ticket ticket = found.ticket().orElseThrow();
    Ticket.Location l = ticket.location();
    return new Similarity.Call(l.district(), l.street(), l.lat(), l.lon(), ticket.receivedAt(), found.terms());
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
      int to = stored.indexOf(TermTable.SEPARATOR, from);
      if (to < 0) {
        to = stored.length();
      }
      out.add(stored.substring(from, to));
      from = to + 1;
    }
    return out;
  }
}
