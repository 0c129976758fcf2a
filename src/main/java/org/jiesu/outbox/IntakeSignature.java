package org.jiesu.outbox;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import org.jiesu.platform.Problem;

/**
 * The optional body signature on intake (issue 12): when the deployment sets a shared secret, the hotline
 * platform signs each intake as a Standard Webhooks sender would ({@code webhook-id},
 * {@code webhook-timestamp}, {@code webhook-signature} over {@code id.timestamp.body}), in addition to its
 * JWT. A missing or wrong signature, or a timestamp more than 5 minutes off, is a 401. A replay inside the
 * window is harmless: intake is idempotent by {@code externalId}. Runs after the token check, before the
 * request check, on the raw bytes received.
 */
public final class IntakeSignature implements Handler<RoutingContext> {

  static final long TOLERANCE_SECONDS = 300;

  private final String secret;
  private final Clock clock;

  public IntakeSignature(String secret, Clock clock) {
    this.secret = secret;
    this.clock = clock;
  }

  @Override
  public void handle(RoutingContext ctx) {
    String id = ctx.request().getHeader("webhook-id");
    String ts = ctx.request().getHeader("webhook-timestamp");
    String signature = ctx.request().getHeader("webhook-signature");
    if (id == null || ts == null || signature == null) {
      ctx.fail(Problem.unauthorized("intake must be signed: webhook-id, webhook-timestamp and webhook-signature"));
      return;
    }
    long timestamp;
    try {
      timestamp = Long.parseLong(ts.trim());
    } catch (NumberFormatException e) {
      ctx.fail(Problem.unauthorized("webhook-timestamp must be whole seconds since the epoch"));
      return;
    }
    String body = ctx.body() == null || ctx.body().buffer() == null ? ""
        : ctx.body().buffer().toString(StandardCharsets.UTF_8);
    if (!WebhookSignature.verify(secret, id, timestamp, body, signature, clock.instant().getEpochSecond(),
        TOLERANCE_SECONDS)) {
      ctx.fail(Problem.unauthorized("the intake signature does not verify, or its timestamp is more than "
          + TOLERANCE_SECONDS + " s off"));
      return;
    }
    ctx.next();
  }
}
