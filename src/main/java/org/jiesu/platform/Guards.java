package org.jiesu.platform;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import io.vertx.openapi.contract.OpenAPIContract;
import java.time.Duration;
import java.util.List;

/**
 * What runs before any route, in order: the access log (request id, metrics), the per-address limit,
 * and the request deadline with the database gate. Shared state lives here (one per process); the
 * handlers are made per HTTP verticle.
 */
public record Guards(DatabaseWatch watch, MeterRegistry registry, RateLimiter addressLimiter,
    Duration requestTimeout) {

  public List<Handler<RoutingContext>> rootHandlers(Vertx vertx, OpenAPIContract contract) {
    return List.of(new AccessLog(contract, registry), new AddressLimit(addressLimiter),
        new RequestDeadlines(vertx, requestTimeout, watch));
  }
}
