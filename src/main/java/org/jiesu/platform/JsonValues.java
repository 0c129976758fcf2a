package org.jiesu.platform;

import io.vertx.core.json.JsonArray;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Small readers for request values that already passed the contract. */
public final class JsonValues {

  private JsonValues() {}

  /** The strings of an array, or none when it is absent. */
  public static List<String> strings(JsonArray array) {
    List<String> out = new ArrayList<>();
    if (array != null) {
      array.forEach(v -> out.add(String.valueOf(v)));
    }
    return out;
  }

  private static final java.util.regex.Pattern CANONICAL_UUID =
      java.util.regex.Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

  /**
   * An opaque id from a path or body, in the one form we hand out; anything else is simply not found
   * ({@code UUID.fromString} would also take "1-1-1-1-1").
   */
  public static Optional<UUID> uuid(String raw) {
    if (raw == null || !CANONICAL_UUID.matcher(raw).matches()) {
      return Optional.empty();
    }
    return Optional.of(UUID.fromString(raw));
  }

  /**
   * The JSON pointer of the first string (value or key) holding U+0000, which PostgreSQL cannot store in
   * text or jsonb; such input is refused as a client mistake before it reaches the database.
   */
  public static Optional<String> firstNul(Object json, String pointer) {
    if (json instanceof String text) {
      return text.indexOf('\u0000') >= 0 ? Optional.of(pointer) : Optional.empty();
    }
    if (json instanceof io.vertx.core.json.JsonObject object) {
      for (java.util.Map.Entry<String, Object> e : object) {
        String at = pointer + "/" + e.getKey();
        if (e.getKey().indexOf('\u0000') >= 0) {
          return Optional.of(at);
        }
        Optional<String> found = firstNul(e.getValue(), at);
        if (found.isPresent()) {
          return found;
        }
      }
    }
    if (json instanceof JsonArray array) {
      for (int i = 0; i < array.size(); i++) {
        Optional<String> found = firstNul(array.getValue(i), pointer + "/" + i);
        if (found.isPresent()) {
          return found;
        }
      }
    }
    return Optional.empty();
  }
}
