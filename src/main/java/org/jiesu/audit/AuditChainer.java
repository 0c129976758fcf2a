package org.jiesu.audit;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * Hashes committed audit entries into the chain, in batches, one chainer at a time across all replicas
 * (a transaction-scoped advisory lock that the others skip rather than wait for).
 *
 * <p>Order: entries are taken by (writing transaction id, entry id), and only from transactions older
 * than every transaction still running ({@code pg_snapshot_xmin}). No entry can later appear before one
 * already chained, so the chain never needs to be reordered, and a rolled-back transaction leaves no gap
 * to wait for. A very long transaction elsewhere delays chaining until it ends.
 */
public final class AuditChainer {

  private static final long CHAIN_LOCK = 0x6a6965737541L;
  public static final int BATCH = 1000;

  private static final String TRY_LOCK = "SELECT pg_try_advisory_xact_lock($1) AS locked";
  private static final String HEAD = """
      SELECT l.seq, l.hash, e.txid::text AS txid, e.id AS entry_id
      FROM audit_log l LEFT JOIN audit_entry e ON e.id = l.entry_id
      ORDER BY l.seq DESC LIMIT 1""";
  private static final String PENDING = """
      SELECT id, at, actor_sub, actor_role, actor_dept, action, ticket_id, detail
      FROM audit_entry
      WHERE (txid, id) > ($1::xid8, $2::bigint) AND txid < pg_snapshot_xmin(pg_current_snapshot())
      ORDER BY txid, id
      LIMIT $3""";
  private static final String INSERT = """
      INSERT INTO audit_log (seq, at, actor_sub, actor_role, actor_dept, action, ticket_id, detail, prev_hash, hash, entry_id,
        hash_version)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)""";

  private final Pool pool;
  private final Clock clock;
  private final Timer lag;

  /** {@code registry} gets {@code jiesu.audit.chain.lag}: how long entries waited before being chained. */
  public AuditChainer(Pool pool, Clock clock, MeterRegistry registry) {
    this.pool = pool;
    this.clock = clock;
    this.lag = Timer.builder("jiesu.audit.chain.lag")
        .description("time from an audit entry being written to it being hashed into the chain")
        .publishPercentiles(0.5, 0.99)
        .register(registry);
  }

  /** Chains one batch; the number of entries chained (0 when another replica holds the chain or none wait). */
  public Future<Integer> chainBatch() {
    return pool.withTransaction(tx -> tx.preparedQuery(TRY_LOCK).execute(Tuple.of(CHAIN_LOCK))
        .compose(rows -> rows.iterator().next().getBoolean("locked")
            ? chain(tx)
            : Future.succeededFuture(0)));
  }

  /** Chains until nothing committed is left (tests and shutdown). */
  public Future<Integer> chainAll() {
    return chainBatch().compose(n -> n < BATCH ? Future.succeededFuture(n) : chainAll().map(m -> n + m));
  }

  private Future<Integer> chain(SqlClient tx) {
    return tx.query(HEAD).execute().compose(head -> {
      long seq = 0;
      String prev = AuditChain.GENESIS;
      // where entries continue: after the head's entry; a head without one (rows chained before entries
      // existed, or no rows) means no entry has been chained yet
      String afterTxid = "0";
      long afterId = 0;
      if (head.size() > 0) {
        Row h = head.iterator().next();
        seq = h.getLong("seq");
        prev = h.getString("hash");
        if (h.getLong("entry_id") != null) {
          afterTxid = h.getString("txid");
          afterId = h.getLong("entry_id");
        }
      }
      long startSeq = seq;
      String startPrev = prev;
      return tx.preparedQuery(PENDING).execute(Tuple.of(afterTxid, afterId, BATCH)).compose(pending -> {
        List<Tuple> batch = new ArrayList<>();
        long next = startSeq;
        String previous = startPrev;
        for (Row e : pending) {
          next++;
          OffsetDateTime at = e.getOffsetDateTime("at");
          String hash = AuditChain.hashV2(previous, next, at.toInstant(), e.getString("actor_sub"),
              e.getString("actor_role"), e.getString("actor_dept"), e.getString("action"), e.getUUID("ticket_id"),
              e.getString("detail"), e.getLong("id"));
          batch.add(Tuple.from(new Object[] {next, at.toInstant().atOffset(ZoneOffset.UTC), e.getString("actor_sub"),
              e.getString("actor_role"), e.getString("actor_dept"), e.getString("action"), e.getUUID("ticket_id"),
              e.getString("detail"), previous, hash, e.getLong("id"), (short) AuditChain.VERSION}));
          previous = hash;
        }
        if (batch.isEmpty()) {
          return Future.succeededFuture(0);
        }
        Instant now = clock.instant();
        return tx.preparedQuery(INSERT).executeBatch(batch).map(done -> {
          for (Tuple row : batch) {
            lag.record(Duration.between(row.getOffsetDateTime(1).toInstant(), now));
          }
          return batch.size();
        });
      });
    });
  }
}
