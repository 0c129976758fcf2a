package org.jiesu.outbox;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Context;
import org.jiesu.platform.SingleFlight;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.sqlclient.Pool;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the outbox. Every replica runs one: it claims due deliveries in batches ({@code FOR UPDATE SKIP
 * LOCKED}, then a lease, so replicas share the work and a dead replica's claims come back), sends each as a
 * Standard Webhooks request, and records the attempt. A NOTIFY from a committing change wakes it; a poll
 * is the safety net. Sends run concurrently up to a bound; a claim does not wait for a slow receiver.
 */
public final class WebhookRelay {

  private static final Logger LOG = LoggerFactory.getLogger(WebhookRelay.class);
  static final int BATCH = 100;
  static final int EXCERPT_CHARS = 200;
  static final long FLUSH_MS = 5;

  private final Vertx vertx;
  private final Pool pool;
  private final OutboxStore store = new OutboxStore();
  private final SafeAddress addresses;
  private final RetrySchedule schedule;
  private final Duration timeout;
  private final Duration poll;
  private final int maxInFlight;
  private final HttpClient http;
  private final Clock wall = Clock.systemUTC();

  private final EnumMap<AttemptResult.Outcome, Counter> attempts = new EnumMap<>(AttemptResult.Outcome.class);
  private final Counter dead;
  private final Timer latency;
  private volatile double backlog;
  private volatile double oldestAge;

  // touched only on this context
  private final Context context;
  private final SingleFlight loop;
  private int inFlight;
  private boolean more;
  private long gaugeTimer = -1;
  // attempts waiting to be recorded together (a few milliseconds, or a full batch)
  private final List<OutboxStore.Recorded> toRecord = new ArrayList<>();
  private final List<Promise<Void>> waiting = new ArrayList<>();
  private long flushTimer = -1;

  public WebhookRelay(Vertx vertx, Pool pool, SafeAddress addresses, RetrySchedule schedule, Duration timeout,
      Duration poll, int maxInFlight, MeterRegistry registry) {
    this.vertx = vertx;
    this.pool = pool;
    this.addresses = addresses;
    this.schedule = schedule;
    this.timeout = timeout;
    this.poll = poll;
    this.maxInFlight = maxInFlight;
    this.context = vertx.getOrCreateContext();
    this.loop = new SingleFlight(vertx, context, this::claim);
    int ms = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
    this.http = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout(ms).setKeepAlive(true)
            .setForceSni(true).setVerifyHost(true).setTrustAll(false).setName("jiesu-webhooks"),
        new PoolOptions().setHttp1MaxSize(maxInFlight));
    for (AttemptResult.Outcome o : AttemptResult.Outcome.values()) {
      attempts.put(o, Counter.builder("jiesu.webhook.attempts").description("webhook delivery attempts by result")
          .tag("result", o.name().toLowerCase(Locale.ROOT)).register(registry));
    }
    this.dead = Counter.builder("jiesu.webhook.dead.letters").description("deliveries that ran out of attempts or met 410")
        .register(registry);
    this.latency = Timer.builder("jiesu.webhook.latency")
        .description("from the outbox row's commit to the receiver's 2xx")
        .serviceLevelObjectives(Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
            Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
            Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30),
            Duration.ofMinutes(5), Duration.ofHours(1))
        .register(registry);
    Gauge.builder("jiesu.webhook.backlog", () -> backlog).description("deliveries not yet delivered nor dead")
        .register(registry);
    Gauge.builder("jiesu.webhook.oldest.age", () -> oldestAge).baseUnit("seconds")
        .description("age of the oldest pending delivery").register(registry);
  }

  public void start() {
    loop.start(poll);
    context.runOnContext(v -> {
      gaugeTimer = vertx.setPeriodic(0, 5000, id -> store.backlog(pool).onSuccess(b -> {
        backlog = b[0];
        oldestAge = b[1];
      }));
    });
  }

  /** Stops claiming; sends in flight finish or are left to the lease. */
  public void stop() {
    loop.stop();
    context.runOnContext(v -> vertx.cancelTimer(gaugeTimer));
  }

  /** Look now (a NOTIFY arrived, or a send finished while more were waiting). */
  public void wake() {
    loop.wake();
  }

  /** Claims what is due, as many as there is room for in flight; true when a full batch came (more wait). */
  private Future<Boolean> claim() {
    int room = Math.min(BATCH, maxInFlight - inFlight);
    if (room <= 0) {
      more = true; // a finishing send looks again
      return Future.succeededFuture(false);
    }
    // past the attempt's own deadline and the recording of it: only a dead relay's claims come back
    double lease = 2 * timeout.toMillis() / 1000.0 + 5;
    return pool.withTransaction(tx -> OutboxStore.withoutFlush(tx).compose(v -> store.claim(tx, room, lease)))
        .map(claimed -> {
          more = claimed.size() == room;
          claimed.forEach(this::send);
          return more;
        })
        .onFailure(e -> LOG.warn("webhook relay could not claim deliveries; the next poll retries: {}", e.toString()));
  }

  private void send(OutboxStore.Claimed c) {
    inFlight++;
    Instant at = wall.instant();
    long started = System.nanoTime();
    attempt(c)
        .recover(e -> Future.succeededFuture(failure(e)))
        .compose(result -> {
          Instant answered = wall.instant();
          int ms = (int) Math.min(Integer.MAX_VALUE, (System.nanoTime() - started) / 1_000_000);
          attempts.get(result.outcome()).increment();
          if (result.delivered()) {
            latency.record(Duration.between(c.createdAt(), answered));
          }
          return record(c, result, at, ms);
        })
        .onFailure(e -> LOG.warn("webhook attempt of {} could not be recorded; its lease brings it back: {}",
            c.id(), e.toString()))
        .onComplete(r -> {
          inFlight--;
          if (more) {
            more = false;
            wake();
          }
        });
  }

  private Future<Void> record(OutboxStore.Claimed c, AttemptResult result, Instant at, int ms) {
    int attempt = c.attempts() + 1;
    String status;
    Double delay = null;
    String disable = null;
    if (result.delivered()) {
      status = "DELIVERED";
    } else if (result.outcome() == AttemptResult.Outcome.GONE) {
      status = "DEAD";
      disable = "the receiver answered 410 Gone at " + at;
    } else {
      Optional<Duration> next = schedule.next(attempt, result.retryAfter());
      status = next.isPresent() ? "PENDING" : "DEAD";
      delay = next.map(d -> d.toNanos() / 1e9).orElse(null);
    }
    if (status.equals("DEAD")) {
      dead.increment();
    }
    if (delay != null && delay * 1000 < poll.toMillis()) {
      // a retry due before the next poll: look again then (nothing NOTIFYs a retry)
      long wait = (long) (delay * 1000) + 5;
      context.runOnContext(v -> vertx.setTimer(wait, id -> wake()));
    }
    Promise<Void> recorded = Promise.promise();
    OutboxStore.Recorded item = new OutboxStore.Recorded(c, attempt, at, ms, result, status, delay, disable);
    if (Vertx.currentContext() == context) {
      gather(item, recorded);
    } else {
      context.runOnContext(v -> gather(item, recorded));
    }
    return recorded.future();
  }

  private void gather(OutboxStore.Recorded item, Promise<Void> recorded) {
    toRecord.add(item);
    waiting.add(recorded);
    if (toRecord.size() >= BATCH) {
      flush();
    } else if (flushTimer < 0) {
      flushTimer = vertx.setTimer(FLUSH_MS, id -> {
        flushTimer = -1;
        flush();
      });
    }
  }

  /** Records the attempts gathered so far in one transaction. */
  private void flush() {
    if (toRecord.isEmpty()) {
      return;
    }
    List<OutboxStore.Recorded> batch = new ArrayList<>(toRecord);
    List<Promise<Void>> promises = new ArrayList<>(waiting);
    toRecord.clear();
    waiting.clear();
    pool.withTransaction(tx -> OutboxStore.withoutFlush(tx).compose(v -> store.record(tx, batch)))
        .onComplete(r -> promises.forEach(p -> p.handle(r)));
  }

  /** One attempt: check the address again, sign, POST, read the status and a short excerpt. */
  Future<AttemptResult> attempt(OutboxStore.Claimed c) {
    return addresses.resolve(c.url()).compose(address -> {
      URI uri = URI.create(c.url());
      boolean tls = uri.getScheme().equalsIgnoreCase("https");
      int port = uri.getPort() > 0 ? uri.getPort() : tls ? 443 : 80;
      String path = (uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath())
          + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
      String body = WebhookEvents.body(c.type(), c.occurredAt(), c.data());
      long timestamp = wall.instant().getEpochSecond();
      RequestOptions options = new RequestOptions()
          .setMethod(HttpMethod.POST)
          .setServer(SocketAddress.inetSocketAddress(port, address.getHostAddress()))
          .setHost(SafeAddress.host(uri))
          .setPort(port)
          .setSsl(tls)
          .setURI(path)
          .setFollowRedirects(false)
          .setIdleTimeout(timeout.toMillis())
          .putHeader("content-type", "application/json")
          .putHeader("user-agent", "jiesu-webhooks/1")
          .putHeader("webhook-id", c.id().toString())
          .putHeader("webhook-timestamp", Long.toString(timestamp))
          .putHeader("webhook-signature", WebhookSignature.header(c.secrets(), c.id().toString(), timestamp, body));
      return post(options, body);
    });
  }

  private Future<AttemptResult> post(RequestOptions options, String body) {
    Promise<AttemptResult> done = Promise.promise();
    AtomicReference<HttpClientRequest> request = new AtomicReference<>();
    StringBuilder excerpt = new StringBuilder();
    int[] status = {0};
    String[] retryAfter = {null};
    long timer = vertx.setTimer(timeout.toMillis(), id -> {
      if (status[0] != 0) {
        done.tryComplete(AttemptResult.ofStatus(status[0], retryAfter[0], clean(excerpt), wall.instant()));
      } else {
        done.tryFail(new TimeoutException("no answer within " + timeout));
      }
    });
    http.request(options)
        .compose(req -> {
          request.set(req);
          return req.send(Buffer.buffer(body, StandardCharsets.UTF_8.name()));
        })
        .onSuccess(resp -> {
          status[0] = resp.statusCode();
          retryAfter[0] = resp.getHeader("retry-after");
          if (status[0] >= 200 && status[0] < 300) {
            done.tryComplete(AttemptResult.ofStatus(status[0], null, null, wall.instant()));
          }
          resp.handler(chunk -> {
            if (excerpt.length() < EXCERPT_CHARS) {
              String text = chunk.toString(StandardCharsets.UTF_8);
              excerpt.append(text, 0, Math.min(text.length(), EXCERPT_CHARS - excerpt.length()));
            }
          });
          resp.endHandler(v -> done.tryComplete(AttemptResult.ofStatus(status[0], retryAfter[0], clean(excerpt),
              wall.instant())));
          resp.exceptionHandler(done::tryFail);
        })
        .onFailure(done::tryFail);
    return done.future().onComplete(r -> {
      vertx.cancelTimer(timer);
      if (r.failed() && request.get() != null) {
        request.get().reset(); // a receiver that hangs keeps no connection of ours
      }
    });
  }

  private static AttemptResult failure(Throwable e) {
    if (e instanceof SafeAddress.Refused) {
      return AttemptResult.failure(AttemptResult.Outcome.REFUSED, e.getMessage());
    }
    String message = e.getClass().getSimpleName() + ": " + e.getMessage();
    boolean timedOut = e instanceof TimeoutException || String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT).contains("timeout")
        || String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT).contains("timed out");
    return AttemptResult.failure(timedOut ? AttemptResult.Outcome.TIMEOUT : AttemptResult.Outcome.ERROR,
        message.length() > EXCERPT_CHARS ? message.substring(0, EXCERPT_CHARS) : message);
  }

  /** A receiver's answer is kept only as a short, printable excerpt. */
  private static String clean(CharSequence s) {
    String t = s.toString().replaceAll("[\\p{Cntrl}&&[^\\n\\t]]", " ");
    return t.isEmpty() ? null : t.length() > EXCERPT_CHARS ? t.substring(0, EXCERPT_CHARS) : t;
  }

  public Future<Void> close() {
    return http.close();
  }
}
