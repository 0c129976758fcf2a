package org.jiesu.support;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jiesu.Server;
import org.jiesu.auth.Keys;
import org.jiesu.auth.Role;
import org.jiesu.auth.Tokens;
import org.jiesu.platform.Config;

/**
 * The real server on a real database, called over real HTTP with real ES256 tokens. The key pair is made
 * for the test; the server only gets the public JWKS, as in production.
 */
public final class TestServer implements AutoCloseable {

  public static final String ISSUER = "jiesu";
  public static final String AUDIENCE = "jiesu-api";

  private final Server server;
  private final String dbUrl;
  private final Path keyFolder;
  private final Vertx tokenVertx = Vertx.vertx();
  private final Tokens tokens;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(10)).build();
  private final String base;

  private TestServer(Server server, String dbUrl, Path keyFolder, int port) {
    this.server = server;
    this.dbUrl = dbUrl;
    this.keyFolder = keyFolder;
    this.tokens = new Tokens(tokenVertx, Keys.readPem(keyFolder.resolve(Keys.DEV_PRIVATE_KEY)), Keys.DEV_KID,
        ISSUER, AUDIENCE);
    this.base = "http://localhost:" + port;
  }

  /** A server on a fresh database. */
  public static TestServer start() {
    return start(TestDatabase.fresh(), Clock.systemUTC());
  }

  public static TestServer start(String dbUrl, Clock clock) {
    return start(dbUrl, clock, c -> c);
  }

  public static TestServer start(String dbUrl, Clock clock, java.util.function.UnaryOperator<Config> adjust) {
    try {
      Path keys = Files.createTempDirectory("jiesu-test-keys");
      Path jwks = Keys.ensureDevKeys(keys);
      int port = freePort();
      Config config = Config.from(Map.of(
              "JIESU_DATA_DIR", keys.toString(),
              "JIESU_DB_POOL_SIZE", "8"))
          .withDbUrl(dbUrl).withJwks(jwks).withHttpPort(port);
      config = adjust.apply(config);
      return new TestServer(Server.start(config, clock), dbUrl, keys, port);
    } catch (Exception e) {
      throw new IllegalStateException("test server did not start", e);
    }
  }

  public String dbUrl() {
    return dbUrl;
  }

  public String base() {
    return base;
  }

  public Tokens tokens() {
    return tokens;
  }

  public String token(Role role) {
    return tokens.mint(role.name().toLowerCase() + "-1", List.of(role), Optional.empty(), Duration.ofMinutes(10));
  }

  public String staff(String dept) {
    return tokens.mint("staff@" + dept, List.of(Role.STAFF), Optional.of(dept), Duration.ofMinutes(10));
  }

  public Response get(String path, String token) {
    return send(request(path, token).GET());
  }

  public Response post(String path, String token, JsonObject body) {
    return send(request(path, token).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body.encode())));
  }

  public Response postRaw(String path, String token, String contentType, String body) {
    return send(request(path, token).header("Content-Type", contentType)
        .POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  public Response put(String path, String token, JsonObject body) {
    return send(request(path, token).header("Content-Type", "application/json")
        .PUT(HttpRequest.BodyPublishers.ofString(body.encode())));
  }

  public HttpRequest.Builder request(String path, String token) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return b;
  }

  /** Sends a request; every answer is checked against the OpenAPI document ({@link ContractCheck}). */
  public Response send(HttpRequest.Builder builder) {
    try {
      HttpRequest request = builder.build();
      HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
      ContractCheck.verify(request.method(), request.uri().getRawPath(), r.statusCode(), r.headers().map(), r.body());
      return new Response(r.statusCode(), r.headers().map(), r.body());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * Chains every committed audit entry, instead of waiting for the periodic chainer. A chainer run may
   * find the chain held by the periodic one, or entries held back by a transaction still open, so it asks
   * again until none is left (bounded, so a broken chainer fails the test instead of hanging it).
   */
  public void chainAudit() {
    String unchained = "SELECT count(*) FROM audit_entry e WHERE NOT EXISTS (SELECT 1 FROM audit_log l WHERE l.entry_id = e.id)";
    try {
      for (int attempt = 0; attempt < 500; attempt++) {
        server.chainAudit().await(30, java.util.concurrent.TimeUnit.SECONDS);
        if (Sql.count(dbUrl, unchained) == 0) {
          return;
        }
        Thread.sleep(20);
      }
    } catch (java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    throw new IllegalStateException("audit entries stay unchained");
  }

  /** Fires every SLA warning and breach due at the server's clock, instead of waiting for the scheduler. */
  public int fireDueTimers() {
    try {
      return server.fireDueTimers().await(30, java.util.concurrent.TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Creates a department as ADMIN. */
  public void department(String code, String group) {
    Response r = put("/api/v1/departments/" + code, token(Role.ADMIN),
        new JsonObject().put("name", "部门 " + code).put("group", group));
    if (r.status() != 201 && r.status() != 200) {
      throw new IllegalStateException("department " + code + ": " + r);
    }
  }

  @Override
  public void close() {
    server.close();
    tokenVertx.close();
    TestDatabase.Files.deleteRecursively(keyFolder);
  }

  public static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** An HTTP answer. */
  public record Response(int status, Map<String, List<String>> headers, String body) {
    public JsonObject json() {
      return new JsonObject(body);
    }

    public Optional<String> header(String name) {
      return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
          .flatMap(e -> e.getValue().stream()).findFirst();
    }

    @Override
    public String toString() {
      return status + " " + body;
    }
  }
}
