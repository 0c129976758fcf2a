package org.jiesu.bench;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
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
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.HdrHistogram.Histogram;
import org.jiesu.Server;
import org.jiesu.auth.Keys;
import org.jiesu.auth.Role;
import org.jiesu.auth.Tokens;
import org.jiesu.platform.Config;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bench webhooks}: status-callback latency end to end. It starts a server of its own (embedded
 * PostgreSQL with fsync on in a new folder, or {@code JIESU_DB_URL}) and a receiver, subscribes the receiver
 * to {@code ticket.received}, and takes in tickets at a fixed rate (open loop: each intake is a committed
 * change). For each change it measures from the intake's 2xx (the commit acknowledged) to the receiver
 * getting the signed delivery, and, as an upper bound, from the moment the intake was sent. A command, not
 * a test: it asserts nothing.
 */
@Command(name = "webhooks", description = "Webhook latency from a committed change to the receiver, at a fixed rate "
    + "of changes (own server and embedded PostgreSQL, or JIESU_DB_URL).")
public final class WebhookBench implements Callable<Integer> {

  @Option(names = "--rate", defaultValue = "200", description = "changes per second (default ${DEFAULT-VALUE})")
  int rate;
  @Option(names = "--seconds", defaultValue = "30", description = "how long the measured run lasts (default ${DEFAULT-VALUE})")
  int seconds;
  @Option(names = "--warmup", defaultValue = "10", description = "seconds at the rate before measuring (default ${DEFAULT-VALUE})")
  int warmup;

  @Override
  public Integer call() throws Exception {
    Path folder = Files.createTempDirectory("jiesu-bench-webhooks");
    int port = freePort();
    Config config = Config.from(Map.of("JIESU_DATA_DIR", folder.toString(), "JIESU_HTTP_PORT", Integer.toString(port),
        "JIESU_WEBHOOK_ALLOW", "localhost", "JIESU_RATE_LIMIT", "10000000", "JIESU_LOG_LEVEL", "WARN"));
    Optional<String> db = Optional.ofNullable(System.getenv("JIESU_DB_URL")).filter(u -> !u.isBlank());
    if (db.isPresent()) {
      config = config.withDbUrl(db.get()).withJwks(Keys.ensureDevKeys(folder));
    }
    Vertx vertx = Vertx.vertx();
    Map<String, Long> arrived = new ConcurrentHashMap<>();
    HttpServer receiver = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(b -> {
      long now = System.nanoTime();
      String externalId = new JsonObject(b.toString()).getJsonObject("data").getString("externalId");
      arrived.putIfAbsent(externalId, now);
      req.response().setStatusCode(204).end();
    })).listen(0).await(10, TimeUnit.SECONDS);
    System.out.printf("bench webhooks: %d changes/s, %d s warm-up, %d s measured; database %s%n", rate, warmup, seconds,
        db.isPresent() ? "JIESU_DB_URL" : "embedded in " + folder);
    try (Server server = Server.start(config, Clock.systemUTC())) {
      Tokens tokens = new Tokens(vertx, Keys.readPem(folder.resolve(Keys.DEV_PRIVATE_KEY)), Keys.DEV_KID,
          config.jwtIssuer(), config.jwtAudience());
      String admin = tokens.mint("bench-admin", List.of(Role.ADMIN), Optional.empty(), Duration.ofHours(1));
      String hotline = tokens.mint("bench-hotline", List.of(Role.HOTLINE), Optional.empty(), Duration.ofHours(1));
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      URI base = URI.create("http://localhost:" + port);
      send(http, HttpRequest.newBuilder(base.resolve("/api/v1/departments/BENCH")).header("Authorization", "Bearer " + admin)
          .header("Content-Type", "application/json")
          .PUT(HttpRequest.BodyPublishers.ofString("{\"name\":\"压测部门\",\"group\":\"bench\"}")).build());
      HttpResponse<String> sub = send(http, HttpRequest.newBuilder(base.resolve("/api/v1/webhook-subscriptions"))
          .header("Authorization", "Bearer " + admin).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(new JsonObject()
              .put("url", "http://localhost:" + receiver.actualPort() + "/hook")
              .put("events", List.of("ticket.received")).encode())).build());
      if (sub.statusCode() != 201) {
        throw new IllegalStateException("subscription refused: " + sub.body());
      }

      Map<String, long[]> sent = new ConcurrentHashMap<>(); // externalId → {sent, acknowledged}
      AtomicInteger errors = new AtomicInteger();
      int total = rate * (warmup + seconds);
      int measuredFrom = rate * warmup;
      ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
      AtomicInteger next = new AtomicInteger();
      String run = Long.toString(System.currentTimeMillis(), 36);
      long periodNanos = 1_000_000_000L / rate;
      ticker.scheduleAtFixedRate(() -> {
        int i = next.getAndIncrement();
        if (i >= total) {
          return;
        }
        String externalId = "WB-" + run + "-" + i;
        long[] times = {System.nanoTime(), 0};
        if (i >= measuredFrom) {
          sent.put(externalId, times);
        }
        http.sendAsync(HttpRequest.newBuilder(base.resolve("/api/v1/tickets")).header("Authorization", "Bearer " + hotline)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(intake(externalId)))
                .build(), HttpResponse.BodyHandlers.discarding())
            .whenComplete((r, e) -> {
              times[1] = System.nanoTime();
              if (e != null || r.statusCode() != 201) {
                errors.incrementAndGet();
              }
            });
      }, 0, periodNanos, TimeUnit.NANOSECONDS);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(warmup + seconds + 60);
      while (System.nanoTime() < deadline && !(next.get() >= total && arrived.keySet().containsAll(sent.keySet()))) {
        Thread.sleep(100);
      }
      ticker.shutdownNow();

      Histogram fromAck = new Histogram(3);
      Histogram fromSend = new Histogram(3);
      int missing = 0;
      for (Map.Entry<String, long[]> e : sent.entrySet()) {
        Long at = arrived.get(e.getKey());
        if (at == null || e.getValue()[1] == 0) {
          missing++;
          continue;
        }
        fromAck.recordValue(Math.max(0, at - e.getValue()[1]));
        fromSend.recordValue(Math.max(0, at - e.getValue()[0]));
      }
      System.out.printf("%,d changes measured, %d intake errors, %d deliveries missing%n", sent.size(), errors.get(), missing);
      System.out.println(line("intake 2xx → receiver", fromAck));
      System.out.println(line("intake sent → receiver", fromSend));
    } finally {
      vertx.close().await(30, TimeUnit.SECONDS);
    }
    return 0;
  }

  private static String line(String what, Histogram h) {
    return String.format("%-24s p50 %7.1f ms  p99 %7.1f ms  max %7.1f ms", what, h.getValueAtPercentile(50) / 1e6,
        h.getValueAtPercentile(99) / 1e6, h.getMaxValue() / 1e6);
  }

  private static String intake(String externalId) {
    return new JsonObject().put("externalId", externalId).put("type", "COMPLAINT").put("urgency", "NORMAL")
        .put("category", "market.agency").put("title", "专利代理机构乱收费").put("content", "收费不透明，要求退款未果")
        .put("receivedAt", java.time.OffsetDateTime.now().toString())
        .put("caller", new JsonObject().put("name", "张三").put("phone", "13812345678"))
        .put("location", new JsonObject().put("district", "海淀区").put("address", "中关村大街1号"))
        .put("leadDepartment", "BENCH").encode();
  }

  private static HttpResponse<String> send(HttpClient http, HttpRequest r) throws Exception {
    return http.send(r, HttpResponse.BodyHandlers.ofString());
  }

  private static int freePort() throws java.io.IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
