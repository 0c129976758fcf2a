package org.jiesu;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.jiesu.auth.Authentication;
import org.jiesu.auth.Keys;
import org.jiesu.auth.RemoteKeys;
import org.jiesu.platform.Config;
import org.jiesu.platform.Database;
import picocli.CommandLine.Command;

/**
 * Checks the environment a server would start with, without starting one: the settings parse, the
 * verification keys load (file and URL), the database answers. For operators, and for a Job or init
 * container before a rollout. Prints one line per check; exit code 0 when all pass, 1 otherwise. It changes
 * nothing: migrations pending are reported, not applied.
 */
@Command(name = "check-config", description = "Check settings, keys and database without starting the server.")
public final class CheckConfig implements Callable<Integer> {

  @Override
  public Integer call() {
    return run(System.getenv(), System.out);
  }

  public static int run(Map<String, String> env, PrintStream out) {
    List<String> failures = new ArrayList<>();
    Config config;
    try {
      config = Config.from(env);
      out.println("ok    settings: " + (config.devMode() ? "development mode" : "production mode") + ", port "
          + config.httpPort() + ", issuer " + config.jwtIssuer() + ", audience " + config.jwtAudience());
    } catch (RuntimeException e) {
      out.println("FAIL  settings: " + e.getMessage());
      return 1;
    }
    check(out, failures, "keys", () -> keys(config));
    check(out, failures, "database", () -> database(config));
    out.println(failures.isEmpty() ? "configuration ok" : "configuration has problems: " + String.join(", ", failures));
    return failures.isEmpty() ? 0 : 1;
  }

  private interface Check {
    String run() throws Exception;
  }

  private static void check(PrintStream out, List<String> failures, String name, Check check) {
    try {
      out.println("ok    " + name + ": " + check.run());
    } catch (Exception e) {
      failures.add(name);
      out.println("FAIL  " + name + ": " + e.getMessage());
    }
  }

  private static String keys(Config config) throws Exception {
    if (config.jwks().isEmpty() && config.jwksUrl().isEmpty()) {
      if (config.devMode()) {
        return "development mode: the server makes its own key pair in " + config.dataDir();
      }
      throw new IllegalStateException("no JWT verification key configured: set JIESU_JWT_JWKS or JIESU_JWT_JWKS_URL");
    }
    List<JsonObject> keys = new ArrayList<>();
    List<String> from = new ArrayList<>();
    if (config.jwks().isPresent()) {
      keys.addAll(Keys.readJwks(config.jwks().get()));
      from.add(config.jwks().get().toString());
    }
    Vertx vertx = Vertx.vertx();
    try {
      if (config.jwksUrl().isPresent()) {
        Config.JwksUrl source = config.jwksUrl().get();
        RemoteKeys remote = new RemoteKeys(vertx, source.url(), List.of(), source.minInterval(), System::nanoTime,
            k -> { });
        try {
          remote.refresh().await(30, TimeUnit.SECONDS);
        } catch (Exception e) {
          throw new IllegalStateException("cannot load " + source.url() + ": " + e.getMessage());
        }
        keys.addAll(remote.keys());
        from.add(source.url().toString());
      }
      // the verifier the server would build: a key it cannot use fails here as it would at start
      new Authentication(vertx, keys, config.jwtIssuer(), config.jwtAudience(), config.jwtMaxLifetime(),
          Clock.systemUTC());
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
    return keys.size() + " verification key(s) (kids " + keys.stream().map(k -> k.getValue("kid")).toList()
        + ") from " + String.join(" and ", from);
  }

  private static String database(Config config) throws Exception {
    if (config.dbUrl().isEmpty()) {
      if (config.devMode()) {
        return "development mode: embedded PostgreSQL in " + config.dataDir();
      }
      throw new IllegalStateException("no database configured: set JIESU_DB_URL");
    }
    Database.Target target = Database.Target.parse(config.dbUrl().get());
    Properties props = target.jdbcProperties();
    props.setProperty("connectTimeout", Long.toString(Math.max(1, config.timeouts().dbConnect().toSeconds())));
    props.setProperty("socketTimeout", "30");
    props.setProperty("ApplicationName", "jiesu-check-config");
    String where = target.host() + ":" + target.port() + "/" + target.database() + " as " + target.user();
    try (Connection c = DriverManager.getConnection(target.jdbcUrl(), props); Statement s = c.createStatement()) {
      String version;
      try (ResultSet rs = s.executeQuery("SHOW server_version")) {
        rs.next();
        version = rs.getString(1);
      }
      String latest = Database.latestKnownVersion(target);
      String applied = "none (the first start migrates)";
      try (ResultSet rs = s.executeQuery("SELECT to_regclass('flyway_schema_history') IS NOT NULL")) {
        rs.next();
        if (rs.getBoolean(1)) {
          try (ResultSet v = s.executeQuery("SELECT version FROM flyway_schema_history WHERE success AND version IS"
              + " NOT NULL ORDER BY installed_rank DESC LIMIT 1")) {
            applied = v.next() ? v.getString(1) : applied;
          }
        }
      }
      return "PostgreSQL " + version + " at " + where + "; migrations applied: " + applied + ", this build's newest: "
          + latest;
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException("cannot connect to " + where + ": " + e.getMessage());
    }
  }
}
