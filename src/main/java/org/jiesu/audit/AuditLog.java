package org.jiesu.audit;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.jiesu.auth.Actor;

/**
 * Records audit entries. Callers pass their transaction so the entry commits (or not) with the change it
 * records; no lock is taken, so audited requests do not wait for each other. {@link AuditChainer} hashes
 * committed entries into the chain shortly after.
 */
public final class AuditLog {

  private static final String INSERT = """
      INSERT INTO audit_entry (at, actor_sub, actor_role, actor_dept, action, ticket_id, detail)
      VALUES ($1, $2, $3, $4, $5, $6, $7)""";

  private final Pool pool;
  private final Clock clock;

  public AuditLog(Pool pool, Clock clock) {
    this.pool = pool;
    this.clock = clock;
  }

  /** Records in its own transaction (reads of personal data, denials). */
  public Future<Void> record(Actor actor, String action, UUID ticketId, JsonObject detail) {
    return append(pool, actor, action, ticketId, detail);
  }

  /** Records inside the caller's transaction. */
  public Future<Void> append(SqlClient tx, Actor actor, String action, UUID ticketId, JsonObject detail) {
    return append(tx, entry(actor, action, ticketId, detail));
  }

  /** An entry made by {@link #entry}, inside the caller's transaction. */
  public Future<Void> append(SqlClient tx, Entry e) {
    return tx.preparedQuery(INSERT).execute(Tuple.of(e.at(), e.actorSub(), e.actorRole(), e.actorDept(), e.action(),
            e.ticketId(), e.detail()))
        .mapEmpty();
  }

  /**
   * An entry as {@link #append} writes it, for a statement that inserts it itself (the intake writes its
   * ticket, events and entry in one statement): the columns of {@code audit_entry} but its id and txid.
   */
  public record Entry(OffsetDateTime at, String actorSub, String actorRole, String actorDept, String action,
      UUID ticketId, String detail) {}

  public Entry entry(Actor actor, String action, UUID ticketId, JsonObject detail) {
    // PostgreSQL keeps microseconds; hash what will be read back
    Instant at = clock.instant().truncatedTo(ChronoUnit.MICROS);
    String role = actor == null || actor.mainRole() == null ? null : actor.mainRole().name();
    return new Entry(at.atOffset(ZoneOffset.UTC), actor == null ? null : actor.sub(), role,
        actor == null ? null : actor.dept().orElse(null), action, ticketId,
        (detail == null ? new JsonObject() : detail).encode());
  }
}
