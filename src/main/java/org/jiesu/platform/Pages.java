package org.jiesu.platform;

import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * Cursor pagination shared by every list: {@code limit} (1–200, default 50), an opaque {@code cursor}, and
 * a {@code next} link that repeats the request's filters.
 *
 * <p>One codec for every cursor: base64url of the list's name and the position's values. A cursor is
 * checked before it reaches a query: it must decode, name the list it is given to, hold as many values as
 * that list's position, and each value must read as its type (times within {@link Times}' range). Anything
 * else is a 400 naming {@code cursor}.
 */
public final class Pages {

  public static final int DEFAULT_LIMIT = 50;
  public static final int MAX_LIMIT = 200;
  private static final String SEPARATOR = "\n";

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

  /** Where the page asked for starts, if a cursor was given: after this position of list {@code list}. */
  public static Optional<Position> after(RoutingContext ctx, String list, int values) {
    String raw = ctx.request().getParam("cursor");
    if (raw == null || raw.isEmpty()) {
      return Optional.empty();
    }
    String decoded;
    try {
      decoded = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(Base64.getUrlDecoder().decode(raw))).toString();
    } catch (IllegalArgumentException | CharacterCodingException e) {
      throw bad();
    }
    String[] parts = decoded.split(SEPARATOR, -1);
    if (parts.length != values + 1 || !parts[0].equals(list)) {
      throw bad();
    }
    return Optional.of(new Position(Arrays.asList(parts).subList(1, parts.length)));
  }

  /**
   * Answers a list from rows fetched with {@code limit + 1}: the first {@code limit} as items, and when the
   * extra row came, a next link after the last item shown.
   */
  public static <T> void respond(RoutingContext ctx, String list, List<T> rows, int limit,
      Function<T, JsonObject> item, Function<T, List<?>> position) {
    JsonArray items = new JsonArray();
    rows.stream().limit(limit).forEach(r -> items.add(item.apply(r)));
    String next = rows.size() > limit ? nextLink(ctx, cursor(list, position.apply(rows.get(limit - 1)))) : null;
    Responses.ok(ctx, new JsonObject().put("items", items).put("next", next));
  }

  static String cursor(String list, List<?> values) {
    StringBuilder text = new StringBuilder(list);
    for (Object v : values) {
      text.append(SEPARATOR).append(v);
    }
    return Base64.getUrlEncoder().withoutPadding().encodeToString(text.toString().getBytes(StandardCharsets.UTF_8));
  }

  /** The same request with the cursor replaced. */
  private static String nextLink(RoutingContext ctx, String cursor) {
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

  private static Problem bad() {
    return Problem.invalid("cursor", "is not a cursor this server handed out for this list");
  }

  /** The values of a position, read by type; a value that does not read is a cursor we did not make. */
  public static final class Position {
    private final List<String> values;

    private Position(List<String> values) {
      this.values = values;
    }

    public String text(int i) {
      return values.get(i);
    }

    public long number(int i) {
      try {
        return Long.parseLong(values.get(i));
      } catch (NumberFormatException e) {
        throw bad();
      }
    }

    public int integer(int i) {
      try {
        return Integer.parseInt(values.get(i));
      } catch (NumberFormatException e) {
        throw bad();
      }
    }

    public Instant instant(int i) {
      try {
        Instant at = Instant.parse(values.get(i));
        if (Times.inRange(at)) {
          return at;
        }
      } catch (DateTimeParseException e) {
        // reported below
      }
      throw bad();
    }

    public UUID uuid(int i) {
      return JsonValues.uuid(values.get(i)).orElseThrow(Pages::bad);
    }
  }
}
