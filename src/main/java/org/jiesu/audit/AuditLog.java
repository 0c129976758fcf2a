package org.jiesu.audit;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.jiesu.auth.Actor;

/**
 * Appends to the hash-chained audit log. Appends are serialised by a transaction-scoped advisory lock so
 * the chain stays one line across replicas; callers pass their transaction so the audit row commits (or
 * not) with the change it records.
 */
public final class AuditLog {

  /** Arbitrary, fixed: the advisory lock that serialises audit appends. */
  private static final long CHAIN_LOCK = 0x6a6965737541L;
  private static final String LOCK = "SELECT pg_advisory_xact_lock($1)";
  private static final String LAST = "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1";
  private static final String INSERT = """
      INSERT INTO audit_log (seq, at, actor_sub, actor_role, actor_dept, action, ticket_id, detail, prev_hash, hash)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)""";

  private final Pool pool;
  private final Clock clock;

  public AuditLog(Pool pool, Clock clock) {
    this.pool = pool;
    this.clock = clock;
  }

  /** Records in its own transaction (reads of personal data, denials). */
  public Future<Void> record(Actor actor, String action, UUID ticketId, JsonObject detail) {
    return pool.withTransaction(tx -> append(tx, actor, action, ticketId, detail));
  }

  /** Records inside the caller's transaction. */
  public Future<Void> append(SqlClient tx, Actor actor, String action, UUID ticketId, JsonObject detail) {
    // PostgreSQL keeps microseconds; hash what will be read back
    Instant at = clock.instant().truncatedTo(ChronoUnit.MICROS);
    String detailText = (detail == null ? new JsonObject() : detail).encode();
    return tx.preparedQuery(LOCK).execute(Tuple.of(CHAIN_LOCK))
        .compose(v -> tx.query(LAST).execute())
        .compose(rows -> {
          long seq = 1;
          String prev = AuditChain.GENESIS;
          if (rows.size() > 0) {
            Row last = rows.iterator().next();
            seq = last.getLong("seq") + 1;
            prev = last.getString("hash");
          }
          String role = actor == null || actor.mainRole() == null ? null : actor.mainRole().name();
          String sub = actor == null ? null : actor.sub();
          String dept = actor == null ? null : actor.dept().orElse(null);
          String hash = AuditChain.hash(prev, seq, at, sub, role, dept, action, ticketId, detailText);
          return tx.preparedQuery(INSERT).execute(Tuple.from(new Object[] {
              seq, at.atOffset(ZoneOffset.UTC), sub, role, dept, action, ticketId, detailText, prev, hash}));
        })
        .mapEmpty();
  }
}
