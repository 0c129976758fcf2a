package org.jiesu.insights;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Set;
import java.util.UUID;

/**
 * Each ticket's comparison terms ({@link Similarity#terms}) kept in {@code insight_ticket_terms}, so
 * /similar does not read and split every candidate's text. A ticket's title and content never change after
 * intake, so the row written then stays right.
 */
public final class StoredTerms {

  static final String UPSERT = """
      INSERT INTO insight_ticket_terms (ticket_id, terms) VALUES ($1, $2)
      ON CONFLICT (ticket_id) DO UPDATE SET terms = excluded.terms""";

  private StoredTerms() {}

  /** The stored form: the terms, sorted (the comparison uses them as a set). */
  public static String[] stored(String title, String content) {
    Set<String> terms = Similarity.terms(title, content);
    return terms.stream().sorted().toArray(String[]::new);
  }

  public static Future<Void> write(SqlClient tx, UUID ticket, String title, String content) {
    return tx.preparedQuery(UPSERT).execute(Tuple.tuple().addUUID(ticket).addArrayOfString(stored(title, content))).mapEmpty();
  }

  /**
   * Writes the terms of every ticket matching {@code where} (an SQL condition on {@code ticket}) that has
   * none yet, in batches (JDBC: the migration and the bench). Returns how many were written.
   */
  public static long backfill(Connection c, String where) throws SQLException {
    long written = 0;
    boolean auto = c.getAutoCommit();
    if (auto) {
      c.setAutoCommit(false); // a fetch size needs a transaction to stream
    }
    try (Statement select = c.createStatement();
        PreparedStatement insert = c.prepareStatement(
            "INSERT INTO insight_ticket_terms (ticket_id, terms) VALUES (?, ?) ON CONFLICT DO NOTHING")) {
      select.setFetchSize(1000);
      try (ResultSet rs = select.executeQuery("SELECT t.id, t.title, t.content FROM ticket t WHERE (" + where
          + ") AND NOT EXISTS (SELECT 1 FROM insight_ticket_terms x WHERE x.ticket_id = t.id)")) {
        int pending = 0;
        while (rs.next()) {
          insert.setObject(1, rs.getObject("id"));
          insert.setArray(2, c.createArrayOf("text", stored(rs.getString("title"), rs.getString("content"))));
          insert.addBatch();
          written++;
          if (++pending == 1000) {
            insert.executeBatch();
            pending = 0;
          }
        }
        if (pending > 0) {
          insert.executeBatch();
        }
      }
    }
    if (auto) {
      c.commit();
      c.setAutoCommit(true);
    }
    return written;
  }
}
