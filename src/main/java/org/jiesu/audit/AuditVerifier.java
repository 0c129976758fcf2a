package org.jiesu.audit;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;

/**
 * Walks the whole chain in order (JDBC, for the {@code audit-verify} command) and names the first row that
 * does not fit: altered, missing or relinked chain rows, and chained rows whose entry was altered or
 * removed. Entries not chained yet are counted, not judged: the chainer takes them within a second while a
 * server runs.
 */
public final class AuditVerifier {

  private static final String WALK = """
      SELECT l.seq, l.at, l.actor_sub, l.actor_role, l.actor_dept, l.action, l.ticket_id, l.detail, l.prev_hash,
             l.hash, l.entry_id, l.hash_version, e.id AS e_id, e.at AS e_at, e.actor_sub AS e_sub, e.actor_role AS e_role,
             e.actor_dept AS e_dept, e.action AS e_action, e.ticket_id AS e_ticket, e.detail AS e_detail
      FROM audit_log l LEFT JOIN audit_entry e ON e.id = l.entry_id
      ORDER BY l.seq""";
  private static final String UNCHAINED = """
      SELECT count(*) FROM audit_entry e WHERE NOT EXISTS (SELECT 1 FROM audit_log l WHERE l.entry_id = e.id)""";

  /**
   * What a walk found: how many rows were good before the first break, if any, entries still waiting, and
   * the head of the chain ({@code seq:hash}) to record outside the database: a hash chain alone cannot
   * show that rows were cut off its end, a head recorded earlier can.
   */
  public record Result(long rowsChecked, Optional<AuditChain.Break> firstBreak, long unchained, String head) {
    public boolean intact() {
      return firstBreak.isEmpty();
    }
  }

  /** A head recorded earlier ({@code seq:hash}) that the chain must still contain. */
  public record Anchor(long seq, String hash) {
    public static Anchor parse(String text) {
      String[] parts = text.split(":", 2);
      if (parts.length != 2 || !parts[1].matches("[0-9a-f]{64}")) {
        throw new IllegalArgumentException("an anchor is SEQ:HASH as audit-verify printed it, got '" + text + "'");
      }
      return new Anchor(Long.parseLong(parts[0]), parts[1]);
    }
  }

  public static Result verify(String jdbcUrl, Properties properties) throws SQLException {
    return verify(jdbcUrl, properties, Optional.empty());
  }

  public static Result verify(String jdbcUrl, Properties properties, Optional<Anchor> anchor) throws SQLException {
    try (Connection c = DriverManager.getConnection(jdbcUrl, properties)) {
      c.setAutoCommit(false); // lets the driver stream with a fetch size; one snapshot for both queries
      c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
      try {
        Result walked = walk(c, anchor);
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(UNCHAINED)) {
          rs.next();
          return new Result(walked.rowsChecked(), walked.firstBreak(), rs.getLong(1), walked.head());
        }
      } finally {
        c.rollback();
      }
    }
  }

  private static Result walk(Connection c, Optional<Anchor> anchor) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(WALK)) {
      ps.setFetchSize(1000);
      try (ResultSet rs = ps.executeQuery()) {
        AuditEntry previous = null;
        long checked = 0;
        while (rs.next()) {
          AuditEntry row = new AuditEntry(
              rs.getLong("seq"),
              rs.getObject("at", OffsetDateTime.class).toInstant(),
              rs.getString("actor_sub"), rs.getString("actor_role"), rs.getString("actor_dept"),
              rs.getString("action"), rs.getObject("ticket_id", UUID.class), rs.getString("detail"),
              rs.getString("prev_hash"), rs.getString("hash"), rs.getObject("entry_id", Long.class),
              rs.getInt("hash_version"));
          Optional<AuditChain.Break> broken = AuditChain.check(previous, row);
          if (broken.isEmpty()) {
            broken = entryMismatch(rs, row);
          }
          if (broken.isEmpty() && anchor.isPresent() && anchor.get().seq() == row.seq()
              && !anchor.get().hash().equals(row.hash())) {
            broken = Optional.of(new AuditChain.Break(row.seq(), "its hash differs from the recorded anchor"));
          }
          if (broken.isPresent()) {
            return new Result(checked, broken, 0, head(previous));
          }
          previous = row;
          checked++;
        }
        if (anchor.isPresent() && (previous == null || previous.seq() < anchor.get().seq())) {
          return new Result(checked, Optional.of(new AuditChain.Break(anchor.get().seq(),
              "the chain ends before the recorded anchor (rows cut off its end)")), 0, head(previous));
        }
        return new Result(checked, Optional.empty(), 0, head(previous));
      }
    }
  }

  private static String head(AuditEntry last) {
    return last == null ? "0:" + AuditChain.GENESIS : last.seq() + ":" + last.hash();
  }

  /** A chained row must be an exact copy of the entry it names. */
  private static Optional<AuditChain.Break> entryMismatch(ResultSet rs, AuditEntry row) throws SQLException {
    long entryId = rs.getLong("entry_id");
    if (rs.wasNull()) {
      return Optional.empty(); // chained before entries existed
    }
    if (rs.getObject("e_id") == null) {
      return Optional.of(new AuditChain.Break(row.seq(), "its entry " + entryId + " is missing"));
    }
    boolean same = rs.getObject("e_at", OffsetDateTime.class).toInstant().equals(row.at())
        && Objects.equals(rs.getString("e_sub"), row.actorSub())
        && Objects.equals(rs.getString("e_role"), row.actorRole())
        && Objects.equals(rs.getString("e_dept"), row.actorDept())
        && Objects.equals(rs.getString("e_action"), row.action())
        && Objects.equals(rs.getObject("e_ticket", UUID.class), row.ticketId())
        && Objects.equals(rs.getString("e_detail"), row.detail());
    return same ? Optional.empty()
        : Optional.of(new AuditChain.Break(row.seq(), "its entry " + entryId + " differs from what was chained (entry altered)"));
  }
}
