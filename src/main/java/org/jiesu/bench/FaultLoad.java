package org.jiesu.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.jiesu.auth.Keys;
import org.jiesu.auth.Role;
import org.jiesu.auth.Tokens;
import org.jiesu.platform.Database;

/**
 * Load for fault runs (docs/faults.sh): intakes, reads and lists at a fixed arrival rate (open model:
 * latency from the intended send time) spread over several replicas, while the script kills replicas and
 * stops or freezes PostgreSQL. A client that gets a connection error or a 503 retries the same intake (same
 * {@code externalId}) on the next replica after Retry-After, as the hotline platform would. At the end it
 * checks the database: every acknowledged intake is there exactly once, with the id it was acknowledged with.
 *
 * <p>Meanwhile SLA deadlines fall due: before the load starts it arms {@code --breaches} timers a second
 * (tickets written straight into the database, as {@link SlaBench} does), due evenly over the run, so the
 * replicas' schedulers fire breaches through the faults. Breach lateness is read back from {@code sla_event}:
 * the commit time of each breach's row ({@code pg_xact_commit_timestamp}, so PostgreSQL must run with
 * {@code track_commit_timestamp=on}; without it the firing's start time) minus its due time, overall, per
 * minute and per fault window.
 *
 * <pre>java -cp target/jiesu.jar org.jiesu.bench.FaultLoad --urls http://127.0.0.1:8081,http://127.0.0.1:8082 \
 *     --keys DIR --db postgresql://… --rate 40 --duration PT300S [--breaches 2] [--connections 256] [--events FILE] [--scrape PT60S] [--stop-file F]</pre>
 * {@code --keys} is a folder holding {@code dev-jwt.pem} whose public key the servers trust.
 */
public final class FaultLoad {

  record Attempt(long intendedMs, long sentEpochMs, long latencyMs, String kind, int replica, String outcome,
      boolean retryAfter) {}

  private final Vertx vertx = Vertx.vertx();
  private final List<URI> urls;
  private final HttpClient http;
  private final String hotline;
  private final String staff;
  private final List<Attempt> attempts = Collections.synchronizedList(new ArrayList<>());
  private final Map<String, String> acknowledged = new ConcurrentHashMap<>();
  private final List<String> ticketIds = Collections.synchronizedList(new ArrayList<>());
  private final Map<String, Histogram> latency = new ConcurrentHashMap<>();
  private final AtomicLong unresolved = new AtomicLong();
  private final String run = Long.toString(System.currentTimeMillis(), 36);
  /** The script creates it when its faults are done: arrivals stop early. */
  Path stopFile;
  /** When arrivals started and stopped (epoch ms): breaches due in between are the run's. */
  private volatile long startedEpochMs;
  private volatile long endedEpochMs;

  FaultLoad(List<URI> urls, Path keys, int connections) throws Exception {
    this.urls = urls;
    // enough connections that, with answers held up to the server's 10 s request deadline, the client's own
    // pool does not become the queue (an open model needs as many in flight as rate × latency)
    this.http = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout(2000).setKeepAlive(true)
        .setIdleTimeout(30), new PoolOptions().setHttp1MaxSize(connections));
    Tokens tokens = new Tokens(vertx, Keys.readPem(keys.resolve(Keys.DEV_PRIVATE_KEY)), Keys.DEV_KID, "jiesu", "jiesu-api");
    this.hotline = tokens.mint("fault-hotline", List.of(Role.HOTLINE), Optional.empty(), Duration.ofHours(12));
    this.staff = tokens.mint("fault-staff", List.of(Role.STAFF), Optional.of("FAULT"), Duration.ofHours(12));
    // an admin token creates the department once
    String admin = tokens.mint("fault-admin", List.of(Role.ADMIN), Optional.empty(), Duration.ofHours(1));
    send(0, HttpMethod.PUT, "/api/v1/departments/FAULT", admin,
        new JsonObject().put("name", "Fault run").put("group", "municipal")).await(30, TimeUnit.SECONDS);
  }

  record Answer(int status, Buffer body, boolean retryAfter) {}

  private Future<Answer> send(int replica, HttpMethod method, String path, String token, JsonObject body) {
    URI base = urls.get(replica);
    RequestOptions o = new RequestOptions().setMethod(method).setHost(base.getHost()).setPort(base.getPort())
        .setURI(path).setTimeout(15_000).putHeader("Authorization", "Bearer " + token);
    return http.request(o).compose(req -> {
      if (body != null) {
        req.putHeader("Content-Type", "application/json");
        return req.send(body.toBuffer());
      }
      return req.send();
    }).compose(resp -> resp.body().map(b -> new Answer(resp.statusCode(), b, resp.getHeader("Retry-After") != null)));
  }

  /** The status, or "conn-error" with its cause counted (refused, reset, no answer in time, no free connection). */
  private String outcome(io.vertx.core.AsyncResult<Answer> ar) {
    if (ar.succeeded()) {
      return Integer.toString(ar.result().status());
    }
    Throwable e = ar.cause();
    String why = e.getClass().getSimpleName() + ": " + String.valueOf(e.getMessage()).replaceAll("[0-9]+", "N");
    errorCauses.computeIfAbsent(why.length() > 90 ? why.substring(0, 90) : why, k -> new AtomicLong()).incrementAndGet();
    return "conn-error";
  }

  private final Map<String, AtomicLong> errorCauses = new ConcurrentHashMap<>();
  /** Set once the report is written: no more retries (the client is about to close). */
  private volatile boolean closing;

  private void record(String kind, long intendedNanos, long sentEpochMs, int replica, String outcome, boolean retryAfter) {
    long latencyMs = (System.nanoTime() - intendedNanos) / 1_000_000;
    attempts.add(new Attempt(intendedNanos / 1_000_000, sentEpochMs, latencyMs, kind, replica, outcome, retryAfter));
    if (outcome.startsWith("2")) {
      latency.computeIfAbsent(kind, k -> new Histogram(3_600_000L, 3)).recordValue(Math.max(0, latencyMs));
    }
  }

  /** One intake, retried on 503 and connection errors on the next replica until it is acknowledged or refused. */
  private void intake(long n, long intendedNanos, int replica, int tries) {
    intake(n, intendedNanos, replica, tries, null);
  }

  /** A retry sends the very same payload (receivedAt included): another payload under the key is a 409. */
  private void intake(long n, long intendedNanos, int replica, int tries, JsonObject payload) {
    String externalId = "fault-" + run + "-" + n;
    JsonObject body = payload != null ? payload : new JsonObject().put("externalId", externalId).put("type", "COMPLAINT").put("urgency", "NORMAL")
        .put("category", "fault.run").put("title", "fault run " + n).put("content", "load while replicas die")
        .put("receivedAt", java.time.Instant.now().minusSeconds(1).truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString())
        .put("caller", new JsonObject().put("name", "张三").put("phone", "13812345678"))
        .put("location", new JsonObject().put("district", "海淀区").put("address", "中关村大街1号"))
        .put("leadDepartment", "FAULT");
    long sent = System.currentTimeMillis();
    long start = tries == 0 ? intendedNanos : System.nanoTime();
    send(replica, HttpMethod.POST, "/api/v1/tickets", hotline, body).onComplete(ar -> {
      String outcome = outcome(ar);
      record("intake", start, sent, replica, outcome, ar.succeeded() && ar.result().retryAfter());
      if (ar.succeeded() && (ar.result().status() == 201 || ar.result().status() == 200)) {
        String id = ar.result().body().toJsonObject().getString("id");
        String before = acknowledged.put(externalId, id);
        if (before != null && !before.equals(id)) {
          System.out.println("DIFFERENT ID for " + externalId + ": " + before + " then " + id);
        }
        ticketIds.add(id);
      } else if ((!ar.succeeded() || ar.result().status() == 503) && tries < 60 && !closing) {
        long wait = ar.succeeded() ? 1000 : 200;
        vertx.setTimer(wait, t -> intake(n, intendedNanos, (replica + 1) % urls.size(), tries + 1, body));
      } else {
        unresolved.incrementAndGet();
      }
    });
  }

  private void read(long intendedNanos, int replica) {
    String id;
    synchronized (ticketIds) {
      id = ticketIds.isEmpty() ? null : ticketIds.get((int) (intendedNanos % ticketIds.size()));
    }
    if (id == null) {
      return;
    }
    long sent = System.currentTimeMillis();
    send(replica, HttpMethod.GET, "/api/v1/tickets/" + id, hotline, null).onComplete(ar ->
        record("read", intendedNanos, sent, replica, outcome(ar),
            ar.succeeded() && ar.result().retryAfter()));
  }

  private void list(long intendedNanos, int replica) {
    long sent = System.currentTimeMillis();
    send(replica, HttpMethod.GET, "/api/v1/tickets?limit=50", staff, null).onComplete(ar ->
        record("list", intendedNanos, sent, replica, outcome(ar),
            ar.succeeded() && ar.result().retryAfter()));
  }

  /** Arrivals at {@code rate} per second for {@code duration}: half intakes, 40 % reads, 10 % lists. */
  void run(double rate, Duration duration, Duration scrape, PrintStream out) throws Exception {
    long start = System.nanoTime();
    startedEpochMs = System.currentTimeMillis();
    long total = (long) (rate * duration.toSeconds());
    CountDownLatch done = new CountDownLatch(1);
    long[] next = {0};
    long tick = vertx.setPeriodic(5, id -> {
      long due = (long) ((System.nanoTime() - start) / 1e9 * rate);
      while (next[0] < Math.min(due, total)) {
        long n = next[0]++;
        long intended = start + (long) (n / rate * 1e9);
        int replica = (int) (n % urls.size());
        long kind = n % 10;
        if (kind < 5) {
          intake(n, intended, replica, 0);
        } else if (kind < 9) {
          read(intended, replica);
        } else {
          list(intended, replica);
        }
      }
      if (next[0] >= total || (stopFile != null && Files.exists(stopFile))) {
        done.countDown();
      }
    });
    long scraper = vertx.setPeriodic(scrape.toMillis(), id -> scrapeAll(start, out));
    done.await();
    endedEpochMs = System.currentTimeMillis();
    vertx.cancelTimer(tick);
    vertx.cancelTimer(scraper);
    Thread.sleep(20_000); // retries and stragglers
    scrapeAll(start, out);
  }

  private void scrapeAll(long start, PrintStream out) {
    for (int i = 0; i < urls.size(); i++) {
      int replica = i;
      URI u = urls.get(i);
      http.request(new RequestOptions().setHost(u.getHost()).setPort(u.getPort()).setURI("/metrics").setTimeout(5000))
          .compose(r -> r.send().compose(resp -> resp.body()))
          .onSuccess(b -> out.printf("t=%4ds replica %d heap used %.1f MB, pool in use %s, pool waiting %s, "
                  + "breaches fired since its start %d (mean lateness %.0f ms), open timers %s%n",
              (System.nanoTime() - start) / 1_000_000_000L, replica, metric(b.toString(), "jvm_memory_used_bytes", "area=\"heap\"") / 1e6,
              (long) metric(b.toString(), "vertx_pool_in_use", "pool_type=\"sql\""),
              (long) metric(b.toString(), "vertx_pool_queue_pending", "pool_type=\"sql\""),
              (long) metric(b.toString(), "jiesu_sla_breach_lateness_seconds_count", ""),
              1000 * metric(b.toString(), "jiesu_sla_breach_lateness_seconds_sum", "")
                  / Math.max(1, metric(b.toString(), "jiesu_sla_breach_lateness_seconds_count", "")),
              metric(b.toString(), "jiesu_sla_open_timers", "")))
          .onFailure(e -> out.printf("t=%4ds replica %d metrics unreachable (%s)%n",
              (System.nanoTime() - start) / 1_000_000_000L, replica, e.getMessage()));
    }
  }

  private static double metric(String text, String name, String label) {
    double sum = 0;
    for (String line : text.split("\n")) {
      if ((line.startsWith(name + "{") || line.startsWith(name + " ")) && line.contains(label)) {
        sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return sum;
  }

  void report(PrintStream out, Optional<String> db, Optional<Path> events) throws Exception {
    Map<String, Map<String, Integer>> byKind = new TreeMap<>();
    List<Attempt> attempts;
    synchronized (this.attempts) {
      attempts = new ArrayList<>(this.attempts); // late answers still arrive while this reports
    }
    for (Attempt a : attempts) {
      byKind.computeIfAbsent(a.kind(), k -> new TreeMap<>()).merge(a.outcome(), 1, Integer::sum);
    }
    out.println("answers by operation (every attempt, retries included): " + byKind);
    long fiveHundreds = attempts.stream().filter(a -> a.outcome().equals("500")).count();
    long without = attempts.stream().filter(a -> a.outcome().equals("503") && !a.retryAfter()).count();
    out.printf("500 answers: %d; 503 without Retry-After: %d; intakes never acknowledged: %d%n", fiveHundreds, without,
        unresolved.get());
    new TreeMap<>(errorCauses).forEach((why, n) -> out.printf("  conn-error %6d × %s%n", n.get(), why));
    for (var e : new TreeMap<>(latency).entrySet()) {
      Histogram h = e.getValue();
      out.printf("%-6s %6d ok  p50 %5d ms  p99 %6d ms  p99.9 %6d ms  max %6d ms%n", e.getKey(), h.getTotalCount(),
          h.getValueAtPercentile(50), h.getValueAtPercentile(99), h.getValueAtPercentile(99.9), h.getMaxValue());
    }
    if (db.isPresent()) {
      verify(out, Database.Target.parse(db.get()));
    }
    if (events.isPresent()) {
      windows(out, Files.readAllLines(events.get()));
    }
    if (db.isPresent() && breachesArmed > 0) {
      lateness(out, Database.Target.parse(db.get()), events.isPresent() ? Files.readAllLines(events.get()) : List.of());
    }
  }

  private long breachesArmed;

  private String slaPrefix() {
    return "faultsla-" + run + "-";
  }

  /**
   * {@code perSecond} deadlines a second, due evenly from 10 s after now to the end of {@code duration}: a
   * dispatched ticket each with one running SIGN timer, its warning marked given so that only the breach fires.
   */
  void armBreaches(Database.Target target, double perSecond, Duration duration) throws Exception {
    long n = (long) (perSecond * Math.max(0, duration.toSeconds() - 10));
    if (n == 0) {
      return;
    }
    java.time.Instant from = java.time.Instant.now().plusSeconds(10);
    try (Connection c = DriverManager.getConnection(target.jdbcUrl(), target.jdbcProperties());
         java.sql.Statement s = c.createStatement()) {
      s.execute("""
          INSERT INTO ticket (id, external_id, intake_hash, type, urgency, category, title, content, received_at,
                              status, lead_department, dispatched_at, created_at, updated_at)
          SELECT gen_random_uuid(), '%s' || g, 'h', 'COMPLAINT', 'NORMAL', 'fault.sla', 't', 'c', now(),
                 'DISPATCHED', 'FAULT', now(), now(), now()
            FROM generate_series(1, %d) g""".formatted(slaPrefix(), n));
      s.execute("""
          INSERT INTO sla_timer (ticket_id, round, kind, clock, allowed, warning_share, started_at, due_at, warn_at,
                                 state, warned_due_at, next_at, config_version)
          SELECT t.id, 1, 'SIGN', 'NATURAL', 'PT4H', 0.75, now(), d.due, d.due, 'RUNNING', d.due, d.due,
                 (SELECT version FROM sla_config)
            FROM ticket t CROSS JOIN LATERAL (SELECT timestamptz '%s'
                   + (substr(t.external_id, %d)::bigint - 1) * interval '%d microseconds' AS due) d
           WHERE t.external_id LIKE '%s%%'""".formatted(from, slaPrefix().length() + 1,
          (long) (1_000_000 / perSecond), slaPrefix()));
    }
    breachesArmed = n;
  }

  /** Breaches of this run's deadlines that fell due while arrivals ran: lateness overall, per minute, per fault window. */
  private void lateness(PrintStream out, Database.Target target, List<String> eventLines) throws Exception {
    List<long[]> fired = new ArrayList<>(); // due epoch ms, lateness ms
    long due;
    boolean commitTimes;
    try (Connection c = DriverManager.getConnection(target.jdbcUrl(), target.jdbcProperties())) {
      try (java.sql.Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW track_commit_timestamp")) {
        rs.next();
        commitTimes = rs.getString(1).equals("on");
      }
      try (PreparedStatement s = c.prepareStatement("""
          SELECT (extract(epoch FROM e.due_at) * 1000)::bigint,
                 (extract(epoch FROM %s - e.due_at) * 1000)::bigint
            FROM sla_event e JOIN ticket t ON t.id = e.ticket_id
           WHERE t.external_id LIKE ? AND e.type = 'SLA_BREACHED' AND e.due_at < to_timestamp(? / 1000.0)"""
          .formatted(commitTimes ? "coalesce(pg_xact_commit_timestamp(e.xmin), e.at)" : "e.at"))) {
        s.setString(1, slaPrefix() + "%");
        s.setLong(2, endedEpochMs);
        try (ResultSet rs = s.executeQuery()) {
          while (rs.next()) {
            fired.add(new long[] {rs.getLong(1), rs.getLong(2)});
          }
        }
      }
      try (PreparedStatement s = c.prepareStatement(
          "SELECT count(*) FROM sla_timer m JOIN ticket t ON t.id = m.ticket_id WHERE t.external_id LIKE ? "
              + "AND m.due_at < to_timestamp(? / 1000.0)")) {
        s.setString(1, slaPrefix() + "%");
        s.setLong(2, endedEpochMs);
        try (ResultSet rs = s.executeQuery()) {
          rs.next();
          due = rs.getLong(1);
        }
      }
    }
    out.printf("breaches: %d deadlines fell due while the load ran, %d breaches recorded for them (%s)%n", due,
        fired.size(), commitTimes ? "lateness = commit time of the sla_event row - due time"
            : "lateness = firing start - due time; track_commit_timestamp is off");
    out.println(latenessLine("all", fired));
    Map<Long, List<long[]>> minutes = new TreeMap<>();
    fired.forEach(f -> minutes.computeIfAbsent((f[0] - startedEpochMs) / 60_000, k -> new ArrayList<>()).add(f));
    minutes.forEach((m, l) -> out.println(latenessLine("minute " + m, l)));
    List<String[]> marks = eventLines.stream().map(l -> l.trim().split("\\s+")).filter(p -> p.length == 2).toList();
    for (int i = 0; i < marks.size(); i++) {
      long from = Long.parseLong(marks.get(i)[0]);
      long to = i + 1 < marks.size() ? Long.parseLong(marks.get(i + 1)[0]) : Long.MAX_VALUE;
      out.println(latenessLine("due after " + marks.get(i)[1] + " +" + (from - Long.parseLong(marks.get(0)[0])) + " ms",
          fired.stream().filter(f -> f[0] >= from && f[0] < to).toList()));
    }
  }

  private static String latenessLine(String name, List<long[]> fired) {
    Histogram h = new Histogram(3_600_000L, 3);
    fired.forEach(f -> h.recordValue(Math.max(0, Math.min(3_600_000L, f[1]))));
    return String.format("  lateness %-28s %5d breaches  p50 %6d ms  p99 %6d ms  max %6d ms", name, h.getTotalCount(),
        h.getValueAtPercentile(50), h.getValueAtPercentile(99), h.getMaxValue());
  }

  /** Every acknowledged intake is stored once, under the id it was acknowledged with; none is duplicated. */
  private void verify(PrintStream out, Database.Target target) throws Exception {
    try (Connection c = DriverManager.getConnection(target.jdbcUrl(), target.jdbcProperties())) {
      long lost = 0;
      long wrongId = 0;
      try (PreparedStatement s = c.prepareStatement("SELECT external_id, id::text FROM ticket WHERE external_id LIKE ?")) {
        s.setString(1, "fault-" + run + "-%");
        Map<String, String> stored = new java.util.HashMap<>();
        long rows = 0;
        try (ResultSet rs = s.executeQuery()) {
          while (rs.next()) {
            rows++;
            stored.put(rs.getString(1), rs.getString(2));
          }
        }
        for (var e : acknowledged.entrySet()) {
          String id = stored.get(e.getKey());
          if (id == null) {
            lost++;
          } else if (!id.equals(e.getValue())) {
            wrongId++;
          }
        }
        out.printf("database: %d intakes acknowledged, %d tickets stored for this run, %d acknowledged but missing, "
            + "%d stored under another id, %d duplicated external ids%n", acknowledged.size(), rows, lost, wrongId,
            rows - stored.size());
      }
    }
  }

  /**
   * For each event the script noted ({@code epochMs name}): what clients saw after it. After "pg-stop",
   * "freeze" and "kill": the answers until the next event; after "pg-start" and "thaw": when service was full
   * again (the last failed attempt sent after the event, relative to it).
   */
  private void windows(PrintStream out, List<String> lines) {
    List<long[]> times = new ArrayList<>();
    List<String> names = new ArrayList<>();
    for (String l : lines) {
      String[] p = l.trim().split("\\s+");
      if (p.length == 2) {
        times.add(new long[] {Long.parseLong(p[0])});
        names.add(p[1]);
      }
    }
    List<Attempt> all;
    synchronized (attempts) {
      all = new ArrayList<>(attempts);
    }
    for (int i = 0; i < names.size(); i++) {
      long from = times.get(i)[0];
      long to = i + 1 < names.size() ? times.get(i + 1)[0] : Long.MAX_VALUE;
      List<Attempt> in = all.stream().filter(a -> a.sentEpochMs() >= from && a.sentEpochMs() < to).toList();
      Map<String, Integer> outcomes = new TreeMap<>();
      in.forEach(a -> outcomes.merge(a.outcome(), 1, Integer::sum));
      long maxFailLatency = in.stream().filter(a -> !a.outcome().startsWith("2")).mapToLong(Attempt::latencyMs).max().orElse(-1);
      long lastFailure = in.stream().filter(a -> !a.outcome().startsWith("2")).mapToLong(Attempt::sentEpochMs).max().orElse(from);
      long firstOk = in.stream().filter(a -> a.outcome().startsWith("2")).mapToLong(Attempt::sentEpochMs).min().orElse(-1);
      Histogram failed = new Histogram(3_600_000L, 3);
      in.stream().filter(a -> !a.outcome().startsWith("2")).forEach(a -> failed.recordValue(Math.max(0, a.latencyMs())));
      long within2s = in.stream().filter(a -> !a.outcome().startsWith("2") && a.latencyMs() <= 2000).count();
      out.printf("%-9s +%7d ms: %s; slowest failed answer %d ms; last failure sent %d ms after it; first 2xx sent %s ms after it%n"
              + "          failed answers: p50 %d ms, p99 %d ms, %d of %d within 2 s%n",
          names.get(i), from - times.get(0)[0], outcomes, maxFailLatency, lastFailure - from,
          firstOk < 0 ? "-" : Long.toString(firstOk - from), failed.getValueAtPercentile(50),
          failed.getValueAtPercentile(99), within2s, failed.getTotalCount());
    }
  }

  public static void main(String[] args) throws Exception {
    if (args.length == 2 && args[0].equals("keys")) {
      // a key pair for the run: the servers trust dev-jwks.json, this tool signs with dev-jwt.pem
      System.out.println(Keys.ensureDevKeys(Path.of(args[1])));
      return;
    }
    Map<String, String> a = new java.util.HashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      a.put(args[i], args[i + 1]);
    }
    List<URI> urls = java.util.Arrays.stream(a.getOrDefault("--urls", "http://127.0.0.1:8080").split(","))
        .map(URI::create).toList();
    FaultLoad load = new FaultLoad(urls, Path.of(a.getOrDefault("--keys", ".jiesu")),
        Integer.parseInt(a.getOrDefault("--connections", "256")));
    load.stopFile = Optional.ofNullable(a.get("--stop-file")).map(Path::of).orElse(null);
    double rate = Double.parseDouble(a.getOrDefault("--rate", "40"));
    Duration duration = Duration.parse(a.getOrDefault("--duration", "PT120S"));
    double breaches = Double.parseDouble(a.getOrDefault("--breaches", "2"));
    if (a.containsKey("--db") && breaches > 0) {
      load.armBreaches(Database.Target.parse(a.get("--db")), breaches, duration);
      System.out.printf("armed %d SLA deadlines due over the run (%.1f a second)%n", load.breachesArmed, breaches);
    }
    System.out.printf("fault load: %s, %.0f requests/s for %s (50%% intake, 40%% read, 10%% list)%n", urls, rate, duration);
    load.run(rate, duration, Duration.parse(a.getOrDefault("--scrape", "PT60S")), System.out);
    load.report(System.out, Optional.ofNullable(a.get("--db")), Optional.ofNullable(a.get("--events")).map(Path::of));
    load.closing = true;
    load.vertx.close().await(10, TimeUnit.SECONDS);
    System.exit(0);
  }
}
