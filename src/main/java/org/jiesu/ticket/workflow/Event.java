package org.jiesu.ticket.workflow;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.jiesu.auth.Actor;

/**
 * One step in the ticket's timeline (DESIGN §2: who, when, what, why). Who and when are the actor and the
 * instant the caller passed to the action. {@code details} keeps insertion order and holds plain values —
 * String, Boolean, Integer, enum, UUID, Instant, Duration or lists of them — that the storage layer turns
 * into JSON (Instant and Duration as ISO-8601 text). Absent optional values are left out, never null.
 */
public record Event(String type, int round, Actor actor, Instant at, Map<String, Object> details) {

  public static final String DISPATCHED = "DISPATCHED";
  public static final String SIGNED = "SIGNED";
  public static final String CONTACTED = "CONTACTED";
  public static final String NOTE_ADDED = "NOTE_ADDED";
  public static final String RETURN_REQUESTED = "RETURN_REQUESTED";
  public static final String RETURN_APPROVED = "RETURN_APPROVED";
  public static final String RETURN_REJECTED = "RETURN_REJECTED";
  public static final String EXTENSION_REQUESTED = "EXTENSION_REQUESTED";
  public static final String EXTENSION_APPROVED = "EXTENSION_APPROVED";
  public static final String EXTENSION_REJECTED = "EXTENSION_REJECTED";
  public static final String SUSPENSION_REQUESTED = "SUSPENSION_REQUESTED";
  public static final String SUSPENDED = "SUSPENDED";
  public static final String SUSPENSION_REJECTED = "SUSPENSION_REJECTED";
  public static final String RESUMED = "RESUMED";
  public static final String REPLIED = "REPLIED";
  public static final String CALLBACK = "CALLBACK";
  public static final String CLOSED = "CLOSED";
  public static final String REWORK = "REWORK";
  public static final String MERGED = "MERGED";
  public static final String SUPERVISION_ORDERED = "SUPERVISION_ORDERED";
  public static final String SUPERVISION_ACKNOWLEDGED = "SUPERVISION_ACKNOWLEDGED";
  public static final String MARKED_UNREASONABLE = "MARKED_UNREASONABLE";

  public Event {
    requireNonNull(type, "type");
    requireNonNull(actor, "actor");
    requireNonNull(at, "at");
    details = Collections.unmodifiableMap(new LinkedHashMap<>(details));
  }

  /**
   * An event with details given as alternating keys and values. Optionals are unwrapped; null, empty
   * optionals and empty collections are left out so a reader never has to tell "absent" from "empty".
   */
  static Event of(String type, int round, Actor actor, Instant at, Object... keyValues) {
    if (keyValues.length % 2 != 0) {
      throw new IllegalArgumentException("details come in key/value pairs");
    }
    Map<String, Object> details = new LinkedHashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      Object value = keyValues[i + 1];
      if (value instanceof Optional<?> optional) {
        value = optional.orElse(null);
      }
      if (value == null || (value instanceof Collection<?> c && c.isEmpty())) {
        continue;
      }
      details.put((String) keyValues[i], value);
    }
    return new Event(type, round, actor, at, details);
  }
}
