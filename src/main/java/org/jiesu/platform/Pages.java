package org.jiesu.platform;

import io.vertx.core.MultiMap;
import io.vertx.ext.web.RoutingContext;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * Cursor pagination shared by every list: {@code limit} (1–200, default 50), an opaque {@code cursor}, and
 * a {@code next} link that repeats the request's filters.
 */
public final class Pages {

  public static final int DEFAULT_LIMIT = 50;
  public static final int MAX_LIMIT = 200;

  private Pages() {}

  public static int limit(RoutingContext ctx) {
    String raw = ctx.request().getParam("limit");
    if (raw == null) {
      return DEFAULT_LIMIT;
    }
    try {
      int limit = Integer.parseInt(raw);
      if (limit >= 1 && limit <= MAX_LIMIT) {
        return limit;
      }
    } catch (NumberFormatException ignored) {
      // reported below
    }
    throw Problem.invalid("limit", "must be a whole number from 1 to " + MAX_LIMIT);
  }

  /** The decoded cursor, if any; a cursor we did not make is a 400. */
  public static Optional<String> cursor(RoutingContext ctx) {
    String raw = ctx.request().getParam("cursor");
    if (raw == null || raw.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(new String(Base64.getUrlDecoder().decode(raw), StandardCharsets.UTF_8));
    } catch (IllegalArgumentException e) {
      throw Problem.invalid("cursor", "is not a cursor this server handed out");
    }
  }

  /** The same request with the cursor moved past {@code position}. */
  public static String nextLink(RoutingContext ctx, String position) {
    String cursor = Base64.getUrlEncoder().withoutPadding()
        .encodeToString(position.getBytes(StandardCharsets.UTF_8));
    StringBuilder link = new StringBuilder(ctx.request().path()).append("?");
    MultiMap params = ctx.queryParams();
    for (String name : params.names()) {
      if (name.equals("cursor")) {
        continue;
      }
      for (String value : params.getAll(name)) {
        link.append(encode(name)).append('=').append(encode(value)).append('&');
      }
    }
    return link.append("cursor=").append(cursor).toString();
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
