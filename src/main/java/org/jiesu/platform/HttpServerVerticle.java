package org.jiesu.platform;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * One HTTP server instance. Several instances share the port (Vert.x balances connections between them)
 * and the one database pool the router's handlers were built with.
 */
public final class HttpServerVerticle extends VerticleBase {

  private final Supplier<Future<Router>> routerFactory;
  private final int port;
  private final java.time.Duration idleTimeout;
  private HttpServer server;

  public HttpServerVerticle(Supplier<Future<Router>> routerFactory, int port, java.time.Duration idleTimeout) {
    this.routerFactory = routerFactory;
    this.port = port;
    this.idleTimeout = idleTimeout;
  }

  @Override
  public Future<?> start() {
    return routerFactory.get().compose(router -> vertx
        .createHttpServer(new HttpServerOptions().setPort(port).setCompressionSupported(true)
            .setMaxInitialLineLength(8192).setMaxHeaderSize(16384)
            // form fields (Open311 posts) as long as their own checks allow: 4,000 characters of
            // percent-encoded UTF-8 are up to 48 KiB, over Vert.x's 8 KiB default
            .setMaxFormAttributeSize(64 * 1024).setMaxFormBufferedBytes(64 * 1024)
            // a keep-alive connection nobody uses is closed, so idle clients cannot hold sockets forever
            .setIdleTimeout((int) Math.max(1, idleTimeout.toMillis())).setIdleTimeoutUnit(TimeUnit.MILLISECONDS)
            // HTTP/1.1 only: Vert.x 5.0 answers HEAD over HTTP/2 with DATA frames, a protocol error; h2 belongs
            // at the TLS-terminating gateway
            .setHttp2ClearTextEnabled(false))
        .requestHandler(router)
        .invalidRequestHandler(Responses::invalidRequest)
        .listen()
        .onSuccess(s -> server = s));
  }

  @Override
  public Future<?> stop() {
    // stop accepting, let requests in flight finish (bounded), then close
    return server == null ? Future.succeededFuture() : server.shutdown(20, TimeUnit.SECONDS);
  }
}
