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

  /** An opaque id from a path or body; anything that is not one of ours is simply not found. */
  public static Optional<UUID> uuid(String raw) {
    try {
      return Optional.of(UUID.fromString(raw));
    } catch (IllegalArgumentException | NullPointerException e) {
      return Optional.empty();
    }
  }
}
