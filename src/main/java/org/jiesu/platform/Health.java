package org.jiesu.platform;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;

/** Liveness (the process answers) and readiness (the database answers and has our migrations). */
public final class Health {

  private static final String APPLIED = """
      SELECT count(*) FILTER (WHERE success) AS applied, max(version) FILTER (WHERE success AND version = $1) AS latest
      FROM flyway_schema_history""";

  static final long READY_TIMEOUT_MS = 1500;

  private final Pool pool;
  private final String latestMigration;

  public Health(Pool pool, String latestMigration) {
    this.pool = pool;
    this.latestMigration = latestMigration;
  }

  public void live(RoutingContext ctx) {
    Responses.ok(ctx, new JsonObject().put("status", "UP"));
  }

  public void ready(RoutingContext ctx) {
    // a frozen database never answers: readiness must say DOWN well before a load balancer gives up
    pool.preparedQuery(APPLIED).execute(Tuple.of(latestMigration))
        .timeout(READY_TIMEOUT_MS, java.util.concurrent.TimeUnit.MILLISECONDS)
        .onSuccess(rows -> {
          var row = rows.iterator().next();
          boolean migrated = row.getString("latest") != null;
          JsonObject body = new JsonObject()
              .put("status", migrated ? "UP" : "DOWN")
              .put("database", "UP")
              .put("migrations", new JsonObject().put("applied", row.getLong("applied"))
                  .put("expected", latestMigration).put("current", migrated));
          Responses.json(ctx, migrated ? 200 : 503, body);
        })
        .onFailure(e -> Responses.json(ctx, 503, new JsonObject().put("status", "DOWN")
            .put("database", "DOWN").put("detail", "database unreachable")));
  }
}
