package org.jiesu.audit;

import java.time.Instant;
import java.util.UUID;

/** One row of the audit log: who did what to which ticket, chained to the row before it. */
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
    String hash) {}
