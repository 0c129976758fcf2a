package org.jiesu.platform;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.json.pointer.JsonPointer;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A request schema compiled once into plain checks that say "valid" only when the contract's validator
 * (vertx-json-schema) would say so too; anything else goes to that validator, which then finds and words
 * the errors. Why: the library interprets the schema on every request (it compiles each {@code pattern}
 * again, builds location strings and sets per property): a quarter of the server's CPU per intake on a
 * warm server (JFR, {@code bench}). Bodies that pass, nearly all of them, now cost a walk over the body.
 *
 * <p>Conservative by construction: a schema using any keyword not handled here compiles to nothing (the
 * library alone checks it), and where the library's rule has a corner this does not reproduce (a whole
 * number written {@code 1.0} against {@code integer}, {@code enum}s of non-strings) the check answers "not
 * sure", never "valid". {@code SchemaFastPathTest} holds it to the library on every request schema of the
 * contract with generated bodies.
 */
public final class SchemaFastPath {

  /** True only if the library validator certainly accepts {@code json}. */
  @FunctionalInterface
  public interface Check {
    boolean surelyValid(Object json);
  }

  /** Keywords that only describe: the library does not validate with them. */
  private static final Set<String> ANNOTATIONS = Set.of("description", "title", "default", "example", "examples",
      "deprecated", "readOnly", "writeOnly", "$comment", "externalDocs", "xml", "discriminator");

  private static final int DEPTH = 32;

  private final JsonObject doc;
  private final Map<JsonObject, Check[]> compiled = new IdentityHashMap<>();

  private SchemaFastPath(JsonObject doc) {
    this.doc = doc;
  }

  /** The check for {@code schema} (a node of {@code doc}, the contract as written); empty when not compilable. */
  public static Optional<Check> compile(JsonObject doc, Object schema) {
    try {
      return Optional.of(new SchemaFastPath(doc).check(schema, 0));
    } catch (Unsupported e) {
      return Optional.empty();
    }
  }

  /** Why {@code schema} does not compile (for tests and logs); empty when it does. */
  static Optional<String> whyNot(JsonObject doc, Object schema) {
    try {
      new SchemaFastPath(doc).check(schema, 0);
      return Optional.empty();
    } catch (Unsupported e) {
      return Optional.of(e.getMessage());
    }
  }

  private static final class Unsupported extends RuntimeException {
    Unsupported(String what) {
      super(what, null, false, false);
    }
  }

  private Check check(Object node, int depth) {
    if (depth > DEPTH) {
      throw new Unsupported("depth");
    }
    if (Boolean.TRUE.equals(node)) {
      return json -> true;
    }
    if (!(node instanceof JsonObject schema)) {
      throw new Unsupported("schema " + node);
    }
    Check[] slot = compiled.get(schema);
    if (slot != null) {
      // a schema that refers to itself: the check is filled in once its compilation ends
      return json -> slot[0].surelyValid(json);
    }
    Check[] own = new Check[1];
    compiled.put(schema, own);
    List<Check> checks = new ArrayList<>();
    List<Check> whenString = new ArrayList<>();
    List<Check> whenNumber = new ArrayList<>();
    List<Check> whenObject = new ArrayList<>();
    List<Check> whenArray = new ArrayList<>();
    for (String keyword : schema.fieldNames()) {
      Object value = schema.getValue(keyword);
      // the library's own bookkeeping of resolved references (__absolute_uri__, …) is not a keyword
      if (ANNOTATIONS.contains(keyword) || keyword.startsWith("x-")
          || (keyword.startsWith("__") && keyword.endsWith("__"))) {
        continue;
      }
      switch (keyword) {
        case "$ref" -> checks.add(check(resolve((String) value), depth + 1));
        case "type" -> checks.add(type(value));
        case "enum" -> checks.add(enumeration(value));
        case "allOf" -> {
          for (Object part : (JsonArray) value) {
            checks.add(check(part, depth + 1));
          }
        }
        case "minLength" -> {
          int min = integer(value);
          whenString.add(json -> ((String) json).codePointCount(0, ((String) json).length()) >= min);
        }
        case "maxLength" -> {
          int max = integer(value);
          // UTF-16 units ≥ code points, so passing on units is passing on code points (the library's count)
          whenString.add(json -> ((String) json).length() <= max
              || ((String) json).codePointCount(0, ((String) json).length()) <= max);
        }
        case "pattern" -> {
          Pattern pattern = Pattern.compile((String) value);
          whenString.add(json -> pattern.matcher((String) json).find());
        }
        case "format" -> {
          String format = (String) value;
          // the library's own test for the format, called the way its validator calls it
          whenString.add(json -> io.vertx.json.schema.impl.Format.fastFormat(format, (String) json));
        }
        case "minimum" -> {
          BigDecimal min = decimal(value);
          whenNumber.add(json -> decimal(json).compareTo(min) >= 0);
        }
        case "maximum" -> {
          BigDecimal max = decimal(value);
          whenNumber.add(json -> decimal(json).compareTo(max) <= 0);
        }
        case "exclusiveMinimum" -> {
          BigDecimal min = decimal(value);
          whenNumber.add(json -> decimal(json).compareTo(min) > 0);
        }
        case "exclusiveMaximum" -> {
          BigDecimal max = decimal(value);
          whenNumber.add(json -> decimal(json).compareTo(max) < 0);
        }
        case "required" -> {
          List<String> names = strings(value);
          whenObject.add(json -> names.stream().allMatch(((JsonObject) json)::containsKey));
        }
        case "properties" -> whenObject.add(properties(schema, (JsonObject) value, depth));
        case "additionalProperties" -> {
          if (!schema.containsKey("properties")) {
            whenObject.add(additional(value, Set.of(), depth));
          } // else: part of the properties check
        }
        case "items" -> {
          Check items = check(value, depth + 1);
          whenArray.add(json -> {
            for (Object item : (JsonArray) json) {
              if (!items.surelyValid(item)) {
                return false;
              }
            }
            return true;
          });
        }
        case "minItems" -> {
          int min = integer(value);
          whenArray.add(json -> ((JsonArray) json).size() >= min);
        }
        case "uniqueItems" -> {
          if (Boolean.TRUE.equals(value)) {
            // strings only: equal JSON strings are equal Java strings; anything else is the library's call
            whenArray.add(json -> {
              Set<Object> seen = new HashSet<>();
              for (Object item : (JsonArray) json) {
                if (!(item instanceof String) || !seen.add(item)) {
                  return false;
                }
              }
              return true;
            });
          }
        }
        case "maxItems" -> {
          int max = integer(value);
          whenArray.add(json -> ((JsonArray) json).size() <= max);
        }
        default -> throw new Unsupported(keyword);
      }
    }
    Check[] all = checks.toArray(new Check[0]);
    Check[] strings = whenString.toArray(new Check[0]);
    Check[] numbers = whenNumber.toArray(new Check[0]);
    Check[] objects = whenObject.toArray(new Check[0]);
    Check[] arrays = whenArray.toArray(new Check[0]);
    own[0] = json -> {
      if (json instanceof Number && !exactNumber(json) && numbers.length > 0) {
        return false;
      }
      Check[] typed = json instanceof String ? strings : json instanceof Number ? numbers
          : json instanceof JsonObject ? objects : json instanceof JsonArray ? arrays : null;
      return allPass(all, json) && (typed == null || allPass(typed, json));
    };
    return own[0];
  }

  private static boolean allPass(Check[] checks, Object json) {
    for (Check c : checks) {
      if (!c.surelyValid(json)) {
        return false;
      }
    }
    return true;
  }

  private Check properties(JsonObject schema, JsonObject declared, int depth) {
    Map<String, Check> byName = new java.util.HashMap<>();
    declared.forEach(e -> byName.put(e.getKey(), check(e.getValue(), depth + 1)));
    Check others = schema.containsKey("additionalProperties")
        ? additional(schema.getValue("additionalProperties"), byName.keySet(), depth) : null;
    return json -> {
      for (Map.Entry<String, Object> field : (JsonObject) json) {
        Check c = byName.get(field.getKey());
        if (c != null && !c.surelyValid(field.getValue())) {
          return false;
        }
      }
      return others == null || others.surelyValid(json);
    };
  }

  /** {@code additionalProperties}: every field not in {@code declared} must pass {@code value}. */
  private Check additional(Object value, Set<String> declared, int depth) {
    if (Boolean.TRUE.equals(value)) {
      return json -> true;
    }
    Check extra = Boolean.FALSE.equals(value) ? json -> false : check(value, depth + 1);
    Set<String> names = new HashSet<>(declared);
    return json -> {
      for (Map.Entry<String, Object> field : (JsonObject) json) {
        if (!names.contains(field.getKey()) && !extra.surelyValid(field.getValue())) {
          return false;
        }
      }
      return true;
    };
  }

  private static Check type(Object value) {
    List<String> types = value instanceof JsonArray array ? strings(array) : List.of((String) value);
    for (String t : types) {
      if (!Set.of("string", "number", "integer", "boolean", "object", "array", "null").contains(t)) {
        throw new Unsupported("type " + t);
      }
    }
    return json -> {
      for (String t : types) {
        boolean matches = switch (t) {
          case "string" -> json instanceof String;
          case "number" -> json instanceof Number && exactNumber(json);
          // a whole number written with a fraction (1.0) is the library's call
          case "integer" -> json instanceof Integer || json instanceof Long || json instanceof Short
              || json instanceof Byte || json instanceof BigInteger;
          case "boolean" -> json instanceof Boolean;
          case "object" -> json instanceof JsonObject;
          case "array" -> json instanceof JsonArray;
          default -> json == null;
        };
        if (matches) {
          return true;
        }
      }
      return false;
    };
  }

  /** An enum of strings, null allowed among them. */
  private static Check enumeration(Object value) {
    if (!(value instanceof JsonArray array)) {
      throw new Unsupported("enum " + value);
    }
    boolean nullAllowed = array.contains(null);
    JsonArray strings = array.copy();
    strings.getList().removeIf(java.util.Objects::isNull);
    Set<String> allowed = new HashSet<>(strings(strings));
    return json -> json == null ? nullAllowed : json instanceof String s && allowed.contains(s);
  }

  /** Numbers the parser gives (whole numbers as Integer, Long or BigInteger; the rest as Double or BigDecimal). */
  private static boolean exactNumber(Object json) {
    return json instanceof Integer || json instanceof Long || json instanceof BigInteger || json instanceof Double
        || json instanceof BigDecimal;
  }

  private static BigDecimal decimal(Object number) {
    if (number instanceof BigDecimal d) {
      return d;
    }
    if (number instanceof Double d && (d.isNaN() || d.isInfinite())) {
      throw new Unsupported("not a finite number");
    }
    if (!(number instanceof Number)) {
      throw new Unsupported("bound " + number);
    }
    return new BigDecimal(number.toString());
  }

  private static int integer(Object value) {
    if (value instanceof Integer || value instanceof Long) {
      return ((Number) value).intValue();
    }
    throw new Unsupported("bound " + value);
  }

  private static List<String> strings(Object value) {
    if (!(value instanceof JsonArray array)) {
      throw new Unsupported("list " + value);
    }
    List<String> out = new ArrayList<>();
    for (Object item : array) {
      if (!(item instanceof String s)) {
        throw new Unsupported("non-string " + item);
      }
      out.add(s);
    }
    return out;
  }

  private JsonObject resolve(String ref) {
    if (!ref.startsWith("#")) {
      throw new Unsupported("$ref " + ref);
    }
    Object target = JsonPointer.from(ref.substring(1)).queryJson(doc);
    if (!(target instanceof JsonObject o)) {
      throw new Unsupported("$ref " + ref);
    }
    return o;
  }
}
