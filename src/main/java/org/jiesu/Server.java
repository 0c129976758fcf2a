package org.jiesu;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.PrometheusScrapingHandler;
import io.vertx.micrometer.VertxPrometheusOptions;
import io.vertx.sqlclient.Pool;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jiesu.audit.AuditChainer;
import org.jiesu.auth.Authentication;
import org.jiesu.auth.Keys;
import org.jiesu.auth.RemoteKeys;
import org.jiesu.platform.Config;
import org.jiesu.platform.Contract;
import org.jiesu.platform.Database;
import org.jiesu.platform.DatabaseWatch;
import org.jiesu.platform.EmbeddedDatabase;
import org.jiesu.platform.Guards;
import org.jiesu.platform.Health;
import org.jiesu.platform.HttpServerVerticle;
import org.jiesu.platform.RateLimiter;
import io.vertx.pgclient.pubsub.PgSubscriber;
import org.jiesu.sla.SlaEngine;
import org.jiesu.sla.SlaEventFeed;
import org.jiesu.sla.SlaScheduler;
import org.jiesu.sla.TimerStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running jiesu: database (embedded when none is configured), migrations, keys, then Vert.x. Everything
 * blocking happens here, before anything is deployed on an event loop.
 */
public final class Server implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Server.class);
  public static final String EMBEDDED_DATABASE = "jiesu";

  private final Vertx vertx;
  private final Optional<EmbeddedDatabase> embedded;
  private final AuditChainer chainer;
  private final AutoCloseable gcMeters;
  private final Sla sla;
  private final org.jiesu.outbox.WebhookRelay relay;
  private boolean closed;
  private static final long CHAIN_INTERVAL_MS = 200;

  private Server(Vertx vertx, Optional<EmbeddedDatabase> embedded, AuditChainer chainer, AutoCloseable gcMeters,
      Sla sla, org.jiesu.outbox.WebhookRelay relay) {
    this.relay = relay;
    this.vertx = vertx;
    this.gcMeters = gcMeters;
    this.embedded = embedded;
    this.chainer = chainer;
    this.sla = sla;
  }

  /** The SLA parts of one replica: settings, scheduler, the stream feed, and their LISTEN connection. */
  record Sla(SlaEngine engine, SlaScheduler scheduler, SlaEventFeed feed, PgSubscriber subscriber) {

    static final java.time.Duration SETTINGS_POLL = java.time.Duration.ofSeconds(5);
    static final java.time.Duration TIMER_POLL = java.time.Duration.ofSeconds(1);
    static final java.time.Duration FEED_POLL = java.time.Duration.ofSeconds(1);
    static final int FIRE_BATCH = 500;

    static Sla start(Vertx vertx, Pool pool, Database.Target target, Clock clock, boolean fire,
        io.micrometer.core.instrument.MeterRegistry registry, Config.Timeouts timeouts) throws Exception {
      PgSubscriber subscriber = Database.subscriber(vertx, target);
      SlaEngine engine = new SlaEngine(vertx, pool, SETTINGS_POLL);
      engine.start(Optional.of(subscriber)).await(30, TimeUnit.SECONDS);
      SlaEventFeed feed = new SlaEventFeed(vertx, pool, Optional.of(subscriber), FEED_POLL);
      feed.start().await(30, TimeUnit.SECONDS);
      SlaScheduler scheduler = new SlaScheduler(vertx,
          // its own connections, as the webhook relay has: breaches must not queue behind a burst of requests
          // for the shared pool (at 100 requests/s on a starved host they waited 5-20 s there)
          Database.pool(vertx, target, 2, timeouts, "jiesu-sla"), clock, TIMER_POLL, FIRE_BATCH, fired -> { }, registry);
      subscriber.channel(TimerStore.WAKE_CHANNEL).handler(payload -> scheduler.wake());
      subscriber.connect().onFailure(e -> LOG.warn("cannot LISTEN yet ({}); polling until it can", e.toString()));
      if (fire) {
        scheduler.start();
      } else {
        LOG.info("JIESU_SLA_SCHEDULER=false: this replica fires no deadlines; the others do");
      }
      return new Sla(engine, scheduler, feed, subscriber);
    }

    void stop() {
      scheduler.stop();
      feed.stop();
      engine.stop();
      subscriber.close();
    }
  }

  /** Fires every warning and breach due at the server clock's now (tests with a hand-moved clock). */
  public io.vertx.core.Future<Integer> fireDueTimers() {
    return sla.scheduler().fireDue();
  }

  /**
   * Every replica tries to chain audit entries five times a second; the advisory lock lets one at a time
   * do it, and a run never overlaps the previous one in this process.
   */
  private static void startChaining(Vertx vertx, AuditChainer chainer, DatabaseWatch watch) {
    AtomicBoolean running = new AtomicBoolean();
    vertx.setPeriodic(CHAIN_INTERVAL_MS, id -> {
      // while the database is away there is nothing to chain, and no reason to log it five times a second
      if (watch.reachable() && running.compareAndSet(false, true)) {
        chainer.chainAll()
            .onFailure(e -> {
              if (org.jiesu.platform.Problems.unavailable(e).isPresent()) {
                org.jiesu.platform.FaultLog.DATABASE.fault("audit chaining failed, the database is away: " + e.getMessage());
              } else {
                LOG.warn("audit chaining failed; it is retried", e);
              }
            })
            .onComplete(r -> running.set(false));
      }
    });
  }

  /**
   * A handler whose database answer comes after its request's deadline already answered 503 finds the
   * response gone; that is expected, not an error worth a stack trace.
   */
  private static void unhandled(Throwable t) {
    String message = String.valueOf(t.getMessage());
    if (t instanceof IllegalStateException && (message.contains("Response head already sent")
        || message.contains("Response has already been written") || message.contains("already ended"))) {
      LOG.debug("a late result found its response already sent", t);
      return;
    }
    LOG.error("Unhandled exception", t);
  }

  /** Chains every committed audit entry now (tests; graceful shut-down). */
  public io.vertx.core.Future<Integer> chainAudit() {
    return chainer.chainAll();
  }

  public static Server start(Config config, Clock clock) throws Exception {
    List<JsonObject> jwks = verificationKeys(config);
    Optional<EmbeddedDatabase> embedded = Optional.empty();
    String url;
    if (config.dbUrl().isPresent()) {
      url = config.dbUrl().get();
    } else if (!config.devMode()) {
      throw new IllegalStateException("no database configured: set JIESU_DB_URL (an embedded PostgreSQL runs only "
          + "in development mode)");
    } else {
      EmbeddedDatabase db = EmbeddedDatabase.start(config.dataDir(), true);
      embedded = Optional.of(db);
      if (!db.databaseExists(EMBEDDED_DATABASE)) {
        db.createDatabase(EMBEDDED_DATABASE);
      }
      url = db.url(EMBEDDED_DATABASE);
    }
    AutoCloseable gc = () -> { };
    java.util.concurrent.atomic.AtomicReference<Vertx> started = new java.util.concurrent.atomic.AtomicReference<>();
    try {
      Database.Target target = Database.Target.parse(url);
      Database.migrate(target);
      String latest = Database.latestKnownVersion(target);
      String contractText = classpathText(Api.CONTRACT);

      PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      gc = bindJvmMeters(registry);
      registry.config().meterFilter(vertxTimersAsHistograms());
      Vertx vertx = Vertx.builder()
          .with(new VertxOptions().setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true)
              .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true))))
          .withMetrics(new MicrometerMetricsFactory(registry))
          .build();
      started.set(vertx);
      vertx.exceptionHandler(Server::unhandled);
      Pool pool = Database.pool(vertx, target, config.dbPoolSize(), config.timeouts());
      DatabaseWatch watch = DatabaseWatch.start(vertx, Database.probe(vertx, target),
          config.timeouts().dbConnect());
      // token times are checked against the system clock, as vertx-auth-jwt checks exp: not the domain clock
      Authentication authentication = authentication(vertx, config, jwks);
      Health health = new Health(pool, latest);
      Sla sla = Sla.start(vertx, pool, target, clock, config.sla().scheduler(), registry, config.timeouts());
      int instances = Math.max(1, Runtime.getRuntime().availableProcessors());
      // parsed once, here, rather than on an event loop by each HTTP verticle
      Api.Parts parts = new Api.Parts(pool, authentication, clock, config, contractText,
          Contract.forValidation(contractText), health,
          PrometheusScrapingHandler.create(registry),
          RateLimiter.perClient(config.rateLimitPerMinute(), config.machineRateLimitPerMinute(), System::nanoTime),
          new Guards(watch, registry,
              new RateLimiter(config.rateLimitPerMinute(), java.time.Duration.ofMinutes(1), System::nanoTime),
              config.timeouts().request()),
          sla.engine(), sla.feed());
      vertx.deployVerticle(() -> new HttpServerVerticle(() -> Api.router(vertx, parts), config.httpPort(),
          config.httpIdleTimeout()),
          new DeploymentOptions().setInstances(instances))
          .await(60, TimeUnit.SECONDS);
      AuditChainer chainer = new AuditChainer(pool, clock, registry);
      startChaining(vertx, chainer, watch);
      // its own two connections: the relay must not queue behind a burst of requests for the shared pool
      org.jiesu.outbox.WebhookRelay relay = startRelay(vertx, Database.pool(vertx, target, 2, config.timeouts(), "jiesu-webhooks"), config,
          sla.subscriber(), registry);
      Server server = new Server(vertx, embedded, chainer, gc, sla, relay);
      LOG.info("jiesu listening on port {} ({} event-loop instances, database {})", config.httpPort(), instances,
          embedded.isPresent() ? "embedded in " + config.dataDir() : target.host() + ":" + target.port() + "/" + target.database());
      if (config.devMode()) {
        LOG.warn(devModeBanner(config.dataDir()));
      }
      return server;
    } catch (Exception e) {
      if (started.get() != null) {
        started.get().close(); // a failed start must not leave event-loop threads keeping the JVM up
      }
      embedded.ifPresent(EmbeddedDatabase::close);
      throw e;
    }
  }

  /** The webhook relay of this replica (every replica runs one): woken by the outbox's NOTIFY, polling as a safety net. */
  private static org.jiesu.outbox.WebhookRelay startRelay(Vertx vertx, Pool pool, Config config,
      PgSubscriber subscriber, io.micrometer.core.instrument.MeterRegistry registry) {
    org.jiesu.outbox.WebhookRelay relay = new org.jiesu.outbox.WebhookRelay(vertx, pool,
        new org.jiesu.outbox.SafeAddress(vertx, org.jiesu.outbox.Destinations.parse(config.webhooks().allow())),
        new org.jiesu.outbox.RetrySchedule(config.webhooks().retrySchedule(), () -> java.util.concurrent.ThreadLocalRandom.current().nextDouble()),
        config.webhooks().timeout(), WEBHOOK_POLL, WEBHOOK_IN_FLIGHT, registry);
    subscriber.channel(org.jiesu.outbox.OutboxStore.CHANNEL).handler(payload -> relay.wake());
    relay.start();
    return relay;
  }

  private static final java.time.Duration WEBHOOK_POLL = java.time.Duration.ofSeconds(1);
  private static final int WEBHOOK_IN_FLIGHT = 128;

  /**
   * The token command signs with the key in its own JIESU_DATA_DIR: a shell with another (or none, so
   * ./.jiesu relative to another folder) mints tokens this server refuses. Say the exact one.
   */
  static String devModeBanner(Path dataDir) {
    return "DEVELOPMENT MODE: JWT keys were made by this server in " + dataDir + " and are not for production. "
        + "Mint a token with the same data folder: JIESU_DATA_DIR=" + dataDir
        + " java -jar target/jiesu.jar token --role HOTLINE";
  }

  /**
   * Vert.x's HTTP, pool and SQL timers publish buckets (_bucket series) rather than client-side quantiles,
   * which cannot be aggregated across replicas. (Vert.x's own publishQuantiles switch would change our
   * timers too, and the bench reads the audit lag's quantiles.)
   */
  private static io.micrometer.core.instrument.config.MeterFilter vertxTimersAsHistograms() {
    return new io.micrometer.core.instrument.config.MeterFilter() {
      @Override
      public io.micrometer.core.instrument.distribution.DistributionStatisticConfig configure(
          io.micrometer.core.instrument.Meter.Id id,
          io.micrometer.core.instrument.distribution.DistributionStatisticConfig config) {
        if (id.getName().startsWith("vertx.") && id.getType() == io.micrometer.core.instrument.Meter.Type.TIMER) {
          return io.micrometer.core.instrument.distribution.DistributionStatisticConfig.builder()
              .percentilesHistogram(true).build().merge(config);
        }
        return config;
      }
    };
  }

  /** Memory, GC, threads, classes, JIT compilation time, CPU, uptime and file descriptors of this process. */
  private static AutoCloseable bindJvmMeters(io.micrometer.core.instrument.MeterRegistry registry) {
    new io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics().bindTo(registry);
    new io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics().bindTo(registry);
    var gc = new io.micrometer.core.instrument.binder.jvm.JvmGcMetrics();
    gc.bindTo(registry);
    new io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics().bindTo(registry);
    new io.micrometer.core.instrument.binder.jvm.JvmCompilationMetrics().bindTo(registry);
    new io.micrometer.core.instrument.binder.system.ProcessorMetrics().bindTo(registry);
    new io.micrometer.core.instrument.binder.system.UptimeMetrics().bindTo(registry);
    new io.micrometer.core.instrument.binder.system.FileDescriptorMetrics().bindTo(registry);
    return gc; // it listens to GC notifications until closed
  }

  /**
   * The verifier over the configured keys. With a JWKS URL its keys are fetched now (a server that cannot
   * load them does not start) and kept fresh: periodically, and when a token names an unknown kid.
   */
  static Authentication authentication(Vertx vertx, Config config, List<JsonObject> fileKeys) throws Exception {
    if (config.jwksUrl().isEmpty()) {
      return new Authentication(vertx, fileKeys, config.jwtIssuer(), config.jwtAudience(), config.jwtMaxLifetime(),
          Clock.systemUTC());
    }
    Config.JwksUrl source = config.jwksUrl().get();
    java.util.concurrent.atomic.AtomicReference<Authentication> verifier = new java.util.concurrent.atomic.AtomicReference<>();
    RemoteKeys remote = new RemoteKeys(vertx, source.url(), fileKeys, source.minInterval(), System::nanoTime, keys -> {
      if (verifier.get() != null) {
        verifier.get().replaceKeys(keys);
      }
    });
    try {
      remote.refresh().await(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("cannot load the keys at JIESU_JWT_JWKS_URL " + source.url() + ": "
          + e.getMessage());
    }
    verifier.set(new Authentication(vertx, remote.keys(), config.jwtIssuer(), config.jwtAudience(),
        config.jwtMaxLifetime(), Clock.systemUTC(), remote::unknownKid));
    remote.start(source.refresh());
    return verifier.get();
  }

  /** Keys come only from configuration; only development mode may make its own. */
  static List<JsonObject> verificationKeys(Config config) {
    if (config.jwks().isPresent()) {
      return Keys.readJwks(config.jwks().get());
    }
    if (config.jwksUrl().isPresent()) {
      return List.of(); // fetched once Vert.x runs
    }
    if (!config.devMode()) {
      throw new IllegalStateException("no JWT verification key configured: set JIESU_JWT_JWKS to a JWKS file "
          + "or JIESU_JWT_JWKS_URL to the identity provider's key set "
          + "(or JIESU_DEV_MODE=true for a development server with self-made keys)");
    }
    Path jwks = Keys.ensureDevKeys(config.dataDir());
    return Keys.readJwks(jwks);
  }

  /** Graceful: stop accepting, finish requests in flight, close the pool, then the embedded database. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      // stop taking requests (those in flight finish), then chain what they recorded, then close the pool
      for (String deployment : vertx.deploymentIDs()) {
        vertx.undeploy(deployment).await(30, TimeUnit.SECONDS);
      }
      sla.stop();
      relay.stop();
      chainer.chainAll().await(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.warn("shut-down was not clean; audit entries left unchained are chained at the next start", e);
    }
    try {
      vertx.close().await(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.warn("Vert.x did not close cleanly", e);
    }
    embedded.ifPresent(EmbeddedDatabase::close);
    try {
      gcMeters.close();
    } catch (Exception ignored) {
      // only stops listening to GC notifications
    }
    LOG.info("jiesu stopped");
  }

  static String classpathText(String resource) throws IOException {
    try (InputStream in = Server.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IOException("missing resource " + resource);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
