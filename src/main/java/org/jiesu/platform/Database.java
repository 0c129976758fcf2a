package org.jiesu.platform;

import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.output.MigrateResult;

/** Database plumbing: URLs, migrations (blocking, before deployment) and the one shared pool. */
public final class Database {

  private Database() {}

  /** A parsed {@code postgresql://user:password@host:port/db} URL. */
  public record Target(String host, int port, String database, String user, String password) {

    public static Target parse(String url) {
      String u = url.startsWith("jdbc:") ? url.substring(5) : url;
      if (!u.startsWith("postgresql://") && !u.startsWith("postgres://")) {
        throw new IllegalArgumentException("database URL must look like postgresql://user:password@host:port/db");
      }
      URI uri = URI.create(u);
      String user = "postgres";
      String password = null;
      if (uri.getRawUserInfo() != null) {
        String[] parts = uri.getRawUserInfo().split(":", 2);
        user = decode(parts[0]);
        password = parts.length > 1 ? decode(parts[1]) : null;
      }
      String path = uri.getPath() == null ? "" : uri.getPath().replaceFirst("^/", "");
      return new Target(uri.getHost() == null ? "localhost" : uri.getHost(),
          uri.getPort() < 0 ? 5432 : uri.getPort(), path.isEmpty() ? "postgres" : path, user, password);
    }

    public String jdbcUrl() {
      return "jdbc:postgresql://" + host + ":" + port + "/" + database;
    }

    public Properties jdbcProperties() {
      Properties p = new Properties();
      p.setProperty("user", user);
      if (password != null) {
        p.setProperty("password", password);
      }
      return p;
    }

    private static String decode(String s) {
      return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }
  }

  /** Applies the migrations in {@code sql/} (packaged into the jar as {@code db/migration}). */
  public static MigrateResult migrate(Target target) {
    return flyway(target).migrate();
  }

  /** The newest migration version known to this build, for the readiness check. */
  public static String latestKnownVersion(Target target) {
    MigrationInfo[] all = flyway(target).info().all();
    return all.length == 0 ? "0" : all[all.length - 1].getVersion().getVersion();
  }

  private static Flyway flyway(Target target) {
    return Flyway.configure()
        .dataSource(target.jdbcUrl(), target.user(), target.password())
        .locations("classpath:db/migration")
        .failOnMissingLocations(true)
        .load();
  }

  /**
   * One pool per process, shared by every verticle instance, so connections = pool size, not
   * instances × pool size. The wait queue is bounded so overload fails fast instead of queueing forever.
   */
  public static Pool pool(Vertx vertx, Target target, int size) {
    PgConnectOptions connect = new PgConnectOptions()
        .setHost(target.host())
        .setPort(target.port())
        .setDatabase(target.database())
        .setUser(target.user())
        .setCachePreparedStatements(true)
        .setPreparedStatementCacheMaxSize(512)
        // a runaway query must not hold a connection (and its locks) for long; the client then gets a 503
        .addProperty("statement_timeout", "15s")
        .addProperty("idle_in_transaction_session_timeout", "60s")
        .addProperty("application_name", "jiesu");
    if (target.password() != null) {
      connect.setPassword(target.password());
    }
    PoolOptions pool = new PoolOptions()
        .setMaxSize(size)
        .setMaxWaitQueueSize(size * 64)
        .setShared(true)
        .setName("jiesu");
    return PgBuilder.pool().with(pool).connectingTo(connect).using(vertx).build();
  }

  /**
   * A LISTEN connection of its own (not from the pool: it stays open and must not count against it). It
   * reconnects by itself; notifications sent while it is down are lost, so every listener also polls.
   */
  public static io.vertx.pgclient.pubsub.PgSubscriber subscriber(Vertx vertx, Target target) {
    PgConnectOptions connect = new PgConnectOptions()
        .setHost(target.host())
        .setPort(target.port())
        .setDatabase(target.database())
        .setUser(target.user())
        .addProperty("application_name", "jiesu-listen");
    if (target.password() != null) {
      connect.setPassword(target.password());
    }
    return io.vertx.pgclient.pubsub.PgSubscriber.subscriber(vertx, connect)
        .reconnectPolicy(retries -> 1000L);
  }
}
