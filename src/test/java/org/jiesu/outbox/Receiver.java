package org.jiesu.outbox;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A webhook receiver for tests: a real Vert.x HTTP server. Each path has a behaviour, changeable while it
 * runs: answer a status, fail the first N attempts of each webhook-id, answer 410, 429 with Retry-After,
 * a redirect, or never answer. Every request is kept.
 */
final class Receiver implements AutoCloseable {

  /** One request as received, with the time it arrived. */
  record Received(String path, String id, String timestamp, String signature, String body, long nanos) {
    JsonObject json() {
      return new JsonObject(body);
    }
  }

  /** What a path answers to the n-th request (1-based) of one webhook-id; 0 never answers. */
  interface Behaviour {
    Answer answer(int nth);
  }

  record Answer(int status, Map<String, String> headers, long delayMs) {
    static Answer of(int status) {
      return new Answer(status, Map.of(), 0);
    }
  }

  static Behaviour ok() {
    return n -> Answer.of(204);
  }

  static Behaviour failing(int times) {
    return n -> Answer.of(n <= times ? 500 : 200);
  }

  private final Vertx vertx = Vertx.vertx();
  private final HttpServer server;
  final ConcurrentLinkedQueue<Received> received = new ConcurrentLinkedQueue<>();
  private final Map<String, Behaviour> behaviours = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();

  Receiver() throws Exception {
    server = vertx.createHttpServer().requestHandler(this::handle).listen(0).await(10, TimeUnit.SECONDS);
  }

  int port() {
    return server.actualPort();
  }

  String url(String path) {
    return "http://localhost:" + port() + path;
  }

  void on(String path, Behaviour b) {
    behaviours.put(path, b);
  }

  List<Received> at(String path) {
    return received.stream().filter(r -> r.path().equals(path)).toList();
  }

  private void handle(HttpServerRequest req) {
    req.body().onSuccess(buf -> {
      String id = req.getHeader("webhook-id");
      received.add(new Received(req.path(), id, req.getHeader("webhook-timestamp"), req.getHeader("webhook-signature"),
          buf.toString(StandardCharsets.UTF_8), System.nanoTime()));
      int nth = counts.computeIfAbsent(req.path() + " " + id, k -> new AtomicInteger()).incrementAndGet();
      Answer a = behaviours.getOrDefault(req.path(), ok()).answer(nth);
      if (a.status() == 0) {
        return; // hang: never answer
      }
      Runnable respond = () -> {
        a.headers().forEach(req.response()::putHeader);
        req.response().setStatusCode(a.status()).end("answer " + a.status());
      };
      if (a.delayMs() > 0) {
        vertx.setTimer(a.delayMs(), t -> respond.run());
      } else {
        respond.run();
      }
    });
  }

  /**
   * Standard Webhooks verification written from the specification, independently of the server's code:
   * the key is the base64 after {@code whsec_}; the signed content is {@code id.timestamp.body}; the header
   * lists space-separated {@code v1,<base64 HMAC-SHA256>} entries, any of which may match.
   */
  static boolean verifies(String secret, Received r) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring("whsec_".length())), "HmacSHA256"));
      String expected = Base64.getEncoder().encodeToString(
          mac.doFinal((r.id() + "." + r.timestamp() + "." + r.body()).getBytes(StandardCharsets.UTF_8)));
      for (String part : r.signature().split(" ")) {
        String[] versioned = part.split(",", 2);
        if (versioned.length == 2 && versioned[0].equals("v1") && versioned[1].equals(expected)) {
          return true;
        }
      }
      return false;
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Override
  public void close() {
    try {
      vertx.close().await(10, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException(e);
    }
  }
}
