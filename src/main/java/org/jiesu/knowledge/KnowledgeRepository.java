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
      + ", search_terms) VALUES ($1, $2, $3, $4, 1, $5, $6, $6, $7) RETURNING " + COLUMNS;
  private static final String UPDATE = "UPDATE knowledge_article SET title = $2, body = $3, tags = $4,"
      + " version = version + 1, updated_at = $5, search_terms = $6 WHERE id = $1 AND deleted_at IS NULL RETURNING "
      + COLUMNS;
  private static final String DELETE = "UPDATE knowledge_article SET deleted_at = $2 WHERE id = $1 AND deleted_at IS NULL";
  private static final String BY_ID = "SELECT " + COLUMNS + " FROM knowledge_article WHERE id = $1 AND deleted_at IS NULL";
  private static final String LOCK = BY_ID + " FOR UPDATE";
  private static final String RECENT = "SELECT " + COLUMNS + ", 0 AS score FROM knowledge_article"
      + " WHERE deleted_at IS NULL ORDER BY updated_at DESC, id LIMIT $1";

  /** An article with its search score. */
  public record Hit(Article article, int score) {}

  public Future<Article> insert(SqlClient db, Article a) {
    return db.preparedQuery(INSERT).execute(Tuple.of(a.id(), a.title(), a.body(), a.tags().toArray(new String[0]),
        a.createdBy(), a.createdAt().atOffset(ZoneOffset.UTC), SearchTerms.document(a.title(), a.tags(), a.body())))
        .map(rows -> article(rows.iterator().next()));
  }

  public Future<Optional<Article>> update(SqlClient db, UUID id, String title, String body, List<String> tags,
      Instant now) {
    return db.preparedQuery(UPDATE).execute(Tuple.of(id, title, body, tags.toArray(new String[0]),
        now.atOffset(ZoneOffset.UTC), SearchTerms.document(title, tags, body))).map(KnowledgeRepository::first);
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
   * 1 in the body. Each (term, field) is one lookup in the GIN index over {@code search_terms}, so the
   * work grows with the matches of the terms, never with the size of the knowledge base or of its
   * articles; only the page returned is read whole.
   *
   * <p>Each lookup's terms are a sub-select ({@code @> (SELECT $n)}) so the planner cannot see them: seeing
   * a term found in most articles, it would pick a sequential scan, which it prices without the cost of
   * unpacking every article's stored terms (seconds at 10,000 articles, against milliseconds by the index).
   */
  public Future<List<Hit>> search(SqlClient db, List<String> terms, int limit) {
    Future<RowSet<Row>> rows;
    if (terms.isEmpty()) {
      rows = db.preparedQuery(RECENT).execute(Tuple.of(limit));
    } else {
      Tuple values = Tuple.tuple();
      StringBuilder lookups = new StringBuilder();
      for (String term : terms) {
        for (SearchTerms.Field field : SearchTerms.Field.values()) {
          values.addValue(SearchTerms.keys(term).stream().map(k -> field.prefix + k).toArray(String[]::new));
          lookups.append(lookups.length() == 0 ? "" : " UNION ALL ")
              .append("SELECT id, updated_at, ").append(field.weight)
              .append(" AS w FROM knowledge_article WHERE search_terms @> (SELECT $").append(values.size())
              .append("::text[]) AND deleted_at IS NULL");
        }
      }
      values.addValue(limit);
      rows = db.preparedQuery(searchSql(lookups.toString(), values.size())).execute(values);
    }
    return rows.map(set -> {
      List<Hit> out = new ArrayList<>();
      set.forEach(r -> out.add(new Hit(article(r), r.getLong("score").intValue())));
      return out;
    });
  }

  private static String searchSql(String lookups, int limitParameter) {
    return "SELECT a.id, a.title, a.body, a.tags, a.version, a.created_by, a.created_at, a.updated_at, s.score"
        + " FROM (SELECT id, updated_at, sum(w) AS score FROM (" + lookups + ") m GROUP BY id, updated_at"
        + " ORDER BY score DESC, updated_at DESC, id LIMIT $" + limitParameter + ") s"
        + " JOIN knowledge_article a ON a.id = s.id ORDER BY s.score DESC, s.updated_at DESC, a.id";
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
