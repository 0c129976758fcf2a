package org.jiesu.platform;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.jiesu.auth.Role;
import org.jiesu.support.Sql;
import org.jiesu.support.TestServer;
import org.jiesu.support.TestServer.Response;
import org.jiesu.support.Tickets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The database goes away under a running server: stopped (immediate shutdown, as a crash) or frozen
 * (every PostgreSQL process SIGSTOPped, as a hung host or a partition). Each test owns its PostgreSQL, so
 * stopping it disturbs no other test. While the database is away every call answers a 503 problem with
 * Retry-After, promptly; once it is back the server serves again by itself and no acknowledged ticket is
 * missing. The time bounds are generous: they only prove that nothing waits for the database to return.
 */
class DatabaseFaultTest {

  /** Far above the ~2 s a request takes to be refused, far below the 30 s the test client would wait. */
  private static final long PROMPT_MS = 5_000;

  private Path folder;
  private int pgPort;
  private EmbeddedPostgres pg;
  private TestServer server;
  private final List<Long> frozen = new ArrayList<>();
  private final List<String> acknowledged = new ArrayList<>();
  private String hotline;

  @BeforeEach
  void start() throws Exception {
    folder = Files.createTempDirectory("jiesu-fault-pg");
    pgPort = TestServer.freePort();
    pg = startPostgres();
    try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE jiesu_fault");
    }
    server = TestServer.start("postgresql://postgres@localhost:" + pgPort + "/jiesu_fault", Clock.systemUTC());
    server.department("D-IP", "municipal");
    hotline = server.token(Role.HOTLINE);
  }

  @AfterEach
  void stop() throws Exception {
    signal("-CONT", frozen); // a failed freeze test must never leave PostgreSQL stopped
    if (server != null) {
      server.close();
    }
    if (pg != null) {
      pg.close();
    }
    try (var paths = Files.walk(folder)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  @Test
  void aStoppedDatabaseGives503ProblemsThenTheServerRecoversByItself() throws Exception {
    intake(5);
    long postmaster = postmasterPid();
    // SIGQUIT is PostgreSQL's immediate shutdown: no checkpoint, every connection cut, as in a crash
    signal("-QUIT", List.of(postmaster));
    awaitExit(postmaster);
    pg.close(); // zonky only lets go of the data folder; its pg_ctl stop finds nothing to stop

    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(4);
    int calls = 0;
    while (System.nanoTime() < until) {
      assertUnavailable(timed(() -> server.post("/api/v1/tickets", hotline, Tickets.dispatched("down-" + System.nanoTime(), "D-IP"))));
      assertUnavailable(timed(() -> server.get("/api/v1/tickets", hotline)));
      calls += 2;
    }
    assertThat(calls).isGreaterThan(4);
    Response ready = timed(() -> server.get("/health/ready", null));
    assertThat(ready.status()).isEqualTo(503);
    assertThat(ready.json().getString("database")).isEqualTo("DOWN");

    System.out.printf("while PostgreSQL was stopped the slowest answer took %d ms%n", slowestMs);
    pg = startPostgres();
    long recovered = awaitIntake();
    System.out.printf("intake answered 201 again %d ms after PostgreSQL was back%n", recovered);
    intake(5);
    assertThat(server.get("/health/ready", null).status()).isEqualTo(200);
    assertAllAcknowledgedStored();
  }

  @Test
  void aFrozenDatabaseGives503ProblemsWithinSecondsThenTheServerRecovers() throws Exception {
    intake(5);
    long postmaster = postmasterPid();
    List<Long> processes = new ArrayList<>();
    processes.add(postmaster);
    ProcessHandle.of(postmaster).orElseThrow().descendants().forEach(p -> processes.add(p.pid()));
    frozen.addAll(processes);
    try {
      signal("-STOP", processes);
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(6);
      int calls = 0;
      while (System.nanoTime() < until) {
        assertUnavailable(timed(() -> server.post("/api/v1/tickets", hotline, Tickets.dispatched("frozen-" + System.nanoTime(), "D-IP"))));
        assertUnavailable(timed(() -> server.get("/api/v1/tickets", hotline)));
        Response ready = timed(() -> server.get("/health/ready", null));
        assertThat(ready.status()).isEqualTo(503);
        calls += 3;
      }
      assertThat(calls).isGreaterThan(3);
    } finally {
      signal("-CONT", processes);
      frozen.clear();
    }
    System.out.printf("while PostgreSQL was frozen the slowest answer took %d ms%n", slowestMs);
    long recovered = awaitIntake();
    System.out.printf("intake answered 201 again %d ms after PostgreSQL was resumed%n", recovered);
    intake(5);
    assertThat(server.get("/health/ready", null).status()).isEqualTo(200);
    assertAllAcknowledgedStored();
  }

  private EmbeddedPostgres startPostgres() throws Exception {
    return EmbeddedPostgres.builder()
        .setOverrideWorkingDirectory(folder.resolve("bin").toFile())
        .setDataDirectory(folder.resolve("pg"))
        .setCleanDataDirectory(false)
        .setRegisterShutdownHook(false)
        .setPort(pgPort)
        .setServerConfig("listen_addresses", "localhost")
        .setServerConfig("max_connections", "50")
        // durable as in production (zonky turns both off): an immediate stop must not lose a commit
        .setServerConfig("fsync", "on")
        .setServerConfig("synchronous_commit", "on")
        .start();
  }

  private void intake(int n) {
    for (int i = 0; i < n; i++) {
      String external = "ok-" + System.nanoTime();
      Response r = server.post("/api/v1/tickets", hotline, Tickets.dispatched(external, "D-IP"));
      assertThat(r.status()).as(r.toString()).isEqualTo(201);
      acknowledged.add(external);
    }
  }

  /** Polls intake until it is acknowledged again; the milliseconds it took. */
  private long awaitIntake() throws InterruptedException {
    long start = System.nanoTime();
    long deadline = start + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      String external = "back-" + System.nanoTime();
      Response r = server.post("/api/v1/tickets", hotline, Tickets.dispatched(external, "D-IP"));
      if (r.status() == 201) {
        acknowledged.add(external);
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      }
      assertUnavailable(r);
      TimeUnit.MILLISECONDS.sleep(50);
    }
    throw new AssertionError("the server did not serve intake again within 30 s of the database's return");
  }

  private void assertAllAcknowledgedStored() {
    for (String external : acknowledged) {
      assertThat(Sql.count(server.dbUrl(), "SELECT count(*) FROM ticket WHERE external_id = '" + external + "'"))
          .as("acknowledged ticket %s is stored", external).isEqualTo(1);
    }
  }

  private static void assertUnavailable(Response r) {
    assertThat(r.status()).as(r.toString()).isEqualTo(503);
    assertThat(r.header("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
    assertThat(r.header("Retry-After")).isPresent();
    assertThat(r.json().getString("type")).startsWith("urn:jiesu:problem:");
    assertThat(r.json().getInteger("status")).isEqualTo(503);
  }

  private long slowestMs;

  private Response timed(java.util.function.Supplier<Response> call) {
    long start = System.nanoTime();
    Response r = call.get();
    long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    slowestMs = Math.max(slowestMs, ms);
    assertThat(ms).as("answered in %d ms: %s", ms, r).isLessThan(PROMPT_MS);
    return r;
  }

  private long postmasterPid() throws Exception {
    return Long.parseLong(Files.readAllLines(folder.resolve("pg").resolve("postmaster.pid")).get(0).trim());
  }

  private static void awaitExit(long pid) throws InterruptedException {
    Optional<ProcessHandle> p = ProcessHandle.of(pid);
    for (int i = 0; i < 200 && p.isPresent() && p.get().isAlive(); i++) {
      TimeUnit.MILLISECONDS.sleep(50);
    }
  }

  private static void signal(String signal, List<Long> pids) throws Exception {
    if (pids.isEmpty()) {
      return;
    }
    List<String> command = new ArrayList<>(List.of("kill", signal));
    pids.forEach(p -> command.add(Long.toString(p)));
    new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .start().waitFor(10, TimeUnit.SECONDS);
  }
}
