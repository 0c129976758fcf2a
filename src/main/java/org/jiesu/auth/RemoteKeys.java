package org.jiesu.auth;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Verification keys published by an identity provider at a JWKS URL, so keys rotate without a restart. The
 * set is fetched at start (no keys, no start), again every {@code period}, and again when a token names a
 * {@code kid} the set does not hold — but never more often than once per {@code minInterval}, however many
 * such tokens arrive (unknown kids are free for anyone to send), and with one fetch in flight at a time. A
 * fetch that fails or serves nothing usable keeps the keys in force. When the set changes, {@code onChange}
 * gets the new keys (the file's keys, if any, come along).
 */
public final class RemoteKeys {

  private static final Logger LOG = LoggerFactory.getLogger(RemoteKeys.class);
  static final int MAX_BYTES = 512 * 1024;
  private static final int TIMEOUT_MS = 5000;

  private final Vertx vertx;
  private final HttpClient http;
  /**
   * Where every fetch runs, whoever starts it. Started on a thread of no context (the server's start, a
   * test), a fetch's continuations ran on whichever thread got there first, and now and then one hung until
   * the 10 s bound though neither its connect nor its idle timeout fired: JwksRotationTest failed in about
   * one run of four, at the session-start commit too. The likely race: the response ended on the event loop
   * before the starting thread asked for its body. Measured after this change: 25 runs of the class, no
   * hung fetch (before: 4 of 12 runs had one, and a clean-clone CI run failed on it); no test reproduces it
   * on demand.
   */
  private final io.vertx.core.Context context;
  private final URI url;
  private final List<JsonObject> fixed;
  private final Duration minInterval;
  private final LongSupplier nanoTime;
  private final Consumer<List<JsonObject>> onChange;
  private volatile List<JsonObject> served = List.of();
  private Future<Boolean> inFlight;
  private long lastFetch;
  private boolean fetched;
  private long periodic = -1;
  private long fetches;

  public RemoteKeys(Vertx vertx, URI url, List<JsonObject> fixed, Duration minInterval, LongSupplier nanoTime,
      Consumer<List<JsonObject>> onChange) {
    if (!"https".equals(url.getScheme()) && !"http".equals(url.getScheme())) {
      throw new IllegalArgumentException("JIESU_JWT_JWKS_URL must be an http(s) URL, got " + url);
    }
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.http = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout(TIMEOUT_MS).setKeepAlive(false));
    this.url = url;
    this.fixed = List.copyOf(fixed);
    this.minInterval = minInterval;
    this.nanoTime = nanoTime;
    this.onChange = onChange;
  }

  /** The keys in force: the file's and the URL's. */
  public List<JsonObject> keys() {
    List<JsonObject> all = new ArrayList<>(fixed);
    all.addAll(served);
    return all;
  }

  /** How many fetches were made (tests, logs). */
  public synchronized long fetches() {
    return fetches;
  }

  /** Fetches now, whatever the rate; true when the set changed. Fails when nothing usable was served. */
  public synchronized Future<Boolean> refresh() {
    if (inFlight != null) {
      return inFlight;
    }
    fetches++;
    lastFetch = nanoTime.getAsLong();
    fetched = true;
    // a fetch that never ends would hold inFlight for ever and stop every later refresh: bound it
    Future<Boolean> f = fetch().timeout(2L * TIMEOUT_MS, java.util.concurrent.TimeUnit.MILLISECONDS).map(this::adopt);
    inFlight = f;
    f.onComplete(r -> {
      synchronized (this) {
        inFlight = null;
      }
      if (r.failed()) {
        LOG.warn("JWKS refresh from {} failed; the keys in force stay: {}", url, r.cause().getMessage());
      }
    });
    return f;
  }

  /** A token named a kid the set lacks: fetch, unless the last fetch is more recent than the bound allows. */
  public synchronized Future<Boolean> unknownKid(String kid) {
    if (inFlight != null) {
      return inFlight;
    }
    if (fetched && nanoTime.getAsLong() - lastFetch < minInterval.toNanos()) {
      return Future.succeededFuture(false);
    }
    LOG.info("a token names kid {} that the key set lacks; fetching {}", kid, url);
    return refresh();
  }

  /** Refreshes every {@code period} from now on. */
  public synchronized void start(Duration period) {
    periodic = vertx.setPeriodic(period.toMillis(), id -> refresh());
  }

  public synchronized void stop() {
    if (periodic >= 0) {
      vertx.cancelTimer(periodic);
    }
    http.close();
  }

  private boolean adopt(List<JsonObject> keys) {
    if (keys.equals(served)) {
      return false;
    }
    boolean first = served.isEmpty();
    List<JsonObject> all = new ArrayList<>(fixed);
    all.addAll(keys);
    onChange.accept(all); // a key the verifier cannot use throws here, and the keys in force stay
    served = List.copyOf(keys);
    if (!first) {
      LOG.info("JWKS at {} changed: {} keys now (kids {})", url, keys.size(), kids(keys));
    }
    return true;
  }

  private Future<List<JsonObject>> fetch() {
    io.vertx.core.Promise<List<JsonObject>> fetched = io.vertx.core.Promise.promise();
    context.runOnContext(v -> fetchHere().onComplete(fetched));
    return fetched.future();
  }

  private Future<List<JsonObject>> fetchHere() {
    RequestOptions request = new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(url.toString())
        .setSsl("https".equals(url.getScheme())).setIdleTimeout(TIMEOUT_MS).putHeader("Accept", "application/json");
    return http.request(request)
        .compose(req -> req.send())
        .compose(resp -> {
          if (resp.statusCode() != 200) {
            return Future.failedFuture("HTTP " + resp.statusCode());
          }
          String length = resp.getHeader("Content-Length");
          if (length != null && length.matches("\\d{1,12}") && Long.parseLong(length) > MAX_BYTES) {
            return Future.failedFuture("the key set is larger than " + MAX_BYTES + " bytes");
          }
          return resp.body();
        })
        .compose(body -> {
          if (body.length() > MAX_BYTES) {
            return Future.failedFuture("the key set is larger than " + MAX_BYTES + " bytes");
          }
          try {
            return Future.succeededFuture(parse(body.toString()));
          } catch (RuntimeException e) {
            return Future.failedFuture(e.getMessage());
          }
        });
  }

  /** The public signing keys of a JWKS document; refuses private keys and an empty set. */
  static List<JsonObject> parse(String text) {
    JsonArray keys;
    try {
      keys = new JsonObject(text).getJsonArray("keys");
    } catch (RuntimeException e) {
      throw new IllegalStateException("not a JSON object with a keys array");
    }
    List<JsonObject> out = new ArrayList<>();
    for (Object k : keys == null ? new JsonArray() : keys) {
      if (k instanceof JsonObject key && key.getValue("kty") instanceof String
          && !"enc".equals(key.getValue("use"))) {
        if (key.containsKey("d")) {
          throw new IllegalStateException("the key set holds a private key");
        }
        out.add(key);
      }
    }
    if (out.isEmpty()) {
      throw new IllegalStateException("the key set holds no signing keys");
    }
    return out;
  }

  private static List<Object> kids(List<JsonObject> keys) {
    return keys.stream().map(k -> k.getValue("kid")).toList();
  }
}
