package org.jiesu.platform;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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

  private static final JsonFactory STRICT = JsonFactory.builder()
      // one body, one reading: a gateway that keeps the first of two equal keys and this server, which
      // would keep the last, must not both accept it
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .disable(JsonReadFeature.ALLOW_JAVA_COMMENTS)
      .disable(JsonReadFeature.ALLOW_YAML_COMMENTS)
      .build();

  /**
   * The one way a request body is read: strict RFC 8259 JSON (no comments, no duplicate keys, nothing
   * after the value). Linear in the body; the nesting depth is bounded by Jackson's default constraints.
   *
   * @throws DecodeException saying what is wrong and where
   */
  public static Object parseStrict(Buffer body) {
    try (JsonParser parser = STRICT.createParser(body.getBytes())) {
      JsonToken first = parser.nextToken();
      if (first == null) {
        throw new DecodeException("the body is empty");
      }
      Object value = read(parser, first);
      if (parser.nextToken() != null) {
        throw new DecodeException("unexpected content after the JSON value at " + where(parser));
      }
      return value;
    } catch (JsonProcessingException e) {
      throw new DecodeException(e.getOriginalMessage() + " at " + where(e.getLocation()));
    } catch (IOException e) {
      throw new DecodeException("the body cannot be read: " + e.getMessage());
    }
  }

  private static Object read(JsonParser p, JsonToken token) throws IOException {
    switch (token) {
      case START_OBJECT -> {
        JsonObject object = new JsonObject();
        for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
          String key = p.currentName();
          object.put(key, read(p, p.nextToken()));
        }
        return object;
      }
      case START_ARRAY -> {
        JsonArray array = new JsonArray();
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
          array.add(read(p, t));
        }
        return array;
      }
      case VALUE_STRING -> {
        return p.getText();
      }
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
        return p.getNumberValue();
      }
      case VALUE_TRUE -> {
        return Boolean.TRUE;
      }
      case VALUE_FALSE -> {
        return Boolean.FALSE;
      }
      case VALUE_NULL -> {
        return null;
      }
      default -> throw new DecodeException("unexpected " + token + " at " + where(p));
    }
  }

  private static String where(JsonParser p) {
    return where(p.currentLocation());
  }

  private static String where(com.fasterxml.jackson.core.JsonLocation at) {
    return at == null ? "an unknown place" : "line " + at.getLineNr() + ", column " + at.getColumnNr();
  }

  /**
   * The first string (value or key) that PostgreSQL cannot store as written: U+0000 (no text column
   * takes it) or a lone UTF-16 surrogate (which would be stored as "?"). Such input is refused as a client
   * mistake before it reaches the database. One pass over the value.
   */
  public static Optional<Problem.FieldError> firstUnstorable(Object json, String pointer) {
    if (json instanceof String text) {
      return unstorable(text).map(why -> new Problem.FieldError(pointer, why));
    }
    if (json instanceof JsonObject object) {
      for (Map.Entry<String, Object> e : object) {
        String at = pointer + "/" + e.getKey();
        Optional<String> key = unstorable(e.getKey());
        if (key.isPresent()) {
          return Optional.of(new Problem.FieldError(at, "the name " + key.get()));
        }
        Optional<Problem.FieldError> found = firstUnstorable(e.getValue(), at);
        if (found.isPresent()) {
          return found;
        }
      }
    }
    if (json instanceof JsonArray array) {
      for (int i = 0; i < array.size(); i++) {
        Optional<Problem.FieldError> found = firstUnstorable(array.getValue(i), pointer + "/" + i);
        if (found.isPresent()) {
          return found;
        }
      }
    }
    return Optional.empty();
  }

  private static Optional<String> unstorable(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\u0000') {
        return Optional.of("contains the character U+0000");
      }
      if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return Optional.of("contains a lone surrogate (U+" + Integer.toHexString(c).toUpperCase() + "), not a character");
      }
    }
    return Optional.empty();
  }
}
