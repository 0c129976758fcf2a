package org.jiesu.knowledge;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Knowledge-base SQL. */
public final class KnowledgeRepository {

  private static final String COLUMNS = "id, title, body, tags, version, created_by, created_at, updated_at";
  private static final String INSERT = "INSERT INTO knowledge_article (" + COLUMNS
      + ", search_terms) VALUES ($1, $2, $3, $4, 1, $5, $6, $6, $7) RETURNING " + COLUMNS;
  private static final String UPDATE = "UPDATE knowledge_article SET title = $2, body = $3, tags = $4,"
      + " version = version + 1, updated_at = $5, search_terms = $6 WHERE id = $1 AND deleted_at IS NULL RETURNING "
      + COLUMNS;
  private static final String DELETE = "UPDATE knowledge_article SET deleted_at = $2 WHERE id = $1 AND deleted_at IS NULL";
  private static final String BY_ID = "SELECT " + COLUMNS + " FROM knowledge_article WHERE id = $1 AND deleted_at IS NULL";
  private static final String LOCK = BY_ID + " FOR UPDATE";
  /**
   * A search hit is the JSON object the API answers, kept by the database with each article (column
   * {@code doc}, written by a trigger: V33) with {@code "score": 0} as its last member: a page is ten
   * articles of up to tens of thousands of characters, which the server would otherwise decode from the wire
   * and encode again, and the database build on every search. The server puts the query's score in
   * ({@link #scored}).
   */
  private static final String BY_IDS = "SELECT a.id, s.score, a.doc FROM unnest($1::uuid[], $2::int[]) WITH ORDINALITY"
      + " AS s(id, score, place) JOIN knowledge_article a ON a.id = s.id AND a.deleted_at IS NULL ORDER BY s.place";
  private static final String RECENT = "SELECT a.id, 0 AS score, a.doc FROM knowledge_article a"
      + " WHERE a.deleted_at IS NULL ORDER BY a.updated_at DESC, a.id LIMIT $1";

  /** How many of the newest articles are scored first (see {@link #search}). */
  static final int WALK = 64;
  /** A list found in at most this many of the newest articles is taken to be short (a strategy, not the answer). */
  private static final int RARE = 1;
  /** Articles scored exactly in one statement by the title-and-tag step (each is a key of its lookups). */
  static final int BATCH = 64;
  /** Rare body lists read whole hold at most this many articles together; more, and they are not used. */
  private static final int RARE_LISTS = 2_000;

  private final int walk;
  private final int batch;
  /** How many candidates were found to miss a term and matched again term by term (for tests). */
  final java.util.concurrent.atomic.AtomicLong recounted = new java.util.concurrent.atomic.AtomicLong();
  /** The title and tag terms of every article (see {@link ArticleHeads}); each repository keeps its own. */
  private final ArticleHeads heads = new ArticleHeads();

  public KnowledgeRepository() {
    this(WALK);
  }

  /** With another number of newest articles scored first: the tests take few, and more than there are. */
  KnowledgeRepository(int walk) {
    this(walk, BATCH);
  }

  /** And another number of candidates scored a statement. */
  KnowledgeRepository(int walk, int batch) {
    this.walk = walk;
    this.batch = batch;
  }

  /** An article with its search score, as the JSON object the API answers (built by the database). */
  public record Hit(UUID id, int score, Buffer json) {}

  public Future<Article> insert(SqlClient db, Article a) {
    return db.preparedQuery(INSERT).execute(Tuple.of(a.id(), a.title(), a.body(), a.tags().toArray(new String[0]),
        a.createdBy(), a.createdAt().atOffset(ZoneOffset.UTC), SearchTerms.document(a.id(), a.title(), a.tags(), a.body())))
        .map(rows -> article(rows.iterator().next()));
  }

  public Future<Optional<Article>> update(SqlClient db, UUID id, String title, String body, List<String> tags,
      Instant now) {
    return db.preparedQuery(UPDATE).execute(Tuple.of(id, title, body, tags.toArray(new String[0]),
        now.atOffset(ZoneOffset.UTC), SearchTerms.document(id, title, tags, body))).map(KnowledgeRepository::first);
  }

  /** The live article, locked until the transaction ends (its state before a change, for the audit). */
  public Future<Optional<Article>> lock(SqlClient db, UUID id) {
    return db.preparedQuery(LOCK).execute(Tuple.of(id)).map(KnowledgeRepository::first);
  }

  public Future<Boolean> delete(SqlClient db, UUID id, Instant now) {
    return db.preparedQuery(DELETE).execute(Tuple.of(id, now.atOffset(ZoneOffset.UTC)))
        .map(rows -> rows.rowCount() == 1);
  }

  public Future<Optional<Article>> byId(SqlClient db, UUID id) {
    return db.preparedQuery(BY_ID).execute(Tuple.of(id)).map(KnowledgeRepository::first);
  }

  /**
   * Ranks the live articles that hold any query term: 3 points for each term in the title, 2 in the tags,
   * 1 in the body; ties go to the most recently updated, then to the smaller id. Only the top {@code limit}
   * are returned, and the ranking is found without scoring every article that holds a common word
   * (MaxScore-style pruning, exact: see {@link Ranking}):
   *
   * <ol>
   *   <li>the {@link #WALK} newest articles are scored exactly, in memory ({@link #window}): an article not
   *       yet scored is older than all of them, so it loses a tie with any of them. Every later page is merged
   *       with theirs and settles when its last score beats the bound for the articles not yet scored, or
   *       equals it and is no later than the last of the newest ({@link #settled}). When they are all the
   *       live articles, that is the ranking; when every list is in at most {@link #RARE} of them, every list
   *       is read at once (they are short);</li>
   *   <li>the body lists rare among the newest are read whole (taken to be short), and the title and tag
   *       points of every article come from memory ({@link ArticleHeads}): an article with such points or in
   *       those lists scores at most them plus one for each other term (its body). These candidates are
   *       scored best bound first, {@link #BATCH} a statement, until the next bound cannot reach the page
   *       ({@link #exact});</li>
   *   <li>any other article scores at most one point per term outside the rare lists (its body). When the
   *       page's last score beats that, the page is the answer, whatever the body lists hold;</li>
   *   <li>otherwise an article outside the first steps needs {@code θ} body matches (the page's last
   *       score) to reach the page, so it must be in one of the {@code terms − θ + 1} essential body lists;
   *       only those are read whole, the others only where they meet them;</li>
   *   <li>with fewer results than the page, every body list is read whole (then they are short).</li>
   * </ol>
   *
   * <p>Each lookup is one scan of the GIN index over {@code search_terms}; the condition "where they meet
   * other lists" or "among these articles" is a second condition on the same index ({@code && keys}), which
   * the index answers by skipping through the long list, so no article row is visited for a body match it
   * cannot use. A lookup's terms are only known at run time (rows of one prepared statement), so the
   * planner cannot see them: seeing a term found in most articles, it would pick a sequential scan, which
   * it prices without the cost of unpacking every article's stored terms (seconds at 10,000 articles,
   * against milliseconds by the index).
   */
  public Future<List<Hit>> search(SqlClient db, List<String> terms, int limit) {
    return ranked(db, terms, limit).map(Ranking::hits);
  }

  /** How a page was found: the step that settled it (see {@link #search}), for tests and measurements. */
  enum Step { RECENT, NEWEST, HEADS, ESSENTIAL_BODIES, EVERY_LIST }

  /** A ranked page and the step that settled it. */
  record Ranking(List<Hit> hits, Step step) {}

  Future<Ranking> ranked(SqlClient db, List<String> terms, int limit) {
    if (terms.isEmpty()) {
      return db.preparedQuery(RECENT).execute(Tuple.of(limit)).map(rows -> new Ranking(hits(rows), Step.RECENT));
    }
    return sync(db).compose(v -> window(db, terms))
        .compose(w -> page(db, terms, limit, w))
        .compose(page -> articles(db, page.ranked()).map(hits -> new Ranking(hits, page.step())));
  }

  /**
   * The articles written since this repository last looked, for {@link ArticleHeads}: those stamped by a
   * transaction at or after the oldest one running then (the first time, every article), and the oldest
   * transaction running now. Usually no article and one index probe.
   */
  private static final String SYNC = "SELECT x.xmin, a.id, a.txid, a.updated_at, a.title, a.tags, a.deleted"
      + " FROM (SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint AS xmin) x LEFT JOIN LATERAL"
      + " (SELECT id, search_txid::text::bigint AS txid, updated_at, title, tags, deleted_at IS NOT NULL AS deleted"
      + " FROM knowledge_article WHERE search_txid >= $1::bigint::text::xid8) a ON true";

  private Future<Void> sync(SqlClient db) {
    return db.preparedQuery(SYNC).execute(Tuple.of(heads.watermark())).map(rows -> {
      long xmin = 0;
      List<ArticleHeads.Row> changed = new ArrayList<>();
      for (Row r : rows) {
        xmin = r.getLong("xmin");
        if (r.getUUID("id") != null) {
          String[] tags = r.getArrayOfStrings("tags");
          changed.add(new ArticleHeads.Row(r.getUUID("id"), r.getLong("txid"),
              r.getOffsetDateTime("updated_at").toInstant(), r.getString("title"),
              tags == null ? List.of() : Arrays.asList(tags), r.getBoolean("deleted")));
        }
      }
      heads.apply(changed, xmin);
      return null;
    });
  }

  /** An article's place in the ranking, without the article: the steps pass only these, the page is read once. */
  record Ranked(UUID id, Instant updatedAt, int score) {}

  private record Page(List<Ranked> ranked, Step step) {}

  private Future<Page> page(SqlClient db, List<String> terms, int limit, Window w) {
    if (w.newest().isEmpty()) {
      return Future.succeededFuture(new Page(List.of(), Step.NEWEST));
    }
    if (w.newest().size() < walk) {
      return Future.succeededFuture(new Page(merge(w.ranked(), List.of(), limit), Step.NEWEST));
    }
    return beyond(db, terms, limit, w, w.newest().get(w.newest().size() - 1));
  }

  /**
   * The ranking where the newest articles did not settle it: the steps of {@link #search}, each page merged
   * with the newest articles' (exact too) and settled by {@link #settled}. The window's counts choose the
   * strategy only (which lists are read whole), never the answer: lists found in at most {@link #RARE} of
   * the newest articles are taken to be short.
   */
  private Future<Page> beyond(SqlClient db, List<String> terms, int limit, Window w, Ranked frontier) {
    if (w.allRare()) {
      return full(terms).run(db, 1, limit).map(all -> new Page(all, Step.EVERY_LIST));
    }
    // the body lists rare among the newest articles are read whole (taken to be short): then an article's
    // body scores at most the other terms and those of these lists it is in
    List<String> rare = terms.stream().filter(t -> w.bodies(t) <= RARE).toList();
    Future<List<Ranked>> inRare = rare.isEmpty() ? Future.succeededFuture(List.of())
        : rare(rare).run(db, 1, RARE_LISTS + 1);
    return inRare.compose(found -> {
      // more than that: not short after all, and every body is bounded by all the terms
      List<String> others = found.size() <= RARE_LISTS ? terms.stream().filter(t -> !rare.contains(t)).toList() : terms;
      int[] points = heads.points(terms);
      int[] bound = new int[points.length];
      for (int n = 0; n < points.length; n++) {
        bound[n] = points[n] > 0 ? points[n] + others.size() : 0;
      }
      if (others != terms) {
        for (Ranked r : found) {
          // an article written since the titles in memory were read is not among them: it is left to the next steps
          int n = heads.number(r.id());
          if (n >= 0) {
            bound[n] = (bound[n] == 0 ? others.size() : bound[n]) + r.score();
          }
        }
      }
      for (Ranked r : w.newest()) {
        int n = heads.number(r.id());
        if (n >= 0) {
          bound[n] = 0;
        }
      }
      List<Candidate> candidates = new ArrayList<>();
      for (int n = 0; n < bound.length; n++) {
        if (bound[n] > 0) {
          candidates.add(new Candidate(heads.id(n), heads.updatedAt(n), heads.recency(n), points[n], bound[n], false));
        }
      }
      return exact(db, terms, others, limit, merge(w.ranked(), List.of(), limit), new Bounds(candidates))
          .compose(page -> {
            if (settled(page, limit, others.size(), frontier)) {
              return Future.succeededFuture(new Page(page, Step.HEADS));
            }
            int theta = kth(page, limit);
            if (theta == 0) {
              return full(terms).run(db, 1, limit).map(all -> new Page(all, Step.EVERY_LIST));
            }
            return bodies(terms, theta, w).run(db, theta, limit)
                .map(more -> new Page(merge(page, more, limit), Step.ESSENTIAL_BODIES));
          });
    });
  }

  /** The body lists of {@code terms}, read whole: every article in them and in how many. */
  private static Lookups rare(List<String> terms) {
    Lookups lookups = new Lookups();
    terms.forEach(term -> lookups.add(term, SearchTerms.Field.BODY, List.of(), null));
    return lookups;
  }

  /**
   * An article that may enter the page: its title and tag {@code points}, the most it can score, and whether
   * it is known to miss one of the terms outside the rare lists (then its bound is one lower, and it is next
   * scored term by term).
   */
  record Candidate(UUID id, Instant updatedAt, int recency, int points, int bound, boolean missesOne) {
    Ranked ranked() {
      return new Ranked(id, updatedAt, bound);
    }
  }

  /**
   * The page with every candidate that can still enter it scored, best bound first ({@link Bounds}), until
   * the next one's bound ranks after the page's last article: none after it can enter either. A batch of
   * {@link #BATCH} is one statement. A candidate is first only asked whether its body holds all the terms
   * outside the rare lists (one lookup for the batch): if so it scores its bound exactly; if not, its bound
   * drops by one and, when it is reached again, its body is matched term by term. So the many candidates
   * that tie at the page's last score, common with common words, cost one lookup a batch.
   */
  private Future<List<Ranked>> exact(SqlClient db, List<String> terms, List<String> others, int limit,
      List<Ranked> page, Bounds bounds) {
    List<Candidate> batch = new ArrayList<>();
    while (batch.size() < this.batch && bounds.peek() != null
        && !(page.size() >= limit && RANKING.compare(bounds.peek().ranked(), page.get(limit - 1)) > 0)) {
      batch.add(bounds.next());
    }
    if (batch.isEmpty()) {
      return Future.succeededFuture(page);
    }
    if (others.isEmpty()) {
      // every term's body list was read whole: the bounds are the scores
      return exact(db, terms, others, limit, merge(page, batch.stream().map(Candidate::ranked).toList(), limit), bounds);
    }
    List<String> asked = batch.stream().filter(c -> !c.missesOne()).map(c -> SearchTerms.idKey(c.id())).toList();
    List<String> counted = batch.stream().filter(Candidate::missesOne).map(c -> SearchTerms.idKey(c.id())).toList();
    Lookups lookups = new Lookups();
    if (!asked.isEmpty()) {
      lookups.all(others, String.join(" ", asked), ALL_OF);
    }
    if (!counted.isEmpty()) {
      String among = String.join(" ", counted);
      terms.forEach(term -> lookups.add(term, SearchTerms.Field.BODY, List.of(), new String[] {among}));
    }
    return lookups.run(db, 1, batch.size()).compose(rows -> {
      java.util.Map<UUID, Integer> matched = new java.util.HashMap<>();
      rows.forEach(r -> matched.put(r.id(), r.score()));
      List<Ranked> scored = new ArrayList<>();
      for (Candidate c : batch) {
        int m = matched.getOrDefault(c.id(), 0);
        if (c.missesOne()) {
          recounted.incrementAndGet();
          scored.add(new Ranked(c.id(), c.updatedAt(), c.points() + m));
        } else if (m >= ALL_OF) {
          scored.add(c.ranked());
        } else {
          bounds.add(new Candidate(c.id(), c.updatedAt(), c.recency(), c.points(), c.bound() - 1, true));
        }
      }
      return exact(db, terms, others, limit, merge(page, scored, limit), bounds);
    });
  }

  /** The weight of the lookup asking for all the terms outside the rare lists: above any count of terms. */
  private static final int ALL_OF = 1_000;

  /**
   * Candidates in the ranking's order by their bounds, sorted one bound at a time as they are reached: the
   * bounds are small numbers, and a search rarely gets past the first few. A candidate added back (with a
   * lower bound) goes to its bound's place.
   */
  static final class Bounds {
    private final java.util.TreeMap<Integer, List<Candidate>> byBound = new java.util.TreeMap<>(Comparator.reverseOrder());
    private List<Candidate> current = List.of();
    private int currentBound = Integer.MAX_VALUE;
    private int next;

    Bounds(java.util.Collection<Candidate> all) {
      all.forEach(this::add);
    }

    void add(Candidate c) {
      if (c.bound() >= currentBound) {
        // into a bound already reached: what is left of it goes back, to be sorted again with the newcomer
        if (next < current.size()) {
          byBound.computeIfAbsent(currentBound, s -> new ArrayList<>()).addAll(current.subList(next, current.size()));
        }
        current = List.of();
        next = 0;
        currentBound = Integer.MAX_VALUE;
      }
      byBound.computeIfAbsent(c.bound(), s -> new ArrayList<>()).add(c);
    }

    Candidate peek() {
      while (next == current.size()) {
        java.util.Map.Entry<Integer, List<Candidate>> first = byBound.pollFirstEntry();
        if (first == null) {
          return null;
        }
        current = first.getValue();
        currentBound = first.getKey();
        current.sort(Comparator.comparingInt(Candidate::recency));
        next = 0;
      }
      return current.get(next);
    }

    Candidate next() {
      Candidate c = peek();
      next++;
      return c;
    }
  }

  /**
   * Whether no article left out can enter the full {@code page}: every article not yet scored scores at most
   * {@code bound} and is older than the newest articles (after {@code frontier}, the last of them, in the
   * ranking's tie order), so it stays out when the page's last article scores more, or as much and no later
   * than the frontier.
   */
  private static boolean settled(List<Ranked> page, int limit, int bound, Ranked frontier) {
    if (page.size() < limit) {
      return false;
    }
    Ranked last = page.get(limit - 1);
    return last.score() > bound || (last.score() == bound && NEWEST_FIRST.compare(last, frontier) <= 0);
  }

  /**
   * The newest articles scored, in memory: their titles and tags are held for every article, and their
   * bodies' terms for these few ({@link ArticleHeads#holdBodies}, read once when an article becomes one of
   * them, usually never during a search). Also counts how many of them each (term, field) list holds.
   */
  private Future<Window> window(SqlClient db, List<String> terms) {
    List<Integer> newest = heads.newest(walk);
    List<UUID> toRead = heads.bodiesToRead(newest);
    if (toRead.isEmpty()) {
      return Future.succeededFuture(window(terms, newest));
    }
    return db.preparedQuery(BODIES).execute(Tuple.of(toRead.toArray(new UUID[0]))).map(rows -> {
      java.util.Map<UUID, Long> txids = new java.util.HashMap<>();
      java.util.Map<UUID, java.util.Set<String>> bodies = new java.util.HashMap<>();
      for (Row r : rows) {
        java.util.Set<String> body = new java.util.HashSet<>();
        for (String term : r.getArrayOfStrings("search_terms")) {
          if (term.startsWith(SearchTerms.Field.BODY.prefix)) {
            body.add(term.substring(SearchTerms.Field.BODY.prefix.length()));
          }
        }
        txids.put(r.getUUID("id"), r.getLong("txid"));
        bodies.put(r.getUUID("id"), body);
      }
      heads.holdBodies(txids, bodies, newest);
      return window(terms, newest);
    });
  }

  /** The stored terms of a few articles (the newest), for their bodies'. */
  private static final String BODIES = "SELECT id, search_txid::text::bigint AS txid, search_terms FROM knowledge_article"
      + " WHERE id = ANY($1) AND deleted_at IS NULL";

  private Window window(List<String> terms, List<Integer> numbers) {
    SearchTerms.Field[] fields = SearchTerms.Field.values();
    int[] counts = new int[terms.size() * fields.length];
    List<Ranked> newest = new ArrayList<>(numbers.size());
    List<Ranked> ranked = new ArrayList<>();
    for (int n : numbers) {
      Ranked at = new Ranked(heads.id(n), heads.updatedAt(n), 0);
      newest.add(at);
      int points = 0;
      for (int t = 0; t < terms.size(); t++) {
        List<String> keys = SearchTerms.keys(terms.get(t));
        for (SearchTerms.Field field : fields) {
          if (heads.has(n, field, keys)) {
            counts[t * fields.length + field.ordinal()]++;
            points += field.weight;
          }
        }
      }
      if (points > 0) {
        ranked.add(new Ranked(at.id(), at.updatedAt(), points));
      }
    }
    ranked.sort(RANKING);
    return new Window(newest, ranked, terms, counts);
  }

  /** The newest articles with a match, scored and ranked, and how many of them each (term, field) list holds. */
  private record Window(List<Ranked> newest, List<Ranked> ranked, List<String> terms, int[] counts) {
    int bodies(String term) {
      return counts[terms.indexOf(term) * SearchTerms.Field.values().length + SearchTerms.Field.BODY.ordinal()];
    }

    boolean allRare() {
      return java.util.Arrays.stream(counts).allMatch(c -> c <= RARE);
    }
  }

  /** The score a newcomer must beat to enter a full page; 0 while the page is not full. */
  private static int kth(List<Ranked> page, int limit) {
    return page.size() < limit ? 0 : page.get(limit - 1).score();
  }

  /** Every list read whole: the ranking by definition, and what the pruned steps are tested against. */
  Future<List<Hit>> fullScan(SqlClient db, List<String> terms, int limit) {
    return terms.isEmpty() ? search(db, terms, limit) : full(terms).run(db, 1, limit).compose(all -> articles(db, all));
  }

  private static Lookups full(List<String> terms) {
    Lookups all = new Lookups();
    for (String term : terms) {
      for (SearchTerms.Field field : SearchTerms.Field.values()) {
        all.add(term, field, List.of(), null);
      }
    }
    return all;
  }

  /**
   * The body lists for articles without a title or tag match that may still reach {@code theta}: they
   * hold at least {@code theta} of the terms in their body, so at least one of any
   * {@code terms − theta + 1} of them (the essential ones, read whole; the rest are read where they meet
   * them). The longest terms go first: a long word or a run of pairs is rarer than a short one.
   */
  private static Lookups bodies(List<String> terms, int theta, Window w) {
    List<String> byRarity = new ArrayList<>(terms);
    byRarity.sort(Comparator.comparingInt(w::bodies).thenComparingInt((String t) -> -t.codePointCount(0, t.length())));
    List<String> essential = byRarity.subList(0, terms.size() - theta + 1);
    String[] essentialKeys = keys(essential, SearchTerms.Field.BODY);
    Lookups lookups = new Lookups();
    for (String term : byRarity) {
      lookups.add(term, SearchTerms.Field.BODY, List.of(), essential.contains(term) ? null : essentialKeys);
    }
    return lookups;
  }

  /**
   * Two pages merged in the ranking's order; an article in both keeps its place in the first. An article of
   * an earlier step that comes again from the body lists (with a lower, body-only score) ranks below the
   * whole earlier page, so it can never displace one of its articles.
   */
  static List<Ranked> merge(List<Ranked> page, List<Ranked> more, int limit) {
    java.util.Map<UUID, Ranked> byId = new java.util.LinkedHashMap<>();
    page.forEach(h -> byId.put(h.id(), h));
    more.forEach(h -> byId.putIfAbsent(h.id(), h));
    return byId.values().stream().sorted(RANKING).limit(limit).toList();
  }

  /** The latest update first, then the id as unsigned bytes (as {@code uuid} sorts in PostgreSQL). */
  static final Comparator<Ranked> NEWEST_FIRST = Comparator.comparing(Ranked::updatedAt, Comparator.<Instant>reverseOrder())
      .thenComparing(Ranked::id, (a, b) -> {
        int high = Long.compareUnsigned(a.getMostSignificantBits(), b.getMostSignificantBits());
        return high != 0 ? high : Long.compareUnsigned(a.getLeastSignificantBits(), b.getLeastSignificantBits());
      });

  /** PostgreSQL's order: score, then {@link #NEWEST_FIRST} (also the walk's order, see {@link #window}). */
  static final Comparator<Ranked> RANKING = Comparator.comparingInt((Ranked h) -> -h.score()).thenComparing(NEWEST_FIRST);

  private static String[] keys(List<String> terms, SearchTerms.Field... fields) {
    java.util.Set<String> keys = new java.util.LinkedHashSet<>();
    for (String term : terms) {
      for (SearchTerms.Field field : fields) {
        SearchTerms.keys(term).forEach(k -> keys.add(field.prefix + k));
      }
    }
    return keys.toArray(new String[0]);
  }

  /**
   * Lookups in the term index, each one (term, field) list, optionally only where it meets other keys: all of
   * {@code alsoAll} (another list, exactly) or any of {@code meetingAny} (a superset of other lists, or some
   * articles' own keys). A list may be looked up in parts: an article found twice in the same list counts once.
   */
  private static final class Lookups {
    private final List<String> keys = new ArrayList<>();
    private final List<String> meeting = new ArrayList<>();
    private final List<Integer> list = new ArrayList<>();
    private final List<Integer> weight = new ArrayList<>();
    private final java.util.Map<String, Integer> lists = new java.util.HashMap<>();

    void add(String term, SearchTerms.Field field, List<String> alsoAll, String[] meetingAny) {
      java.util.Set<String> all = new java.util.LinkedHashSet<>();
      SearchTerms.keys(term).forEach(k -> all.add(field.prefix + k));
      all.addAll(alsoAll);
      keys.add(String.join(" ", all));
      meeting.add(meetingAny == null ? null : String.join(" ", meetingAny));
      list.add(lists.computeIfAbsent(field.prefix + term, k -> lists.size()));
      weight.add(field.weight);
    }

    /** One lookup: the articles among {@code among} (their keys) whose bodies hold every one of {@code terms}. */
    void all(List<String> terms, String among, int weight) {
      keys.add(String.join(" ", java.util.Arrays.asList(keys(terms, SearchTerms.Field.BODY))));
      meeting.add(among);
      list.add(lists.computeIfAbsent("all", k -> lists.size()));
      this.weight.add(weight);
    }

    /** The top {@code limit} articles scoring at least {@code atLeast}, whole, in the ranking's order. */
    Future<List<Ranked>> run(SqlClient db, int atLeast, int limit) {
      return db.preparedQuery(LOOKUPS).execute(Tuple.of(keys.toArray(new String[0]), meeting.toArray(new String[0]),
              list.toArray(new Integer[0]), weight.toArray(new Integer[0]), (long) atLeast, limit))
          .map(rows -> {
            List<Ranked> out = new ArrayList<>();
            rows.forEach(r -> out.add(new Ranked(r.getUUID("id"), r.getOffsetDateTime("updated_at").toInstant(),
                r.getLong("score").intValue())));
            return out;
          });
    }
  }

  /**
   * One statement for every search, so it is prepared once per connection and its plan kept (a statement
   * per query shape was planned again on every search: the client caches statements under 2 kB only). Each
   * lookup is a row: its keys (space-separated: index terms hold no spaces), the keys it must meet (any of
   * them; its own keys when it need meet nothing else, which adds no condition), its list and weight. The
   * lookup's keys are only known at run time, so the planner takes the index for each (see {@link #search}).
   */
  private static final String LOOKUPS = "SELECT id, updated_at, sum(w) AS score FROM (SELECT DISTINCT m.id, m.updated_at,"
      + " l.n, l.w FROM unnest($1::text[], $2::text[], $3::int[], $4::int[]) AS l(keys, meeting, n, w)"
      + " CROSS JOIN LATERAL (SELECT k.id, k.updated_at FROM knowledge_article k"
      + " WHERE k.search_terms @> string_to_array(l.keys, ' ')"
      + " AND k.search_terms && string_to_array(coalesce(l.meeting, l.keys), ' ') AND k.deleted_at IS NULL) m) d"
      + " GROUP BY id, updated_at HAVING sum(w) >= $5 ORDER BY score DESC, updated_at DESC, id LIMIT $6";

  /** The page's articles, whole, in the page's order (one that was deleted meanwhile is left out). */
  private static Future<List<Hit>> articles(SqlClient db, List<Ranked> page) {
    if (page.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    return db.preparedQuery(BY_IDS).execute(Tuple.tuple()
        .addArrayOfUUID(page.stream().map(Ranked::id).toArray(UUID[]::new))
        .addArrayOfInteger(page.stream().map(Ranked::score).toArray(Integer[]::new))).map(KnowledgeRepository::hits);
  }

  private static List<Hit> hits(RowSet<Row> set) {
    List<Hit> out = new ArrayList<>();
    set.forEach(r -> out.add(new Hit(r.getUUID("id"), r.getInteger("score"), scored(r.getBuffer("doc"), r.getInteger("score")))));
    return out;
  }

  /** The stored document (its score 0, the last member) with this score instead. */
  static Buffer scored(Buffer doc, int score) {
    int cut = doc.length() - 2;
    if (cut < 0 || doc.getByte(cut) != '0' || doc.getByte(cut + 1) != '}') {
      throw new IllegalStateException("a stored article document does not end with its score 0");
    }
    return score == 0 ? doc : Buffer.buffer(doc.length() + 8).appendBuffer(doc, 0, cut).appendString(score + "}");
  }

  private static Optional<Article> first(RowSet<Row> rows) {
    return rows.size() == 0 ? Optional.empty() : Optional.of(article(rows.iterator().next()));
  }

  private static Article article(Row r) {
    String[] tags = r.getArrayOfStrings("tags");
    return new Article(r.getUUID("id"), r.getString("title"), r.getString("body"),
        tags == null ? List.of() : Arrays.asList(tags), r.getInteger("version"), r.getString("created_by"),
        r.getOffsetDateTime("created_at").toInstant(), r.getOffsetDateTime("updated_at").toInstant());
  }
}
