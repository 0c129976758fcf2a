package db.migration;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;
import org.jiesu.knowledge.SearchTerms;

/**
 * Fills {@code knowledge_article.search_terms} (added by V8_1) for the articles written before it existed.
 * The terms are computed in Java, by the code that computes them on every write: PostgreSQL has no
 * Unicode script classes to find Han runs with, and a second tokenizer in SQL would drift from the first.
 * Doing it in a migration (not at each start) runs it once, in the migration's transaction, before any
 * server of this version serves; afterwards the column is NOT NULL, so no article can be unsearchable.
 */
public class V8_2__knowledge_search_terms_backfill extends BaseJavaMigration {

  @Override
  public void migrate(Context context) throws Exception {
    Connection c = context.getConnection();
    try (Statement select = c.createStatement();
        PreparedStatement update = c.prepareStatement("UPDATE knowledge_article SET search_terms = ? WHERE id = ?")) {
      select.setFetchSize(200);
      try (ResultSet rs = select.executeQuery(
          "SELECT id, title, tags, body FROM knowledge_article WHERE search_terms IS NULL")) {
        int pending = 0;
        while (rs.next()) {
          Array tags = rs.getArray("tags");
          List<String> tagList = tags == null ? List.of() : Arrays.asList((String[]) tags.getArray());
          update.setArray(1, c.createArrayOf("text",
              SearchTerms.document(rs.getString("title"), tagList, rs.getString("body"))));
          update.setObject(2, rs.getObject("id"));
          update.addBatch();
          if (++pending == 200) {
            update.executeBatch();
            pending = 0;
          }
        }
        if (pending > 0) {
          update.executeBatch();
        }
      }
    }
    try (Statement s = c.createStatement()) {
      s.execute("ALTER TABLE knowledge_article ALTER COLUMN search_terms SET NOT NULL");
    }
  }
}
