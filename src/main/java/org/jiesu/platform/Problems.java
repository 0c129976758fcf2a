package org.jiesu.platform;

import io.vertx.core.Handler;
import io.vertx.core.json.DecodeException;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import io.vertx.json.schema.OutputUnit;
import io.vertx.openapi.validation.SchemaValidationException;
import io.vertx.openapi.validation.ValidatorErrorType;
import io.vertx.openapi.validation.ValidatorException;
import io.vertx.pgclient.PgException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The one failure handler: every failed request leaves here as application/problem+json. */
public final class Problems implements Handler<RoutingContext> {

  private static final Logger LOG = LoggerFactory.getLogger(Problems.class);
  public static final String CONTENT_TYPE = "application/problem+json";
  private static final java.util.regex.Pattern PARAMETER =
      java.util.regex.Pattern.compile("The value of \\w+ parameter (\\S+) is invalid");

  @Override
  public void handle(RoutingContext ctx) {
    if (ctx.response().ended() || ctx.response().headWritten()) {
      // a failure after the response started can only close the connection
      if (!ctx.response().ended()) {
        ctx.response().reset();
      }
      return;
    }
    Problem problem = toProblem(ctx.failure(), ctx.statusCode());
    if (problem.status() == 400 && ctx.user() == null && ctx.request().getHeader("Authorization") != null
        && ctx.failure() instanceof HttpException) {
      // the authentication handler answers 400 for an Authorization header it cannot parse ("Bearer ")
      problem = Problem.unauthorized("the Authorization header does not carry a bearer token");
    }
    if (problem.isOutOfScope()) {
      ctx.put(AccessLog.OUT_OF_SCOPE, Boolean.TRUE);
    }
    if (problem.status() == 503) {
      // every request meets the same fault while it lasts: a line a second, no stack trace
      FaultLog.DATABASE.fault(ctx.request().method() + " " + ctx.request().path() + " answered 503 "
          + problem.type() + ": " + describe(ctx.failure()));
    } else if (problem.status() >= 500) {
      LOG.error("{} {} failed", ctx.request().method(), ctx.request().path(), ctx.failure());
    }
    Responses.problem(ctx, problem);
  }

  public static Problem toProblem(Throwable failure, int statusCode) {
    Throwable cause = unwrap(failure);
    if (cause instanceof Problem p) {
      return p;
    }
    if (cause instanceof SchemaValidationException e) {
      java.util.regex.Matcher parameter = PARAMETER.matcher(String.valueOf(e.getMessage()));
      if (parameter.find()) {
        // a query or path parameter: name it, not a pointer into a body
        return Problem.invalid(parameter.group(1), fieldErrors(e).get(0).message());
      }
      return invalid(e.getOutputUnit(), e.getMessage());
    }
    if (cause instanceof ValidatorException e) {
      if (e.getCause() instanceof DecodeException || String.valueOf(e.getMessage()).contains("request body can't be decoded")) {
        return Problem.of(400, "malformed-json", "Malformed JSON", "the body is not valid JSON");
      }
      if (e.type() == ValidatorErrorType.UNSUPPORTED_VALUE_FORMAT && String.valueOf(e.getMessage()).contains("body")) {
        return Problem.of(415, "unsupported-media-type", "Unsupported media type", "send the body as application/json");
      }
      return Problem.invalid(BODY, e.getMessage());
    }
    if (cause instanceof DecodeException) {
      return Problem.of(400, "malformed-json", "Malformed JSON", "the body is not valid JSON");
    }
    Optional<Problem> down = unavailable(failure);
    if (down.isPresent()) {
      return down.get();
    }
    // Vert.x 5.0's pool says "max wait queue" with ConnectionPoolTooBusyException (not an IllegalStateException)
    if ((cause instanceof IllegalStateException || cause instanceof io.vertx.core.http.ConnectionPoolTooBusyException)
        && cause.getMessage() != null && cause.getMessage().contains("max wait queue")) {
      return overloaded("too many requests are waiting for the database");
    }
    if (cause instanceof PgException pg && "57014".equals(pg.getSqlState())) {
      return Problem.of(503, "timeout", "Request timed out", "the query took too long; retry shortly");
    }
    if (cause instanceof PgException pg && ("22021".equals(pg.getSqlState()) || "22P05".equals(pg.getSqlState()))) {
      // a character PostgreSQL cannot store slipped past the request checks: still the client's input
      return Problem.badRequest("the request contains a character that cannot be stored");
    }
    int status = cause instanceof HttpException h ? h.getStatusCode() : statusCode;
    return switch (status) {
      case 400 -> Problem.badRequest(cause != null && cause.getMessage() != null ? cause.getMessage() : "bad request");
      case 401 -> Problem.unauthorized("a valid bearer token is required");
      case 403 -> Problem.forbidden("your role may not do this");
      case 404 -> Problem.notFound("no such resource");
      case 405 -> Problem.of(405, "method-not-allowed", "Method not allowed", "this resource does not support that method");
      case 413 -> Problem.of(413, "payload-too-large", "Payload too large", "the body exceeds the limit of 1 MiB");
      case 415 -> Problem.of(415, "unsupported-media-type", "Unsupported media type", "send application/json");
      default -> status >= 400 && status < 500
          ? Problem.of(status, "client-error", "Request refused", String.valueOf(cause == null ? status : cause.getMessage()))
          : Problem.of(500, "internal", "Internal error", "the server failed; the failure is logged");
    };
  }

  /** Too many requests wait for the database ({@code detail}: which): the client may retry. */
  public static Problem overloaded(String detail) {
    return Problem.of(503, "overloaded", "Service overloaded", detail);
  }

  /** The database cannot be reached, or is shutting down, starting up or gone: the client may retry. */
  public static Problem unavailable() {
    return Problem.of(503, "unavailable", "Service unavailable", "the database does not answer; retry shortly");
  }

  /**
   * Faults of the database or of the way to it, wherever they sit in the cause chain: connection refused,
   * connection closed, connect or pool-acquire timeouts, and the SQLSTATEs of a server going away
   * (57P01 admin shutdown, 57P02 crash shutdown, 57P03 cannot connect now, class 08 connection exceptions).
   */
  public static Optional<Problem> unavailable(Throwable failure) {
    for (Throwable c = failure; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (c instanceof PgException pg && pg.getSqlState() != null) {
        String state = pg.getSqlState();
        if (state.startsWith("08") || state.equals("57P01") || state.equals("57P02") || state.equals("57P03")) {
          return Optional.of(unavailable());
        }
      }
      if (c instanceof java.net.ConnectException || c instanceof java.nio.channels.ClosedChannelException
          || c instanceof io.vertx.sqlclient.ClosedConnectionException
          || c instanceof io.netty.channel.ConnectTimeoutException
          || c instanceof io.vertx.core.impl.NoStackTraceTimeoutException
          || c instanceof java.util.concurrent.TimeoutException) {
        return Optional.of(unavailable());
      }
      String message = c.getMessage() == null ? "" : c.getMessage().toLowerCase(java.util.Locale.ROOT);
      // the pool's acquire timeout (JIESU_DB_ACQUIRE_TIMEOUT): a bare "Timeout" from getConnection, "Timeout
      // waiting for connection" from a query on the pool (Vert.x 5.0)
      if ((c instanceof io.vertx.core.impl.NoStackTraceThrowable && message.equals("timeout"))
          || (c instanceof io.vertx.core.VertxException && message.startsWith("timeout waiting for connection"))) {
        return Optional.of(unavailable());
      }
      if (c instanceof io.vertx.core.VertxException && (message.contains("closed")
          || message.contains("connection is not active") || message.contains("connection refused"))) {
        return Optional.of(unavailable());
      }
    }
    return Optional.empty();
  }

  private static String describe(Throwable t) {
    return t == null ? "" : t.getClass().getSimpleName() + (t.getMessage() == null ? "" : " " + t.getMessage());
  }

  /** Keywords that only summarise errors found deeper; the deeper error says more. */
  private static final Set<String> SUMMARY_KEYWORDS =
      Set.of("properties", "additionalProperties", "items", "prefixItems", "allOf", "anyOf", "oneOf", "$ref");

  /**
   * One error per bad field, keyed by JSON pointer. The validator reports a flat list in which a bad
   * property shows up several times (as "properties", as "additionalProperties" and with the keyword that
   * failed); we keep the most specific message per field, drop summaries of fields whose children are
   * reported, and call a property that only fails "additionalProperties" what it is: an unknown field.
   * Linear in the number of reports (a body with 30,000 unknown fields is 30,000 reports); the problem
   * lists the first {@link Problem#MAX_ERRORS} and counts the rest.
   */
  static List<Problem.FieldError> fieldErrors(SchemaValidationException e) {
    return invalid(e.getOutputUnit(), e.getMessage()).errors();
  }

  /** The problem for a failed schema validation; {@code fallback} explains it when no field is named. */
  public static Problem invalid(OutputUnit result, String fallback) {
    Map<String, List<String[]>> byField = new LinkedHashMap<>();
    collect(result, byField);
    // every proper ancestor of a reported field, so "is a child reported?" is one lookup
    Set<String> parents = new HashSet<>();
    for (String field : byField.keySet()) {
      for (int slash = field.lastIndexOf('/'); slash >= 0; slash = field.lastIndexOf('/', slash - 1)) {
        if (!parents.add(field.substring(0, slash))) {
          break; // its ancestors are in already
        }
        if (slash == 0) {
          break;
        }
      }
    }
    List<Problem.FieldError> out = new ArrayList<>();
    int total = 0;
    for (Map.Entry<String, List<String[]>> entry : byField.entrySet()) {
      String field = entry.getKey();
      List<String[]> found = entry.getValue();
      String message = null;
      for (String[] f : found) {
        if (!SUMMARY_KEYWORDS.contains(f[0])) {
          message = friendly(f[1]);
          break;
        }
      }
      if (message == null) {
        if (parents.contains(field)) {
          continue;
        }
        message = found.stream().allMatch(f -> f[0].equals("additionalProperties"))
            ? "unknown field" : friendly(found.get(0)[1]);
      }
      total++;
      if (out.size() < Problem.MAX_ERRORS) {
        out.add(new Problem.FieldError(field.isEmpty() ? BODY : field, message));
      }
    }
    if (out.isEmpty()) {
      return Problem.invalid(BODY, String.valueOf(fallback));
    }
    return Problem.invalid(out, total);
  }

  /** How an error about the whole body names it: "" is a JSON pointer no reader recognises as one. */
  public static final String BODY = "body";

  private static void collect(OutputUnit unit, Map<String, List<String[]>> byField) {
    if (unit == null) {
      return;
    }
    List<OutputUnit> children = unit.getErrors();
    if (children != null && !children.isEmpty()) {
      children.forEach(c -> collect(c, byField));
      return;
    }
    if (Boolean.TRUE.equals(unit.getValid()) || unit.getError() == null) {
      return;
    }
    String keywordLocation = String.valueOf(unit.getKeywordLocation());
    String keyword = keywordLocation.substring(keywordLocation.lastIndexOf('/') + 1);
    String field = pointer(unit.getInstanceLocation());
    String error = unit.getError();
    if (keyword.equals("required")) {
      // "Instance does not have required property "x"": point at the missing property itself
      int open = error.indexOf('"');
      int close = error.indexOf('"', open + 1);
      if (open >= 0 && close > open) {
        field = field + "/" + error.substring(open + 1, close);
        error = "is required";
      }
    }
    byField.computeIfAbsent(field, k -> new ArrayList<>()).add(new String[] {keyword, error});
  }

  private static String friendly(String message) {
    return message.replace("Instance does not match any of", "must be one of")
        .replace("String does not match pattern", "does not have the required form");
  }

  private static String pointer(String instanceLocation) {
    if (instanceLocation == null) {
      return "";
    }
    return instanceLocation.startsWith("#") ? instanceLocation.substring(1) : instanceLocation;
  }

  private static Throwable unwrap(Throwable t) {
    Throwable c = t;
    while (c != null && !(c instanceof Problem) && c.getCause() != null
        && (c instanceof java.util.concurrent.CompletionException || c.getClass() == RuntimeException.class)) {
      c = c.getCause();
    }
    return c;
  }
}
