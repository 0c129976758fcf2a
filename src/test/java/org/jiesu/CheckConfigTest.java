package org.jiesu;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jiesu.auth.Keys;
import org.jiesu.support.Cli;
import org.jiesu.support.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** check-config validates what a server would start with, without starting one, and names what is wrong. */
class CheckConfigTest {

  static Vertx vertx;
  static HttpServer idp;
  static Path jwksFile;
  static String servedKeys;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    jwksFile = Keys.ensureDevKeys(Files.createTempDirectory("jiesu-check-keys"));
    servedKeys = Files.readString(jwksFile).replace("jiesu-dev", "idp-key-1");
    idp = vertx.createHttpServer().requestHandler(req -> {
      if (req.path().equals("/certs")) {
        req.response().putHeader("Content-Type", "application/json").end(servedKeys);
      } else {
        req.response().setStatusCode(404).end();
      }
    }).listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stop() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  record Outcome(int code, String output) {}

  static Outcome check(Map<String, String> env) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    int code = CheckConfig.run(env, new PrintStream(bytes, true, StandardCharsets.UTF_8));
    return new Outcome(code, bytes.toString(StandardCharsets.UTF_8));
  }

  static String idpUrl(String path) {
    return "http://127.0.0.1:" + idp.actualPort() + path;
  }

  @Test
  void aGoodEnvironmentPassesAndNothingIsMigrated() throws Exception {
    String db = TestDatabase.fresh();
    Outcome o = check(Map.of("JIESU_DB_URL", db, "JIESU_JWT_JWKS", jwksFile.toString(),
        "JIESU_JWT_JWKS_URL", idpUrl("/certs")));
    assertThat(o.code()).as(o.output()).isZero();
    assertThat(o.output()).contains("ok    settings: production mode", "ok    keys: 2 verification key(s)",
        "idp-key-1", "jiesu-dev", "ok    database: PostgreSQL", "migrations applied: none", "configuration ok");
    try (var c = java.sql.DriverManager.getConnection(org.jiesu.platform.Database.Target.parse(db).jdbcUrl(),
        org.jiesu.platform.Database.Target.parse(db).jdbcProperties());
         var rs = c.createStatement().executeQuery("SELECT to_regclass('flyway_schema_history') IS NULL")) {
      rs.next();
      assertThat(rs.getBoolean(1)).as("check-config changes nothing").isTrue();
    }
  }

  @Test
  void anUnreachableDatabaseAndAKeyUrlThatServesNothingAreBothNamed() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    Outcome o = check(Map.of("JIESU_DB_URL", "postgresql://jiesu:pw@127.0.0.1:" + closedPort + "/jiesu",
        "JIESU_JWT_JWKS_URL", idpUrl("/missing"), "JIESU_DB_CONNECT_TIMEOUT", "PT2S"));
    assertThat(o.code()).isEqualTo(1);
    assertThat(o.output()).contains("FAIL  keys: cannot load " + idpUrl("/missing") + ": HTTP 404",
        "FAIL  database: cannot connect to 127.0.0.1:" + closedPort + "/jiesu as jiesu",
        "configuration has problems: keys, database");
    assertThat(o.output()).as("the password is never printed").doesNotContain("pw@");
  }

  @Test
  void settingsThatDoNotParseStopTheCheckAndAreNamed() {
    Outcome o = check(Map.of("JIESU_DB_URL", "postgresql://u@h/d", "JIESU_JWT_JWKS", jwksFile.toString(),
        "JIESU_REQUEST_TIMEOUT", "ten seconds"));
    assertThat(o.code()).isEqualTo(1);
    assertThat(o.output()).contains("FAIL  settings: JIESU_REQUEST_TIMEOUT must be an ISO-8601 duration");
  }

  @Test
  void productionWithoutKeysOrDatabaseFails() {
    Map<String, String> env = new HashMap<>();
    env.put("JIESU_DEV_MODE", "false");
    Outcome o = check(env);
    assertThat(o.code()).isEqualTo(1);
    assertThat(o.output()).contains("FAIL  keys: no JWT verification key configured",
        "FAIL  database: no database configured: set JIESU_DB_URL");
  }

  @Test
  void intakeStatementsBelowOneAreRefused() {
    Outcome o = check(Map.of("JIESU_INTAKE_STATEMENTS", "0"));
    assertThat(o.code()).isEqualTo(1);
    assertThat(o.output()).contains("FAIL  settings: JIESU_INTAKE_STATEMENTS must be at least 1, got 0");
  }

  @Test
  void theJarHasTheCommand() throws Exception {
    Cli.Result r = Cli.run(Map.of("JIESU_HTTP_PORT", "eighty"), "check-config");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.output()).contains("FAIL  settings: JIESU_HTTP_PORT must be a whole number");
  }
}
