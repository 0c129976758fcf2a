package org.jiesu.platform;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.json.pointer.JsonPointer;
import io.vertx.ext.web.RoutingContext;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.OutputUnit;
import io.vertx.json.schema.Validator;
import io.vertx.json.schema.common.dsl.SchemaType;
import io.vertx.openapi.contract.Location;
import io.vertx.openapi.contract.MediaType;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.contract.Parameter;
import io.vertx.openapi.contract.RequestBody;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One operation's request check against the contract, built once when the router is built.
 *
 * <p>Every value is read one way, the way the handler will read it: path and query values as Vert.x
 * decoded them (once), typed by their schema ({@code string} stays the string, so {@code 1.5} and
 * {@code %5C} are strings); the body by one strict JSON parse ({@link JsonValues#parseStrict}); the media
 * type matched exactly, ignoring case and parameters. Times declared {@code format: date-time} must lie in
 * {@link Times}' range. The work is linear in the request, and runs on the event loop: parameters are
 * short and the body is bounded by the body limit.
 */
public final class RequestCheck {

  private static final int DEPTH = 32;
  private static final String PARSED_BODY = "jiesu.parsedBody";

  private final List<Param> params = new ArrayList<>();
  private final boolean bodyRequired;
  private final Map<String, Body> media = new HashMap<>();

  private record Param(String name, Location in, boolean required, SchemaType type, boolean dateTime,
      Validator validator, Optional<SchemaFastPath.Check> fast) {}

  /** A media type's schema, and what can be known of it without running it. */
  private record Body(Validator validator, Optional<SchemaFastPath.Check> fast, Optional<String> whyNot, Shape shape,
      List<String> dateTimes) {}

  /**
   * The part of a schema a body can be measured against by counting: which names an object takes (null
   * when it takes any), the shapes of its properties, and how many items an array may hold.
   */
  private record Shape(Set<String> names, Map<String, Shape> properties, Shape items, Integer maxItems) {}

  private RequestCheck(OpenAPIContract contract, Operation op) {
    for (Parameter p : op.getParameters()) {
      if (p.getIn() != Location.PATH && p.getIn() != Location.QUERY) {
        throw new IllegalStateException(op.getOperationId() + ": only path and query parameters are read");
      }
      if (p.getSchemaType() == SchemaType.ARRAY || p.getSchemaType() == SchemaType.OBJECT) {
        throw new IllegalStateException(op.getOperationId() + ": parameter " + p.getName() + " must be a scalar");
      }
      params.add(new Param(p.getName(), p.getIn(), p.isRequired(), p.getSchemaType(),
          "date-time".equals(p.getSchema().get("format")), contract.getSchemaRepository().validator(p.getSchema()),
          fastPath(contract.getRawContract(), p)));
    }
    RequestBody body = op.getRequestBody();
    bodyRequired = body != null && body.isRequired();
    if (body != null) {
      JsonObject raw = contract.getRawContract();
      JsonObject model = resolve(raw, body.getOpenAPIModel());
      body.getContent().forEach((type, mediaType) -> {
        Object schema = model.getJsonObject("content", new JsonObject()).getJsonObject(type, new JsonObject())
            .getValue("schema");
        List<String> dateTimes = new ArrayList<>();
        dateTimes(raw, schema, "", dateTimes, 0);
        media.put(type.toLowerCase(Locale.ROOT), new Body(contract.getSchemaRepository().validator(mediaType.getSchema()),
            SchemaFastPath.compile(raw, schema), SchemaFastPath.whyNot(raw, schema), shape(raw, schema, 0), dateTimes));
      });
    }
  }

  private static Optional<SchemaFastPath.Check> fastPath(JsonObject raw, Parameter p) {
    JsonObject model = resolve(raw, p.getOpenAPIModel());
    return model == null ? Optional.empty() : SchemaFastPath.compile(raw, model.getValue("schema"));
  }

  public static RequestCheck of(OpenAPIContract contract, Operation op) {
    return new RequestCheck(contract, op);
  }

  /** Passes, or throws the {@link Problem} to answer. */
  public void check(RoutingContext ctx) {
    List<Problem.FieldError> errors = new ArrayList<>();
    for (Param p : params) {
      List<String> values = p.in() == Location.PATH
          ? Optional.ofNullable(ctx.pathParam(p.name())).map(List::of).orElse(List.of())
          : ctx.queryParam(p.name());
      if (values.isEmpty() && p.required()) {
        errors.add(new Problem.FieldError(p.name(), "is required"));
      }
      for (String value : values) {
        checkParam(p, value).ifPresent(message -> errors.add(new Problem.FieldError(p.name(), message)));
      }
    }
    if (!errors.isEmpty()) {
      throw Problem.invalid(errors);
    }
    if (!media.isEmpty()) {
      checkBody(ctx);
    }
  }

  private static Optional<String> checkParam(Param p, String raw) {
    Object value;
    switch (p.type()) {
      case INTEGER -> {
        try {
          value = Long.parseLong(raw);
        } catch (NumberFormatException e) {
          return Optional.of("must be a whole number");
        }
      }
      case NUMBER -> {
        try {
          value = new java.math.BigDecimal(raw);
        } catch (NumberFormatException e) {
          return Optional.of("must be a number");
        }
      }
      case BOOLEAN -> {
        if (!raw.equals("true") && !raw.equals("false")) {
          return Optional.of("must be true or false");
        }
        value = Boolean.valueOf(raw);
      }
      default -> value = raw;
    }
    if (!surelyValid(p.fast(), value)) {
      OutputUnit result = p.validator().validate(value);
      if (!Boolean.TRUE.equals(result.getValid())) {
        return Optional.of(Problems.invalid(result, "does not match the contract").errors().get(0).message());
      }
    }
    return p.dateTime() ? Times.problem(raw) : Optional.empty();
  }

  private void checkBody(RoutingContext ctx) {
    Buffer buffer = ctx.body() == null ? null : ctx.body().buffer();
    if (buffer == null || buffer.length() == 0) {
      if (bodyRequired) {
        throw Problem.invalid(Problems.BODY, "is required: send a JSON body");
      }
      return;
    }
    Body body = media.get(mediaType(ctx.request().getHeader("Content-Type")));
    if (body == null) {
      throw Problem.of(415, "unsupported-media-type", "Unsupported media type",
          "send the body as " + String.join(" or ", media.keySet()));
    }
    if (mediaType(ctx.request().getHeader("Content-Type")).startsWith("text/")) {
      checkText(ctx, body, buffer); // a text body (CSV import) is the handler's to read, as a string
      return;
    }
    Object json;
    try {
      json = JsonValues.parseStrict(buffer);
    } catch (DecodeException e) {
      throw Problem.of(400, "malformed-json", "Malformed JSON", "the body is not valid JSON: " + e.getMessage());
    }
    JsonValues.firstUnstorable(json, "").ifPresent(e -> {
      throw Problem.invalid(e.field().isEmpty() ? Problems.BODY : e.field(), e.message());
    });
    measure(body.shape(), json);
    if (!surelyValid(body.fast(), json)) {
      OutputUnit result = body.validator().validate(json);
      if (!Boolean.TRUE.equals(result.getValid())) {
        throw Problems.invalid(result, "the body does not match the contract");
      }
    }
    List<Problem.FieldError> times = new ArrayList<>();
    for (String pattern : body.dateTimes()) {
      times(json, pattern.isEmpty() ? new String[0] : pattern.substring(1).split("/"), 0, "", times);
    }
    if (!times.isEmpty()) {
      throw Problem.invalid(times);
    }
    ctx.put(PARSED_BODY, json);
  }

  /** What the compiled check and the library say of a body of {@code mediaType} (for the fast path's test). */
  record Verdicts(boolean fastSure, boolean libraryValid, boolean compiled) {}

  Verdicts bodyVerdicts(String mediaType, Object json) {
    Body body = media.get(mediaType);
    return new Verdicts(surelyValid(body.fast(), json), Boolean.TRUE.equals(body.validator().validate(json).getValid()),
        body.fast().isPresent());
  }

  /** Why the body schema of {@code mediaType} has no compiled check (empty when it has one). */
  Optional<String> whyNotCompiled(String mediaType) {
    return media.get(mediaType).whyNot();
  }

  Verdicts paramVerdicts(String name, Object value) {
    Param p = params.stream().filter(x -> x.name().equals(name)).findFirst().orElseThrow();
    return new Verdicts(surelyValid(p.fast(), value), Boolean.TRUE.equals(p.validator().validate(value).getValid()),
        p.fast().isPresent());
  }

  /** The compiled check's word when it is sure; otherwise (none, or not sure) the library decides. */
  private static boolean surelyValid(Optional<SchemaFastPath.Check> fast, Object json) {
    try {
      return fast.isPresent() && fast.get().surelyValid(json);
    } catch (RuntimeException e) {
      return false;
    }
  }

  private static void checkText(RoutingContext ctx, Body body, Buffer buffer) {
    String text;
    try {
      text = java.nio.charset.StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
          .decode(java.nio.ByteBuffer.wrap(buffer.getBytes())).toString();
    } catch (java.nio.charset.CharacterCodingException e) {
      throw Problem.invalid(Problems.BODY, "is not UTF-8 text");
    }
    OutputUnit result = body.validator().validate(text);
    if (!Boolean.TRUE.equals(result.getValid())) {
      throw Problems.invalid(result, "the body does not match the contract");
    }
    ctx.put(PARSED_BODY, text);
  }

  /**
   * The body as the check parsed it (strictly, once), for handlers that take it from here instead of
   * parsing it again; null for an operation without a body or a request without one.
   */
  public static Object parsedBody(RoutingContext ctx) {
    return ctx.get(PARSED_BODY);
  }

  /**
   * The JSON object body the check parsed (strictly, once), so handlers never parse it a second time, and
   * never more leniently than the check did; null when the operation took no body.
   */
  public static io.vertx.core.json.JsonObject jsonBody(RoutingContext ctx) {
    Object parsed = parsedBody(ctx);
    if (parsed instanceof io.vertx.core.json.JsonObject object) {
      return object;
    }
    if (parsed != null) {
      throw Problem.invalid(Problems.BODY, "must be a JSON object");
    }
    return null;
  }

  /**
   * Answers, from counts alone, a body with more unknown fields than a problem lists or with an array
   * longer than its schema allows, instead of asking the schema validator to build one report per field
   * or item (it would, on the event loop). Linear in the body; what passes is small enough to validate.
   */
  private static void measure(Shape shape, Object json) {
    List<Problem.FieldError> errors = new ArrayList<>();
    int[] unknown = {0};
    measure(shape, json, "", errors, unknown);
    if (unknown[0] > Problem.MAX_ERRORS || errors.size() > unknown[0]) {
      throw Problem.invalid(errors, errors.size() - Math.min(unknown[0], Problem.MAX_ERRORS) + unknown[0]);
    }
  }

  private static void measure(Shape shape, Object json, String pointer, List<Problem.FieldError> errors,
      int[] unknown) {
    if (shape == null) {
      return;
    }
    if (json instanceof JsonObject object) {
      for (Map.Entry<String, Object> e : object) {
        String at = pointer + "/" + e.getKey().replace("~", "~0").replace("/", "~1");
        if (shape.names() != null && !shape.names().contains(e.getKey())) {
          if (++unknown[0] <= Problem.MAX_ERRORS) {
            errors.add(new Problem.FieldError(at, "unknown field"));
          }
        } else {
          measure(shape.properties().get(e.getKey()), e.getValue(), at, errors, unknown);
        }
      }
    } else if (json instanceof JsonArray array) {
      if (shape.maxItems() != null && array.size() > shape.maxItems()) {
        errors.add(new Problem.FieldError(pointer.isEmpty() ? Problems.BODY : pointer,
            "has " + array.size() + " items; at most " + shape.maxItems() + " are allowed"));
        return;
      }
      for (int i = 0; i < array.size(); i++) {
        measure(shape.items(), array.getValue(i), pointer + "/" + i, errors, unknown);
      }
    }
  }

  /** The media type of a Content-Type value: its type/subtype, lower case, without parameters. */
  static String mediaType(String contentType) {
    if (contentType == null) {
      return "";
    }
    int semicolon = contentType.indexOf(';');
    return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
  }

  private static void times(Object json, String[] path, int at, String pointer, List<Problem.FieldError> out) {
    if (at == path.length) {
      if (json instanceof String text) {
        Times.problem(text).ifPresent(m -> out.add(new Problem.FieldError(pointer.isEmpty() ? Problems.BODY : pointer, m)));
      }
      return;
    }
    if (path[at].equals("*") && json instanceof JsonArray array) {
      for (int i = 0; i < array.size(); i++) {
        times(array.getValue(i), path, at + 1, pointer + "/" + i, out);
      }
    } else if (json instanceof JsonObject object && object.containsKey(path[at])) {
      times(object.getValue(path[at]), path, at + 1, pointer + "/" + path[at], out);
    }
  }

  /** Where in a body (as a pattern, "*" for any array item) a schema declares {@code format: date-time}. */
  private static void dateTimes(JsonObject doc, Object node, String at, List<String> out, int depth) {
    JsonObject schema = node instanceof JsonObject o ? resolve(doc, o) : null;
    if (schema == null || depth > DEPTH) {
      return;
    }
    if ("date-time".equals(schema.getValue("format"))) {
      out.add(at);
    }
    if (schema.getValue("properties") instanceof JsonObject properties) {
      properties.forEach(e -> dateTimes(doc, e.getValue(), at + "/" + e.getKey(), out, depth + 1));
    }
    dateTimes(doc, schema.getValue("items"), at + "/*", out, depth + 1);
    for (String combinator : List.of("allOf", "anyOf", "oneOf")) {
      if (schema.getValue(combinator) instanceof JsonArray parts) {
        parts.forEach(part -> dateTimes(doc, part, at, out, depth + 1));
      }
    }
  }

  /** What of a schema can be checked by counting; null when nothing can. */
  private static Shape shape(JsonObject doc, Object node, int depth) {
    JsonObject schema = node instanceof JsonObject o ? resolve(doc, o) : null;
    if (schema == null || depth > DEPTH) {
      return null;
    }
    Map<String, Shape> properties = new HashMap<>();
    Set<String> names = null;
    if (schema.getValue("properties") instanceof JsonObject declared) {
      declared.forEach(e -> properties.put(e.getKey(), shape(doc, e.getValue(), depth + 1)));
      if (Boolean.FALSE.equals(schema.getValue("additionalProperties")) && !schema.containsKey("patternProperties")) {
        names = new HashSet<>(declared.fieldNames());
      }
    }
    Integer maxItems = schema.getValue("maxItems") instanceof Number n ? n.intValue() : null;
    return new Shape(names, properties, shape(doc, schema.getValue("items"), depth + 1), maxItems);
  }

  /** Follows local {@code $ref}s ("#/components/…") in the document as written. */
  private static JsonObject resolve(JsonObject doc, JsonObject node) {
    JsonObject current = node;
    for (int hops = 0; current != null && current.getValue("$ref") instanceof String ref && hops < DEPTH; hops++) {
      if (!ref.startsWith("#")) {
        return null;
      }
      Object target = JsonPointer.from(ref.substring(1)).queryJson(doc);
      current = target instanceof JsonObject o ? o : null;
    }
    return current;
  }
}
