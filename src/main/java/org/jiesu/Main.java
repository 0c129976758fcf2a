package org.jiesu;

import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.jiesu.audit.AuditVerifier;
import org.jiesu.auth.Keys;
import org.jiesu.auth.Role;
import org.jiesu.auth.Tokens;
import org.jiesu.platform.Config;
import org.jiesu.platform.Database;
import org.jiesu.platform.EmbeddedDatabase;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** One entry point: {@code serve} (the default), {@code token}, {@code audit-verify}. */
@Command(name = "jiesu", mixinStandardHelpOptions = true,
    description = "Backend for 接诉即办 government hotlines.",
    subcommands = {Main.Serve.class, Main.Token.class, Main.AuditVerify.class, Main.BenchCommand.class,
        org.jiesu.credit.DrawVerify.class, CheckConfig.class})
public final class Main implements Callable<Integer> {

  public static void main(String[] args) {
    CommandLine cli = new CommandLine(new Main());
    cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
      // a refusal to start is an operator's problem to fix: say it plainly, no stack trace
      if (e instanceof IllegalStateException || e instanceof IllegalArgumentException) {
        commandLine.getErr().println("jiesu: " + e.getMessage());
        return 2;
      }
      throw e;
    });
    int code = cli.execute(args);
    // serve returns only once the shutdown hook has run; exiting then would block, so only other commands exit
    if (code != 0 || !Serve.served) {
      System.exit(code);
    }
  }

  /** No subcommand means serve. */
  @Override
  public Integer call() throws Exception {
    return new Serve().call();
  }

  @Command(name = "serve", description = "Run the HTTP API (embedded PostgreSQL when JIESU_DB_URL is unset).")
  static final class Serve implements Callable<Integer> {
    static volatile boolean served;

    @Override
    public Integer call() throws Exception {
      Config config = Config.fromEnvironment();
      Server server = Server.start(config, Clock.systemUTC());
      CountDownLatch stopped = new CountDownLatch(1);
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        server.close();
        stopped.countDown();
      }, "jiesu-shutdown"));
      served = true;
      stopped.await();
      return 0;
    }
  }

  @Command(name = "token", description = "Print a token signed with the development key in JIESU_DATA_DIR.")
  static final class Token implements Callable<Integer> {
    @Option(names = "--role", required = true, split = ",", description = "HOTLINE, STAFF, SUPERVISOR, INSPECTOR, ADMIN, AUDITOR")
    List<Role> roles;
    @Option(names = "--dept", description = "department code (STAFF)")
    String dept;
    @Option(names = "--sub", description = "subject (who the token speaks for)")
    String sub;
    @Option(names = "--ttl", defaultValue = "PT1H", description = "lifetime, ISO-8601 (default PT1H)")
    Duration ttl;

    @Override
    public Integer call() {
      Config config = Config.fromEnvironment();
      String pem = Keys.readPem(config.dataDir().resolve(Keys.DEV_PRIVATE_KEY));
      Vertx vertx = Vertx.vertx();
      try {
        Tokens tokens = new Tokens(vertx, pem, Keys.DEV_KID, config.jwtIssuer(), config.jwtAudience());
        String subject = sub != null ? sub : roles.get(0).name().toLowerCase() + (dept != null ? "@" + dept : "");
        System.out.println(tokens.mint(subject, roles, Optional.ofNullable(dept), ttl));
      } finally {
        vertx.close();
      }
      return 0;
    }
  }

  @Command(name = "bench", description = "Load a running development server: intake, read and action throughput, p50/p90/p99.",
      subcommands = {Main.BenchKnowledge.class, Main.BenchSla.class, org.jiesu.bench.ScorecardBench.class,
          org.jiesu.bench.InsightsBench.class, org.jiesu.bench.WebhookBench.class})
  static final class BenchCommand implements Callable<Integer> {
    @Option(names = "--url", defaultValue = "http://localhost:8080", description = "server (default ${DEFAULT-VALUE})")
    java.net.URI url;
    @Option(names = "--requests", defaultValue = "2000", description = "requests per phase (default ${DEFAULT-VALUE})")
    int requests;
    @Option(names = "--concurrency", defaultValue = "32", description = "requests in flight (default ${DEFAULT-VALUE})")
    int concurrency;
    @Option(names = "--warmup", defaultValue = "2000", description = "requests per phase run first, unmeasured, so the "
        + "server's JIT has compiled every path; repeated (up to 8 passes) until the server's compilers and this "
        + "command's own work less than 5%% as long as their CPU (default ${DEFAULT-VALUE})")
    int warmup;
    @Option(names = "--pg-data", description = "data folder of a PostgreSQL on this host whose CPU to measure "
        + "(default: the embedded one in JIESU_DATA_DIR when JIESU_DB_URL is not set)")
    java.nio.file.Path pgData;
    @Option(names = "--rate", defaultValue = "0", description = "open model: requests per second, latency from the "
        + "time each was due (intake, read, list); 0: closed model, --concurrency in flight (default ${DEFAULT-VALUE})")
    double rate;
    @Option(names = "--located", description = "intakes with a place (district, street, point): each then runs the "
        + "hotspot check and the similarity read; by default they have none")
    boolean located;
    @Option(names = "--streets", defaultValue = "50", description = "streets the --located intakes spread over: "
        + "50 is a crowded case (hundreds of open calls of one text on each street), thousands a city's spread "
        + "(default ${DEFAULT-VALUE})")
    int streets;
    @Option(names = "--no-ceiling", description = "skip the database's three-insert ceiling")
    boolean noCeiling;

    /** How long the measured phases and the ceiling wait for autovacuum to end before they start. */
    private static final java.time.Duration QUIET = java.time.Duration.ofSeconds(60);

    @Override
    public Integer call() throws Exception {
      System.out.printf("bench: %s, %d requests per phase, %s, %d warm-up requests per phase%n", url, requests,
          rate > 0 ? "open model at " + rate + " req/s" : concurrency + " in flight", warmup);
      Config config = Config.fromEnvironment();
      Optional<java.nio.file.Path> pgData = localDatabase(config);
      Optional<String> analyzed = org.jiesu.bench.Ceiling.databaseOf(config);
      org.jiesu.bench.Bench bench = bench().atRate(rate).located(located).streets(streets).measuringDatabase(pgData)
          .afterWarmup(() -> analyzed.ifPresent(db -> {
            org.jiesu.bench.Ceiling.analyze(db);
            System.err.println("bench: before the measured phases, database " + org.jiesu.bench.Ceiling.quiet(db, QUIET));
          }))
          .duringPhase((from, to) -> analyzed.map(db -> org.jiesu.bench.Ceiling.autovacuumBetween(db, from, to)).orElse(""));
      if (!bench.measuresDatabase()) {
        System.out.println("database CPU: not measured (no PostgreSQL data folder on this host: set --pg-data)");
      }
      List<org.jiesu.bench.Bench.Figures> figures = bench.run(requests, concurrency, warmup, System.out);
      if (!noCeiling) {
        Optional<String> database = org.jiesu.bench.Ceiling.databaseOf(config);
        if (database.isEmpty()) {
          System.out.println("ceiling: no JIESU_DB_URL and no embedded PostgreSQL running in " + config.dataDir());
        } else {
          // warmed like the phases: its client (this process's SQL client) compiles too, and a ceiling measured
          // while compiling would be low and flatter the ratio
          java.lang.management.CompilationMXBean compiler = java.lang.management.ManagementFactory.getCompilationMXBean();
          for (int pass = 1; warmup > 0 && pass <= 8; pass++) {
            long compiledBefore = compiler.getTotalCompilationTime();
            org.jiesu.bench.Bench.Figures w = org.jiesu.bench.Ceiling.measure(database.get(), config.dbPoolSize(),
                warmup, pgData);
            double own = (compiler.getTotalCompilationTime() - compiledBefore)
                / (w.clientCpuMsPerRequest() * w.requests());
            System.err.printf("bench: ceiling warm-up pass %d: compilers worked %.0f%% as long as the CPU%n", pass,
                100 * own);
            if (own < 0.05) {
              break;
            }
          }
          System.err.println("bench: before the ceiling, database " + org.jiesu.bench.Ceiling.quiet(database.get(), QUIET));
          org.jiesu.bench.Ceiling.print(figures.get(0),
              org.jiesu.bench.Ceiling.measure(database.get(), config.dbPoolSize(), requests, pgData), System.out);
        }
      }
      return 0;
    }

    /** The data folder of the PostgreSQL to measure: {@code --pg-data}, else the embedded one of JIESU_DATA_DIR. */
    private Optional<java.nio.file.Path> localDatabase(Config config) {
      if (pgData != null) {
        return Optional.of(pgData);
      }
      return config.dbUrl().isPresent() ? Optional.empty() : Optional.of(config.dataDir().resolve("pg"));
    }

    /**
     * A bench client with tokens signed by the development key in {@code JIESU_DATA_DIR}: one client per role
     * at the bench's rate, so the server's per-client limit must allow it (JIESU_RATE_LIMIT).
     */
    org.jiesu.bench.Bench bench() {
      Config config = Config.fromEnvironment();
      String pem = Keys.readPem(config.dataDir().resolve(Keys.DEV_PRIVATE_KEY));
      Vertx vertx = Vertx.vertx();
      try {
        Tokens tokens = new Tokens(vertx, pem, Keys.DEV_KID, config.jwtIssuer(), config.jwtAudience());
        return new org.jiesu.bench.Bench(url,
            tokens.mint("bench-hotline", List.of(Role.HOTLINE), Optional.empty(), Duration.ofHours(1)),
            tokens.mint("bench-admin", List.of(Role.ADMIN), Optional.empty(), Duration.ofHours(1)),
            tokens.mint("bench-staff", List.of(Role.STAFF), Optional.of("BENCH"), Duration.ofHours(1)));
      } finally {
        vertx.close();
      }
    }
  }

  @Command(name = "knowledge", description = "Load generated articles into a running development server, then "
      + "measure knowledge search (p50/p90/p99).")
  static final class BenchKnowledge implements Callable<Integer> {
    @CommandLine.ParentCommand
    BenchCommand bench;
    @Option(names = "--articles", defaultValue = "10000", description = "articles to load (default ${DEFAULT-VALUE})")
    int articles;
    @Option(names = "--size", defaultValue = "5000", description = "characters per article body (default ${DEFAULT-VALUE})")
    int size;
    @Option(names = "--searches", defaultValue = "2000", description = "searches measured (default ${DEFAULT-VALUE})")
    int searches;
    @Option(names = "--in-flight", defaultValue = "8", description = "searches in flight (default ${DEFAULT-VALUE})")
    int inFlight;
    @Option(names = "--limit", defaultValue = "10", description = "results per search (default ${DEFAULT-VALUE})")
    int limit;
    @Option(names = "--seed", defaultValue = "20260105", description = "corpus and query seed (default ${DEFAULT-VALUE})")
    long seed;
    @Option(names = "--no-load", description = "search the articles an earlier run with the same seed and sizes loaded")
    boolean noLoad;
    @Option(names = "--queries", defaultValue = "common", description = "common: query words as frequent as in the "
        + "text (the costly case); topic: words drawn evenly from the vocabulary (default ${DEFAULT-VALUE})")
    String queries;
    @Option(names = "--wrk-script", description = "write the same searches as a wrk Lua script to this file and exit "
        + "(then e.g. wrk -c 8 -t 1 -d 30s --latency -s FILE URL)")
    java.nio.file.Path wrkScript;

    @Override
    public Integer call() throws Exception {
      if (wrkScript != null) {
        java.nio.file.Files.writeString(wrkScript, bench.bench()
            .wrkScript(articles, size, searches, limit, seed, !"topic".equals(queries)));
        return 0;
      }
      System.out.printf("bench knowledge: %s, %d articles of %d characters (seed %d), %d searches of %s words, %d in"
          + " flight, %d results each%n", bench.url, articles, size, seed, searches, queries, inFlight, limit);
      bench.bench().measuringDatabase(bench.localDatabase(Config.fromEnvironment()))
          .knowledge(articles, size, searches, inFlight, limit, seed, !noLoad, !"topic".equals(queries), System.out);
      return 0;
    }
  }

  @Command(name = "audit-verify", description = "Walk the audit hash chain and name the first broken row.")
  static final class AuditVerify implements Callable<Integer> {
    @Option(names = "--anchor", description = "a head printed by an earlier run (SEQ:HASH) that must still be in the chain")
    String anchor;

    @Override
    public Integer call() throws Exception {
      Config config = Config.fromEnvironment();
      EmbeddedDatabase started = null;
      String url;
      if (config.dbUrl().isPresent()) {
        url = config.dbUrl().get();
      } else {
        Optional<Integer> running = EmbeddedDatabase.runningPort(config.dataDir());
        if (running.isPresent()) {
          url = "postgresql://postgres@localhost:" + running.get() + "/" + Server.EMBEDDED_DATABASE;
        } else {
          started = EmbeddedDatabase.start(config.dataDir(), true);
          url = started.url(Server.EMBEDDED_DATABASE);
        }
      }
      try {
        Database.Target target = Database.Target.parse(url);
        AuditVerifier.Result result = AuditVerifier.verify(target.jdbcUrl(), target.jdbcProperties(),
            Optional.ofNullable(anchor).map(AuditVerifier.Anchor::parse));
        if (result.intact()) {
          System.out.println("audit chain intact: " + result.rowsChecked() + " rows"
              + (result.unchained() > 0 ? " (" + result.unchained() + " newer entries not chained yet)" : ""));
          System.out.println("head: " + result.head() + "  (record it elsewhere; pass it as --anchor next time)");
          return 0;
        }
        System.out.println("audit chain BROKEN at row " + result.firstBreak().get().seq() + ": "
            + result.firstBreak().get().reason() + " (" + result.rowsChecked() + " rows before it are intact)");
        return 1;
      } finally {
        if (started != null) {
          started.close();
        }
      }
    }
  }

  @Command(name = "sla", description = "The SLA scheduler on its own database (embedded, or JIESU_DB_URL): breach "
      + "lateness, burst firing rate and drain time.")
  static final class BenchSla implements Callable<Integer> {
    @Option(names = "--armed", defaultValue = "100000", description = "timers due after the run (default ${DEFAULT-VALUE})")
    int armed;
    @Option(names = "--trickle", defaultValue = "3000", description = "timers due during the window (default ${DEFAULT-VALUE})")
    int trickle;
    @Option(names = "--burst", defaultValue = "50000", description = "timers due in one second (default ${DEFAULT-VALUE})")
    int burst;
    @Option(names = "--replicas", defaultValue = "2", description = "schedulers, each with its own pool (default ${DEFAULT-VALUE})")
    int replicas;
    @Option(names = "--batch", defaultValue = "500", description = "timers claimed per transaction (default ${DEFAULT-VALUE})")
    int batch;
    @Option(names = "--window", defaultValue = "PT60S", description = "how long the trickle lasts (default ${DEFAULT-VALUE})")
    java.time.Duration window;

    @Override
    public Integer call() throws Exception {
      org.jiesu.bench.SlaBench.run(new org.jiesu.bench.SlaBench.Options(armed, trickle, burst, replicas, batch, window,
          Optional.ofNullable(System.getenv("JIESU_DB_URL")).filter(u -> !u.isBlank())), System.out);
      return 0;
    }
  }
}
