package org.jiesu.platform;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything a deployment sets, read once from the environment. Nothing else in the code reads the
 * environment, so a test can build a Config by hand.
 */
public record Config(
    Path dataDir,
    int httpPort,
    Optional<String> dbUrl,
    int dbPoolSize,
    Optional<Path> jwks,
    Optional<JwksUrl> jwksUrl,
    String jwtIssuer,
    String jwtAudience,
    Duration jwtMaxLifetime,
    boolean devMode,
    long bodyLimitBytes,
    Duration returnWindow,
    Duration extensionCap,
    int rateLimitPerMinute,
    int machineRateLimitPerMinute,
    // intake statements each event loop keeps running at once; intakes that find them busy wait and go
    // together in the next (IntakeBatches)
    int intakeStatements,
    Timeouts timeouts,
    Sla sla,
    // the JIESU_CREDIT_* settings as given; the credit feature reads and checks them (CreditRules.from)
    Map<String, String> credit,
    Webhooks webhooks) {

  public static final long DEFAULT_BODY_LIMIT = 1024 * 1024;

  public Config {
    if (intakeStatements < 1) {
      throw new IllegalArgumentException("JIESU_INTAKE_STATEMENTS must be at least 1, got " + intakeStatements);
    }
  }

  /**
   * Keys published by an identity provider: fetched at start, every {@code refresh}, and when a token names an
   * unknown kid, but not more often than once per {@code minInterval}.
   */
  public record JwksUrl(java.net.URI url, Duration refresh, Duration minInterval) {
    static Optional<JwksUrl> from(Map<String, String> env) {
      return opt(env, "JIESU_JWT_JWKS_URL").map(u -> {
        java.net.URI uri;
        try {
          uri = new java.net.URI(u);
        } catch (java.net.URISyntaxException e) {
          throw new IllegalArgumentException("JIESU_JWT_JWKS_URL is not a URL: '" + u + "'");
        }
        if (!("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) || uri.getHost() == null) {
          throw new IllegalArgumentException("JIESU_JWT_JWKS_URL must be an http(s) URL with a host, got '" + u + "'");
        }
        return new JwksUrl(uri, durationOf(env, "JIESU_JWT_JWKS_REFRESH", Duration.ofMinutes(5)),
            durationOf(env, "JIESU_JWT_JWKS_MIN_INTERVAL", Duration.ofSeconds(30)));
      });
    }
  }

  /**
   * Deadlines that keep a dead or frozen database from holding requests (the whole request, opening a
   * database connection, waiting for one from the pool), and how long an idle keep-alive connection stays.
   */
  public record Timeouts(Duration request, Duration dbConnect, Duration dbAcquire, Duration httpIdle) {
    /** The defaults: for tools and tests that make a pool of their own. */
    public static Timeouts defaults() {
      return from(Map.of());
    }

    static Timeouts from(Map<String, String> env) {
      return new Timeouts(durationOf(env, "JIESU_REQUEST_TIMEOUT", Duration.ofSeconds(10)),
          durationOf(env, "JIESU_DB_CONNECT_TIMEOUT", Duration.ofSeconds(5)),
          durationOf(env, "JIESU_DB_ACQUIRE_TIMEOUT", Duration.ofSeconds(5)),
          // a keep-alive connection that carries no request for this long is closed
          durationOf(env, "JIESU_HTTP_IDLE_TIMEOUT", Duration.ofSeconds(60)));
    }
  }

  /**
   * The SLA engine: whether this replica fires deadlines (every replica does by default; one that serves
   * only reads and streams may leave it to the others), and the extension cap in working days.
   */
  public record Sla(boolean scheduler, int extensionCapWorkingDays) {
    static Sla from(Map<String, String> env) {
      int cap = intOf(env, "JIESU_SLA_EXTENSION_CAP_DAYS", 10);
      if (cap < 0 || cap > 366) {
        throw new IllegalArgumentException("JIESU_SLA_EXTENSION_CAP_DAYS must be from 0 to 366, got " + cap);
      }
      return new Sla(opt(env, "JIESU_SLA_SCHEDULER").map(Boolean::parseBoolean).orElse(true), cap);
    }
  }

  /**
   * Webhooks (issue 12): the delay before each delivery attempt (the first is usually immediate; past the
   * last the event is a dead letter), hosts and CIDRs that may be plain http or non-public, the deadline of
   * one attempt, and the optional shared secret intake must be signed with (Standard Webhooks).
   */
  public record Webhooks(List<Duration> retrySchedule, String allow, Duration timeout, Optional<String> intakeSecret) {
    public static final String DEFAULT_SCHEDULE = "PT0S,PT5S,PT5M,PT30M,PT2H,PT5H,PT10H,PT14H,PT20H,PT24H";

    public Webhooks {
      retrySchedule = List.copyOf(retrySchedule);
      if (retrySchedule.isEmpty() || retrySchedule.stream().anyMatch(Duration::isNegative)) {
        throw new IllegalArgumentException("JIESU_WEBHOOK_RETRY_SCHEDULE must list at least one duration, none negative");
      }
      if (intakeSecret.isPresent() && !intakeSecret.get().startsWith("whsec_")) {
        throw new IllegalArgumentException("JIESU_INTAKE_SIGNING_SECRET must be a whsec_ secret (whsec_ + base64)");
      }
    }

    static Webhooks from(Map<String, String> env) {
      List<Duration> schedule = new java.util.ArrayList<>();
      for (String d : opt(env, "JIESU_WEBHOOK_RETRY_SCHEDULE").orElse(DEFAULT_SCHEDULE).split(",")) {
        try {
          schedule.add(Duration.parse(d.trim()));
        } catch (java.time.format.DateTimeParseException e) {
          throw new IllegalArgumentException("JIESU_WEBHOOK_RETRY_SCHEDULE must be comma-separated ISO-8601 "
              + "durations such as PT0S,PT5S,PT5M, got '" + d.trim() + "'");
        }
      }
      return new Webhooks(schedule, opt(env, "JIESU_WEBHOOK_ALLOW").orElse(""),
          durationOf(env, "JIESU_WEBHOOK_TIMEOUT", Duration.ofSeconds(15)), opt(env, "JIESU_INTAKE_SIGNING_SECRET"));
    }
  }

  /** The idle timeout of keep-alive HTTP connections. */
  public Duration httpIdleTimeout() {
    return timeouts.httpIdle();
  }

  public Config withHttpIdleTimeout(Duration idle) {
    return withTimeouts(new Timeouts(timeouts.request(), timeouts.dbConnect(), timeouts.dbAcquire(), idle));
  }

  public static Config fromEnvironment() {
    return from(System.getenv());
  }

  public static Config from(Map<String, String> env) {
    Optional<String> dbUrl = opt(env, "JIESU_DB_URL");
    Optional<Path> jwks = opt(env, "JIESU_JWT_JWKS").map(Path::of);
    Optional<JwksUrl> jwksUrl = JwksUrl.from(env);
    // Development mode is explicit, or implied by running with nothing configured at all (the
    // "one command on a fresh machine" case). A configured database without keys is a deployment
    // mistake and must not silently fall back to self-made keys.
    boolean devMode = opt(env, "JIESU_DEV_MODE").map(Boolean::parseBoolean)
        .orElse(dbUrl.isEmpty() && jwks.isEmpty() && jwksUrl.isEmpty());
    return new Config(
        Path.of(opt(env, "JIESU_DATA_DIR").orElse(".jiesu")).toAbsolutePath(),
        intOf(env, "JIESU_HTTP_PORT", 8080),
        dbUrl,
        intOf(env, "JIESU_DB_POOL_SIZE", 16),
        jwks,
        jwksUrl,
        opt(env, "JIESU_JWT_ISSUER").orElse("jiesu"),
        opt(env, "JIESU_JWT_AUDIENCE").orElse("jiesu-api"),
        opt(env, "JIESU_JWT_MAX_LIFETIME").map(Duration::parse).orElse(Duration.ofDays(1)),
        devMode,
        DEFAULT_BODY_LIMIT,
        opt(env, "JIESU_RETURN_WINDOW").map(Duration::parse).orElse(Duration.ofHours(24)),
        // an outer bound in natural time; the cap that counts is the SLA engine's, in working days
        // (JIESU_SLA_EXTENSION_CAP_DAYS): 10 working days across a holiday week exceed 14 natural days
        opt(env, "JIESU_EXTENSION_CAP").map(Duration::parse).orElse(Duration.ofDays(60)),
        intOf(env, "JIESU_RATE_LIMIT", 1200),
        // the hotline platform sends every citizen call through one token: its own, far larger budget
        intOf(env, "JIESU_RATE_LIMIT_MACHINE", 300_000),
        intOf(env, "JIESU_INTAKE_STATEMENTS", 1),
        Timeouts.from(env),
        Sla.from(env),
        prefixed(env, "JIESU_CREDIT_"),
        Webhooks.from(env));
  }






  // Copies with one setting changed (tests and tools): each goes through Copy, the one place besides the
  // constructor that lists every component, so a new setting is added there and nowhere else.
  public Config withHttpPort(int port) {
    return copy(c -> c.httpPort = port);
  }

  public Config withRateLimit(int perMinute) {
    return copy(c -> c.rateLimitPerMinute = perMinute);
  }

  public Config withIntakeStatements(int perEventLoop) {
    return copy(c -> c.intakeStatements = perEventLoop);
  }

  public Config withMachineRateLimit(int perMinute) {
    return copy(c -> c.machineRateLimitPerMinute = perMinute);
  }

  public Config withDbUrl(String url) {
    return copy(c -> c.dbUrl = Optional.of(url));
  }

  /** Keys from a JWKS file: no longer development mode. */
  public Config withJwks(Path path) {
    return copy(c -> {
      c.jwks = Optional.of(path);
      c.devMode = false;
    });
  }

  /** Keys from a JWKS URL (besides the file's, if any): no longer development mode. */
  public Config withJwksUrl(JwksUrl url) {
    return copy(c -> {
      c.jwksUrl = Optional.of(url);
      c.devMode = false;
    });
  }

  public Config withTimeouts(Timeouts t) {
    return copy(c -> c.timeouts = t);
  }

  public Config withSla(Sla s) {
    return copy(c -> c.sla = s);
  }

  public Config withWebhooks(Webhooks w) {
    return copy(c -> c.webhooks = w);
  }

  private Config copy(java.util.function.Consumer<Copy> change) {
    Copy c = new Copy(this);
    change.accept(c);
    return c.build();
  }

  private static final class Copy {
    Path dataDir;
    int httpPort;
    Optional<String> dbUrl;
    int dbPoolSize;
    Optional<Path> jwks;
    Optional<JwksUrl> jwksUrl;
    String jwtIssuer;
    String jwtAudience;
    Duration jwtMaxLifetime;
    boolean devMode;
    long bodyLimitBytes;
    Duration returnWindow;
    Duration extensionCap;
    int rateLimitPerMinute;
    int machineRateLimitPerMinute;
    int intakeStatements;
    Timeouts timeouts;
    Sla sla;
    Map<String, String> credit;
    Webhooks webhooks;

    Copy(Config c) {
      dataDir = c.dataDir;
      httpPort = c.httpPort;
      dbUrl = c.dbUrl;
      dbPoolSize = c.dbPoolSize;
      jwks = c.jwks;
      jwksUrl = c.jwksUrl;
      jwtIssuer = c.jwtIssuer;
      jwtAudience = c.jwtAudience;
      jwtMaxLifetime = c.jwtMaxLifetime;
      devMode = c.devMode;
      bodyLimitBytes = c.bodyLimitBytes;
      returnWindow = c.returnWindow;
      extensionCap = c.extensionCap;
      rateLimitPerMinute = c.rateLimitPerMinute;
      machineRateLimitPerMinute = c.machineRateLimitPerMinute;
      intakeStatements = c.intakeStatements;
      timeouts = c.timeouts;
      sla = c.sla;
      credit = c.credit;
      webhooks = c.webhooks;
    }

    Config build() {
      return new Config(dataDir, httpPort, dbUrl, dbPoolSize, jwks, jwksUrl, jwtIssuer, jwtAudience, jwtMaxLifetime,
          devMode, bodyLimitBytes, returnWindow, extensionCap, rateLimitPerMinute, machineRateLimitPerMinute,
          intakeStatements, timeouts, sla, credit, webhooks);
    }
  }

  private static Duration durationOf(Map<String, String> env, String name, Duration fallback) {
    Duration d = opt(env, name).map(v -> {
      try {
        return Duration.parse(v);
      } catch (java.time.format.DateTimeParseException e) {
        throw new IllegalArgumentException(name + " must be an ISO-8601 duration such as PT10S, got '" + v + "'");
      }
    }).orElse(fallback);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, got " + d);
    }
    return d;
  }

  private static Map<String, String> prefixed(Map<String, String> env, String prefix) {
    Map<String, String> out = new java.util.TreeMap<>();
    env.forEach((k, v) -> {
      if (k.startsWith(prefix)) {
        out.put(k, v);
      }
    });
    return Map.copyOf(out);
  }

  private static Optional<String> opt(Map<String, String> env, String name) {
    return Optional.ofNullable(env.get(name)).map(String::trim).filter(s -> !s.isEmpty());
  }

  private static int intOf(Map<String, String> env, String name, int fallback) {
    return opt(env, name).map(v -> {
      try {
        return Integer.parseInt(v);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(name + " must be a whole number, got '" + v + "'");
      }
    }).orElse(fallback);
  }
}
