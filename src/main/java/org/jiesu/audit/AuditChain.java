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
 */
public final class AuditChain {

  public static final String GENESIS = "0".repeat(64);

  private AuditChain() {}

  public static String hash(String prevHash, long seq, Instant at, String actorSub, String actorRole,
      String actorDept, String action, UUID ticketId, String detail) {
    String canonical = String.join("\n",
        prevHash, Long.toString(seq), at.toString(), nz(actorSub), nz(actorRole), nz(actorDept), action,
        ticketId == null ? "" : ticketId.toString(), detail);
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  public static String hashOf(AuditEntry e) {
    return hash(e.prevHash(), e.seq(), e.at(), e.actorSub(), e.actorRole(), e.actorDept(), e.action(),
        e.ticketId(), e.detail());
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
    if (!row.hash().equals(hashOf(row))) {
      return Optional.of(new Break(row.seq(), "hash does not match the row's contents (row altered)"));
    }
    return Optional.empty();
  }

  private static String nz(String s) {
    return s == null ? "" : s;
  }
}
