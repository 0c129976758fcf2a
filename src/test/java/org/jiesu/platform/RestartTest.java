package org.jiesu.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jiesu.auth.Keys;
import org.jiesu.auth.Role;
import org.jiesu.support.Cli;
import org.jiesu.support.ServerProcesses;
import org.jiesu.support.TestServer;
import org.jiesu.support.Tickets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The product as an operator runs it: a separate JVM with nothing configured (embedded PostgreSQL with
 * fsync on, development keys in the data folder), killed with SIGKILL, started again on the same folder.
 */
class RestartTest {

  private Path scratch;
  private ServerProcesses servers;
  private final HttpClient http = HttpClient.newHttpClient();

  @AfterEach
  void stopAll() throws Exception {
    if (servers != null) {
      servers.close();
    }
  }

  private Process serve(Path dataDir, int port) throws Exception {
    return servers.serve(Map.of("JIESU_DATA_DIR", dataDir.toString(), "JIESU_HTTP_PORT", Integer.toString(port)), port);
  }

  /** Every answer is checked against the OpenAPI document, as TestServer does for in-process servers. */
  private HttpResponse<String> send(HttpRequest request, HttpResponse.BodyHandler<String> body) throws Exception {
    HttpResponse<String> r = http.send(request, body);
    org.jiesu.support.ContractCheck.verify(request.method(), request.uri().getRawPath(), r.statusCode(),
        r.headers().map(), r.body());
    return r;
  }

  private int post(int port, String token, String body) throws Exception {
    return send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/v1/tickets"))
        .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString()).statusCode();
  }

  private String get(int port, String token, String path) throws Exception {
    HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
        .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return r.body();
  }

  /** The token command prints the token and nothing else. */
  private static String mint(Path dataDir, Role role) throws Exception {
    Cli.Result r = Cli.run(Map.of("JIESU_DATA_DIR", dataDir.toString()), "token", "--role", role.name(), "--ttl", "PT30M");
    assertThat(r.exitCode()).isZero();
    String token = r.output().strip();
    assertThat(token).doesNotContain("\n").matches("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");
    return token;
  }

  private static long countTickets(String body) {
    return new io.vertx.core.json.JsonObject(body).getJsonArray("items").size();
  }

  @Test
  void everyAcknowledgedTicketSurvivesKillMinus9AndAGracefulRestart() throws Exception {
    servers = ServerProcesses.inNewFolder("jiesu-restart");
    scratch = servers.folder();
    Path dataDir = scratch.resolve("data");
    int port = TestServer.freePort();
    Process first = serve(dataDir, port);
    // the banner names the data folder the token command must be given
    Path log = servers.log(first);
    String banner = "JIESU_DATA_DIR=" + dataDir.toAbsolutePath() + " java -jar target/jiesu.jar token";
    for (int i = 0; i < 100 && !Files.readString(log).contains(banner); i++) {
      TimeUnit.MILLISECONDS.sleep(100); // it is logged just after the server starts answering
    }
    assertThat(Files.readString(log)).contains(banner);
    String hotline = mint(dataDir, Role.HOTLINE);
    String admin = mint(dataDir, Role.ADMIN);
    send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/v1/departments/D-IP"))
        .header("Authorization", "Bearer " + admin).header("Content-Type", "application/json")
        .PUT(HttpRequest.BodyPublishers.ofString("{\"name\":\"知识产权局\",\"group\":\"municipal\"}")).build(),
        HttpResponse.BodyHandlers.ofString());

    int acknowledged = 0;
    for (int i = 0; i < 200; i++) {
      if (post(port, hotline, Tickets.dispatched("K-" + i, "D-IP").encode()) == 201) {
        acknowledged++;
      }
    }
    assertThat(acknowledged).isEqualTo(200);

    first.destroyForcibly().waitFor(30, TimeUnit.SECONDS); // SIGKILL: no shutdown hook runs
    assertThat(Files.exists(dataDir.resolve("pg").resolve("postmaster.pid")))
        .as("the crashed server's PostgreSQL is still there").isTrue();

    Process second = serve(dataDir, port);
    assertThat(countTickets(get(port, hotline, "/api/v1/tickets?limit=200"))).isEqualTo(200);
    // audit-verify finds the running server's database through the data folder
    Cli.Result verified = Cli.run(Map.of("JIESU_DATA_DIR", dataDir.toString()), "audit-verify");
    assertThat(verified.exitCode()).as(verified.output()).isZero();
    assertThat(verified.output()).contains("audit chain intact: 2");

    second.destroy(); // SIGTERM: graceful
    assertThat(second.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(Files.exists(dataDir.resolve("pg").resolve("postmaster.pid")))
        .as("a graceful stop also stops PostgreSQL").isFalse();

    serve(dataDir, port);
    assertThat(countTickets(get(port, hotline, "/api/v1/tickets?limit=200"))).isEqualTo(200);
    assertThat(new File(dataDir.toFile(), Keys.DEV_PRIVATE_KEY)).exists();
  }
}
