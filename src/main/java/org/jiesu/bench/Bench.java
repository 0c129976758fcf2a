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

  /** What one phase measured. */
  public record Figures(String phase, int requests, int errors, double seconds, Histogram latency,
      double serverCpuMsPerRequest) {
    public double throughput() {
      return requests / seconds;
    }

    public String line() {
      return String.format("%-7s %6d requests  %8.1f req/s  p50 %7.2f ms  p90 %7.2f ms  p99 %7.2f ms  max %7.2f ms"
              + "  server CPU %5.2f ms/req  errors %d",
          phase, requests, throughput(), ms(latency.getValueAtPercentile(50)), ms(latency.getValueAtPercentile(90)),
          ms(latency.getValueAtPercentile(99)), ms(latency.getMaxValue()), serverCpuMsPerRequest, errors);
    }

    private static double ms(long nanos) {
      return nanos / 1_000_000.0;
    }
  }

  private final URI base;
  private final String hotline;
  private final String admin;
  private final String staff;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(10)).build();

  /** {@code staffToken} is a STAFF token of department {@code BENCH}, the lead of every bench ticket. */
  public Bench(URI base, String hotlineToken, String adminToken, String staffToken) {
    this.base = base;
    this.hotline = hotlineToken;
    this.admin = adminToken;
    this.staff = staffToken;
  }

  public List<Figures> run(int requests, int concurrency, int warmup, PrintStream out) throws Exception {
    String run = UUID.randomUUID().toString().substring(0, 8);
    send(HttpRequest.newBuilder(base.resolve("/api/v1/departments/BENCH")).header("Authorization", "Bearer " + admin)
        .header("Content-Type", "application/json")
        .PUT(HttpRequest.BodyPublishers.ofString("{\"name\":\"压测部门\",\"group\":\"bench\"}")).build()).join();
    phase("warmup", warmup, concurrency, i -> intake("W" + run + "-" + i));
    ConcurrentLinkedQueue<String> ids = new ConcurrentLinkedQueue<>();
    Figures intake = phase("intake", requests, concurrency, i -> intake(run + "-" + i)
        .thenApply(r -> {
          if (r.statusCode() == 201) {
            ids.add(new JsonObject(r.body()).getString("id"));
          }
          return r;
        }));
    out.println(intake.line());
    List<String> known = List.copyOf(ids);
    Figures read = phase("read", requests, concurrency, i -> known.isEmpty()
        ? CompletableFuture.failedFuture(new IllegalStateException("no ticket to read"))
        : send(HttpRequest.newBuilder(base.resolve("/api/v1/tickets/" + known.get(i % known.size())))
            .header("Authorization", "Bearer " + hotline).GET().build()));
    out.println(read.line());
    Figures action = actions(known.subList(0, Math.min(known.size(), requests / 3)), concurrency);
    out.println(action.line());
    out.println(chainLag());
    return List.of(intake, read, action);
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
    List<String> queries = new java.util.ArrayList<>(warmup + requests);
    for (int i = 0; i < warmup + requests; i++) {
      queries.add(java.net.URLEncoder.encode(text.query(commonWords), java.nio.charset.StandardCharsets.UTF_8));
    }
    IntFunction<CompletableFuture<HttpResponse<String>>> search = i -> send(HttpRequest.newBuilder(
            base.resolve("/api/v1/knowledge?limit=" + limit + "&q=" + queries.get(i)))
        .header("Authorization", "Bearer " + hotline).GET().build());
    phase("warmup", warmup, concurrency, search);
    Figures measured = phase("search", requests, concurrency, i -> search.apply(warmup + i));
    out.println(measured.line());
    return List.of(loaded, measured);
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

  private CompletableFuture<HttpResponse<String>> intake(String externalId) {
    String body = new JsonObject()
        .put("externalId", "BENCH-" + externalId).put("type", "COMPLAINT").put("urgency", "NORMAL")
        .put("category", "bench.load").put("title", "压测工单").put("content", "用于测量受理吞吐量的工单")
        .put("receivedAt", "2026-01-05T09:00:00+08:00")
        .put("caller", new JsonObject().put("name", "压测").put("phone", "13800000000"))
        .put("leadDepartment", "BENCH").encode();
    return send(HttpRequest.newBuilder(base.resolve("/api/v1/tickets")).header("Authorization", "Bearer " + hotline)
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build());
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
    double cpuBefore = serverCpuNanos();
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
    return new Figures("action", tickets.size() * 3, errors.get(), seconds, recorder.getIntervalHistogram(),
        cpuMsPerRequest(cpuBefore, tickets.size() * 3));
  }

  private java.util.function.Supplier<CompletableFuture<HttpResponse<String>>> action(String id, String path,
      String body) {
    return () -> send(HttpRequest.newBuilder(base.resolve("/api/v1/tickets/" + id + "/" + path))
        .header("Authorization", "Bearer " + staff).header("Content-Type", "application/json")
        .POST(body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
        .build());
  }

  private static CompletableFuture<Void> timed(Recorder recorder, AtomicInteger errors,
      java.util.function.Supplier<CompletableFuture<HttpResponse<String>>> call) {
    long sent = System.nanoTime();
    return call.get().handle((r, failure) -> {
      recorder.recordValue(System.nanoTime() - sent);
      if (failure != null || r.statusCode() >= 300) {
        errors.incrementAndGet();
      }
      return null;
    });
  }

  /** {@code count} requests, at most {@code concurrency} in flight, each timed from send to full answer. */
  private Figures phase(String name, int count, int concurrency, IntFunction<CompletableFuture<HttpResponse<String>>> call)
      throws InterruptedException {
    double cpuBefore = serverCpuNanos();
    Recorder recorder = new Recorder(3);
    Semaphore slots = new Semaphore(concurrency);
    AtomicInteger errors = new AtomicInteger();
    long start = System.nanoTime();
    for (int i = 0; i < count; i++) {
      slots.acquire();
      long sent = System.nanoTime();
      call.apply(i).whenComplete((r, failure) -> {
        recorder.recordValue(System.nanoTime() - sent);
        if (failure != null || r.statusCode() >= 300) {
          errors.incrementAndGet();
        }
        slots.release();
      });
    }
    slots.acquire(concurrency);
    double seconds = (System.nanoTime() - start) / 1e9;
    return new Figures(name, count, errors.get(), seconds, recorder.getIntervalHistogram(),
        cpuMsPerRequest(cpuBefore, count));
  }

  /**
   * The server process's CPU time from its own meter ({@code process_cpu_time_ns_total} on /metrics), so a
   * change shows even on a busy host. It includes the server's background work (audit chaining, SLA
   * scheduler) during the phase, not PostgreSQL's.
   */
  private double serverCpuNanos() {
    return metric(send(HttpRequest.newBuilder(base.resolve("/metrics")).GET().build()).join().body(),
        "process_cpu_time_ns_total ");
  }

  private double cpuMsPerRequest(double before, int requests) {
    return (serverCpuNanos() - before) / 1e6 / requests;
  }
}
