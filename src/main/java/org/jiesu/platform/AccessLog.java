package org.jiesu.platform;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One access-log line and one latency sample per request, labelled by the contract's operation id (never
 * the raw path: ids in paths would make the metrics unbounded). The line carries the request id (the
 * caller's {@code X-Request-Id} when it is a sane token, else one we make; echoed either way), operation,
 * method, status, duration and the token's {@code sub}; never a query string or a body, which may hold
 * personal data.
 */
public final class AccessLog implements Handler<RoutingContext> {

  /** Context key the failure handler sets for a 404 that hides an out-of-scope resource. */
  public static final String OUT_OF_SCOPE = "jiesu.outOfScope";

  public static final String REQUEST_ID = "X-Request-Id";
  /** Where handlers find the request id (ctx.get). */
  public static final String REQUEST_ID_KEY = "requestId";
  private static final Logger ACCESS = LoggerFactory.getLogger("org.jiesu.access");
  /** Bounded and free of anything that could break a log line or a header. */
  static final Pattern VALID_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
  private static final Set<HttpMethod> KNOWN_METHODS = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.POST,
      HttpMethod.PUT, HttpMethod.DELETE, HttpMethod.PATCH, HttpMethod.OPTIONS);
  /** Latency buckets: Prometheus {@code _bucket} series add up across replicas, summaries do not. */
  private static final Duration[] BUCKETS = {Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
      Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
      Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10)};

  private final OpenAPIContract contract;
  private final MeterRegistry registry;

  public AccessLog(OpenAPIContract contract, MeterRegistry registry) {
    this.contract = contract;
    this.registry = registry;
  }

  @Override
  public void handle(RoutingContext ctx) {
    long start = System.nanoTime();
    String offered = ctx.request().getHeader(REQUEST_ID);
    String id = offered != null && VALID_ID.matcher(offered).matches() ? offered : UUID.randomUUID().toString();
    ctx.put(REQUEST_ID_KEY, id);
    ctx.response().putHeader(REQUEST_ID, id);
    ctx.addEndHandler(done -> record(ctx, id, System.nanoTime() - start));
    ctx.next();
  }

  private void record(RoutingContext ctx, String id, long nanos) {
    String operation = operation(ctx);
    int status = ctx.response().getStatusCode();
    String method = KNOWN_METHODS.contains(ctx.request().method()) ? ctx.request().method().name() : "OTHER";
    Timer.builder("jiesu.http.requests")
        .description("HTTP requests by contract operation")
        .tag("operation", operation).tag("method", method).tag("status", Integer.toString(status))
        .serviceLevelObjectives(BUCKETS)
        .register(registry)
        .record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    if (status == 401 || status == 403 || status == 404 || status == 429) {
      // 404 is the same answer for a missing resource and one outside the caller's scope (on purpose);
      // the reason tag tells them apart here, as the ACCESS_DENIED audit entries do
      String reason = status != 404 ? "-" : Boolean.TRUE.equals(ctx.get(OUT_OF_SCOPE)) ? "out-of-scope" : "missing";
      Counter.builder("jiesu.http.refusals")
          .description("Refused requests: 401 unauthenticated, 403 forbidden, 404 missing or out of scope, 429 rate limited")
          .tag("status", Integer.toString(status)).tag("operation", operation).tag("reason", reason)
          .register(registry).increment();
    }
    String sub = ctx.user() == null ? null : ctx.user().subject();
    var line = ACCESS.atInfo()
        .addKeyValue("requestId", id)
        .addKeyValue("operation", operation)
        .addKeyValue("method", method)
        .addKeyValue("status", status)
        .addKeyValue("durationMs", nanos / 1_000_000);
    if (sub != null) {
      line = line.addKeyValue("sub", sub);
    }
    line.log("{} {} {} {} {} ms", id, method, operation, status, nanos / 1_000_000);
  }

  private String operation(RoutingContext ctx) {
    String path = ctx.request().path();
    if (path == null) {
      return "unmatched";
    }
    try {
      HttpMethod method = ctx.request().method() == HttpMethod.HEAD ? HttpMethod.GET : ctx.request().method();
      Operation op = contract.findOperation(path, method);
      return op == null ? "unmatched" : op.getOperationId();
    } catch (RuntimeException e) {
      return "unmatched";
    }
  }
}
