package org.jiesu.audit;

import java.time.Instant;
import java.util.UUID;

/**
 * One row of the audit log: who did what to which ticket, chained to the row before it; {@code entryId}
 * names the entry it copies (null only for rows chained before entries existed), {@code hashVersion} how
 * its hash was made (see {@link AuditChain}).
 */
public record AuditEntry(
    long seq,
    Instant at,
    String actorSub,
    String actorRole,
    String actorDept,
    String action,
    UUID ticketId,
    String detail,
    String prevHash,
    String hash,
    Long entryId,
    int hashVersion) {

  /** A version-1 row without an entry, as chained before entries existed. */
  public AuditEntry(long seq, Instant at, String actorSub, String actorRole, String actorDept, String action,
      UUID ticketId, String detail, String prevHash, String hash) {
    this(seq, at, actorSub, actorRole, actorDept, action, ticketId, detail, prevHash, hash, null, 1);
  }
}
