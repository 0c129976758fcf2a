package org.jiesu.open311;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jiesu.audit.AuditLog;
import org.jiesu.auth.Actor;
import org.jiesu.auth.Role;
import org.jiesu.platform.Problem;
import org.jiesu.ticket.workflow.Channel;
import org.jiesu.ticket.Intake;
import org.jiesu.ticket.workflow.Ticket;
import org.jiesu.ticket.TicketService;
import org.jiesu.ticket.workflow.TicketState;
import org.jiesu.ticket.workflow.Urgency;

/**
 * The Open311 GeoReport v2 facade's use cases. A posted request becomes a ticket through the one intake
 * path ({@link TicketService#intake}, channel {@code OPEN311}): idempotent, routed and timed like a call.
 * Intake is synchronous, so a post answers the {@code service_request_id} itself and no token is issued.
 */
public final class Open311 {

  /** A post's outcome: the request (its ticket's id) and whether this post made it. */
  record Posted(UUID id, boolean created, String notice) {}

  /** A new API client and its key, which is shown this once. */
  record NewClient(Open311Store.Client client, String apiKey) {}

  /** A request the facade makes is named by its client, never by the citizen: a prefix plus 40 hex digits or a UUID. */
  static final String EXTERNAL_PREFIX = "o311-";

  private final Pool pool;
  private final TicketService tickets;
  private final Open311Listener listener;
  private final AuditLog audit;
  private final Clock clock;
  private final Open311Store store = new Open311Store();
  private final SecureRandom random = new SecureRandom();

  public Open311(Pool pool, TicketService tickets, Open311Listener listener, AuditLog audit, Clock clock) {
    this.pool = pool;
    this.tickets = tickets;
    this.listener = listener;
    this.audit = audit;
    this.clock = clock;
  }

  // ------------------------------------------------------------------------------------------ public

  /**
   * Takes in a posted form. {@code idempotencyKey}, when the client sends one, names the request: the
   * same key again from the same client answers the same request (200), so a client that lost the answer
   * can retry without making a second ticket, also while its first attempt is still running.
   */
  Future<Posted> post(Map<String, List<String>> form, Optional<String> idempotencyKey) {
    List<String> keys = form.getOrDefault("api_key", List.of());
    if (keys.size() != 1 || keys.get(0).isBlank()) {
      return Future.failedFuture(Problem.invalid("api_key", keys.isEmpty() ? "is required" : "is given more than once"));
    }
    String code;
    try {
      code = Submission.serviceCode(form);
    } catch (Problem p) {
      return Future.failedFuture(p);
    }
    return store.clientByKeyHash(pool, sha256(keys.get(0))).compose(client -> {
      if (client.isEmpty() || !client.get().active()) {
        return Future.failedFuture(Problem.forbidden("api_key: is not a valid key"));
      }
      return store.service(pool, code).compose(service -> {
        if (service.isEmpty() || !service.get().active()) {
          return Future.failedFuture(Problem.invalid("service_code", "no service '" + code + "'"));
        }
        Submission s = Submission.parse(form, service.get());
        String externalId = idempotencyKey
            .map(k -> EXTERNAL_PREFIX + sha256(client.get().id() + "\n" + k).substring(0, 40))
            .orElseGet(() -> EXTERNAL_PREFIX + UUID.randomUUID());
        Future<Optional<Instant>> before = idempotencyKey.isPresent()
            ? store.requestedAt(pool, externalId) : Future.succeededFuture(Optional.empty());
        return before.compose(at -> intake(client.get(), service.get(), s, externalId,
            at.orElse(clock.instant().truncatedTo(ChronoUnit.MICROS)))
            .recover(e -> at.isEmpty() && idempotencyKey.isPresent() && isConflict(e)
                // a concurrent first post with this key won (its clock read differs from ours): take its
                // receivedAt, so the same form is the same intake and answers the same request
                ? store.requestedAt(pool, externalId).compose(won -> won.isPresent()
                    ? intake(client.get(), service.get(), s, externalId, won.get()) : Future.failedFuture(e))
                : Future.failedFuture(e)))
            .recover(e -> Future.failedFuture(isConflict(e)
                ? Problem.conflict("Idempotency-Key: was already used for a different request", new JsonObject()) : e));
      });
    });
  }

  private Future<Posted> intake(Open311Store.Client client, Service service, Submission s, String externalId,
      Instant receivedAt) {
    String title = service.name().length() > 200 ? service.name().substring(0, 200) : service.name();
    Intake intake = new Intake(externalId, service.ticketType(), Urgency.NORMAL, service.category(), title,
        s.content(), receivedAt, new Ticket.Caller(s.callerName().orElse(null), s.phone().orElse(null), false),
        new Ticket.Location(null, null, s.address().orElse(null), s.lat().orElse(null), s.lon().orElse(null)),
        Optional.empty(), Optional.empty(), List.of(), Optional.empty(), Optional.empty(), Channel.OPEN311);
    // the public face keeps the address masked and the place rounded, as the least privileged staff see them
    Open311Listener.Pending p = listener.expect(externalId, new Open311Listener.Pending(service.code(),
        client.id(), s.description(), s.address().map(org.jiesu.ticket.Masking::address),
        s.lat().map(org.jiesu.ticket.Masking::coordinate), s.lon().map(org.jiesu.ticket.Masking::coordinate)));
    Actor actor = new Actor("open311:" + client.id(), Set.of(Role.HOTLINE), Optional.empty());
    return tickets.intake(actor, intake)
        .onComplete(r -> listener.done(externalId, p))
        .map(r -> new Posted(r.ticket().id(), r.created(), notice(r.ticket())));
  }

  private static boolean isConflict(Throwable e) {
    return e instanceof Problem p && p.status() == 409;
  }

  private static String notice(Ticket t) {
    return t.state() == TicketState.DISPATCHED
        ? "Sent to " + t.leadDepartment().orElse("a department") + "."
        : "Received; it will be sent to the department responsible.";
  }

  Future<List<Service>> services() {
    return store.services(pool, true);
  }

  Future<Optional<Service>> service(String code) {
    return store.service(pool, code).map(s -> s.filter(Service::active));
  }

  Future<Optional<Open311Store.PublicRequest>> request(UUID id) {
    return store.request(pool, id);
  }

  Future<List<Open311Store.PublicRequest>> requests(Open311Store.Query q) {
    return store.requests(pool, q);
  }

  Future<List<Open311Store.Update>> updates(Instant from, Instant to, int limit) {
    return store.updates(pool, from, to, limit);
  }

  // ------------------------------------------------------------------------------------------- admin

  /** Creates or replaces a service (true when new); audited with what it now says. */
  Future<Boolean> putService(Actor actor, Service s) {
    return pool.withTransaction(tx -> store.putService(tx, s, clock.instant())
        .compose(created -> audit.append(tx, actor, "OPEN311_SERVICE_PUT", null, s.adminJson()).map(created)));
  }

  Future<List<Service>> allServices() {
    return store.services(pool, false);
  }

  /** A new client with a fresh key (256 random bits); only the key's SHA-256 is stored. */
  Future<NewClient> createClient(Actor actor, String name) {
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    String key = "o311_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    Open311Store.Client c = new Open311Store.Client(UUID.randomUUID(), name, true,
        clock.instant().truncatedTo(ChronoUnit.MICROS), Optional.empty());
    return pool.withTransaction(tx -> store.insertClient(tx, c, sha256(key))
        .compose(v -> audit.append(tx, actor, "OPEN311_CLIENT_CREATED", null,
            new JsonObject().put("clientId", c.id().toString()).put("name", name))))
        .map(new NewClient(c, key));
  }

  Future<List<Open311Store.Client>> clients() {
    return store.clients(pool);
  }

  Future<Optional<Open311Store.Client>> revokeClient(Actor actor, UUID id) {
    return pool.withTransaction(tx -> store.revokeClient(tx, id, clock.instant().truncatedTo(ChronoUnit.MICROS))
        .compose(c -> c.isEmpty() ? Future.succeededFuture(c)
            : audit.append(tx, actor, "OPEN311_CLIENT_REVOKED", null,
                new JsonObject().put("clientId", id.toString())).map(c)));
  }

  /**
   * Keys are 256 random bits, so a plain SHA-256 is enough to make a stolen table useless (a slow hash
   * protects guessable secrets, which these are not) and lets a key be found by one index lookup.
   */
  static String sha256(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
