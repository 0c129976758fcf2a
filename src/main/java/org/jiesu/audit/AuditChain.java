package org.jiesu.audit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;

/**
 * The hash chain, as plain rules: each row's hash covers its own fields and the previous row's hash, so
 * changing, removing or reordering any row breaks every hash after it.
 *
 * <p>Two hash versions. Version 1 (rows chained before migration 8.3) covers the row's fields but not the
 * entry it copies, so nulling {@code entry_id} made an altered entry look "not chained yet". Version 2
 * (every row chained since) also covers the version and {@code entry_id}, and writes each field with its
 * length, so no two rows share a canonical form. The version can only go up along the chain, and rows
 * without an entry can only come first (before entries existed), so a row cannot be passed off as older.
 */
public final class AuditChain {

  public static final String GENESIS = "0".repeat(64);
  /** The version the chainer writes. */
  public static final int VERSION = 2;

  private AuditChain() {}

  /** Version 1: fields joined by newlines, entry not covered. Kept to verify the rows chained with it. */
  public static String hash(String prevHash, long seq, Instant at, String actorSub, String actorRole,
      String actorDept, String action, UUID ticketId, String detail) {
    String canonical = String.join("\n",
        prevHash, Long.toString(seq), at.toString(), nz(actorSub), nz(actorRole), nz(actorDept), action,
        ticketId == null ? "" : ticketId.toString(), detail);
    return sha256(canonical.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Version 2: {@code "v2"} then each field as {@code <UTF-8 byte length>:<bytes>;}, or {@code -;} when
   * absent, in the order prev_hash, seq, at, actor_sub, actor_role, actor_dept, action, ticket_id, detail,
   * entry_id.
   */
  public static String hashV2(String prevHash, long seq, Instant at, String actorSub, String actorRole,
      String actorDept, String action, UUID ticketId, String detail, Long entryId) {
    StringBuilder canonical = new StringBuilder("v2");
    for (String field : new String[] {prevHash, Long.toString(seq), at.toString(), actorSub, actorRole, actorDept,
        action, ticketId == null ? null : ticketId.toString(), detail, entryId == null ? null : entryId.toString()}) {
      if (field == null) {
        canonical.append("-;");
      } else {
        canonical.append(field.getBytes(StandardCharsets.UTF_8).length).append(':').append(field).append(';');
      }
    }
    return sha256(canonical.toString().getBytes(StandardCharsets.UTF_8));
  }

  public static String hashOf(AuditEntry e) {
    return e.hashVersion() >= 2
        ? hashV2(e.prevHash(), e.seq(), e.at(), e.actorSub(), e.actorRole(), e.actorDept(), e.action(), e.ticketId(),
            e.detail(), e.entryId())
        : hash(e.prevHash(), e.seq(), e.at(), e.actorSub(), e.actorRole(), e.actorDept(), e.action(),
            e.ticketId(), e.detail());
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  /** A break found while walking the chain: the first row that does not fit, and why. */
  public record Break(long seq, String reason) {}

  /** Checks one row against the row before it ({@code null} for the first row). */
  public static Optional<Break> check(AuditEntry previous, AuditEntry row) {
    long expectedSeq = previous == null ? 1 : previous.seq() + 1;
    String expectedPrev = previous == null ? GENESIS : previous.hash();
    if (row.seq() != expectedSeq) {
      return Optional.of(new Break(row.seq(), "expected row " + expectedSeq + " but found row " + row.seq()
          + " (rows missing)"));
    }
    if (!row.prevHash().equals(expectedPrev)) {
      return Optional.of(new Break(row.seq(), "prev_hash does not match the hash of row " + (row.seq() - 1)));
    }
    if (row.hashVersion() < 1 || row.hashVersion() > VERSION) {
      return Optional.of(new Break(row.seq(), "unknown hash version " + row.hashVersion()));
    }
    if (previous != null && row.hashVersion() < previous.hashVersion()) {
      return Optional.of(new Break(row.seq(), "hash version " + row.hashVersion() + " after version "
          + previous.hashVersion() + " (row passed off as older)"));
    }
    if (row.entryId() == null && (row.hashVersion() >= 2 || (previous != null && previous.entryId() != null))) {
      return Optional.of(new Break(row.seq(), "its entry_id was removed (only rows chained before entries"
          + " existed have none)"));
    }
    if (!row.hash().equals(hashOf(row))) {
      return Optional.of(new Break(row.seq(), "hash does not match the row's contents (row altered)"));
    }
    return Optional.empty();
  }

  private static String nz(String s) {
    return s == null ? "" : s;
  }
}
