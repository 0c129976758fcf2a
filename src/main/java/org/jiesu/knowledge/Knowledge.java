package org.jiesu.knowledge;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jiesu.auth.Actor;
import org.jiesu.platform.Problem;

/** The knowledge base: maintained by administrators and supervisors, searched by everyone. */
public final class Knowledge {

  private final Pool pool;
  private final Clock clock;
  private final KnowledgeRepository repository = new KnowledgeRepository();

  public Knowledge(Pool pool, Clock clock) {
    this.pool = pool;
    this.clock = clock;
  }

  public Future<Article> create(Actor actor, String title, String body, List<String> tags) {
    Instant now = now();
    return repository.insert(pool, new Article(UUID.randomUUID(), title, body, tags, 1, actor.sub(), now, now));
  }

  public Future<Article> update(String id, String title, String body, List<String> tags) {
    return repository.update(pool, parse(id), title, body, tags, now()).map(found -> found.orElseThrow(() -> missing(id)));
  }

  public Future<Void> delete(String id) {
    return repository.delete(pool, parse(id), now())
        .compose(done -> done ? Future.<Void>succeededFuture() : Future.failedFuture(missing(id)));
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
