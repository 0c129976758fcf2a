package org.jiesu.platform;

import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.PlatformHandler;
import io.vertx.openapi.contract.OpenAPIContract;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** What every request gets before it is routed (a platform handler: it runs first), and the methods a path allows. */
public final class Requests implements PlatformHandler {

  private static final List<HttpMethod> METHODS =
      List.of(HttpMethod.GET, HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH, HttpMethod.DELETE);

  /**
   * HEAD is served as the GET it asks about (Vert.x sends the GET's headers and drops the body, over
   * HTTP/1.1 and HTTP/2 alike); a query string that is not correctly percent-encoded is a 400 before any
   * handler reads it; and no answer under /api may be cached, since most carry personal data (tickets,
   * callers, their requests) and the rest are cheap to ask again.
   */
  @Override
  public void handle(RoutingContext ctx) {
    if (ctx.request().method() == HttpMethod.HEAD) {
      ctx.reroute(HttpMethod.GET, ctx.request().uri());
      return;
    }
    // Vert.x decodes leniently ("%" stays "%", a broken UTF-8 sequence becomes U+FFFD), so a client and this
    // server could read one value two ways: refuse what does not decode exactly
    if (!wellEncoded(ctx.request().path())) {
      ctx.fail(Problem.badRequest("the path is not correctly percent-encoded UTF-8"));
      return;
    }
    if (ctx.request().query() != null && !wellEncoded(ctx.request().query())) {
      ctx.fail(Problem.badRequest("the query string is not correctly percent-encoded UTF-8"));
      return;
    }
    if (ctx.request().path().startsWith("/api/")) {
      ctx.response().putHeader("Cache-Control", "no-store");
    }
    ctx.next();
  }

  /** Every "%" starts two hex digits, and the bytes they spell are UTF-8. */
  static boolean wellEncoded(String raw) {
    if (raw.indexOf('%') < 0) {
      return true;
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c != '%') {
        byte[] literal = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
        bytes.write(literal, 0, literal.length);
        continue;
      }
      int hi = i + 1 < raw.length() ? Character.digit(raw.charAt(i + 1), 16) : -1;
      int lo = i + 2 < raw.length() ? Character.digit(raw.charAt(i + 2), 16) : -1;
      if (hi < 0 || lo < 0) {
        return false;
      }
      bytes.write(hi * 16 + lo);
      i += 2;
    }
    try {
      StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes.toByteArray()));
      return true;
    } catch (CharacterCodingException e) {
      return false;
    }
  }

  /** The value of an {@code Allow} header for a path of the contract: its methods, HEAD with GET. */
  public static String allow(OpenAPIContract contract, String path) {
    List<String> allowed = new ArrayList<>();
    for (HttpMethod m : METHODS) {
      if (contract.findOperation(path, m) != null) {
        allowed.add(m.name());
        if (m == HttpMethod.GET) {
          allowed.add(HttpMethod.HEAD.name());
        }
      }
    }
    return String.join(", ", allowed);
  }
}
