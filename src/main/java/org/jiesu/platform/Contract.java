package org.jiesu.platform;

import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.openapi.contract.MediaType;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The OpenAPI document as vertx-openapi can take it. We serve the document unchanged; vertx-openapi 5.0
 * rejects {@code application/problem+json} (and any media type it cannot validate, such as the
 * {@code application/yaml} of the document itself) as a response media type, so the copy it reads lists
 * problem bodies as {@code application/json} and leaves the other response media types out. The server
 * does not validate responses; the tests do, with this copy. The copy also leaves out header parameters such as {@code If-Match}
 * header parameter: the validator would decode its value as JSON (so {@code "1", "2"} would fail), and the
 * handlers read and check it themselves.
 */
@SuppressWarnings("unchecked")
public final class Contract {

  private static final String PROBLEM = "application/problem+json";

  private Contract() {}

  public static JsonObject forValidation(String yamlText) {
    Object tree = new Yaml(new SafeConstructor(new LoaderOptions())).load(yamlText);
    JsonObject contract = new JsonObject(Json.encode(tree));
    // request media types vertx-openapi cannot read (form encoding): the handler reads and checks those
    java.util.Set<String> unreadable = new java.util.HashSet<>();
    JsonObject bodies = contract.getJsonObject("components", new JsonObject()).getJsonObject("requestBodies", new JsonObject());
    bodies.forEach(body -> {
      if (body.getValue() instanceof JsonObject b && b.getValue("content") instanceof JsonObject content) {
        content.fieldNames().removeIf(type -> !MediaType.isMediaTypeSupported(type));
        if (content.isEmpty()) {
          unreadable.add("#/components/requestBodies/" + body.getKey());
        }
      }
    });
    unreadable.forEach(ref -> bodies.remove(ref.substring(ref.lastIndexOf('/') + 1)));
    JsonObject paths = contract.getJsonObject("paths", new JsonObject());
    paths.forEach(path -> ((JsonObject) path.getValue()).forEach(op -> {
      if (op.getValue() instanceof io.vertx.core.json.JsonArray parameters) {
        parameters.getList().removeIf(Contract::isHeader);
      }
      if (op.getValue() instanceof JsonObject operation) {
        if (operation.getValue("parameters") instanceof io.vertx.core.json.JsonArray parameters) {
          parameters.getList().removeIf(Contract::isHeader);
        }
        if (operation.getValue("requestBody") instanceof JsonObject body
            && unreadable.contains(String.valueOf(body.getValue("$ref")))) {
          operation.remove("requestBody");
        }
        if (operation.getValue("responses") instanceof JsonObject r) {
          r.forEach(response -> rewriteResponse(response.getValue()));
        }
      }
    }));
    JsonObject components = contract.getJsonObject("components", new JsonObject());
    components.getJsonObject("responses", new JsonObject()).forEach(response -> rewriteResponse(response.getValue()));
    return contract;
  }

  /** Header parameters (If-Match, Last-Event-ID) are read by their handlers, which say what is wrong with them. */
  private static boolean isHeader(Object parameter) {
    JsonObject p = parameter instanceof JsonObject o ? o
        : parameter instanceof java.util.Map<?, ?> m ? new JsonObject(new java.util.LinkedHashMap<>(
            (java.util.Map<String, Object>) m)) : null;
    return p != null && (String.valueOf(p.getValue("$ref")).equals("#/components/parameters/IfMatch")
        || "header".equals(p.getValue("in")));
  }

  private static void rewriteResponse(Object response) {
    if (!(response instanceof JsonObject r) || !(r.getValue("content") instanceof JsonObject content)) {
      return;
    }
    if (content.containsKey(PROBLEM) && !content.containsKey("application/json")) {
      content.put("application/json", content.remove(PROBLEM));
    }
    content.fieldNames().removeIf(type -> !MediaType.isMediaTypeSupported(type));
  }
}
