package org.jiesu.knowledge;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.jiesu.platform.Database;
import org.jiesu.support.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The pruned ranking is the full ranking: on a seeded random corpus over a few characters (so every word
 * is common, titles share words, scores tie and updates share timestamps), every random query's pruned
 * page equals the page from reading every list whole, and each pruning step is taken many times.
 */
class RankingPruningTest {

  private static final String ALPHABET = "营业执照办理住房公积金噪音";
  static Vertx vertx;
  static Pool pool;
  static final KnowledgeRepository repository = new KnowledgeRepository();
  /** The live articles, for the ranking computed here, independently of the index. */
  static final List<Article> live = new ArrayList<>();

  @BeforeAll
  static void corpus() throws Exception {
    Database.Target target = Database.Target.parse(TestDatabase.fresh());
    Database.migrate(target);
    vertx = Vertx.vertx();
    pool = Database.pool(vertx, target, 4);
    SplittableRandom random = new SplittableRandom(20260105);
    Instant base = Instant.parse("2026-01-05T09:00:00Z");
    List<UUID> ids = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      // a third of the articles share their update time with another: the id decides between them
      Instant at = base.plusSeconds(random.nextInt(3) == 0 ? i / 2 : i);
      List<String> tags = new ArrayList<>();
      for (int t = random.nextInt(3); t > 0; t--) {
        tags.add(text(random, 2, 3));
      }
      Article a = new Article(UUID.randomUUID(), text(random, 2, 8), text(random, 0, 60), tags, 1, "test", at, at);
      await(repository.insert(pool, a));
      ids.add(a.id());
      live.add(a);
    }
    for (int i = 0; i < 20; i++) {
      UUID gone = ids.get(random.nextInt(ids.size()));
      await(repository.delete(pool, gone, base));
      live.removeIf(a -> a.id().equals(gone));
    }
  }

  @AfterAll
  static void close() {
    vertx.close();
  }

  @Test
  void prunedPagesEqualTheFullRankingForRandomQueries() throws Exception {
    Map<KnowledgeRepository.Step, Integer> steps = ranked(repository, 400, 42);
    assertThat(steps.getOrDefault(KnowledgeRepository.Step.HEADS, 0)).as("%s", steps).isGreaterThan(20);
    assertThat(steps.getOrDefault(KnowledgeRepository.Step.ESSENTIAL_BODIES, 0)).as("%s", steps).isGreaterThan(20);
    assertThat(steps.getOrDefault(KnowledgeRepository.Step.EVERY_LIST, 0)).as("%s", steps).isGreaterThan(0);
  }

  /** Few newest articles scored first: the later steps settle more, on the same rule for ties at the frontier. */
  @Test
  void aShortWindowOfNewestArticlesRanksTheSame() throws Exception {
    Map<KnowledgeRepository.Step, Integer> steps = ranked(new KnowledgeRepository(4), 200, 7);
    assertThat(steps.getOrDefault(KnowledgeRepository.Step.HEADS, 0)).as("%s", steps).isGreaterThan(10);
    assertThat(steps.getOrDefault(KnowledgeRepository.Step.EVERY_LIST, 0)).as("%s", steps).isGreaterThan(10);
  }

  /**
   * Candidates scored one a statement: a candidate found to miss a term goes back with a lower bound, often
   * into a bound already reached, and is matched again term by term; the pages are still the ranking.
   */
  @Test
  void candidatesScoredOneAtATimeRankTheSame() throws Exception {
    KnowledgeRepository oneByOne = new KnowledgeRepository(8, 1);
    Map<KnowledgeRepository.Step, Integer> steps = ranked(oneByOne, 200, 11);
    assertThat(steps.getOrDefault(KnowledgeRepository.Step.HEADS, 0)).as("%s", steps).isGreaterThan(10);
    assertThat(oneByOne.recounted.get()).isGreaterThan(50);
  }

  /** A window holding every live article is the ranking itself. */
  @Test
  void aWindowOverEveryArticleIsTheRanking() throws Exception {
    Map<KnowledgeRepository.Step, Integer> steps = ranked(new KnowledgeRepository(1000), 100, 9);
    assertThat(steps).containsOnlyKeys(KnowledgeRepository.Step.NEWEST);
  }

  /** Random queries and page sizes: each pruned page equals the full scan's and the rule's; the steps taken. */
  private static Map<KnowledgeRepository.Step, Integer> ranked(KnowledgeRepository ranking, int queries, long seed)
      throws Exception {
    SplittableRandom random = new SplittableRandom(seed);
    Map<KnowledgeRepository.Step, Integer> steps = new EnumMap<>(KnowledgeRepository.Step.class);
    for (int i = 0; i < queries; i++) {
      String query = random.nextInt(4) == 0 ? text(random, 1, 3) + " " + text(random, 1, 4) : text(random, 1, 6);
      List<String> terms = SearchTerms.of(query);
      int limit = 1 + random.nextInt(15);
      KnowledgeRepository.Ranking pruned = await(ranking.ranked(pool, terms, limit));
      List<KnowledgeRepository.Hit> full = await(repository.fullScan(pool, terms, limit));
      assertThat(summary(pruned.hits())).as("query %s, limit %d, step %s", query, limit, pruned.step())
          .isEqualTo(summary(full)).isEqualTo(byHand(terms, limit));
      steps.merge(pruned.step(), 1, Integer::sum);
    }
    return steps;
  }

  @Test
  void theMergeOrdersIdsAsPostgresqlDoes() throws Exception {
    // ids whose first byte is above 0x7f sort after the others in PostgreSQL, not before (signed longs)
    Instant at = Instant.parse("2026-02-01T00:00:00Z");
    UUID low = UUID.fromString("10000000-0000-0000-0000-000000000000");
    UUID high = UUID.fromString("f0000000-0000-0000-0000-000000000000");
    KnowledgeRepository.Ranked a = new KnowledgeRepository.Ranked(high, at, 4);
    KnowledgeRepository.Ranked b = new KnowledgeRepository.Ranked(low, at, 4);
    assertThat(KnowledgeRepository.merge(List.of(a), List.of(b), 2)).extracting(KnowledgeRepository.Ranked::id)
        .containsExactly(low, high);
  }

  /** The ranking from the rule itself: 3 per term in the title, 2 in the tags, 1 in the body; newest, then id. */
  private static List<String> byHand(List<String> terms, int limit) {
    record Scored(Article a, int score) {}
    List<Scored> scored = new ArrayList<>();
    for (Article a : live) {
      java.util.Set<String> title = SearchTerms.indexed(a.title());
      java.util.Set<String> tags = SearchTerms.indexed(String.join(" ", a.tags()));
      java.util.Set<String> body = SearchTerms.indexed(a.body());
      int score = 0;
      for (String term : terms) {
        List<String> keys = SearchTerms.keys(term);
        score += (title.containsAll(keys) ? 3 : 0) + (tags.containsAll(keys) ? 2 : 0) + (body.containsAll(keys) ? 1 : 0);
      }
      if (score > 0) {
        scored.add(new Scored(a, score));
      }
    }
    return scored.stream().sorted(java.util.Comparator.comparingInt((Scored s) -> -s.score())
            .thenComparing((Scored s) -> s.a().updatedAt(), java.util.Comparator.reverseOrder())
            .thenComparing((Scored s) -> s.a().id().toString()))
        .limit(limit).map(s -> s.a().id() + ":" + s.score()).toList();
  }

  private static List<String> summary(List<KnowledgeRepository.Hit> hits) {
    return hits.stream().map(h -> h.id() + ":" + h.score()).toList();
  }

  private static String text(SplittableRandom random, int min, int max) {
    StringBuilder s = new StringBuilder();
    for (int n = min + random.nextInt(max - min + 1); n > 0; n--) {
      s.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
      if (random.nextInt(12) == 0) {
        s.append(random.nextBoolean() ? " " : "，");
      }
    }
    return s.toString();
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
