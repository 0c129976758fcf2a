package db.migration;

import java.sql.Connection;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;
import org.jiesu.insights.StoredTerms;

/**
 * Fills {@code insight_ticket_terms} (V27_1) for the tickets taken in before it existed, computed in Java by
 * the function /similar compares with ({@link org.jiesu.insights.Similarity#terms}): a second tokenizer in SQL
 * would drift from it. Runs once, in the migration's transaction, before any server of this version serves.
 */
public class V27_2__insight_ticket_terms_backfill extends BaseJavaMigration {

  @Override
  public void migrate(Context context) throws Exception {
    Connection c = context.getConnection();
    StoredTerms.backfill(c, "TRUE");
  }
}
