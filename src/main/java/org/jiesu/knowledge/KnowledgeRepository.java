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
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Knowledge-base SQL. */
public final class KnowledgeRepository {

  private static final String COLUMNS = "id, title, body, tags, version, created_by, created_at, updated_at";
  private static final String INSERT = "INSERT INTO knowledge_article (" + COLUMNS
      + ") VALUES ($1, $2, $3, $4, 1, $5, $6, $6) RETURNING " + COLUMNS;
  private static final String UPDATE = "UPDATE knowledge_article SET title = $2, body = $3, tags = $4,"
      + " version = version + 1, updated_at = $5 WHERE id = $1 AND deleted_at IS NULL RETURNING " + COLUMNS;
  private static final String DELETE = "UPDATE knowledge_article SET deleted_at = $2 WHERE id = $1 AND deleted_at IS NULL";
  private static final String BY_ID = "SELECT " + COLUMNS + " FROM knowledge_article WHERE id = $1 AND deleted_at IS NULL";
  /**
   * Ranks each live article by its terms: 3 points for a term in the title, 2 in the tags, 1 in the body.
   * A full scan with strpos: fine for a knowledge base of thousands of articles, and it needs no
   * language-specific text-search configuration for Chinese.
   */
  private static final String SEARCH = """
      SELECT a.id, a.title, a.body, a.tags, a.version, a.created_by, a.created_at, a.updated_at, s.score
      FROM knowledge_article a,
      LATERAL (
        SELECT sum(CASE WHEN strpos(lower(normalize(a.title, NFKC)), t) > 0 THEN 3 ELSE 0 END
                 + CASE WHEN strpos(lower(normalize(array_to_string(a.tags, ' '), NFKC)), t) > 0 THEN 2 ELSE 0 END
                 + CASE WHEN strpos(lower(normalize(a.body, NFKC)), t) > 0 THEN 1 ELSE 0 END) AS score
        FROM unnest($1::text[]) AS t
      ) s
      WHERE a.deleted_at IS NULL AND s.score > 0
      ORDER BY s.score DESC, a.updated_at DESC, a.id
      LIMIT $2""";
  private static final String RECENT = "SELECT " + COLUMNS + ", 0 AS score FROM knowledge_article"
      + " WHERE deleted_at IS NULL ORDER BY updated_at DESC, id LIMIT $1";

  /** An article with its search score. */
  public record Hit(Article article, int score) {}

  public Future<Article> insert(SqlClient db, Article a) {
    return db.preparedQuery(INSERT).execute(Tuple.of(a.id(), a.title(), a.body(), a.tags().toArray(new String[0]),
        a.createdBy(), a.createdAt().atOffset(ZoneOffset.UTC))).map(rows -> article(rows.iterator().next()));
  }

  public Future<Optional<Article>> update(SqlClient db, UUID id, String title, String body, List<String> tags,
      Instant now) {
    return db.preparedQuery(UPDATE).execute(Tuple.of(id, title, body, tags.toArray(new String[0]),
        now.atOffset(ZoneOffset.UTC))).map(KnowledgeRepository::first);
  }

  public Future<Boolean> delete(SqlClient db, UUID id, Instant now) {
    return db.preparedQuery(DELETE).execute(Tuple.of(id, now.atOffset(ZoneOffset.UTC)))
        .map(rows -> rows.rowCount() == 1);
  }

  public Future<Optional<Article>> byId(SqlClient db, UUID id) {
    return db.preparedQuery(BY_ID).execute(Tuple.of(id)).map(KnowledgeRepository::first);
  }

  public Future<List<Hit>> search(SqlClient db, List<String> terms, int limit) {
    Future<RowSet<Row>> rows = terms.isEmpty()
        ? db.preparedQuery(RECENT).execute(Tuple.of(limit))
        : db.preparedQuery(SEARCH).execute(Tuple.of(terms.toArray(new String[0]), limit));
    return rows.map(set -> {
      List<Hit> out = new ArrayList<>();
      set.forEach(r -> out.add(new Hit(article(r), r.getLong("score").intValue())));
      return out;
    });
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
