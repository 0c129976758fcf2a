package org.jiesu.knowledge;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jiesu.audit.AuditLog;
import org.jiesu.auth.Actor;
import org.jiesu.platform.Problem;

/** The knowledge base: maintained by administrators and supervisors, searched by everyone. */
public final class Knowledge {

  private final Pool pool;
  private final AuditLog audit;
  private final Clock clock;
  private final KnowledgeRepository repository = new KnowledgeRepository();

  public Knowledge(Pool pool, AuditLog audit, Clock clock) {
    this.pool = pool;
    this.audit = audit;
    this.clock = clock;
  }

  /** Every write is audited in its own transaction with the article before and after (the only history kept). */
  public Future<Article> create(Actor actor, String title, String body, List<String> tags) {
    Instant now = now();
    return pool.withTransaction(tx -> repository.insert(tx,
            new Article(UUID.randomUUID(), title, body, tags, 1, actor.sub(), now, now))
        .compose(after -> audit.append(tx, actor, "KNOWLEDGE_ARTICLE_CREATE", null, change(after.id(), null, after))
            .map(after)));
  }

  public Future<Article> update(Actor actor, String id, String title, String body, List<String> tags) {
    UUID key = parse(id);
    return pool.withTransaction(tx -> repository.lock(tx, key)
        .map(found -> found.orElseThrow(() -> missing(id)))
        .compose(before -> repository.update(tx, key, title, body, tags, now())
            .map(found -> found.orElseThrow(() -> missing(id)))
            .compose(after -> audit.append(tx, actor, "KNOWLEDGE_ARTICLE_UPDATE", null, change(key, before, after))
                .map(after))));
  }

  public Future<Void> delete(Actor actor, String id) {
    UUID key = parse(id);
    return pool.withTransaction(tx -> repository.lock(tx, key)
        .map(found -> found.orElseThrow(() -> missing(id)))
        .compose(before -> repository.delete(tx, key, now())
            .compose(v -> audit.append(tx, actor, "KNOWLEDGE_ARTICLE_DELETE", null, change(key, before, null)))));
  }

  private static JsonObject change(UUID id, Article before, Article after) {
    JsonObject detail = new JsonObject().put("article", id.toString());
    if (before != null) {
      detail.put("before", KnowledgeRoutes.json(before));
    }
    if (after != null) {
      detail.put("after", KnowledgeRoutes.json(after));
    }
    return detail;
  }

  public Future<Article> get(String id) {
    return repository.byId(pool, parse(id)).map(found -> found.orElseThrow(() -> missing(id)));
  }

  public Future<List<KnowledgeRepository.Hit>> search(String query, int limit) {
    return repository.search(pool, SearchTerms.of(query), limit);
  }

  /** For other features (consultation intake): does this live article exist? */
  public Future<Boolean> exists(SqlClient db, UUID id) {
    return repository.byId(db, id).map(Optional::isPresent);
  }

  private static UUID parse(String id) {
    try {
      return UUID.fromString(id);
    } catch (IllegalArgumentException e) {
      throw missing(id);
    }
  }

  private static Problem missing(String id) {
    return Problem.notFound("no knowledge article " + id);
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }
}
