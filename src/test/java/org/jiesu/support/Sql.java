package org.jiesu.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.jiesu.platform.Database;

/** Direct looks into the database, to assert on what was really committed. */
public final class Sql {

  private Sql() {}

  public static long count(String dbUrl, String query) {
    try (Connection c = connect(dbUrl); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(query)) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  public static void execute(String dbUrl, String... statements) throws SQLException {
    try (Connection c = connect(dbUrl); Statement s = c.createStatement()) {
      for (String sql : statements) {
        s.execute(sql);
      }
    }
  }

  public static Connection connect(String dbUrl) throws SQLException {
    Database.Target t = Database.Target.parse(dbUrl);
    return DriverManager.getConnection(t.jdbcUrl(), t.jdbcProperties());
  }
}
