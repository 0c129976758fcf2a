package org.jiesu.knowledge;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The title and tag terms of every article, in memory: the ranking's title and tag points (3 and 2 a
 * term) without an index scan. A title is a few words, so this is small (tens of terms an article), while
 * the title list of a common word in the term index holds a large share of all articles, and reading it
 * there visits every one of them. Here a term's points are counted over lists of article numbers: a
 * common word in 3,000 titles costs 3,000 additions, not 3,000 row visits.
 *
 * <p>It is kept current from the rows the database says changed ({@link Row}, see
 * {@code KnowledgeRepository.SYNC}): each carries the id of the transaction that wrote it, and a row older
 * than the one already applied for its article is ignored, so reads that overlap or arrive out of order
 * cannot bring back an older title or a deleted article. Plain Java, no I/O; safe to share between
 * threads.
 */
final class ArticleHeads {

  /** An article as last written, with the transaction that wrote it (deleted: its terms are dropped). */
  record Row(UUID id, long txid, Instant updatedAt, String title, List<String> tags, boolean deleted) {}

  private record Head(long txid, Instant updatedAt, Set<String> title, Set<String> tags, boolean live) {}

  /** Each article's number: its place in {@link #ids} and {@link #heads}, and what the lists hold. */
  private final Map<UUID, Integer> numbers = new HashMap<>();
  private final List<UUID> ids = new ArrayList<>();
  private final List<Head> heads = new ArrayList<>();
  private final Map<String, Numbers> titles = new HashMap<>();
  private final Map<String, Numbers> tags = new HashMap<>();
  private long watermark;
  /** Each article's place among all by {@code KnowledgeRepository.NEWEST_FIRST}; made again after a change. */
  private int[] recency;
  /** The article numbers in that order. */
  private int[] order;
  /** The body terms of the newest articles (see {@link #newest}), with the transaction they were read at. */
  private final Map<Integer, Body> bodies = new HashMap<>();

  private record Body(long txid, Set<String> terms) {}

  /** Rows written by transactions from this one on may be missing here: the next read asks for them. */
  synchronized long watermark() {
    return watermark;
  }

  /**
   * Applies rows read in a snapshot whose oldest running transaction was {@code xmin}: every transaction
   * before it had committed (or failed) and its rows were in that read.
   */
  synchronized void apply(List<Row> rows, long xmin) {
    for (Row row : rows) {
      Integer known = numbers.get(row.id());
      int n;
      if (known == null) {
        n = ids.size();
        numbers.put(row.id(), n);
        ids.add(row.id());
        heads.add(null);
      } else {
        n = known;
        Head before = heads.get(n);
        if (before.txid() > row.txid()) {
          continue; // an older read, applied after a newer one
        }
        before.title().forEach(k -> titles.get(k).remove(n));
        before.tags().forEach(k -> tags.get(k).remove(n));
      }
      Head after = row.deleted()
          ? new Head(row.txid(), row.updatedAt(), Set.of(), Set.of(), false)
          : new Head(row.txid(), row.updatedAt(), SearchTerms.indexed(row.title()),
              SearchTerms.indexed(String.join(" ", row.tags())), true);
      heads.set(n, after);
      after.title().forEach(k -> titles.computeIfAbsent(k, x -> new Numbers()).add(n));
      after.tags().forEach(k -> tags.computeIfAbsent(k, x -> new Numbers()).add(n));
    }
    if (!rows.isEmpty()) {
      recency = null;
    }
    watermark = Math.max(watermark, xmin);
  }

  /** The article's number, or -1 when it is not held. */
  synchronized int number(UUID id) {
    Integer n = numbers.get(id);
    return n == null ? -1 : n;
  }

  synchronized UUID id(int n) {
    return ids.get(n);
  }

  synchronized Instant updatedAt(int n) {
    return heads.get(n).updatedAt();
  }

  /** The article's place by recency (0: the latest update; ties by id as PostgreSQL orders uuids). */
  synchronized int recency(int n) {
    ordered();
    return recency[n];
  }

  private void ordered() {
    if (recency != null) {
      return;
    }
    Integer[] sorted = new Integer[ids.size()];
    for (int i = 0; i < sorted.length; i++) {
      sorted[i] = i;
    }
    Arrays.sort(sorted, (a, b) -> KnowledgeRepository.NEWEST_FIRST.compare(
        new KnowledgeRepository.Ranked(ids.get(a), heads.get(a).updatedAt(), 0),
        new KnowledgeRepository.Ranked(ids.get(b), heads.get(b).updatedAt(), 0)));
    recency = new int[sorted.length];
    order = new int[sorted.length];
    for (int i = 0; i < sorted.length; i++) {
      recency[sorted[i]] = i;
      order[i] = sorted[i];
    }
  }

  /** The numbers of the {@code walk} most recently updated live articles, the latest first. */
  synchronized List<Integer> newest(int walk) {
    ordered();
    List<Integer> out = new ArrayList<>(walk);
    for (int i = 0; i < order.length && out.size() < walk; i++) {
      if (heads.get(order[i]).live()) {
        out.add(order[i]);
      }
    }
    return out;
  }

  /** Those of {@code articles} whose body terms are not held as last written: they are to be read. */
  synchronized List<UUID> bodiesToRead(List<Integer> articles) {
    List<UUID> out = new ArrayList<>();
    for (int n : articles) {
      Body body = bodies.get(n);
      if (body == null || body.txid() < heads.get(n).txid()) {
        out.add(ids.get(n));
      }
    }
    return out;
  }

  /**
   * Holds the body terms read for these articles (the index terms with the body's prefix, without it), and
   * drops those held for articles no longer among {@code newest}: only the newest articles' are kept.
   */
  synchronized void holdBodies(Map<UUID, Long> txids, Map<UUID, Set<String>> terms, List<Integer> newest) {
    terms.forEach((id, body) -> {
      Integer n = numbers.get(id);
      if (n != null) {
        bodies.put(n, new Body(txids.get(id), body));
      }
    });
    if (bodies.size() > 2 * newest.size()) {
      bodies.keySet().retainAll(new java.util.HashSet<>(newest));
    }
  }

  /**
   * Whether the live article's {@code field} holds every one of a term's {@code keys}; a body only when it
   * is held (one of the newest articles, see {@link #holdBodies}).
   */
  synchronized boolean has(int n, SearchTerms.Field field, List<String> keys) {
    Head head = heads.get(n);
    if (!head.live()) {
      return false;
    }
    Set<String> terms = switch (field) {
      case TITLE -> head.title();
      case TAGS -> head.tags();
      case BODY -> bodies.containsKey(n) ? bodies.get(n).terms() : Set.of();
    };
    return terms.containsAll(keys);
  }

  /** Each article's title and tag points, by number (0 for most: no query term in its title or tags). */
  synchronized int[] points(List<String> terms) {
    int[] points = new int[ids.size()];
    int[] found = new int[ids.size()];
    for (String term : terms) {
      List<String> keys = SearchTerms.keys(term);
      count(titles, keys, SearchTerms.Field.TITLE.weight, points, found);
      count(tags, keys, SearchTerms.Field.TAGS.weight, points, found);
    }
    return points;
  }

  /** Adds {@code weight} for every article whose field's lists hold all of {@code keys}; {@code found} is left zero. */
  private static void count(Map<String, Numbers> lists, List<String> keys, int weight, int[] points, int[] found) {
    Numbers[] all = new Numbers[keys.size()];
    for (int k = 0; k < all.length; k++) {
      all[k] = lists.get(keys.get(k));
      if (all[k] == null) {
        return;
      }
    }
    if (all.length == 1) {
      all[0].forEach(n -> points[n] += weight);
      return;
    }
    for (Numbers list : all) {
      list.forEach(n -> found[n]++);
    }
    Numbers first = all[0];
    first.forEach(n -> {
      if (found[n] == all.length) {
        points[n] += weight;
      }
    });
    for (Numbers list : all) {
      list.forEach(n -> found[n] = 0);
    }
  }

  /** How many live articles are held (for tests). */
  synchronized int size() {
    return (int) heads.stream().filter(Head::live).count();
  }

  /** An unordered list of article numbers: add, remove by swapping with the last. */
  private static final class Numbers {
    private int[] values = new int[4];
    private int size;

    void add(int n) {
      if (size == values.length) {
        values = Arrays.copyOf(values, size * 2);
      }
      values[size++] = n;
    }

    void remove(int n) {
      for (int i = 0; i < size; i++) {
        if (values[i] == n) {
          values[i] = values[--size];
          return;
        }
      }
    }

    void forEach(java.util.function.IntConsumer action) {
      for (int i = 0; i < size; i++) {
        action.accept(values[i]);
      }
    }
  }
}
