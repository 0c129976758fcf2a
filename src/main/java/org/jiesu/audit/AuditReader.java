package org.jiesu.audit;

import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Reads the chained audit log for auditors, in chain order. Only chained rows are served: they are the
 * ones {@code audit-verify} vouches for (entries join the chain within a second while a server runs).
 */
public final class AuditReader {

  private static final String COLUMNS = """
      seq, at, actor_sub, actor_role, actor_dept, action, ticket_id, detail, prev_hash, hash, entry_id, hash_version""";
  private static final String HEAD = "SELECT seq, hash, at FROM audit_log ORDER BY seq DESC LIMIT 1";

  /** What an auditor filters by; each present filter narrows the page. */
  public record Filter(Optional<String> actor, Optional<UUID> ticket, Optional<String> action, Optional<Instant> from,
      Optional<Instant> to) {}

  /** The newest chained row, as {@code audit-verify} prints a head: {@code seq:hash}. */
  public record Head(long seq, String hash, Optional<Instant> at) {
    public String text() {
      return seq + ":" + hash;
    }
  }

  /**
   * Rows after {@code afterSeq} that match the filter, at most {@code limit}. The SQL names only the
   * filters given, so each query shape gets a plan that uses its index.
   */
  public Future<List<AuditEntry>> page(SqlClient db, Filter filter, long afterSeq, int limit) {
    StringBuilder sql = new StringBuilder("SELECT ").append(COLUMNS).append(" FROM audit_log WHERE seq > $1");
    Tuple values = Tuple.of(afterSeq);
    filter.actor().ifPresent(v -> sql.append(" AND actor_sub = $").append(add(values, v)));
    filter.ticket().ifPresent(v -> sql.append(" AND ticket_id = $").append(add(values, v)));
    filter.action().ifPresent(v -> sql.append(" AND action = $").append(add(values, v)));
    filter.from().ifPresent(v -> sql.append(" AND at >= $").append(add(values, v.atOffset(ZoneOffset.UTC))));
    filter.to().ifPresent(v -> sql.append(" AND at < $").append(add(values, v.atOffset(ZoneOffset.UTC))));
    sql.append(" ORDER BY seq LIMIT $").append(add(values, limit));
    return db.preparedQuery(sql.toString()).execute(values).map(rows -> {
      List<AuditEntry> out = new ArrayList<>();
      for (Row r : rows) {
        out.add(new AuditEntry(r.getLong("seq"), r.getOffsetDateTime("at").toInstant(), r.getString("actor_sub"),
            r.getString("actor_role"), r.getString("actor_dept"), r.getString("action"), r.getUUID("ticket_id"),
            r.getString("detail"), r.getString("prev_hash"), r.getString("hash"), r.getLong("entry_id"),
            r.getInteger("hash_version")));
      }
      return out;
    });
  }

  public Future<Head> head(SqlClient db) {
    return db.query(HEAD).execute().map(rows -> {
      if (rows.size() == 0) {
        return new Head(0, AuditChain.GENESIS, Optional.empty());
      }
      Row r = rows.iterator().next();
      return new Head(r.getLong("seq"), r.getString("hash"), Optional.of(r.getOffsetDateTime("at").toInstant()));
    });
  }

  private static int add(Tuple values, Object value) {
    values.addValue(value);
    return values.size();
  }
}
