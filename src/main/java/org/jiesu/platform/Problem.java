package org.jiesu.platform;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * A refusal that reaches the client as RFC 9457 {@code application/problem+json}. Services fail their
 * futures with it; the one failure handler ({@link Problems}) writes it.
 */
public final class Problem extends RuntimeException {

  /** One bad field: a JSON pointer into the request and what is wrong with it. */
  public record FieldError(String field, String message) {
    JsonObject toJson() {
      return new JsonObject().put("field", field).put("message", message);
    }
  }

  /** A problem lists at most this many field errors and counts the rest, so its size stays bounded. */
  public static final int MAX_ERRORS = 50;

  private final int status;
  private final String type;
  private final String title;
  private final List<FieldError> errors;
  private final int errorsOmitted;
  private final JsonObject extensions;
  private final java.util.Map<String, String> headers = new java.util.LinkedHashMap<>();
  // never shown to the client (the answer is the same as for a missing resource); counted on /metrics
  private boolean outOfScope;

  public Problem(int status, String type, String title, String detail, List<FieldError> errors,
      JsonObject extensions) {
    this(status, type, title, detail, errors, errors.size(), extensions);
  }

  private Problem(int status, String type, String title, String detail, List<FieldError> errors, int total,
      JsonObject extensions) {
    super(detail, null, false, false);
    this.status = status;
    this.type = type;
    this.title = title;
    this.errors = List.copyOf(errors.size() > MAX_ERRORS ? errors.subList(0, MAX_ERRORS) : errors);
    this.errorsOmitted = Math.max(total, errors.size()) - this.errors.size();
    this.extensions = extensions == null ? new JsonObject() : extensions;
  }

  public static Problem of(int status, String type, String title, String detail) {
    return new Problem(status, type, title, detail, List.of(), null);
  }

  public static Problem badRequest(String detail) {
    return of(400, "bad-request", "Bad request", detail);
  }

  public static Problem invalid(List<FieldError> errors) {
    return invalid(errors, errors.size());
  }

  /** {@code total} counts every error found, though only the first {@link #MAX_ERRORS} are listed. */
  public static Problem invalid(List<FieldError> errors, int total) {
    String detail = total == 1
        ? errors.get(0).field() + ": " + errors.get(0).message()
        : total + " fields are invalid";
    return new Problem(400, "validation", "Request does not match the contract", detail, errors, total, null);
  }

  public static Problem invalid(String field, String message) {
    return invalid(List.of(new FieldError(field, message)));
  }

  public static Problem unauthorized(String detail) {
    return of(401, "unauthorized", "Authentication required", detail);
  }

  public static Problem forbidden(String detail) {
    return of(403, "forbidden", "Not allowed", detail);
  }

  public static Problem notFound(String detail) {
    return of(404, "not-found", "Not found", detail);
  }

  public static Problem conflict(String detail, JsonObject extensions) {
    return new Problem(409, "conflict", "Conflict", detail, List.of(), extensions);
  }

  /** The request matched the contract but breaks a business rule, named by the field it concerns. */
  public static Problem ruleViolation(String field, String message) {
    return new Problem(422, "rule-violation", "The request breaks a handling rule", field + ": " + message,
        List.of(new FieldError(field, message)), null);
  }

  public static Problem unprocessable(String field, String message) {
    return new Problem(422, "unprocessable", "Request refers to something that does not exist",
        field + ": " + message, List.of(new FieldError(field, message)), null);
  }

  /** A response header to send with the problem (the current ETag with a 412, for example). */
  /**
   * A 404 for something that exists but lies outside the caller's scope: the client sees a plain 404 (scope
   * cannot be probed), the metrics count it apart.
   */
  public static Problem outOfScope(String detail) {
    Problem p = notFound(detail);
    p.outOfScope = true;
    return p;
  }

  public boolean isOutOfScope() {
    return outOfScope;
  }

  public Problem withHeader(String name, String value) {
    headers.put(name, value);
    return this;
  }

  public java.util.Map<String, String> headers() {
    return headers;
  }

  public int status() {
    return status;
  }

  public String type() {
    return type;
  }

  public String title() {
    return title;
  }

  public String detail() {
    return getMessage();
  }

  public List<FieldError> errors() {
    return errors;
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject()
        .put("type", "urn:jiesu:problem:" + type)
        .put("title", title)
        .put("status", status)
        .put("detail", detail());
    if (!errors.isEmpty()) {
      JsonArray list = new JsonArray();
      errors.forEach(e -> list.add(e.toJson()));
      json.put("errors", list);
      if (errorsOmitted > 0) {
        json.put("errorsOmitted", errorsOmitted);
      }
    }
    extensions.forEach(e -> json.put(e.getKey(), e.getValue()));
    return json;
  }
}
