package org.jiesu.outbox;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;

/**
 * Resolves a webhook URL's host and applies {@link Destinations} to every address it resolves to, at
 * registration and again before each attempt; the attempt then connects to the address checked here, not
 * to a second lookup's answer (no DNS rebinding between check and use).
 */
public final class SafeAddress {

  /** Why a URL may not be used; the message names the reason without echoing more than the address. */
  public static final class Refused extends RuntimeException {
    Refused(String message) {
      super(message, null, false, false);
    }
  }

  private final Vertx vertx;
  private final Destinations destinations;

  public SafeAddress(Vertx vertx, Destinations destinations) {
    this.vertx = vertx;
    this.destinations = destinations;
  }

  public Destinations destinations() {
    return destinations;
  }

  /** The address to connect to for {@code url}, or a failed future with {@link Refused}. */
  public Future<InetAddress> resolve(String url) {
    String problem = destinations.urlProblem(url);
    if (problem != null) {
      return Future.failedFuture(new Refused(problem));
    }
    String host = host(URI.create(url));
    // the JVM resolver blocks: off the event loop (literal addresses return at once)
    return vertx.executeBlocking(() -> {
      InetAddress[] all;
      try {
        all = InetAddress.getAllByName(host);
      } catch (UnknownHostException e) {
        throw new Refused("host " + host + " does not resolve");
      }
      for (InetAddress a : all) {
        String why = destinations.addressProblem(host, a);
        if (why != null) {
          throw new Refused(why);
        }
      }
      return all[0];
    }, false);
  }

  static String host(URI uri) {
    String h = uri.getHost();
    return h.startsWith("[") && h.endsWith("]") ? h.substring(1, h.length() - 1) : h;
  }
}
