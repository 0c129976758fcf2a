package org.jiesu.audit;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;

/**
 * Walks the whole chain in order (JDBC, for the {@code audit-verify} command) and names the first row that
 * does not fit.
 */
public final class AuditVerifier {

  private static final String WALK = """
      SELECT seq, at, actor_sub, actor_role, actor_dept, action, ticket_id, detail, prev_hash, hash
      FROM audit_log ORDER BY seq""";

  /** What a walk found: how many rows were good before the first break, if any. */
  public record Result(long rowsChecked, Optional<AuditChain.Break> firstBreak) {
    public boolean intact() {
      return firstBreak.isEmpty();
    }
  }

  public static Result verify(String jdbcUrl, Properties properties) throws SQLException {
    try (Connection c = DriverManager.getConnection(jdbcUrl, properties)) {
      c.setAutoCommit(false); // lets the driver stream with a fetch size
      try (PreparedStatement ps = c.prepareStatement(WALK)) {
        ps.setFetchSize(1000);
        try (ResultSet rs = ps.executeQuery()) {
          AuditEntry previous = null;
          long checked = 0;
          while (rs.next()) {
            AuditEntry row = new AuditEntry(
                rs.getLong(1),
                rs.getObject(2, OffsetDateTime.class).toInstant(),
                rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6),
                rs.getObject(7, UUID.class), rs.getString(8), rs.getString(9), rs.getString(10));
            Optional<AuditChain.Break> broken = AuditChain.check(previous, row);
            if (broken.isPresent()) {
              return new Result(checked, broken);
            }
            previous = row;
            checked++;
          }
          return new Result(checked, Optional.empty());
        }
      } finally {
        c.rollback();
      }
    }
  }
}
