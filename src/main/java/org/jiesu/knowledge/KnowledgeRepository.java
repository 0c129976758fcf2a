package org.jiesu.knowledge;

import io.vertx.core.Future;
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
  private static final String BY_IDS = "SELECT " + COLUMNS + " FROM knowledge_article WHERE id = ANY($1)"
      + " AND deleted_at IS NULL";
  private static final String RECENT = "SELECT " + COLUMNS + ", 0 AS score FROM knowledge_article"
      + " WHERE deleted_at IS NULL ORDER BY updated_at DESC, id LIMIT $1";

  /** How many of the newest articles are scored first (see {@link #search}). */
  static final int WALK = 64;
  /** A list found in at most this many of the newest articles is taken to be short (a strategy, not the answer). */
  private static final int RARE = 1;

  private final int walk;

  public KnowledgeRepository() {
    this(WALK);
  }

  /** With another number of newest articles scored first: the tests take few, and more than there are. */
  KnowledgeRepository(int walk) {
    this.walk = walk;
  }

  /** At most this many long terms have their body lists read whole in the first step. */
  private static final int MAX_SEEDS = 2;

  /** An article with its search score. */
  public record Hit(Article article, int score) {}

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
   * (MaxScore-style pruning over the per-field posting lists, exact: see {@link Ranking}):
   *
   * <ol>
   *   <li>the {@link #WALK} newest articles are scored exactly, inside the index ({@link #window}): an article
   *       not yet scored is older than all of them, so it loses a tie with any of them. Every later page is
   *       merged with theirs and settles when its last score beats the bound for the articles not yet scored,
   *       or equals it and is no later than the last of the newest ({@link #settled}). When they are all the
   *       live articles, that is the ranking; when every list is in at most {@link #RARE} of them, every list
   *       is read at once (they are short);</li>
   *   <li>the title and tag lists (small: a title is a few words) are read whole, and the body lists only
   *       where they meet them, so every article with a title or tag match gets its full score;</li>
   *   <li>any other article scores at most one point per query term (its body matches). When the page's
   *       last score beats that, the page is the answer: one statement, whatever the body lists hold;</li>
   *   <li>otherwise an article outside the first step needs {@code θ} body matches (the page's last score)
   *       to reach the page, so it must be in one of the {@code terms − θ + 1} essential body lists; only
   *       those are read whole, the others only where they meet them;</li>
   *   <li>with fewer results than the page, every body list is read whole (then they are short).</li>
   * </ol>
   *
   * <p>Each lookup is one scan of the GIN index over {@code search_terms}; the condition "where they meet
   * the title and tag lists" is a second condition on the same index ({@code && keys}), which the index
   * answers by skipping through the long list, so no article row is visited for a body match it cannot
   * use. Each lookup's terms are a sub-select ({@code @> (SELECT $n)}) so the planner cannot see them:
   * seeing a term found in most articles, it would pick a sequential scan, which it prices without the
   * cost of unpacking every article's stored terms (seconds at 10,000 articles, against milliseconds by
   * the index).
   */
  public Future<List<Hit>> search(SqlClient db, List<String> terms, int limit) {
    return ranked(db, terms, limit).map(Ranking::hits);
  }

  /** How a page was found: the step that settled it (see {@link #search}), for tests and measurements. */
  enum Step { RECENT, NEWEST, TAGS, TITLES_AND_TAGS, ESSENTIAL_BODIES, EVERY_LIST }

  /** A ranked page and the step that settled it. */
  record Ranking(List<Hit> hits, Step step) {}

  Future<Ranking> ranked(SqlClient db, List<String> terms, int limit) {
    if (terms.isEmpty()) {
      return db.preparedQuery(RECENT).execute(Tuple.of(limit)).map(rows -> new Ranking(hits(rows), Step.RECENT));
    }
    return page(db, terms, limit).compose(page -> articles(db, page.ranked()).map(hits -> new Ranking(hits, page.step())));
  }

  /** An article's place in the ranking, without the article: the steps pass only these, the page is read once. */
  record Ranked(UUID id, Instant updatedAt, int score) {}

  private record Page(List<Ranked> ranked, Step step) {}

  private Future<Page> page(SqlClient db, List<String> terms, int limit) {
    return window(db, terms, walk).compose(w -> {
      if (w.newest().isEmpty()) {
        return Future.succeededFuture(new Page(List.of(), Step.NEWEST));
      }
      if (w.newest().size() < walk) {
        return Future.succeededFuture(new Page(merge(w.ranked(), List.of(), limit), Step.NEWEST));
      }
      return beyond(db, terms, limit, w, w.newest().get(w.newest().size() - 1));
    });
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
    // the long terms (a run of three Han characters or more: all its pairs in one field) that are rare in the
    // newest articles have their body lists read whole in every step; an article outside them misses their points
    List<String> seeds = terms.stream().filter(t -> SearchTerms.keys(t).size() > 1 && w.bodies(t) <= RARE)
        .sorted(Comparator.comparingInt(w::bodies)
            .thenComparingInt((String t) -> -SearchTerms.keys(t).size())).limit(MAX_SEEDS).toList();
    int bodiesOutside = terms.size() - seeds.size();
    return candidates(terms, seeds, SearchTerms.Field.TAGS).run(db, 1, limit).compose(tags -> {
      List<Ranked> tagged = merge(tags, w.ranked(), limit);
      if (settled(tagged, limit, SearchTerms.Field.TITLE.weight * terms.size() + bodiesOutside, frontier)) {
        return Future.succeededFuture(new Page(tagged, Step.TAGS));
      }
      return candidates(terms, seeds, SearchTerms.Field.TAGS, SearchTerms.Field.TITLE).run(db, 1, limit)
          .compose(titles -> {
            List<Ranked> page = merge(titles, w.ranked(), limit);
            if (settled(page, limit, bodiesOutside, frontier)) {
              return Future.succeededFuture(new Page(page, Step.TITLES_AND_TAGS));
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
   * The newest articles scored, in one statement. Their titles and tags are short: they are read with the
   * articles and matched here, by the same terms the index holds for them ({@link SearchTerms#indexed}).
   * Their bodies are matched in the index: each body list looked up only where it meets those articles' own
   * keys ({@link SearchTerms#idKey}, a second condition on the same index: no long list is read, no article's
   * stored terms are unpacked). Also counts how many of them each list holds.
   */
  private static Future<Window> window(SqlClient db, List<String> terms, int walk) {
    SearchTerms.Field[] fields = SearchTerms.Field.values();
    String[] keys = new String[terms.size()];
    Integer[] lists = new Integer[keys.length];
    for (int t = 0; t < terms.size(); t++) {
      keys[t] = String.join(" ", SearchTerms.keys(terms.get(t)).stream().map(k -> SearchTerms.Field.BODY.prefix + k).toList());
      lists[t] = t;
    }
    return db.preparedQuery(WINDOW).execute(Tuple.of(walk, keys, lists)).map(rows -> {
      int[] counts = new int[terms.size() * fields.length];
      java.util.Map<UUID, Ranked> scored = new java.util.HashMap<>();
      List<Ranked> newest = new ArrayList<>();
      for (Row r : rows) {
        UUID id = r.getUUID("id");
        Instant at = r.getOffsetDateTime("updated_at").toInstant();
        Integer body = r.getInteger("n");
        int points = 0;
        if (body != null) {
          counts[body * fields.length + SearchTerms.Field.BODY.ordinal()]++;
          points = SearchTerms.Field.BODY.weight;
        } else {
          newest.add(new Ranked(id, at, 0));
          String[] tagArray = r.getArrayOfStrings("tags");
          java.util.Set<String> title = SearchTerms.indexed(r.getString("title"));
          java.util.Set<String> tags = SearchTerms.indexed(tagArray == null ? "" : String.join(" ", tagArray));
          for (int t = 0; t < terms.size(); t++) {
            List<String> needed = SearchTerms.keys(terms.get(t));
            if (title.containsAll(needed)) {
              counts[t * fields.length + SearchTerms.Field.TITLE.ordinal()]++;
              points += SearchTerms.Field.TITLE.weight;
            }
            if (tags.containsAll(needed)) {
              counts[t * fields.length + SearchTerms.Field.TAGS.ordinal()]++;
              points += SearchTerms.Field.TAGS.weight;
            }
          }
        }
        if (points > 0) {
          Ranked before = scored.get(id);
          scored.put(id, new Ranked(id, at, (before == null ? 0 : before.score()) + points));
        }
      }
      newest.sort(NEWEST_FIRST);
      return new Window(newest, scored.values().stream().sorted(RANKING).toList(), terms, counts);
    });
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

  /**
   * The newest live articles (rows without a list number) and, for each body list (numbered), those of them
   * it holds. The lookups read the articles' keys from a fenced sub-select ({@code OFFSET 0}) of the same
   * row, so both conditions stay in one scan of the index; where the planner sees the keys as the same for
   * every lookup it evaluates them once and tests each lookup's keys on the stored terms (40 times slower).
   */
  private static final String WINDOW = "WITH newest AS MATERIALIZED (SELECT id, updated_at, title, tags"
      + " FROM knowledge_article WHERE deleted_at IS NULL ORDER BY updated_at DESC, id LIMIT $1)"
      + " SELECT id, updated_at, title, tags, NULL::int AS n FROM newest"
      + " UNION ALL SELECT m.id, m.updated_at, NULL, NULL, x.n FROM (SELECT l.keys, l.n,"
      + " (SELECT string_agg('i:' || id::text, ' ') FROM newest) AS among"
      + " FROM unnest($2::text[], $3::int[]) AS l(keys, n) OFFSET 0) x CROSS JOIN LATERAL (SELECT k.id, k.updated_at"
      + " FROM knowledge_article k WHERE k.search_terms @> string_to_array(x.keys, ' ')"
      + " AND k.search_terms && string_to_array(x.among, ' ') AND k.deleted_at IS NULL) m";

  /** The score a newcomer must beat to enter a full page; 0 while the page is not full. */
  private static int kth(List<Ranked> page, int limit) {
    return page.size() < limit ? 0 : page.get(limit - 1).score();
  }

  /**
   * Every article in the lists of the {@code whole} fields or in the seeds' body lists, with its full score:
   * those lists are read whole, the others only where they meet them (a superset of the {@code whole} lists
   * by any of their keys; each seed's list exactly).
   */
  private static Lookups candidates(List<String> terms, List<String> seeds, SearchTerms.Field... whole) {
    List<SearchTerms.Field> read = List.of(whole);
    String[] meeting = keys(terms, whole);
    Lookups lookups = new Lookups();
    for (String term : terms) {
      for (SearchTerms.Field field : SearchTerms.Field.values()) {
        if (read.contains(field) || (field == SearchTerms.Field.BODY && seeds.contains(term))) {
          lookups.add(term, field, List.of(), null);
          continue;
        }
        lookups.add(term, field, List.of(), meeting);
        for (String seed : seeds) {
          lookups.add(term, field, SearchTerms.keys(seed).stream().map(k -> SearchTerms.Field.BODY.prefix + k).toList(),
              null);
        }
      }
    }
    return lookups;
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
   * The page from the title-and-tag step and the best body-only articles, merged in the ranking's order. An
   * article of the first step that comes again from the body lists (with a lower, body-only score) ranks
   * below the whole first page, so it can never displace one of its articles.
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
   * {@code alsoAll} (another list, exactly) or any of {@code meetingAny} (a superset of other lists). A list
   * may be looked up in parts (where it meets one list, where it meets another): an article found twice in
   * the same list counts once.
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
    return db.preparedQuery(BY_IDS).execute(Tuple.of(page.stream().map(Ranked::id).toArray(UUID[]::new)))
        .map(rows -> {
          java.util.Map<UUID, Article> byId = new java.util.HashMap<>();
          rows.forEach(r -> byId.put(r.getUUID("id"), article(r)));
          return page.stream().filter(p -> byId.containsKey(p.id()))
              .map(p -> new Hit(byId.get(p.id()), p.score())).toList();
        });
  }

  private static List<Hit> hits(RowSet<Row> set) {
    List<Hit> out = new ArrayList<>();
    set.forEach(r -> out.add(new Hit(article(r), r.getLong("score").intValue())));
    return out;
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
