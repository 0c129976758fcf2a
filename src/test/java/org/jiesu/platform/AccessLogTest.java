package org.jiesu.platform;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.jiesu.auth.Role;
import org.jiesu.support.TestServer;
import org.jiesu.support.TestServer.Response;
import org.jiesu.support.Tickets;
import org.jiesu.support.WithServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** What an operator sees: request ids, one access line per request, metrics by operation, JSON lines. */
@WithServer(departments = "D-IP")
class AccessLogTest {

  static TestServer server;
  static final ListAppender<ILoggingEvent> lines = new ListAppender<>();
  static Logger access;
  static Level before;

  @BeforeAll
  static void start() {
    access = (Logger) LoggerFactory.getLogger("org.jiesu.access");
    before = access.getLevel();
    access.setLevel(Level.INFO);
    lines.start();
    access.addAppender(lines);
  }

  @AfterAll
  static void stop() {
    access.detachAppender(lines);
    access.setLevel(before);
  }

  private static Map<String, Object> fields(ILoggingEvent e) {
    return e.getKeyValuePairs() == null ? Map.of()
        : e.getKeyValuePairs().stream().collect(Collectors.toMap(kv -> kv.key, kv -> String.valueOf(kv.value)));
  }

  private static Map<String, Object> lineFor(String requestId) throws InterruptedException {
    for (int i = 0; i < 100; i++) {
      synchronized (lines) {
        List<Map<String, Object>> found = List.copyOf(lines.list).stream().map(AccessLogTest::fields)
            .filter(f -> requestId.equals(f.get("requestId"))).toList();
        if (!found.isEmpty()) {
          assertThat(found).as("one access line per request").hasSize(1);
          return found.get(0);
        }
      }
      Thread.sleep(20); // the line is written when the response has gone
    }
    throw new AssertionError("no access line for request " + requestId);
  }

  @Test
  void aSaneRequestIdIsEchoedAndLoggedWithOperationStatusDurationAndSubject() throws Exception {
    Response r = server.send(server.request("/api/v1/tickets", server.token(Role.HOTLINE))
        .header("X-Request-Id", "trace-42.a:b_c").GET());
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.header("X-Request-Id")).contains("trace-42.a:b_c");
    Map<String, Object> line = lineFor("trace-42.a:b_c");
    assertThat(line).containsEntry("operation", "listTickets").containsEntry("method", "GET")
        .containsEntry("status", "200").containsEntry("sub", "hotline-1").containsKey("durationMs");
  }

  @Test
  void anUnsafeOrMissingRequestIdIsReplacedByOneOfOurs() throws Exception {
    Response tooLong = server.send(server.request("/health/live", null).header("X-Request-Id", "x".repeat(129)).GET());
    Response unsafe = server.send(server.request("/health/live", null).header("X-Request-Id", "a b\"{}").GET());
    Response none = server.get("/health/live", null);
    for (Response r : List.of(tooLong, unsafe, none)) {
      String id = r.header("X-Request-Id").orElseThrow();
      assertThat(id).matches("[0-9a-f-]{36}");
      assertThat(lineFor(id)).containsEntry("operation", "live").containsEntry("status", "200");
    }
  }

  @Test
  void theAccessLogCarriesNoPersonalData() throws Exception {
    Response created = server.send(server.request("/api/v1/tickets", server.token(Role.HOTLINE))
        .header("Content-Type", "application/json").header("X-Request-Id", "intake-pii")
        .POST(HttpRequest.BodyPublishers.ofString(Tickets.dispatched("pii-1", "D-IP").encode())));
    assertThat(created.status()).isEqualTo(201);
    Response searched = server.send(server.request("/api/v1/tickets?q=13812345678", server.token(Role.HOTLINE))
        .header("X-Request-Id", "search-pii").GET());
    assertThat(lineFor("intake-pii")).containsEntry("operation", "createTicket").containsEntry("status", "201");
    lineFor("search-pii");
    synchronized (lines) {
      for (ILoggingEvent e : List.copyOf(lines.list)) {
        String all = e.getFormattedMessage() + " " + fields(e);
        assertThat(all).doesNotContain("13812345678").doesNotContain("张三丰").doesNotContain("中关村大街");
      }
    }
    assertThat(searched.status()).isLessThan(500);
  }

  @Test
  void metricsAreHistogramsByOperationWithRefusalCountersAndJvmMeters() throws Exception {
    server.get("/api/v1/tickets", server.token(Role.HOTLINE));
    server.get("/api/v1/tickets", null); // 401
    server.get("/api/v1/departments", server.token(Role.HOTLINE)); // 403 or 200, either is counted by operation
    server.get("/api/v1/tickets/00000000-0000-0000-0000-000000000000", server.token(Role.HOTLINE)); // 404
    String other = server.post("/api/v1/tickets", server.token(Role.HOTLINE), Tickets.dispatched("scope-1", "D-IP"))
        .json().getString("id");
    assertThat(server.get("/api/v1/tickets/" + other, server.staff("D-ELSEWHERE")).status()).isEqualTo(404);
    String metrics = server.get("/metrics", null).body();
    assertThat(metrics)
        .containsPattern("jiesu_http_requests_seconds_bucket\\{[^}]*operation=\"listTickets\"[^}]*le=\"0\\.05\"")
        .containsPattern("jiesu_http_refusals_total\\{operation=\"listTickets\",reason=\"-\",status=\"401\"\\} 1(\\.0)?\n")
        .containsPattern("jiesu_http_refusals_total\\{operation=\"getTicket\",reason=\"missing\",status=\"404\"\\} 1(\\.0)?\n")
        // the same 404 to the client, counted apart: out-of-scope reads are what an operator watches for
        .containsPattern("jiesu_http_refusals_total\\{operation=\"getTicket\",reason=\"out-of-scope\",status=\"404\"\\} 1(\\.0)?\n")
        .doesNotContain("00000000-0000-0000-0000-000000000000")
        .contains("jvm_memory_used_bytes").contains("process_cpu_usage").contains("jvm_threads_live_threads").contains("jvm_classes_loaded_classes")
        .contains("process_uptime_seconds")
        // buckets add up across replicas; client-side quantiles do not
        .contains("vertx_http_server_response_time_seconds_bucket")
        .doesNotContainPattern("vertx_[a-z_]+\\{[^}]*quantile=");
  }

  @Test
  void theProductionLogConfigurationWritesOneJsonObjectPerLine() throws Exception {
    LoggerContext context = new LoggerContext();
    context.setMDCAdapter(new ch.qos.logback.classic.util.LogbackMDCAdapter());
    String status;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream original = System.out;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      JoranConfigurator configurator = new JoranConfigurator();
      configurator.setContext(context);
      configurator.doConfigure(AccessLogTest.class.getResource("/logback.xml"));
      context.getLogger("org.jiesu.access").atInfo().addKeyValue("requestId", "r-1")
          .addKeyValue("operation", "listTickets").addKeyValue("status", 200).log("r-1 GET listTickets 200 3 ms");
    } finally {
      System.setOut(original);
      status = context.getStatusManager().getCopyOfStatusList().toString();
      context.stop();
    }
    String[] printed = out.toString(StandardCharsets.UTF_8).strip().split("\n");
    String last = printed[printed.length - 1];
    assertThat(last).as(status).startsWith("{");
    assertThat(status).doesNotContain("WARN in").doesNotContain("ERROR in");
    JsonObject line = new JsonObject(last);
    assertThat(line.getString("level")).isEqualTo("INFO");
    assertThat(line.getString("loggerName")).isEqualTo("org.jiesu.access");
    assertThat(line.getString("formattedMessage")).isEqualTo("r-1 GET listTickets 200 3 ms");
    assertThat(line.encode()).contains("\"requestId\":\"r-1\"").contains("\"operation\":\"listTickets\"");
  }
}
