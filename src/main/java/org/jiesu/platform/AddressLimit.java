package org.jiesu.platform;

import io.vertx.core.Handler;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.RoutingContext;

/**
 * Limits per client address what no token accounts for: the public endpoints (metrics, the contract;
 * not the health probes) spend from the address's bucket on every request, API requests only when they end in 401.
 * An address whose bucket is empty gets 429 before its token is even looked at, so guessing tokens or
 * hammering without one costs the server little. Authenticated requests are limited per {@code sub}
 * (Api.rateLimit) and spend nothing here, so many operators behind one NAT address are not throttled
 * together.
 */
public final class AddressLimit implements Handler<RoutingContext> {

  public static final String POLICY = "address";
  private final RateLimiter limiter;

  public AddressLimit(RateLimiter limiter) {
    this.limiter = limiter;
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (ctx.request().path().startsWith("/health/")) {
      ctx.next(); // load balancers and orchestrators probe from one address; a 429 there would restart us
      return;
    }
    String address = address(ctx);
    boolean api = ctx.request().path().startsWith("/api/");
    RateLimiter.Decision d = api ? limiter.peek(address) : limiter.acquire(address);
    if (!d.allowed()) {
      limiter.putHeaders(ctx.response(), POLICY, d);
      ctx.response().putHeader("Retry-After", Long.toString(d.resetSeconds()));
      ctx.fail(Problem.of(429, "rate-limited", "Too many requests", "too many requests without a valid token from "
          + "this address; retry after " + d.resetSeconds() + " s"));
      return;
    }
    if (api) {
      ctx.addHeadersEndHandler(v -> {
        if (ctx.response().getStatusCode() == 401) {
          limiter.putHeaders(ctx.response(), POLICY, limiter.acquire(address));
        }
      });
    } else {
      limiter.putHeaders(ctx.response(), POLICY, d);
    }
    ctx.next();
  }

  private static String address(RoutingContext ctx) {
    SocketAddress remote = ctx.request().remoteAddress();
    return remote == null || remote.hostAddress() == null ? "unknown" : remote.hostAddress();
  }
}
