package org.jiesu.platform;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.json.pointer.JsonPointer;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.contract.Parameter;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.jiesu.Api;
import org.junit.jupiter.api.Test;

/**
 * The compiled request check may only ever say "valid" where the contract's validator does (it may say
 * "not sure" freely: the library then decides). Held to the library on every request schema of the contract,
 * bodies and parameters, with values generated from each schema: mostly valid, with one mutation in most
 * (a wrong type, a string one past a bound or with a character outside the pattern, a whole number written
 * 1.0, a missing required field, an unknown field, an item too many).
 */
class SchemaFastPathTest {

  private static Vertx vertx;
  private static JsonObject raw;
  private static List<RequestCheck> checks;
  private static List<Operation> operations;

  /** Loads the contract once for both engines (jqwik runs the property, Jupiter the examples). */
  private static synchronized void load() throws Exception {
    if (checks != null) {
      return;
    }
    vertx = Vertx.vertx();
    String text;
    try (InputStream in = SchemaFastPathTest.class.getClassLoader().getResourceAsStream(Api.CONTRACT)) {
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    raw = Contract.forValidation(text);
    OpenAPIContract contract = OpenAPIContract.from(vertx, raw.copy()).toCompletionStage().toCompletableFuture()
        .get(30, TimeUnit.SECONDS);
    operations = contract.operations();
    checks = operations.stream().map(op -> RequestCheck.of(contract, op)).toList();
    vertx.close();
  }

  @Property(tries = 200)
  void theCompiledCheckNeverAcceptsWhatTheLibraryRefuses(@ForAll long seed) throws Exception {
    load();
    Random random = new Random(seed);
    for (int i = 0; i < operations.size(); i++) {
      Operation op = operations.get(i);
      RequestCheck check = checks.get(i);
      if (op.getRequestBody() != null && op.getRequestBody().getContent().containsKey("application/json")) {
        Object schema = schemaOf(op.getRequestBody().getOpenAPIModel(), "application/json");
        Object body = new Generator(random).value(schema, 0);
        RequestCheck.Verdicts v = check.bodyVerdicts("application/json", body);
        assertThat(!v.fastSure() || v.libraryValid())
            .as("%s body %s: compiled says valid, the library does not", op.getOperationId(), body).isTrue();
      }
      for (Parameter p : op.getParameters()) {
        Object value = new Generator(random).value(resolve(p.getOpenAPIModel()).getValue("schema"), 0);
        RequestCheck.Verdicts v = check.paramVerdicts(p.getName(), value);
        assertThat(!v.fastSure() || v.libraryValid())
            .as("%s parameter %s = %s: compiled says valid, the library does not", op.getOperationId(), p.getName(),
                value).isTrue();
      }
    }
  }

  @Test
  void theIntakeBodyIsCheckedByTheCompiledPathAndAWrongOneGoesToTheLibrary() throws Exception {
    load();
    int intake = indexOf("createTicket");
    JsonObject body = new JsonObject().put("externalId", "H-1").put("type", "COMPLAINT").put("urgency", "NORMAL")
        .put("category", "market.agency").put("title", "噪音").put("content", "夜间施工噪音")
        .put("receivedAt", "2026-01-05T09:00:00+08:00")
        .put("caller", new JsonObject().put("name", "张三").put("phone", "13800000000"))
        .put("location", new JsonObject().put("lat", 39.9).put("lon", 116))
        .put("assistingDepartments", new JsonArray().add("D01"));
    RequestCheck.Verdicts ok = checks.get(intake).bodyVerdicts("application/json", body);
    assertThat(ok.compiled()).isTrue();
    assertThat(ok.fastSure()).isTrue();
    assertThat(ok.libraryValid()).isTrue();
    for (JsonObject wrong : List.of(body.copy().put("urgency", "SOON"), body.copy().put("title", " "),
        body.copy().put("extra", 1), body.copy().put("caller", new JsonObject().put("phone", "x")),
        body.copy().put("location", new JsonObject().put("lat", 91)), body.copy().put("receivedAt", "yesterday"))) {
      RequestCheck.Verdicts v = checks.get(intake).bodyVerdicts("application/json", wrong);
      assertThat(v.fastSure()).as("%s", wrong).isFalse();
      assertThat(v.libraryValid()).as("%s", wrong).isFalse();
    }
    // a whole number written with a fraction is the library's to judge
    RequestCheck.Verdicts lat = checks.get(intake).bodyVerdicts("application/json",
        body.copy().put("location", new JsonObject().put("lat", 39.0)));
    assertThat(lat.libraryValid()).isTrue();
  }

  @Test
  void mostRequestSchemasCompile() throws Exception {
    load();
    List<String> compiled = new ArrayList<>();
    List<String> not = new ArrayList<>();
    for (int i = 0; i < operations.size(); i++) {
      Operation op = operations.get(i);
      if (op.getRequestBody() != null && op.getRequestBody().getContent().containsKey("application/json")) {
        boolean c = checks.get(i).bodyVerdicts("application/json", new JsonObject()).compiled();
        (c ? compiled : not).add(op.getOperationId() + (c ? "" : " (" + checks.get(i).whyNotCompiled("application/json")
            .orElse("") + ")"));
      }
    }
    assertThat(compiled).as("not compiled: %s", not).contains("createTicket", "recordContact", "replyTicket");
    assertThat(compiled.size()).as("compiled %s, not %s", compiled, not).isGreaterThan(not.size());
  }

  private static int indexOf(String operationId) {
    for (int i = 0; i < operations.size(); i++) {
      if (operations.get(i).getOperationId().equals(operationId)) {
        return i;
      }
    }
    throw new AssertionError(operationId);
  }

  private static Object schemaOf(JsonObject requestBody, String mediaType) {
    return resolve(requestBody).getJsonObject("content").getJsonObject(mediaType).getValue("schema");
  }

  private static JsonObject resolve(JsonObject node) {
    JsonObject current = node;
    while (current != null && current.getValue("$ref") instanceof String ref) {
      current = (JsonObject) JsonPointer.from(ref.substring(1)).queryJson(raw);
    }
    return current;
  }

  /** Values from a schema: valid but for a mutation now and then, at any depth. */
  private static final class Generator {
    private final Random random;

    Generator(Random random) {
      this.random = random;
    }

    Object value(Object node, int depth) {
      if (!(node instanceof JsonObject)) {
        return anyValue();
      }
      JsonObject schema = resolve((JsonObject) node);
      if (random.nextInt(12) == 0 || depth > 6) {
        return anyValue();
      }
      if (schema.getValue("allOf") instanceof JsonArray parts && !parts.isEmpty()) {
        JsonObject merged = new JsonObject();
        for (Object part : parts) {
          if (value(part, depth + 1) instanceof JsonObject o) {
            merged.mergeIn(o);
          }
        }
        return merged;
      }
      if (schema.getValue("enum") instanceof JsonArray values && !values.isEmpty()) {
        return random.nextInt(8) == 0 ? values.getValue(0) + "x" : values.getValue(random.nextInt(values.size()));
      }
      String type = schema.getValue("type") instanceof JsonArray types
          ? types.getString(random.nextInt(types.size())) : schema.getString("type", "object");
      return switch (type) {
        case "string" -> string(schema);
        case "integer" -> integer(schema);
        case "number" -> random.nextBoolean() ? integer(schema) : number(schema);
        case "boolean" -> random.nextBoolean();
        case "null" -> null;
        case "array" -> array(schema, depth);
        default -> object(schema, depth);
      };
    }

    private Object anyValue() {
      return switch (random.nextInt(8)) {
        case 0 -> null;
        case 1 -> random.nextInt(100) - 50;
        case 2 -> random.nextBoolean() ? 1.0 : 2.5;
        case 3 -> "";
        case 4 -> "x";
        case 5 -> new JsonObject();
        case 6 -> new JsonArray();
        default -> random.nextBoolean();
      };
    }

    private String string(JsonObject schema) {
      String format = schema.getString("format");
      String base;
      if ("date-time".equals(format)) {
        base = List.of("2026-01-05T09:00:00+08:00", "2026-01-05T09:00:00Z", "2026-13-05T09:00:00Z", "2026-01-05",
            "2026-01-05T25:00:00Z", "1999-12-31T23:59:59Z").get(random.nextInt(6));
      } else if ("date".equals(format)) {
        base = List.of("2026-01-05", "2026-02-30", "2026-1-5", "x").get(random.nextInt(4));
      } else if ("uuid".equals(format)) {
        base = random.nextInt(4) == 0 ? "not-a-uuid" : java.util.UUID.randomUUID().toString();
      } else {
        String[] pieces = {"a", "Z", "9", ".", "-", "_", " ", "噪", "\uD83D\uDE00", "+", "~", "/", "\t"};
        StringBuilder b = new StringBuilder();
        int max = schema.getInteger("maxLength", 12);
        int length = random.nextInt(Math.min(max, 24) + 3);
        for (int i = 0; i < length; i++) {
          b.append(pieces[random.nextInt(random.nextInt(4) == 0 ? pieces.length : 3)]);
        }
        base = b.toString();
      }
      return base;
    }

    private Object integer(JsonObject schema) {
      long min = schema.getValue("minimum") instanceof Number n ? n.longValue() : -5;
      long max = schema.getValue("maximum") instanceof Number n ? n.longValue() : 1000;
      long v = min - 1 + (long) (random.nextDouble() * (max - min + 3));
      return switch (random.nextInt(12)) {
        case 0 -> (double) v;
        case 1 -> v + 0.5;
        default -> v;
      };
    }

    private Object number(JsonObject schema) {
      double min = schema.getValue("minimum") instanceof Number n ? n.doubleValue() : -5;
      double max = schema.getValue("maximum") instanceof Number n ? n.doubleValue() : 1000;
      return min - 0.5 + random.nextDouble() * (max - min + 1);
    }

    private JsonArray array(JsonObject schema, int depth) {
      int max = schema.getInteger("maxItems", 3);
      JsonArray out = new JsonArray();
      int n = random.nextInt(Math.min(max, 4) + 2);
      for (int i = 0; i < n; i++) {
        out.add(value(schema.getValue("items"), depth + 1));
      }
      return out;
    }

    private JsonObject object(JsonObject schema, int depth) {
      JsonObject out = new JsonObject();
      JsonObject properties = schema.getJsonObject("properties", new JsonObject());
      List<String> required = schema.getValue("required") instanceof JsonArray r
          ? r.stream().map(String::valueOf).toList() : List.of();
      for (String name : properties.fieldNames()) {
        if (required.contains(name) ? random.nextInt(20) != 0 : random.nextBoolean()) {
          out.put(name, value(properties.getValue(name), depth + 1));
        }
      }
      if (random.nextInt(10) == 0) {
        out.put("unknown" + random.nextInt(3), 1);
      }
      return out;
    }
  }
}
