package org.jiesu.bench;

import io.vertx.core.json.JsonObject;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Load against a running server over real HTTP: ticket intake (a committed write with its timeline and
 * audit row) and single-ticket reads (with the audited personal-data read). Prints throughput and
 * latency percentiles; it asserts nothing, figures are for people and for comparing builds.
 */
public final class Bench {

  /**
   * What one phase measured. {@code sqlPerRequest} is the SQL round trips per request: statements the
   * server's SQL client sent (its own metric {@code vertx_sql_processing_time_seconds_count}, BEGIN and
   * COMMIT included), counted before and after the phase, so it also holds the server's background work
   * (audit chaining, SLA scheduler) during the phase. The CPU figures are per request, in milliseconds:
   * the server's, the database's (NaN when it does not run on this host) and this load generator's
   * ({@link CpuMeters}).
   */
  public record Figures(String phase, int requests, int errors, double seconds, Histogram latency,
      double serverCpuMsPerRequest, double sqlPerRequest, double databaseCpuMsPerRequest,
      double clientCpuMsPerRequest, double jitMsPerRequest, double oldGenMb) {
    public double throughput() {
      return requests / seconds;
    }

    public String line() {
      return String.format("%-7s %6d requests  %8.1f req/s  p50 %7.2f ms  p99 %7.2f ms  p99.9 %7.2f ms  max %7.2f ms"
              + "  CPU ms/req: server %5.2f (JIT %s)  database %s  client %5.2f  SQL %5.2f/req  errors %d%s",
          phase, requests, throughput(), ms(latency.getValueAtPercentile(50)), ms(latency.getValueAtPercentile(99)),
          ms(latency.getValueAtPercentile(99.9)), ms(latency.getMaxValue()), serverCpuMsPerRequest,
          Double.isNaN(jitMsPerRequest) ? " —  " : String.format("%4.2f", jitMsPerRequest),
          Double.isNaN(databaseCpuMsPerRequest) ? "  —  " : String.format("%5.2f", databaseCpuMsPerRequest),
          clientCpuMsPerRequest, sqlPerRequest, errors,
          Double.isNaN(oldGenMb) ? "" : String.format("  old gen %.0f MB", oldGenMb));
    }

    private static double ms(long nanos) {
      return nanos / 1_000_000.0;
    }
  }

  private final URI base;
  private final String hotline;
  private final String admin;
  private final String staff;
  static {
    // the JDK client keeps an idle connection 1,200 s by default and the server closes one after 60 s
    // (JIESU_HTTP_IDLE_TIMEOUT): a request sent on a connection the server is closing fails in the client,
    // and a POST is not retried. Idle connections are given up first here, well inside the server's timeout.
    if (System.getProperty("jdk.httpclient.keepalive.timeout") == null) {
      System.setProperty("jdk.httpclient.keepalive.timeout", "20");
    }
  }
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(10)).build();
  /** The first failed request's cause (a status, or what the client threw), printed with its phase's line. */
  private final java.util.concurrent.atomic.AtomicReference<String> firstError = new java.util.concurrent.atomic.AtomicReference<>();
  /** Requests per second of the open model ({@link #atRate}); 0: the closed model, a fixed number in flight. */
  private double rate;
  private CpuMeters cpu = CpuMeters.clientOnly();
  private Runnable afterWarmup = () -> {};
  /** What the database did during a measured phase (from, to), printed after its stalls; empty: nothing. */
  private java.util.function.BiFunction<java.time.Instant, java.time.Instant, String> duringPhase = (from, to) -> "";

  /** {@code staffToken} is a STAFF token of department {@code BENCH}, the lead of every bench ticket. */
  public Bench(URI base, String hotlineToken, String adminToken, String staffToken) {
    this.base = base;
    this.hotline = hotlineToken;
    this.admin = adminToken;
    this.staff = staffToken;
  }

  /**
   * The open model: intake, read and list requests are sent at a fixed rate whatever the answers do, and
   * each latency runs from the time the request was due (not from when it could be sent), so a stalled
   * server shows in the percentiles instead of slowing the load down (no coordinated omission). The
   * action phase (sign, contact, reply, each waiting for the one before on the same ticket) stays closed.
   */
  /**
   * Intakes with a place: one of {@link #STREETS} streets of one district, and a point near it, so each
   * intake runs the hotspot check of its street and the similarity read for its answer (a call without a
   * place has neither), as most of a hotline's calls would.
   */
  public Bench located(boolean located) {
    this.located = located;
    return this;
  }

  /**
   * How many streets the located intakes spread over: {@link #STREETS} by default, a crowded case (every
   * street has hundreds of open calls of the same text); thousands spread them as a city's would.
   */
  public Bench streets(int streets) {
    if (streets < 1) {
      throw new IllegalArgumentException("streets must be positive");
    }
    this.streets = streets;
    return this;
  }

  /** Streets the located intakes spread over unless told otherwise. */
  static final int STREETS = 50;
  private boolean located;
  private int streets = STREETS;
  /** The phases now running are the open model's unmeasured warm-up pass. */
  private boolean openWarmup;

  public Bench atRate(double requestsPerSecond) {
    this.rate = requestsPerSecond;
    return this;
  }

  /** Also measures the CPU of the PostgreSQL whose data folder this is, when it runs on this host. */
  public Bench measuringDatabase(java.util.Optional<java.nio.file.Path> pgData) {
    this.cpu = CpuMeters.forDataFolder(pgData);
    return this;
  }

  /**
   * Runs between the warm-up and the measured phases: the bench command has the database analyzed there, as
   * autovacuum would within its first minute on a running system (on a fresh data folder the warm-up fills
   * the tables faster than that, and a plan made from empty-table statistics scans every ticket).
   */
  public Bench afterWarmup(Runnable step) {
    this.afterWarmup = step;
    return this;
  }

  /**
   * Names what the database did in the background during each open phase (the bench command: the tables
   * autovacuum vacuumed or analyzed), printed with the phase's stalls so one can be matched to the other.
   */
  public Bench duringPhase(java.util.function.BiFunction<java.time.Instant, java.time.Instant, String> report) {
    this.duringPhase = report;
    return this;
  }

  public boolean measuresDatabase() {
    return cpu.measuresDatabase();
  }

  /**
   * The phases, measured, after the same phases unmeasured on {@code warmup} tickets of their own: the
   * server's JIT compiles each path the first few thousand times it runs (measured here: half the
   * server's CPU in a 2,000-intake phase right after start went to the compiler threads), and a server
   * that runs for days pays that once, so every path is warmed, not only intake.
   */
  public List<Figures> run(int requests, int concurrency, int warmup, PrintStream out) throws Exception {
    String run = UUID.randomUUID().toString().substring(0, 8);
    send(HttpRequest.newBuilder(base.resolve("/api/v1/departments/BENCH")).header("Authorization", "Bearer " + admin)
        .header("Content-Type", "application/json")
        .PUT(HttpRequest.BodyPublishers.ofString("{\"name\":\"压测部门\",\"group\":\"bench\"}")).build()).join();
    return withLoadClient(() -> {
      if (warmup > 0) {
        double measuredRate = rate;
        rate = 0;
        // passes until the server's compilers are nearly idle: C2 was still compiling after one pass of
        // 2,000 (its compile time 1-2 ms per intake, measured), and a server that runs for days compiles once
        // and until this process's own are too: the load generator's CPU per request is measured as well
        java.lang.management.CompilationMXBean compiler = java.lang.management.ManagementFactory.getCompilationMXBean();
        for (int pass = 1; pass <= warmupPasses; pass++) {
          long compiledBefore = compiler.getTotalCompilationTime();
          double cpuBefore = cpu.clientNanos();
          double compiling = compilingShare(phases("W" + pass + run, warmup, concurrency, null));
          double ownCpuMs = (cpu.clientNanos() - cpuBefore) / 1e6;
          double own = ownCpuMs > 0 ? (compiler.getTotalCompilationTime() - compiledBefore) / ownCpuMs : 0;
          System.err.printf("bench: warm-up pass %d: compilers worked %.0f%% as long as the CPU, server; %.0f%%, this"
              + " load generator%n", pass, 100 * compiling, 100 * own);
          if (compiling < WARM && own < WARM) {
            break;
          }
        }
        rate = measuredRate;
        if (rate > 0) {
          // the open model's own code (this command's sender and recorders) ran first in the first measured
          // phase: every open run of 2026-11-26 stalled there once (sent up to 73 ms late, 6-285 requests
          // over 50 ms), and in none of the later open phases. One unmeasured open pass compiles it.
          openWarmup = true;
          phases("WO" + run, Math.min(warmup, (int) Math.ceil(rate * 3)), concurrency, null);
          openWarmup = false;
        }
      }
      afterWarmup.run();
      List<Figures> figures = phases(run, requests, concurrency, out);
      out.println(chainLag());
      return figures;
    });
  }

  /** At most this many warm-up passes of every phase, by default. */
  private static final int WARMUP_PASSES = 8;
  private int warmupPasses = WARMUP_PASSES;

  /** At most {@code passes} warm-up passes (a test wants a known number of tickets). */
  public Bench warmingAtMost(int passes) {
    this.warmupPasses = passes;
    return this;
  }
  /** Warm: the compilers' time is under this share of the server's CPU time over a pass. */
  private static final double WARM = 0.05;

  /** The compilers' (elapsed) time over the server's CPU time, across {@code phases}. */
  public static double compilingShare(List<Figures> phases) {
    double jit = 0;
    double cpu = 0;
    for (Figures f : phases) {
      jit += f.jitMsPerRequest() * f.requests();
      cpu += f.serverCpuMsPerRequest() * f.requests();
    }
    return cpu > 0 ? jit / cpu : 0;
  }

  /** Intake, read, list and action, each printed to {@code out} (unless null) as it ends. */
  private List<Figures> phases(String run, int requests, int concurrency, PrintStream out) throws Exception {
    String prefix = out == null ? "warmup " : "";
    ConcurrentLinkedQueue<String> ids = new ConcurrentLinkedQueue<>();
    Figures intake = phase(prefix + "intake", requests, concurrency, i -> intake(run + "-" + i)
        .thenApply(r -> {
          if (r.status() == 201) {
            ids.add(r.body().toJsonObject().getString("id"));
          }
          return r;
        }));
    print(out, intake);
    List<String> known = List.copyOf(ids);
    Figures read = phase(prefix + "read", requests, concurrency, i -> known.isEmpty()
        ? CompletableFuture.failedFuture(new IllegalStateException("no ticket to read"))
        : call(io.vertx.core.http.HttpMethod.GET, "/api/v1/tickets/" + known.get(i % known.size()), hotline, null));
    print(out, read);
    Figures list = phase(prefix + "list", requests, concurrency,
        i -> call(io.vertx.core.http.HttpMethod.GET, "/api/v1/tickets?limit=20&category=bench.load", hotline, null));
    print(out, list);
    Figures action = actions(known.subList(0, Math.min(known.size(), requests / 3)), concurrency);
    print(out, action);
    return List.of(intake, read, list, action);
  }

  private static void print(PrintStream out, Figures figures) {
    if (out != null) {
      out.println(figures.line());
    }
  }

  /**
   * The knowledge phase: loads {@code articles} generated articles of {@code size} characters (seeded,
   * so every run searches the same corpus), then searches them with {@code requests} generated queries,
   * {@code concurrency} in flight, {@code limit} results each. Returns the load and the search figures.
   */
  public List<Figures> knowledge(int articles, int size, int requests, int concurrency, int limit, long seed,
      PrintStream out) throws Exception {
    return knowledge(articles, size, requests, concurrency, limit, seed, true, true, out);
  }

  /**
   * As above; without {@code load}, searches the corpus an earlier run with the same seed and sizes loaded;
   * {@code commonWords} draws query words by their frequency in the text, otherwise evenly from the
   * vocabulary (see {@link ChineseLikeText#query}).
   */
  public List<Figures> knowledge(int articles, int size, int requests, int concurrency, int limit, long seed,
      boolean load, boolean commonWords, PrintStream out) throws Exception {
    ChineseLikeText text = new ChineseLikeText(seed);
    List<String> bodies = new java.util.ArrayList<>(articles);
    for (int i = 0; i < articles; i++) {
      JsonObject article = new JsonObject().put("title", text.title()).put("body", text.body(size))
          .put("tags", new io.vertx.core.json.JsonArray().add(text.tag()).add(text.tag()));
      bodies.add(article.encode());
    }
    Figures loaded = phase("load", load ? articles : 0, 16, i -> send(HttpRequest.newBuilder(base.resolve("/api/v1/knowledge"))
        .header("Authorization", "Bearer " + admin).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(bodies.set(i, ""))).build()));
    if (load) {
      out.println(loaded.line());
    }
    int warmup = Math.min(requests, 200);
    List<String> paths = searchPaths(text, warmup + requests, limit, commonWords);
    // the answer is read whole as bytes by Vert.x's client (see call): Java's HTTP client spent 2-3 ms of CPU
    // per 150 kB answer, more than the server spent on the search, and its own scheduling showed in the tail
    return withLoadClient(() -> {
      IntFunction<CompletableFuture<Answer>> search = i -> call(io.vertx.core.http.HttpMethod.GET, paths.get(i), hotline, null);
      phase("warmup", warmup, concurrency, search);
      Figures measured = phase("search", requests, concurrency, i -> search.apply(warmup + i));
      out.println(measured.line());
      return List.of(loaded, measured);
    });
  }

  /** The search requests' paths: generated queries, URL-encoded, after the corpus was generated from {@code text}. */
  static List<String> searchPaths(ChineseLikeText text, int count, int limit, boolean commonWords) {
    List<String> paths = new java.util.ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      paths.add("/api/v1/knowledge?limit=" + limit + "&q="
          + java.net.URLEncoder.encode(text.query(commonWords), java.nio.charset.StandardCharsets.UTF_8));
    }
    return paths;
  }

  /**
   * A wrk script sending the same searches as {@link #knowledge} (same seed, sizes and words) with the
   * hotline's token, one after another from a shuffled start per connection: a load generator written in
   * C, to see how much of the latency is this command's own (Java's HTTP client) CPU on a shared host.
   */
  public String wrkScript(int articles, int size, int requests, int limit, long seed, boolean commonWords) {
    ChineseLikeText text = new ChineseLikeText(seed);
    for (int i = 0; i < articles; i++) {
      text.title();
      text.body(size);
      text.tag();
      text.tag();
    }
    StringBuilder lua = new StringBuilder("paths = {\n");
    searchPaths(text, requests, limit, commonWords).forEach(p -> lua.append("  \"").append(p).append("\",\n"));
    return lua.append("}\ni = 0\nrequest = function()\n  i = i + 1\n")
        .append("  return wrk.format(\"GET\", paths[(i % #paths) + 1], {[\"Authorization\"] = \"Bearer ")
        .append(hotline).append("\"})\nend\n").toString();
  }

  /**
   * How far the audit chain trailed the requests, from the server's own metric, once it has caught up
   * (its count stops growing). The wait is on this command's thread, not on an event loop.
   */
  private String chainLag() throws Exception {
    String metrics = "";
    double count = -1;
    for (int i = 0; i < 40; i++) {
      metrics = send(HttpRequest.newBuilder(base.resolve("/metrics")).GET().build()).join().body();
      double now = metric(metrics, "jiesu_audit_chain_lag_seconds_count");
      if (now == count) {
        break;
      }
      count = now;
      TimeUnit.MILLISECONDS.sleep(500);
    }
    return String.format("audit   %6.0f entries chained     lag p50 %7.2f ms  p99 %7.2f ms  max %7.2f ms", count,
        metric(metrics, "jiesu_audit_chain_lag_seconds{quantile=\"0.5\"") * 1000,
        metric(metrics, "jiesu_audit_chain_lag_seconds{quantile=\"0.99\"") * 1000,
        metric(metrics, "jiesu_audit_chain_lag_seconds_max") * 1000);
  }

  /** The value of the first Prometheus sample whose line starts with {@code prefix}; NaN when absent. */
  static double metric(String text, String prefix) {
    for (String line : text.split("\n")) {
      if (line.startsWith(prefix)) {
        return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return Double.NaN;
  }

  /** The sum of every sample of {@code name} (all its label sets). */
  static double sum(String text, String name) {
    double total = 0;
    for (String line : text.split("\n")) {
      if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
        total += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return total;
  }

  private CompletableFuture<Answer> intake(String externalId) {
    JsonObject intake = new JsonObject()
        .put("externalId", "BENCH-" + externalId).put("type", "COMPLAINT").put("urgency", "NORMAL")
        .put("category", "bench.load").put("title", "压测工单").put("content", "用于测量受理吞吐量的工单")
        .put("receivedAt", "2026-01-05T09:00:00+08:00")
        .put("caller", new JsonObject().put("name", "压测").put("phone", "13800000000"))
        .put("leadDepartment", "BENCH");
    if (located) {
      int street = Math.floorMod(externalId.hashCode(), streets);
      // streets 0.01° apart (over 500 m), a hundred to a row: no call is near another street's
      intake.put("receivedAt", java.time.Instant.now().toString()) // inside the hotspot stream's window
          .put("location", new JsonObject().put("district", "压测区").put("street", "压测街道" + street)
              .put("lat", 39.9 + (street % 100) * 0.01)
              .put("lon", 116.4 + (street / 100) * 0.01 + (externalId.hashCode() % 100) * 0.00001));
    }
    String body = intake.encode();
    return call(io.vertx.core.http.HttpMethod.POST, "/api/v1/tickets", hotline, body);
  }

  /** An answer to a measured request: its status and its body, read whole. */
  record Answer(int status, io.vertx.core.buffer.Buffer body, long sentNanos) {}

  /** At most this many connections for the measured requests (the open model may have many in flight). */
  private static final int LOAD_CONNECTIONS = 256;
  /** Vert.x's HTTP client for the measured requests, while {@link #withLoadClient} runs. */
  private io.vertx.core.http.HttpClient load;
  /** The context every measured request runs on (see RemoteKeys: started off any context, one could hang). */
  private io.vertx.core.Context loadContext;

  /**
   * Runs {@code body} with Vert.x's HTTP client on one event loop of its own for the measured requests. The
   * load generator shares the host's cores with the server and the database: Java's {@code HttpClient}
   * took 1.4 ms of CPU per intake and 2-3 ms per knowledge search, this one a fraction of that.
   */
  private <T> T withLoadClient(java.util.concurrent.Callable<T> body) throws Exception {
    io.vertx.core.Vertx vertx = io.vertx.core.Vertx.vertx(new io.vertx.core.VertxOptions().setEventLoopPoolSize(1));
    load = vertx.createHttpClient(new io.vertx.core.http.HttpClientOptions()
        .setDefaultHost(base.getHost()).setDefaultPort(base.getPort()),
        new io.vertx.core.http.PoolOptions().setHttp1MaxSize(LOAD_CONNECTIONS));
    loadContext = vertx.getOrCreateContext();
    try {
      return body.call();
    } finally {
      load = null;
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  /** A measured request: {@code json}, when given, is its body. */
  private CompletableFuture<Answer> call(io.vertx.core.http.HttpMethod method, String path, String token, String json) {
    io.vertx.core.http.RequestOptions options = new io.vertx.core.http.RequestOptions().setMethod(method).setURI(path)
        .putHeader("Authorization", "Bearer " + token).putHeader("Content-Type", "application/json");
    io.vertx.core.Promise<Answer> answered = io.vertx.core.Promise.promise();
    loadContext.runOnContext(v -> {
      // when the load client's event loop got to it: a late send is the load generator's stall, not the server's
      long sent = System.nanoTime();
      load.request(options).compose(request -> json == null ? request.send() : request.send(json))
          .compose(response -> response.body().map(b -> new Answer(response.statusCode(), b, sent)))
          .onComplete(answered);
    });
    return answered.future().toCompletionStage().toCompletableFuture();
  }

  private CompletableFuture<HttpResponse<String>> send(HttpRequest request) {
    return http.sendAsync(request, HttpResponse.BodyHandlers.ofString());
  }

  /**
   * The handling actions on tickets made by the intake phase (DISPATCHED to BENCH): sign, contact and
   * reply, one after the other on each ticket, {@code concurrency} tickets at a time. Each action is
   * timed on its own, so the figures are per action.
   */
  private Figures actions(List<String> tickets, int concurrency) throws InterruptedException {
    Meters before = serverMeters();
    Recorder recorder = new Recorder(3);
    Semaphore slots = new Semaphore(concurrency);
    AtomicInteger errors = new AtomicInteger();
    String reply = new JsonObject().put("outcome", "RESOLVED").put("answer", "已处理完毕").encode();
    long start = System.nanoTime();
    for (String id : tickets) {
      slots.acquire();
      timed(recorder, errors, action(id, "sign", null))
          // the contact happened just now, after the ticket was dispatched and signed
          .thenCompose(v -> timed(recorder, errors, action(id, "contacts", new JsonObject()
              .put("at", java.time.Instant.now().toString()).put("method", "PHONE").put("note", "已电话联系").encode())))
          .thenCompose(v -> timed(recorder, errors, action(id, "reply", reply)))
          .whenComplete((v, failure) -> slots.release());
    }
    slots.acquire(concurrency);
    double seconds = (System.nanoTime() - start) / 1e9;
    return figures("action", tickets.size() * 3, errors.get(), seconds, recorder.getIntervalHistogram(), before);
  }

  private java.util.function.Supplier<CompletableFuture<Answer>> action(String id, String path, String body) {
    return () -> call(io.vertx.core.http.HttpMethod.POST, "/api/v1/tickets/" + id + "/" + path, staff, body);
  }

  private CompletableFuture<Void> timed(Recorder recorder, AtomicInteger errors,
      java.util.function.Supplier<CompletableFuture<Answer>> call) {
    long sent = System.nanoTime();
    return call.get().handle((r, failure) -> {
      recorder.recordValue(System.nanoTime() - sent);
      count(errors, r, failure);
      return null;
    });
  }

  /** Counts a failed request ({@code failure}, or an answer of 300 or more) and keeps the first one's cause. */
  private void count(AtomicInteger errors, Object r, Throwable failure) {
    if (failure == null && status(r) < 300) {
      return;
    }
    errors.incrementAndGet();
    firstError.compareAndSet(null, failure != null ? String.valueOf(failure) : "HTTP " + status(r));
  }

  /**
   * {@code count} requests, at most {@code concurrency} in flight, each timed from send to full answer; or,
   * at a rate ({@link #atRate}), sent on schedule and each timed from when it was due.
   */
  private Figures phase(String name, int count, int concurrency, IntFunction<? extends CompletableFuture<?>> call)
      throws InterruptedException {
    if (rate > 0 && (openWarmup || !name.startsWith("warmup")) && !name.equals("load")) {
      return openPhase(name, count, call);
    }
    Meters before = serverMeters();
    Recorder recorder = new Recorder(3);
    Semaphore slots = new Semaphore(concurrency);
    AtomicInteger errors = new AtomicInteger();
    long start = System.nanoTime();
    for (int i = 0; i < count; i++) {
      slots.acquire();
      long sent = System.nanoTime();
      call.apply(i).whenComplete((r, failure) -> {
        recorder.recordValue(System.nanoTime() - sent);
        count(errors, r, failure);
        slots.release();
      });
    }
    slots.acquire(concurrency);
    double seconds = (System.nanoTime() - start) / 1e9;
    return figures(name, count, errors.get(), seconds, recorder.getIntervalHistogram(), before);
  }

  /**
   * The open model: request {@code i} is due at {@code start + i / rate}; it is sent then (or at once when the
   * sender is late), and its latency is measured from when it was due.
   */
  private Figures openPhase(String name, int count, IntFunction<? extends CompletableFuture<?>> call)
      throws InterruptedException {
    Meters before = serverMeters();
    Recorder recorder = new Recorder(3);
    AtomicInteger errors = new AtomicInteger();
    java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(count);
    ConcurrentLinkedQueue<long[]> slow = new ConcurrentLinkedQueue<>();
    double interval = 1e9 / rate;
    java.time.Instant started = java.time.Instant.now();
    long start = System.nanoTime();
    for (int i = 0; i < count; i++) {
      long due = start + (long) (i * interval);
      long wait = due - System.nanoTime();
      if (wait > 0) {
        TimeUnit.NANOSECONDS.sleep(wait);
      }
      call.apply(i).whenComplete((r, failure) -> {
        long latency = System.nanoTime() - due;
        recorder.recordValue(latency);
        if (latency >= SLOW_NANOS) {
          slow.add(new long[] {due - start, latency, r instanceof Answer a ? a.sentNanos() - due : 0});
        }
        count(errors, r, failure);
        done.countDown();
      });
    }
    done.await();
    double seconds = (System.nanoTime() - start) / 1e9;
    Figures figures = figures(name + "@" + Math.round(rate), count, errors.get(), seconds, recorder.getIntervalHistogram(),
        before);
    if (openWarmup) {
      return figures;
    }
    stalls(name, started, slow).forEach(System.err::println);
    String background = duringPhase.apply(started, java.time.Instant.now());
    if (!background.isEmpty()) {
      System.err.printf("autovacuum during %s (after its start): %s%n", name, background);
    }
    return figures;
  }

  /** A request of the open model at least this late counts as stalled ({@link #stalls}). */
  private static final long SLOW_NANOS = 50_000_000L;

  /**
   * The stalls of an open phase, one line each: slow requests ({@code {due after start, latency, sent late}},
   * nanoseconds) due within a second of each other form one stall, printed with when it began (seconds after
   * the phase's start), how many it held, the worst latency and how late the load client itself sent the
   * worst-sent of them, so a periodic cause shows by its period and a stall of the load generator as such.
   */
  static List<String> stalls(String phase, java.time.Instant started, java.util.Collection<long[]> slow) {
    List<long[]> sorted = slow.stream().sorted(java.util.Comparator.comparingLong(s -> s[0])).toList();
    List<String> lines = new java.util.ArrayList<>();
    int from = 0;
    for (int i = 1; i <= sorted.size(); i++) {
      if (i == sorted.size() || sorted.get(i)[0] - sorted.get(i - 1)[0] > 1_000_000_000L) {
        List<long[]> stall = sorted.subList(from, i);
        long at = stall.get(0)[0];
        long worst = stall.stream().mapToLong(s -> s[1]).max().orElse(0);
        long late = stall.stream().mapToLong(s -> s[2]).max().orElse(0);
        lines.add(String.format("stall   %-7s at %7.3f s (%s)  %4d requests ≥ 50 ms  worst %6.1f ms  (sent up to %5.1f ms"
            + " late)", phase, at / 1e9, started.plusNanos(at), stall.size(), worst / 1e6, late / 1e6));
        from = i;
      }
    }
    return lines;
  }

  /** The status of an answer: Java's HTTP client's response (loading articles) or a measured request's. */
  private static int status(Object answer) {
    return answer instanceof HttpResponse<?> r ? r.statusCode() : ((Answer) answer).status();
  }

  private Figures figures(String name, int count, int errors, double seconds, Histogram latency, Meters before) {
    String first = firstError.getAndSet(null);
    if (errors > 0) {
      System.err.printf("bench: %s: %d failed, the first: %s%n", name, errors, first);
    }
    Meters after = serverMeters();
    return new Figures(name, count, errors, seconds, latency, (after.serverCpu() - before.serverCpu()) / 1e6 / count,
        (after.sql() - before.sql()) / count, cpu.databaseNanosBetween(before.database(), after.database()) / 1e6 / count,
        (after.clientCpu() - before.clientCpu()) / 1e6 / count, (after.jit() - before.jit()) / count,
        after.oldGen() / 1e6);
  }

  /**
   * One reading of the meters a phase is measured by (nanoseconds of CPU; statements sent; milliseconds the
   * server's JIT compilers worked, part of its CPU: a phase still compiling costs more than a warm server; the
   * bytes its old generation holds at the end, which a leak would grow from phase to phase and run to run).
   */
  private record Meters(double serverCpu, double sql, java.util.Map<Long, Long> database, double clientCpu,
      double jit, double oldGen) {}

  /** The server's CPU time and SQL statements sent, from its own /metrics; the database's and this process's CPU. */
  private Meters serverMeters() {
    String metrics = send(HttpRequest.newBuilder(base.resolve("/metrics")).GET().build()).join().body();
    return new Meters(metric(metrics, "process_cpu_time_ns_total "), sum(metrics, "vertx_sql_processing_time_seconds_count"),
        cpu.databaseNanos(), cpu.clientNanos(), sum(metrics, "jvm_compilation_time_ms_total"),
        metric(metrics, "jvm_memory_used_bytes{area=\"heap\",id=\"G1 Old Gen\"}"));
  }
}
