package org.jiesu.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.jiesu.auth.Role;
import org.jiesu.bench.Bench;
import org.jiesu.support.Sql;
import org.jiesu.support.TestServer;
import org.junit.jupiter.api.Test;

/** The bench command measures real requests; here it runs small, and only its counts are checked. */
class BenchTest {

  @Test
  void benchIntakesAndReadsThroughTheApiAndPrintsFigures() throws Exception {
    try (TestServer server = TestServer.start()) {
      ByteArrayOutputStream buffer = new ByteArrayOutputStream();
      Bench bench = new Bench(URI.create(server.base()), server.token(Role.HOTLINE), server.token(Role.ADMIN),
          server.staff("BENCH")).measuringDatabase(org.jiesu.support.TestDatabase.localDataFolder()).warmingAtMost(1);
      List<Bench.Figures> figures = bench.run(40, 4, 5, new PrintStream(buffer, true, StandardCharsets.UTF_8));

      assertThat(figures).extracting(Bench.Figures::phase).containsExactly("intake", "read", "list", "action");
      assertThat(figures).allSatisfy(f -> assertThat(f.errors()).isZero());
      assertThat(figures.subList(0, 3)).allSatisfy(f -> assertThat(f.latency().getTotalCount()).isEqualTo(40));
      // every request went to the database at least once (the server's own count of SQL round trips)
      assertThat(figures).allSatisfy(f -> assertThat(f.sqlPerRequest()).isGreaterThanOrEqualTo(1));
      // the server and this process spent CPU on the intakes; so did PostgreSQL, when it runs here
      assertThat(figures.get(0).serverCpuMsPerRequest()).isPositive();
      assertThat(figures.get(0).clientCpuMsPerRequest()).isPositive();
      if (bench.measuresDatabase()) {
        assertThat(figures.get(0).databaseCpuMsPerRequest()).isPositive();
      }
      // sign, contact and reply on 13 of the tickets the intake phase made (and on 1 of the 5 warm-up tickets,
      // the warm-up runs every phase)
      assertThat(figures.get(3).latency().getTotalCount()).isEqualTo(39);
      assertThat(Sql.count(server.dbUrl(), "SELECT count(*) FROM ticket WHERE category = 'bench.load'"
          + " AND status = 'REPLIED'")).isEqualTo(14);
      assertThat(Sql.count(server.dbUrl(), "SELECT count(*) FROM ticket WHERE category = 'bench.load'")).isEqualTo(45);
      String printed = buffer.toString(StandardCharsets.UTF_8);
      assertThat(printed).contains("intake").contains("read").contains("p99").contains("req/s");
      // 45 intakes and 40 audited reads were chained, and the lag was measured
      assertThat(printed).containsPattern("audit\\s+\\d+ entries chained").doesNotContain("NaN");
      assertThat(printed).contains("p99.9").contains("SQL").containsPattern("old gen \\d+ MB");
    }
  }

  @Test
  void locatedIntakesCarryAPlaceAndAreTakenLikeTheOthers() throws Exception {
    try (TestServer server = TestServer.start()) {
      ByteArrayOutputStream buffer = new ByteArrayOutputStream();
      List<Bench.Figures> figures = new Bench(URI.create(server.base()), server.token(Role.HOTLINE),
          server.token(Role.ADMIN), server.staff("BENCH")).located(true).run(20, 4, 0,
          new PrintStream(buffer, true, StandardCharsets.UTF_8));
      assertThat(figures).allSatisfy(f -> assertThat(f.errors()).isZero());
      assertThat(Sql.count(server.dbUrl(), "SELECT count(*) FROM ticket WHERE category = 'bench.load'"
          + " AND district IS NOT NULL AND street IS NOT NULL AND lat IS NOT NULL")).isEqualTo(20);
    }
  }

  @Test
  void theCompilersShareIsTheirTimeOverTheServersCpuTimeAcrossThePhases() {
    org.HdrHistogram.Histogram h = new org.HdrHistogram.Histogram(3);
    // 100 intakes at 1 ms of CPU with 0.2 ms compiling each, 100 reads at 0.5 ms with none: 20 / 150
    List<Bench.Figures> pass = List.of(new Bench.Figures("intake", 100, 0, 1, h, 1.0, 1, 0, 0, 0.2, 50),
        new Bench.Figures("read", 100, 0, 1, h, 0.5, 1, 0, 0, 0.0, 50));
    assertThat(Bench.compilingShare(pass)).isCloseTo(20.0 / 150, org.assertj.core.api.Assertions.within(1e-9));
    assertThat(Bench.compilingShare(List.of())).isZero();
  }

  @Test
  void theOpenModelSendsOnScheduleAndTheCeilingCommitsThreeInsertsInScratchTables() throws Exception {
    try (TestServer server = TestServer.start()) {
      ByteArrayOutputStream buffer = new ByteArrayOutputStream();
      PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8);
      long start = System.nanoTime();
      List<Bench.Figures> figures = new Bench(URI.create(server.base()), server.token(Role.HOTLINE),
          server.token(Role.ADMIN), server.staff("BENCH")).atRate(20).run(20, 4, 2, out);
      // 3 open phases of 20 requests due 50 ms apart: each phase spans at least 0.95 s
      assertThat(System.nanoTime() - start).isGreaterThan(3 * 950_000_000L);
      assertThat(figures).extracting(Bench.Figures::phase).containsExactly("intake@20", "read@20", "list@20", "action");
      assertThat(figures).allSatisfy(f -> assertThat(f.errors()).isZero());
      assertThat(figures.subList(0, 3)).allSatisfy(f -> assertThat(f.seconds()).isGreaterThanOrEqualTo(0.95));

      Bench.Figures ceiling = org.jiesu.bench.Ceiling.measure(server.dbUrl(), 4, 60,
          org.jiesu.support.TestDatabase.localDataFolder());
      assertThat(ceiling.errors()).isZero();
      assertThat(ceiling.latency().getTotalCount()).isEqualTo(60);
      // the scratch schema is gone; the real tables got nothing
      assertThat(Sql.count(server.dbUrl(), "SELECT count(*) FROM information_schema.schemata"
          + " WHERE schema_name = 'bench_ceiling'")).isZero();
      assertThat(Sql.count(server.dbUrl(), "SELECT count(*) FROM ticket WHERE external_id LIKE 'CEIL-%'")).isZero();
      // the autovacuum report reads the real statistics view: nothing ran in a window still to come
      assertThat(org.jiesu.bench.Ceiling.autovacuumBetween(server.dbUrl(), java.time.Instant.now().plusSeconds(60),
          java.time.Instant.now().plusSeconds(120))).isEmpty();
      // the quiet start reads the real activity view and checkpoints the test's own database (a superuser)
      assertThat(org.jiesu.bench.Ceiling.quiet(server.dbUrl(), java.time.Duration.ofSeconds(10)))
          .matches("quiet after \\d+\\.\\d s(?: \\(autovacuum still running after 10 s\\))?, checkpointed in \\d+\\.\\d s");
      org.jiesu.bench.Ceiling.print(figures.get(0), ceiling, out);
      assertThat(buffer.toString(StandardCharsets.UTF_8)).containsPattern("intake/ceiling \\d+\\.\\d\\d");
    }
  }

  @Test
  void benchKnowledgeLoadsGeneratedArticlesAndSearchesThem() throws Exception {
    try (TestServer server = TestServer.start()) {
      ByteArrayOutputStream buffer = new ByteArrayOutputStream();
      List<Bench.Figures> figures = new Bench(URI.create(server.base()), server.token(Role.HOTLINE),
          server.token(Role.ADMIN), null).knowledge(30, 500, 20, 4, 10, 7, new PrintStream(buffer, true, StandardCharsets.UTF_8));

      assertThat(figures).extracting(Bench.Figures::phase).containsExactly("load", "search");
      assertThat(figures).allSatisfy(f -> assertThat(f.errors()).isZero());
      assertThat(figures.get(1).latency().getTotalCount()).isEqualTo(20);
      assertThat(Sql.count(server.dbUrl(), "SELECT count(*) FROM knowledge_article WHERE length(body) = 500")).isEqualTo(30);
      assertThat(buffer.toString(StandardCharsets.UTF_8)).contains("search").contains("p99");
    }
  }
}
