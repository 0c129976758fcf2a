package org.jiesu.platform;

import io.vertx.core.Vertx;
import io.vertx.core.net.NetClientOptions;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
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

  /** The advisory lock key under which one process at a time migrates ("jiesu-mg"). */
  public static final long MIGRATION_LOCK = 0x6a69657375_2d6d67L;

  /**
   * Applies the migrations in {@code sql/} (packaged into the jar as {@code db/migration}), one process at a
   * time: every replica of a rollout starts together, the first takes a session-level advisory lock and
   * migrates, the others wait for it and then find nothing left to do. The lock is held on its own
   * connection, so a replica killed while migrating releases it when PostgreSQL sees the connection go.
   * Blocking: called before anything is deployed.
   */
  public static MigrateResult migrate(Target target) {
    try (java.sql.Connection lock = java.sql.DriverManager.getConnection(target.jdbcUrl(), lockProperties(target))) {
      try (var s = lock.prepareStatement("SELECT pg_advisory_lock(?)")) {
        s.setLong(1, MIGRATION_LOCK);
        s.execute();
      }
      try {
        return flyway(target).migrate();
      } finally {
        try (var s = lock.prepareStatement("SELECT pg_advisory_unlock(?)")) {
          s.setLong(1, MIGRATION_LOCK);
          s.execute();
        }
      }
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException("cannot take the migration lock on " + target.host() + ":" + target.port()
          + "/" + target.database() + ": " + e.getMessage(), e);
    }
  }

  private static Properties lockProperties(Target target) {
    Properties p = target.jdbcProperties();
    p.setProperty("ApplicationName", "jiesu-migrate");
    return p;
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
   *
   * <p>A dead or frozen database must not hold requests: opening a connection has a deadline
   * ({@code dbConnect}), so has waiting for one from the pool ({@code dbAcquire}); a connection that reads
   * nothing for longer than any statement may run is closed (a frozen server or a half-open TCP connection
   * otherwise holds it for ever), and connections are renewed now and then.
   */
  /** A pool with the default timeouts (tools and tests). */
  public static Pool pool(Vertx vertx, Target target, int size) {
    return pool(vertx, target, size, Config.Timeouts.defaults());
  }

  public static Pool pool(Vertx vertx, Target target, int size, Config.Timeouts timeouts) {
    return pool(vertx, target, size, timeouts, "jiesu");
  }

  /** A second pool of its own ({@code name}): shared pools of one name are one pool. */
  public static Pool pool(Vertx vertx, Target target, int size, Config.Timeouts timeouts, String name) {
    PoolOptions pool = new PoolOptions()
        .setMaxSize(size)
        .setMaxWaitQueueSize(size * 64)
        .setShared(true)
        .setName(name)
        .setConnectionTimeout((int) timeouts.dbAcquire().toMillis())
        .setConnectionTimeoutUnit(TimeUnit.MILLISECONDS)
        .setIdleTimeout(IDLE_SECONDS)
        .setIdleTimeoutUnit(TimeUnit.SECONDS)
        .setMaxLifetime(30)
        .setMaxLifetimeUnit(TimeUnit.MINUTES);
    return PgBuilder.pool().with(pool).with(net(timeouts)).connectingTo(connectOptions(target)).using(vertx).build();
  }

  /** Opens the connection {@link DatabaseWatch} probes on, outside the pool. */
  public static java.util.function.Supplier<io.vertx.core.Future<? extends io.vertx.sqlclient.SqlConnection>> probe(
      Vertx vertx, Target target) {
    PgConnectOptions options = connectOptions(target).addProperty("application_name", "jiesu-probe");
    return () -> io.vertx.pgclient.PgConnection.connect(vertx, options);
  }

  /** Statements end within statement_timeout, so a connection silent for longer is stuck. */
  private static final int READ_IDLE_SECONDS = 60;
  private static final int IDLE_SECONDS = 30;

  private static NetClientOptions net(Config.Timeouts timeouts) {
    return new NetClientOptions()
        .setConnectTimeout((int) timeouts.dbConnect().toMillis())
        .setTcpKeepAlive(true)
        .setReadIdleTimeout(READ_IDLE_SECONDS)
        .setIdleTimeoutUnit(TimeUnit.SECONDS);
  }

  private static PgConnectOptions connectOptions(Target target) {
    PgConnectOptions connect = new PgConnectOptions()
        .setHost(target.host())
        .setPort(target.port())
        .setDatabase(target.database())
        .setUser(target.user())
        .setCachePreparedStatements(true)
        .setPreparedStatementCacheMaxSize(512)
        // the client caches only statements shorter than this (default 2,048 characters): a longer one was
        // parsed and planned again on every call (the /similar union, 1.5–3.3 ms of planning per intake)
        .setPreparedStatementCacheSqlLimit(32_768)
        // a runaway query must not hold a connection (and its locks) for long; the client then gets a 503
        .addProperty("statement_timeout", "15s")
        .addProperty("idle_in_transaction_session_timeout", "60s")
        .addProperty("application_name", "jiesu");
    if (target.password() != null) {
      connect.setPassword(target.password());
    }
    return connect;
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
