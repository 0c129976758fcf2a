package org.jiesu.insights;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Set;
import org.jiesu.ticket.ChangeRows;

/**
 * Each ticket's comparison terms ({@link Similarity#terms}) kept in {@code insight_ticket_terms}, so
 * /similar does not read and split every candidate's text. A ticket's title and content never change after
 * intake, so the row written then stays right.
 */
public final class StoredTerms {

  private StoredTerms() {}

  /** The stored form: the terms, sorted (the comparison uses them as a set). */
  public static String[] stored(String title, String content) {
    Set<String> terms = Similarity.terms(title, content);
    return terms.stream().sorted().toArray(String[]::new);
  }

  /** A new ticket's terms as a record of the intake's own statement ({@link ChangeRows}: joined to the ticket made). */
  static final String INTAKE_INSERT = """
      INSERT INTO insight_ticket_terms (ticket_id, terms)
      SELECT x.ticket_id, x.terms
        FROM jsonb_populate_recordset(NULL::insight_ticket_terms, $1::jsonb) AS x JOIN ins ON ins.id = x.ticket_id
      RETURNING 1""";

  static ChangeRows intakeRows(java.util.UUID ticket, String title, String content) {
    return new ChangeRows(INTAKE_INSERT, java.util.List.of(new io.vertx.core.json.JsonArray().add(
        new io.vertx.core.json.JsonObject().put("ticket_id", ticket.toString())
            .put("terms", new io.vertx.core.json.JsonArray(java.util.Arrays.asList((Object[]) stored(title, content)))))));
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
