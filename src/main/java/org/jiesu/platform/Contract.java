package org.jiesu.platform;

import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The OpenAPI document as vertx-openapi can take it. We serve the document unchanged; vertx-openapi 5.0
 * rejects {@code application/problem+json} as a response media type, and responses are not validated
 * anyway, so the copy it reads lists problem bodies as {@code application/json}.
 */
public final class Contract {

  private static final String PROBLEM = "application/problem+json";
  private static final String EVENT_STREAM = "text/event-stream";

  private Contract() {}

  public static JsonObject forValidation(String yamlText) {
    Object tree = new Yaml(new SafeConstructor(new LoaderOptions())).load(yamlText);
    JsonObject contract = new JsonObject(Json.encode(tree));
    rewriteProblemMediaType(contract);
    return contract;
  }

  private static void rewriteProblemMediaType(Object node) {
    if (node instanceof JsonObject object) {
      if (object.containsKey(PROBLEM) && !object.containsKey("application/json")) {
        object.put("application/json", object.remove(PROBLEM));
      }
      // nor server-sent events; the stream's body is not validated, only its request
      if (object.containsKey(EVENT_STREAM) && !object.containsKey("text/plain")) {
        object.put("text/plain", object.remove(EVENT_STREAM));
      }
      object.forEach(e -> rewriteProblemMediaType(e.getValue()));
    } else if (node instanceof io.vertx.core.json.JsonArray array) {
      array.forEach(Contract::rewriteProblemMediaType);
    }
  }
}
