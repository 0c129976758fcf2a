package org.jiesu.knowledge;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.jiesu.platform.Database;
import org.jiesu.support.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A server's titles and tags in memory follow what other servers write: after updates, deletions and new
 * articles written through another repository (another replica), every search still ranks as reading every
 * list whole in the database does, including the newest articles whose bodies are held in memory.
 */
class SearchFollowsWritesTest {

  private static final String ALPHABET = "营业执照办理住房公积金噪音";
  static Vertx vertx;
  static Pool pool;

  @BeforeAll
  static void database() throws Exception {
    Database.Target target = Database.Target.parse(TestDatabase.fresh());
    Database.migrate(target);
    vertx = Vertx.vertx();
    pool = Database.pool(vertx, target, 4);
  }

  @AfterAll
  static void close() {
    vertx.close();
  }

  @Test
  void searchesRankAsTheDatabaseDoesAfterAnotherServersWrites() throws Exception {
    KnowledgeRepository searching = new KnowledgeRepository(4, 3);
    KnowledgeRepository writing = new KnowledgeRepository();
    SplittableRandom random = new SplittableRandom(7);
    Instant at = Instant.parse("2026-04-01T00:00:00Z");
    List<UUID> ids = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      at = at.plusSeconds(1).plusNanos(250_000); // fractions with and without trailing zeros
      Article a = new Article(UUID.randomUUID(), text(random, 2, 6), text(random, 5, 40), List.of(text(random, 2, 3)),
          1, "test", at, at);
      await(writing.insert(pool, a));
      ids.add(a.id());
    }
    int compared = compare(searching, random, 40);
    for (int round = 0; round < 6; round++) {
      // titles and bodies rewritten (among them the newest), articles deleted, new ones added
      for (int i = 0; i < 8; i++) {
        at = at.plusSeconds(1).plusNanos(250_000); // fractions with and without trailing zeros
        UUID id = ids.get(random.nextInt(ids.size()));
        await(writing.update(pool, id, text(random, 2, 6), text(random, 5, 40), List.of(text(random, 2, 3)), at));
      }
      UUID gone = ids.remove(random.nextInt(ids.size()));
      await(writing.delete(pool, gone, at));
      at = at.plusSeconds(1).plusNanos(250_000); // fractions with and without trailing zeros
      Article a = new Article(UUID.randomUUID(), text(random, 2, 6), text(random, 5, 40), List.of(), 1, "test", at, at);
      await(writing.insert(pool, a));
      ids.add(a.id());
      compared += compare(searching, random, 30);
    }
    assertThat(compared).isEqualTo(40 + 6 * 30);
  }

  private static int compare(KnowledgeRepository searching, SplittableRandom random, int queries) throws Exception {
    for (int i = 0; i < queries; i++) {
      String query = text(random, 1, 5);
      List<String> terms = SearchTerms.of(query);
      int limit = 1 + random.nextInt(12);
      KnowledgeRepository.Ranking pruned = await(searching.ranked(pool, terms, limit));
      List<KnowledgeRepository.Hit> full = await(searching.fullScan(pool, terms, limit));
      assertThat(pruned.hits().stream().map(h -> h.id() + ":" + h.score()).toList())
          .as("query %s, limit %d, step %s", query, limit, pruned.step())
          .isEqualTo(full.stream().map(h -> h.id() + ":" + h.score()).toList());
      for (KnowledgeRepository.Hit hit : pruned.hits()) {
        // the document answered is the article as it is now (documents are held between searches)
        io.vertx.core.json.JsonObject doc = hit.json().toJsonObject();
        Article now = await(searching.byId(pool, hit.id())).orElseThrow();
        assertThat(doc.getString("title")).isEqualTo(now.title());
        assertThat(doc.getString("body")).isEqualTo(now.body());
        assertThat(doc.getInteger("version")).isEqualTo(now.version());
        assertThat(doc.getInteger("score")).isEqualTo(hit.score());
        // written as every other answer writes times (the database builds this one)
        assertThat(doc.getString("updatedAt")).isEqualTo(org.jiesu.platform.Times.rfc3339(now.updatedAt()));
        assertThat(doc.getString("createdAt")).isEqualTo(org.jiesu.platform.Times.rfc3339(now.createdAt()));
        assertThat(doc.getJsonArray("tags").getList()).isEqualTo(now.tags());
      }
    }
    return queries;
  }

  private static String text(SplittableRandom random, int min, int max) {
    StringBuilder s = new StringBuilder();
    for (int n = min + random.nextInt(max - min + 1); n > 0; n--) {
      s.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
      if (random.nextInt(10) == 0) {
        s.append(' ');
      }
    }
    return s.toString();
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
