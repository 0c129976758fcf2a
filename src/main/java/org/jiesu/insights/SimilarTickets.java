package org.jiesu.insights;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
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
 * coordinates, within the time window, as the database function {@code insight_similar_candidates} (V38) finds
 * them (index range scans: {@code ticket_open_street_idx}, and {@code ticket_open_point_idx} index-only,
 * V30_2); {@link Similarity} judges each. The caller sees only
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
   * /similar, one round trip: the ticket ($1; part 0, every column a ticket read maps, and its stored terms),
   * then its candidates (part 1) as {@code insight_similar_candidates} (V38) finds them, within $2 seconds and
   * $3 metres, with the columns a suggestion shows (its text only when it has no terms stored). The function
   * holds the candidate rules, and an intake's count uses the same one ({@link #COUNT_SQL}).
   */
  static final String SIMILAR_SQL = """
      WITH s AS MATERIALIZED (
        SELECT t.*, x.terms FROM ticket t LEFT JOIN insight_ticket_terms x ON x.ticket_id = t.id WHERE t.id = $1)
      SELECT 0 AS part, %1$s, array_to_string(s.terms, chr(31)) AS terms FROM s
      UNION ALL
      SELECT 1, %2$s, f.terms
        FROM s
        CROSS JOIN LATERAL insight_similar_candidates(s.district, s.street, s.lat, s.lon, s.received_at, $2, $3,
                                                      s.external_id, %3$d) f
        JOIN ticket c ON c.id = f.id""".formatted(subjectColumns(), candidateColumns(), CANDIDATES);
  /**
   * An intake's similarCount: the candidates of the call as sent ({@link #countParameters}: district, street,
   * lat, lon, receivedAt, the window, the box, and its externalId, whose ticket is never its own candidate),
   * with only what a count judges by: the SQL client decodes every column it is sent. No transaction is
   * needed: the function runs its reads on their generic plan itself. Its parameters are numbered from
   * {@code first}, so the statement can be part of another ({@link IntakeInsights}).
   */
  static String countSql(int first) {
    StringBuilder args = new StringBuilder();
    for (int i = 0; i < 8; i++) {
      args.append('$').append(first + i).append(", ");
    }
    return "SELECT id, received_at, district, street, lat, lon, title, content, terms"
        + " FROM insight_similar_candidates(" + args + CANDIDATES + ")";
  }

  static final String COUNT_SQL = countSql(1);

  /**
   * /similar's read runs on its generic plan: left to itself PostgreSQL kept planning it afresh for every call
   * (its custom plans looked cheaper on small or uniform data), and planning the union it was before V38 cost
   * about 3.3 ms of database CPU against 0.2 ms to run it. The candidates' queries now keep their generic plan
   * inside the function; the statement around them (the ticket read and the join) still gets one here, not
   * measured again since. {@code SET LOCAL} keeps the setting to this one read-only transaction; an intake's
   * count needs none ({@link #COUNT_SQL}).
   */
  private static final String GENERIC_PLAN = "SET LOCAL plan_cache_mode = force_generic_plan";

  private static String subjectColumns() {
    return readColumns().stream().map(c -> "s." + c).collect(java.util.stream.Collectors.joining(", "));
  }

  /**
   * A ticket read's columns in the same order (the union's names are the subject's): a candidate's from
   * {@code c} (its row) or {@code f} (the function: its text only when it has no terms stored), null for the
   * rest.
   */
  private static String candidateColumns() {
    return readColumns().stream().map(c -> CANDIDATE_COLUMNS.contains(c) ? "c." + c
        : c.equals("content") ? "f.content" : "NULL")
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
        .map(t -> judge(found, actor)));
  }

  /** {@link #countSql}'s parameters for a call as sent. */
  Object[] countParameters(String externalId, Ticket.Location l, Instant receivedAt) {
    return new Object[] {l.district(), l.street(), l.lat(), l.lon(), receivedAt.atOffset(java.time.ZoneOffset.UTC),
        (double) similarity.within().toSeconds(), similarity.maxMeters(), externalId};
  }

  /**
   * How many open tickets look like the same incident as a call as it was sent (its place, {@code receivedAt}
   * and text), whoever may see them, from {@link #countSql}'s {@code rows} (whose columns are {@code names}).
   * A call that is not {@link #comparable} has no candidate (both branches of the function match on its
   * street or its point): {@link IntakeInsights} answers it 0 without a read.
   */
  int count(List<String> names, Iterable<Row> rows, Ticket.Location l, Instant receivedAt, String title,
      String content) {
    Similarity.Call call = new Similarity.Call(l.district(), l.street(), l.lat(), l.lon(), receivedAt,
        Similarity.terms(title, content));
    return alike(call, candidates(names, rows), Optional.empty()).size();
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

  private Future<Found> query(Pool pool, UUID id) {
    return pool.withTransaction(tx -> tx.query(GENERIC_PLAN).execute().compose(v -> tx.preparedQuery(SIMILAR_SQL)
        .execute(Tuple.of(id, (double) similarity.within().toSeconds(), similarity.maxMeters()))))
        .map(SimilarTickets::found);
  }

  /** What /similar's read answered: the ticket (part 0) and its candidates (part 1). */
  private static Found found(RowSet<Row> rows) {
    List<String> names = rows.columnsNames();
    int part = names.indexOf("part");
    Ticket ticket = null;
    Set<String> terms = null;
    List<Row> candidates = new ArrayList<>();
    for (Row r : rows) {
      if (r.getInteger(part) == 0) {
        ticket = TicketRepository.ticket(r);
        terms = terms(r.getString("terms"), r.getString("title"), r.getString("content"));
      } else {
        candidates.add(r);
      }
    }
    return new Found(Optional.ofNullable(ticket), terms, candidates(names, candidates));
  }

  /** Candidates as a read sent them (columns {@code names}), each once. */
  private static List<Candidate> candidates(List<String> names, Iterable<Row> rows) {
    // by position: /similar's union has every column of a ticket read, and a lookup by name is a linear search
    int[] c = CANDIDATE_READ.stream().mapToInt(names::indexOf).toArray();
    List<Candidate> candidates = new ArrayList<>();
    Set<UUID> seen = new java.util.HashSet<>();
    for (Row r : rows) {
      UUID candidate = r.getUUID(c[ID]);
      if (seen.add(candidate)) {
        candidates.add(new Candidate(r, c, candidate, r.getString(c[DISTRICT]), r.getString(c[STREET]),
            r.getDouble(c[LAT]), r.getDouble(c[LON]), r.getOffsetDateTime(c[RECEIVED_AT]).toInstant(),
            r.getString(c[TERMS])));
      }
    }
    return candidates;
  }

  /** The columns a candidate is read from, then its terms and its text; {@link Candidate} finds them by these. */
  private static final List<String> CANDIDATE_READ = List.of("id", "type", "category", "title", "received_at",
      "status", "district", "street", "lat", "lon", "lead_department", "assisting_departments",
      "caller_confidential", "terms", "content");
  private static final int ID = 0, TYPE = 1, CATEGORY = 2, TITLE = 3, RECEIVED_AT = 4, STATUS = 5, DISTRICT = 6,
      STREET = 7, LAT = 8, LON = 9, LEAD = 10, ASSISTING = 11, CONFIDENTIAL = 12, TERMS = 13, CONTENT = 14;

  /** The candidates that look like the same incident as {@code call} and that {@code actor} (if any) may see. */
  private List<Candidate> alike(Similarity.Call call, List<Candidate> candidates, Optional<Actor> actor) {
    TermTable table = new TermTable(call.terms());
    List<Candidate> out = new ArrayList<>();
    for (Candidate c : candidates) {
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
    for (Candidate c : alike(call, found.candidates(), Optional.of(actor))) {
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
