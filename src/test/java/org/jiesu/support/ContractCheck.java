package org.jiesu.support;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.OutputUnit;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.validation.ResponseValidator;
import io.vertx.openapi.validation.SchemaValidationException;
import io.vertx.openapi.validation.ValidatableResponse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.jiesu.Api;
import org.jiesu.platform.Contract;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Every answer a test receives is checked against the OpenAPI document the server serves: the operation
 * is found from method and path, its status must be declared for that operation (not only by
 * {@code default}), the content type must be one the response declares, and JSON bodies and declared
 * headers are validated by vertx-openapi's {@link ResponseValidator}. Problem bodies must also name a
 * type listed in {@code x-problem-types} with the status the table gives it. Answers for paths or methods
 * the contract does not have must still be {@code application/problem+json} problems. A mismatch is an
 * {@link AssertionError} naming the operation, the status and what is wrong, so the test fails.
 */
public final class ContractCheck {

  private static final String PROBLEM = "application/problem+json";
  /** Answers given before any route is chosen (Netty could not parse the request): no operation declares them. */
  private static final Set<Integer> TRANSPORT_STATUSES = Set.of(414, 431);

  private static final ContractCheck INSTANCE = new ContractCheck();

  private final JsonObject raw;
  private final Vertx vertx = Vertx.vertx();
  private final OpenAPIContract contract;
  private final ResponseValidator validator;
  private final Map<String, String> problemTypes = new HashMap<>();

  private ContractCheck() {
    String text = read();
    raw = new JsonObject(io.vertx.core.json.Json.encode(
        new Yaml(new SafeConstructor(new LoaderOptions())).load(text)));
    try {
      contract = OpenAPIContract.from(vertx, Contract.forValidation(text))
          .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("the contract does not load", e);
    }
    validator = ResponseValidator.create(vertx, contract);
    Object table = raw.getJsonObject("info").getValue("x-problem-types");
    if (table instanceof JsonArray list) {
      list.forEach(entry -> {
        JsonObject e = (JsonObject) entry;
        problemTypes.put(e.getString("type"), String.valueOf(e.getValue("status")));
      });
    }
  }

  private static String read() {
    try (InputStream in = ContractCheck.class.getClassLoader().getResourceAsStream(Api.CONTRACT)) {
      if (in == null) {
        throw new IllegalStateException(Api.CONTRACT + " is not on the class path");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Checks one answer; {@code target} is the request path, with or without its query. */
  public static void verify(String method, String target, int status, Map<String, List<String>> headers,
      String body) {
    INSTANCE.check(method.toUpperCase(Locale.ROOT), target, status, headers, body == null ? "" : body);
  }

  /** Vert.x headers in the form {@link #verify} takes. */
  public static Map<String, List<String>> headers(io.vertx.core.MultiMap headers) {
    Map<String, List<String>> out = new HashMap<>();
    headers.names().forEach(name -> out.put(name, headers.getAll(name)));
    return out;
  }

  private void check(String method, String target, int status, Map<String, List<String>> headers, String body) {
    String path = target;
    int query = path.indexOf('?');
    if (query >= 0) {
      path = path.substring(0, query);
    }
    String contentType = header(headers, "Content-Type");
    String mediaType = contentType == null ? null
        : contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    if (method.equals("HEAD")) {
      head(path, status, mediaType);
      return;
    }
    Operation op = operation(method, path);
    String where = op == null ? method + " " + path + " (not in the contract)" : op.getOperationId();
    if (status >= 400 && (op == null || TRANSPORT_STATUSES.contains(status))) {
      problem(where, status, mediaType, body);
      return;
    }
    if (op == null) {
      fail(where, status, "the server answers a request the contract does not have");
    }
    JsonObject responses = rawOperation(op).getJsonObject("responses", new JsonObject());
    JsonObject declared = resolve(responses.getJsonObject(Integer.toString(status)));
    if (declared == null) {
      fail(where, status, "the status is not declared (declared: " + responses.fieldNames() + ")");
    }
    JsonObject content = declared.getJsonObject("content");
    if (content == null || content.isEmpty()) {
      if (!body.isEmpty()) {
        fail(where, status, "the response declares no body but one was sent: " + abbreviate(body));
      }
    } else if (mediaType == null || !content.containsKey(mediaType)) {
      fail(where, status, "Content-Type " + contentType + " is not one of " + content.fieldNames());
    }
    if (mediaType != null && mediaType.equals(PROBLEM)) {
      problem(where, status, mediaType, body);
    }
    boolean json = mediaType != null && (mediaType.equals("application/json") || mediaType.equals(PROBLEM));
    Map<String, String> declaredHeaders = new HashMap<>();
    JsonObject headerSpecs = declared.getJsonObject("headers", new JsonObject());
    for (String name : headerSpecs.fieldNames()) {
      String value = header(headers, name);
      if (value != null) {
        // the validator decodes a header value as JSON unless it is a bare word (`"3"` would become 3):
        // every header we declare is a string, so hand it over as a JSON string to keep it as sent
        declaredHeaders.put(name, io.vertx.core.json.Json.encode(value));
      }
    }
    ValidatableResponse response = json && !body.isEmpty()
        // the validation copy lists problem bodies as application/json (see Contract)
        ? ValidatableResponse.create(status, declaredHeaders, Buffer.buffer(body), "application/json")
        : ValidatableResponse.create(status, declaredHeaders);
    if (!json && content != null && !content.isEmpty()) {
      // non-JSON documents (metrics, this document): status and media type checked above; headers here
      checkHeadersOnly(where, status, headerSpecs, declaredHeaders);
      return;
    }
    try {
      validator.validate(response, op.getOperationId()).toCompletionStage().toCompletableFuture()
          .get(30, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      fail(where, status, describe(e.getCause()) + "\n  body: " + abbreviate(body));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * HEAD answers as GET would, without the body (RFC 9110): its status and media type are checked against
   * the GET operation; a path without GET must answer a problem status.
   */
  private void head(String path, int status, String mediaType) {
    Operation get = operation("GET", path);
    String where = "HEAD " + path + (get == null ? " (no GET in the contract)" : " (" + get.getOperationId() + ")");
    if (get == null || TRANSPORT_STATUSES.contains(status)) {
      if (status < 400) {
        fail(where, status, "the server answers a request the contract does not have");
      }
      return;
    }
    JsonObject responses = rawOperation(get).getJsonObject("responses", new JsonObject());
    JsonObject declared = resolve(responses.getJsonObject(Integer.toString(status)));
    if (declared == null) {
      fail(where, status, "the status is not declared for GET (declared: " + responses.fieldNames() + ")");
    }
    JsonObject content = declared.getJsonObject("content");
    if (content != null && !content.isEmpty() && mediaType != null && !content.containsKey(mediaType)) {
      fail(where, status, "Content-Type " + mediaType + " is not one of " + content.fieldNames());
    }
  }

  private void checkHeadersOnly(String where, int status, JsonObject specs, Map<String, String> present) {
    for (String name : specs.fieldNames()) {
      JsonObject spec = resolve(specs.getJsonObject(name));
      if (spec != null && spec.getBoolean("required", false) && !present.containsKey(name)) {
        fail(where, status, "the required header " + name + " is missing");
      }
    }
  }

  private void problem(String where, int status, String mediaType, String body) {
    if (!PROBLEM.equals(mediaType)) {
      fail(where, status, "a failure must be " + PROBLEM + ", not " + mediaType + ": " + abbreviate(body));
    }
    JsonObject p;
    try {
      p = new JsonObject(body);
    } catch (RuntimeException e) {
      fail(where, status, "the problem body is not a JSON object: " + abbreviate(body));
      return;
    }
    String type = p.getValue("type") instanceof String s ? s : null;
    if (type == null || p.getValue("status") == null || !(p.getValue("title") instanceof String)) {
      fail(where, status, "a problem needs type, title and status: " + abbreviate(body));
    }
    if (!Integer.valueOf(status).equals(p.getValue("status"))) {
      fail(where, status, "the problem's status " + p.getValue("status") + " differs from the HTTP status");
    }
    String listed = problemTypes.get(type);
    if (listed == null) {
      fail(where, status, "problem type " + type + " is not listed in info.x-problem-types");
    }
    // a listed status is a number, or a class such as 4XX
    String actual = Integer.toString(status);
    if (!listed.equals(actual) && !(listed.endsWith("XX") && actual.startsWith(listed.substring(0, 1)))) {
      fail(where, status, "problem type " + type + " is listed with status " + listed);
    }
  }

  /** The operation for a concrete request path, by matching the contract's path templates. */
  private Operation operation(String method, String path) {
    HttpMethod m = HttpMethod.valueOf(method);
    Operation best = null;
    for (Operation op : contract.operations()) {
      // a literal segment wins over a template variable (`/audit-log/head` over `/audit-log/{id}`)
      if (op.getHttpMethod().equals(m) && matches(op.getOpenAPIPath(), path)
          && (best == null || variables(op.getOpenAPIPath()) < variables(best.getOpenAPIPath()))) {
        best = op;
      }
    }
    return best;
  }

  private static long variables(String template) {
    return template.chars().filter(c -> c == '{').count();
  }

  private static boolean matches(String template, String path) {
    String[] t = template.split("/", -1);
    String[] p = path.split("/", -1);
    if (t.length != p.length) {
      return false;
    }
    for (int i = 0; i < t.length; i++) {
      boolean variable = t[i].startsWith("{") && t[i].endsWith("}");
      if (variable ? p[i].isEmpty() : !t[i].equals(p[i])) {
        return false;
      }
    }
    return true;
  }

  private JsonObject rawOperation(Operation op) {
    return raw.getJsonObject("paths").getJsonObject(op.getOpenAPIPath())
        .getJsonObject(op.getHttpMethod().name().toLowerCase(Locale.ROOT));
  }

  /** Follows a local {@code $ref} (to components/responses or components/headers). */
  private JsonObject resolve(JsonObject node) {
    JsonObject n = node;
    for (int hops = 0; n != null && n.containsKey("$ref") && hops < 10; hops++) {
      String ref = n.getString("$ref");
      if (!ref.startsWith("#/")) {
        throw new IllegalStateException("only local references are supported: " + ref);
      }
      Object at = raw;
      for (String part : ref.substring(2).split("/")) {
        at = ((JsonObject) at).getValue(part.replace("~1", "/").replace("~0", "~"));
      }
      n = (JsonObject) at;
    }
    return n;
  }

  private static String header(Map<String, List<String>> headers, String name) {
    return headers.entrySet().stream().filter(e -> e.getKey() != null && e.getKey().equalsIgnoreCase(name))
        .flatMap(e -> e.getValue().stream()).findFirst().orElse(null);
  }

  private static String describe(Throwable t) {
    StringBuilder out = new StringBuilder(String.valueOf(t.getMessage()));
    if (t instanceof SchemaValidationException e && e.getOutputUnit() != null) {
      Set<String> lines = new TreeSet<>();
      collect(e.getOutputUnit(), lines);
      lines.forEach(l -> out.append("\n  ").append(l));
    }
    return out.toString();
  }

  private static void collect(OutputUnit unit, Set<String> lines) {
    if (unit.getErrors() != null && !unit.getErrors().isEmpty()) {
      unit.getErrors().forEach(u -> collect(u, lines));
    } else if (!Boolean.TRUE.equals(unit.getValid()) && unit.getError() != null) {
      lines.add(unit.getInstanceLocation() + " (" + unit.getKeywordLocation() + "): " + unit.getError());
    }
  }

  private static String abbreviate(String body) {
    return body.length() <= 600 ? body : body.substring(0, 600) + "…";
  }

  private static void fail(String where, int status, String what) {
    throw new AssertionError("contract: " + where + " answered " + status + ": " + what);
  }
}
