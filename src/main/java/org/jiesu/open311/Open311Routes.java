package org.jiesu.open311;

import io.netty.handler.codec.http.QueryStringDecoder;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jiesu.auth.Authentication;
import org.jiesu.open311.GeoReport.Format;
import org.jiesu.platform.JsonValues;
import org.jiesu.platform.Problem;
import org.jiesu.platform.Problems;
import org.jiesu.platform.RequestCheck;
import org.jiesu.platform.Responses;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HTTP for the Open311 GeoReport v2 facade ({@code /open311/v2}, public reads and api_key posts) and its
 * ADMIN configuration ({@code /api/v1/open311}, bearer tokens and problem+json like the rest of the API).
 * The facade answers in the format its path names, failures included: GeoReport clients read errors as a
 * list of {@code {code, description}} (see {@link #failure}).
 */
public final class Open311Routes {

  private static final Logger LOG = LoggerFactory.getLogger(Open311Routes.class);
  /** GeoReport's default window and the longest a list may span. */
  static final Duration MAX_SPAN = Duration.ofDays(90);
  /** The most requests or updates one list answers. */
  static final int MAX_RESULTS = 1_000;
  private static final Pattern IDEMPOTENCY_KEY = Pattern.compile("^[!-~]{1,255}$");
  private static final String FORM = "application/x-www-form-urlencoded";

  private final Open311 open311;
  private final Clock clock;

  public Open311Routes(Open311 open311, Clock clock) {
    this.open311 = open311;
    this.clock = clock;
  }

  // ------------------------------------------------------------------------------------------ GeoReport

  public void services(RoutingContext ctx) {
    open311.services().onSuccess(list -> {
      JsonArray out = new JsonArray();
      list.forEach(s -> out.add(GeoReport.service(s)));
      send(ctx, 200, "services", out);
    }).onFailure(ctx::fail);
  }

  public void service(RoutingContext ctx) {
    String code = stem(ctx.pathParam("serviceFile"));
    open311.service(code).onSuccess(s -> {
      if (s.isEmpty()) {
        ctx.fail(Problem.notFound("service_code: no service '" + code + "'"));
      } else {
        send(ctx, 200, "service_definition", GeoReport.definition(s.get()));
      }
    }).onFailure(ctx::fail);
  }

  public void post(RoutingContext ctx) {
    String type = ctx.request().getHeader("Content-Type");
    if (type == null || !type.split(";", 2)[0].trim().equalsIgnoreCase(FORM)) {
      ctx.fail(Problem.of(415, "unsupported-media-type", "Unsupported media type", "send the request as " + FORM));
      return;
    }
    Optional<String> key = Optional.ofNullable(ctx.request().getHeader("Idempotency-Key"));
    if (key.isPresent() && !IDEMPOTENCY_KEY.matcher(key.get()).matches()) {
      ctx.fail(Problem.invalid("Idempotency-Key", "must be 1 to 255 printable ASCII characters"));
      return;
    }
    Map<String, List<String>> form;
    try {
      String body = ctx.body() == null || ctx.body().buffer() == null ? "" : ctx.body().asString("UTF-8");
      form = new QueryStringDecoder(body, StandardCharsets.UTF_8, false, 1024, true).parameters();
    } catch (IllegalArgumentException e) {
      ctx.fail(Problem.badRequest("the body is not valid form encoding: " + e.getMessage()));
      return;
    }
    open311.post(form, key).onSuccess(p -> send(ctx, p.created() ? 201 : 200, "service_requests",
        new JsonArray().add(GeoReport.posted(p.id(), p.notice())))).onFailure(ctx::fail);
  }

  public void request(RoutingContext ctx) {
    String id = stem(ctx.pathParam("requestFile"));
    Optional<UUID> uuid = JsonValues.uuid(id);
    if (uuid.isEmpty()) {
      ctx.fail(Problem.notFound("service_request_id: no request '" + id + "'"));
      return;
    }
    open311.request(uuid.get()).onSuccess(r -> {
      if (r.isEmpty()) {
        ctx.fail(Problem.notFound("service_request_id: no request '" + id + "'"));
      } else {
        send(ctx, 200, "service_requests", new JsonArray().add(GeoReport.request(r.get())));
      }
    }).onFailure(ctx::fail);
  }

  public void requests(RoutingContext ctx) {
    List<UUID> ids = new ArrayList<>();
    List<String> idsGiven = list(ctx, "service_request_id");
    List<String> statuses = list(ctx, "status");
    for (String s : statuses) {
      if (!s.equals("open") && !s.equals("closed")) {
        throw Problem.invalid("status", "'" + s + "' is neither open nor closed");
      }
    }
    Instant[] window = window(ctx);
    Open311Store.Query q;
    if (!idsGiven.isEmpty()) {
      // GeoReport: named requests override every other filter
      idsGiven.forEach(i -> JsonValues.uuid(i).ifPresent(ids::add));
      if (ids.isEmpty()) {
        send(ctx, 200, "service_requests", new JsonArray());
        return;
      }
      q = new Open311Store.Query(ids, List.of(), Instant.EPOCH, Instant.parse("9999-12-31T00:00:00Z"), List.of(),
          MAX_RESULTS);
    } else {
      q = new Open311Store.Query(List.of(), list(ctx, "service_code"), window[0], window[1], statuses, MAX_RESULTS);
    }
    open311.requests(q).onSuccess(list -> {
      JsonArray out = new JsonArray();
      list.forEach(r -> out.add(GeoReport.request(r)));
      send(ctx, 200, "service_requests", out);
    }).onFailure(ctx::fail);
  }

  /** The servicerequestupdates extension: status updates in a window, oldest first. */
  public void updates(RoutingContext ctx) {
    Instant[] window = window(ctx);
    open311.updates(window[0], window[1], MAX_RESULTS).onSuccess(list -> {
      JsonArray out = new JsonArray();
      list.forEach(u -> out.add(GeoReport.update(u)));
      send(ctx, 200, "service_request_updates", out);
    }).onFailure(ctx::fail);
  }

  /**
   * {@code start_date}/{@code end_date}: without either, the last 90 days; with one, 90 days from or to it;
   * never more than 90 days.
   */
  private Instant[] window(RoutingContext ctx) {
    Optional<Instant> start = Optional.ofNullable(ctx.queryParams().get("start_date"))
        .map(t -> OffsetDateTime.parse(t).toInstant());
    Optional<Instant> end = Optional.ofNullable(ctx.queryParams().get("end_date"))
        .map(t -> OffsetDateTime.parse(t).toInstant());
    Instant to = end.orElseGet(() -> start.map(s -> s.plus(MAX_SPAN)).orElse(clock.instant()));
    Instant from = start.orElseGet(() -> to.minus(MAX_SPAN));
    if (from.isAfter(to)) {
      throw Problem.invalid("end_date", "lies before start_date");
    }
    if (Duration.between(from, to).compareTo(MAX_SPAN) > 0) {
      throw Problem.invalid("end_date", "lies more than 90 days after start_date");
    }
    return new Instant[] {from, to};
  }

  private static List<String> list(RoutingContext ctx, String name) {
    String v = ctx.queryParams().get(name);
    return v == null ? List.of() : Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
  }

  /** The service code or request id a path segment names before its {@code .json} or {@code .xml}. */
  private static String stem(String file) {
    return file.substring(0, file.lastIndexOf('.'));
  }

  private static void send(RoutingContext ctx, int status, String root, Object document) {
    if (ctx.response().ended()) {
      return;
    }
    Format f = Format.of(ctx.request().path());
    ctx.response().setStatusCode(status).putHeader("Content-Type", f.contentType)
        .end(GeoReport.write(f, root, document));
  }

  /**
   * Failures on GeoReport paths answer as GeoReport clients read them, in the path's format: a list of
   * {@code {code, description}}, one per bad field, each description starting with the field's name.
   * The problem is the same one the rest of the API would answer (same status, same headers); only its
   * body is in GeoReport's shape.
   */
  public void failure(RoutingContext ctx) {
    if (ctx.response().ended() || ctx.response().headWritten()) {
      if (!ctx.response().ended()) {
        ctx.response().reset();
      }
      return;
    }
    Problem p = Problems.toProblem(ctx.failure(), ctx.statusCode());
    if (p.status() >= 500 && p.status() != 503) {
      LOG.error("{} {} failed", ctx.request().method(), ctx.request().path(), ctx.failure());
    }
    JsonArray errors = new JsonArray();
    if (p.errors().isEmpty()) {
      errors.add(GeoReport.error(p.status(), p.detail()));
    } else {
      p.errors().forEach(e -> errors.add(GeoReport.error(p.status(), e.field() + ": " + e.message())));
    }
    p.headers().forEach(ctx.response()::putHeader);
    if (p.status() == 503 && ctx.response().headers().get("Retry-After") == null) {
      ctx.response().putHeader("Retry-After", "2");
    }
    send(ctx, p.status(), "errors", errors);
  }

  // -------------------------------------------------------------------------------------------- ADMIN

  public void putService(RoutingContext ctx) {
    Service s = Service.fromInput(ctx.pathParam("code"), RequestCheck.jsonBody(ctx));
    open311.putService(Authentication.actor(ctx), s)
        .onSuccess(created -> Responses.json(ctx, created ? 201 : 200, s.adminJson()))
        .onFailure(ctx::fail);
  }

  public void listServices(RoutingContext ctx) {
    open311.allServices().onSuccess(list -> {
      JsonArray items = new JsonArray();
      list.forEach(s -> items.add(s.adminJson()));
      Responses.ok(ctx, new JsonObject().put("items", items).putNull("next"));
    }).onFailure(ctx::fail);
  }

  public void createClient(RoutingContext ctx) {
    String name = RequestCheck.jsonBody(ctx).getString("name").trim();
    open311.createClient(Authentication.actor(ctx), name)
        .onSuccess(c -> Responses.json(ctx, 201, client(c.client()).put("apiKey", c.apiKey())))
        .onFailure(ctx::fail);
  }

  public void listClients(RoutingContext ctx) {
    open311.clients().onSuccess(list -> {
      JsonArray items = new JsonArray();
      list.forEach(c -> items.add(client(c)));
      Responses.ok(ctx, new JsonObject().put("items", items).putNull("next"));
    }).onFailure(ctx::fail);
  }

  public void revokeClient(RoutingContext ctx) {
    Optional<UUID> id = JsonValues.uuid(ctx.pathParam("id"));
    if (id.isEmpty()) {
      ctx.fail(Problem.notFound("no Open311 client " + ctx.pathParam("id")));
      return;
    }
    open311.revokeClient(Authentication.actor(ctx), id.get()).onSuccess(c -> {
      if (c.isEmpty()) {
        ctx.fail(Problem.notFound("no Open311 client " + id.get()));
      } else {
        Responses.ok(ctx, client(c.get()));
      }
    }).onFailure(ctx::fail);
  }

  private static JsonObject client(Open311Store.Client c) {
    return new JsonObject().put("id", c.id().toString()).put("name", c.name()).put("active", c.active())
        .put("createdAt", org.jiesu.platform.Times.rfc3339(c.createdAt()))
        .put("revokedAt", c.revokedAt().map(org.jiesu.platform.Times::rfc3339).orElse(null));
  }
}
