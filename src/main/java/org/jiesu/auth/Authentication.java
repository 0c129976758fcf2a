package org.jiesu.auth;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.User;
import io.vertx.ext.auth.authentication.Credentials;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import io.vertx.ext.web.handler.JWTAuthHandler;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Bearer-token verification. vertx-auth-jwt checks the signature, {@code exp} when present, {@code iss}
 * and {@code aud} when configured; it does not require {@code exp} at all, so a token without one is
 * refused here. With no key the server does not start (see {@code Server}).
 */
public final class Authentication {

  private final RequiringExpiry verifier;

  public Authentication(Vertx vertx, List<JsonObject> jwks, String issuer, String audience, Duration maxLifetime,
      Clock clock) {
    this(vertx, jwks, issuer, audience, maxLifetime, clock, kid -> Future.succeededFuture(false));
  }

  /**
   * With keys that may change ({@link #replaceKeys}); a token naming a {@code kid} the key set does not hold
   * asks {@code unknownKid} to look again (the JWKS URL's refresh, which bounds how often it fetches) before
   * it is verified.
   */
  public Authentication(Vertx vertx, List<JsonObject> jwks, String issuer, String audience, Duration maxLifetime,
      Clock clock, java.util.function.Function<String, Future<Boolean>> unknownKid) {
    JWTOptions options = new JWTOptions().setIssuer(issuer).setAudience(List.of(audience))
        .setLeeway(VerifiedTokens.LEEWAY_SECONDS);
    this.verifier = new RequiringExpiry(keys -> KeySet.of(vertx, keys, options), maxLifetime, clock,
        new VerifiedTokens(clock), unknownKid);
    verifier.replace(jwks);
  }

  /**
   * Verifies with these keys from now on. Tokens verified with the old set are forgotten: a key that left
   * the set (revoked, rotated out) must not keep its tokens working from the cache.
   */
  public void replaceKeys(List<JsonObject> jwks) {
    verifier.replace(jwks);
  }

  /** The verification keys in force: a JWTAuth over them, the spelling rules that depend on them, their kids. */
  private record KeySet(JWTAuth jwt, TokenForm form, java.util.Set<String> kids, boolean anyWithoutKid) {
    static KeySet of(Vertx vertx, List<JsonObject> jwks, JWTOptions options) {
      if (jwks.isEmpty()) {
        throw new IllegalStateException("no JWT verification key configured");
      }
      java.util.Set<String> kids = new java.util.HashSet<>();
      boolean without = false;
      for (JsonObject k : jwks) {
        if (k.getValue("kid") instanceof String kid) {
          kids.add(kid);
        } else {
          without = true;
        }
      }
      return new KeySet(JWTAuth.create(vertx, new JWTAuthOptions().setJwks(jwks).setJWTOptions(options)),
          new TokenForm(jwks), java.util.Set.copyOf(kids), without);
    }

    /** A kid this set cannot verify: worth looking for in a newer set. */
    boolean lacks(Optional<String> kid) {
      return kid.isPresent() && !anyWithoutKid && !kids.contains(kid.get());
    }
  }

  /** The verifying provider (tests). */
  JWTAuth provider() {
    return verifier;
  }

  /** How many requests were answered from the cache of verified tokens (tests, metrics). */
  long cacheHits() {
    return verifier.cache().hits();
  }

  public JWTAuthHandler handler() {
    return JWTAuthHandler.create(verifier);
  }

  private static final String ACTOR = "jiesu.actor";

  /** The actor {@link #attachActor} put on the context; every secured route has one. */
  public static Actor actor(RoutingContext ctx) {
    Actor actor = ctx.get(ACTOR);
    if (actor == null) {
      throw new IllegalStateException("no authenticated actor on a secured route");
    }
    return actor;
  }

  static Actor fromClaims(JsonObject claims) {
    Set<Role> roles = EnumSet.noneOf(Role.class);
    Object raw = claims.getValue("roles");
    // the verification step refuses any other form than an array of strings
    if (raw instanceof JsonArray array) {
      array.forEach(r -> Role.parse(String.valueOf(r)).ifPresent(roles::add));
    }
    String dept = claims.getValue("dept") instanceof String d && !d.isBlank() ? d : null;
    return new Actor(claims.getString("sub", "unknown"), roles, Optional.ofNullable(dept));
  }

  static JsonObject claimsOf(User user) {
    JsonObject attributes = user.attributes();
    if (attributes != null && attributes.getValue("accessToken") instanceof JsonObject claims) {
      return claims;
    }
    return user.principal();
  }

  /** Runs right after the JWT handler: turns the verified claims into the request's {@link Actor}. */
  public static void attachActor(RoutingContext ctx) {
    User user = ctx.user();
    if (user == null) {
      ctx.fail(401);
      return;
    }
    ctx.put(ACTOR, fromClaims(claimsOf(user)));
    ctx.next();
  }

  /**
   * A JWTAuth that additionally insists on a numeric {@code exp} no further away than {@code maxLifetime}
   * (a stolen token must not work for years) and on a {@code sub}, over a key set that may be replaced.
   */
  private static final class RequiringExpiry implements JWTAuth {
    private final java.util.function.Function<List<JsonObject>, KeySet> build;
    private final Duration maxLifetime;
    private final Clock clock;
    private final VerifiedTokens cache;
    private final java.util.function.Function<String, Future<Boolean>> unknownKid;
    private volatile KeySet keys;

    RequiringExpiry(java.util.function.Function<List<JsonObject>, KeySet> build, Duration maxLifetime, Clock clock,
        VerifiedTokens cache, java.util.function.Function<String, Future<Boolean>> unknownKid) {
      this.build = build;
      this.maxLifetime = maxLifetime;
      this.clock = clock;
      this.cache = cache;
      this.unknownKid = unknownKid;
    }

    VerifiedTokens cache() {
      return cache;
    }

    void replace(List<JsonObject> jwks) {
      KeySet next = build.apply(jwks);
      // set first, then forget: a token verified with the old set after the clear would be remembered again
      keys = next;
      cache.clear();
    }

    @Override
    public Future<User> authenticate(Credentials credentials) {
      String raw = credentials instanceof TokenCredentials token ? token.getToken() : null;
      Optional<JsonObject> known = raw == null ? Optional.empty() : cache.claims(raw);
      if (known.isPresent()) {
        // signature and spelling were checked when it was first seen; the time checks run every time
        return checked(User.create(known.get().copy().put("access_token", raw),
            new JsonObject().put("accessToken", known.get()).put("rootClaim", "accessToken")));
      }
      Optional<String> kid = raw == null ? Optional.empty() : TokenForm.kidOf(raw);
      if (keys.lacks(kid)) {
        // a key the provider may have published since the last fetch; the refresh bounds its own rate
        return unknownKid.apply(kid.get()).recover(e -> Future.succeededFuture(false)).compose(changed -> verify(credentials, raw));
      }
      return verify(credentials, raw);
    }

    private Future<User> verify(Credentials credentials, String raw) {
      KeySet set = keys;
      Future<User> verified;
      try {
        Optional<String> refused = credentials instanceof TokenCredentials token && token.getToken() != null
            ? set.form().refusal(token.getToken()) : Optional.empty();
        verified = refused.isPresent()
            ? Future.failedFuture(new HttpException(401, refused.get()))
            : set.jwt().authenticate(credentials);
      } catch (RuntimeException e) {
        // claims of the wrong type (an "exp" string, say) make the library throw: still just a bad token
        verified = Future.failedFuture(e);
      }
      return verified
          .recover(e -> Future.failedFuture(e instanceof HttpException ? e : new HttpException(401, "invalid token")))
          .compose(this::checked)
          .onSuccess(user -> {
            // a token verified with a set that was replaced meanwhile is not remembered
            if (raw != null && keys == set) {
              cache.remember(raw, claimsOf(user));
            }
          });
    }

    private Future<User> checked(User user) {
      JsonObject claims = claimsOf(user);
      if (!(claims.getValue("exp") instanceof Number exp)) {
        return Future.failedFuture(new HttpException(401, "token has no numeric exp claim"));
      }
      long now = clock.instant().getEpochSecond();
      if (exp.doubleValue() < now - VerifiedTokens.LEEWAY_SECONDS) {
        return Future.failedFuture(new HttpException(401, "token expired"));
      }
      if (claims.getValue("nbf") instanceof Number nbf && nbf.doubleValue() > now + VerifiedTokens.LEEWAY_SECONDS) {
        return Future.failedFuture(new HttpException(401, "token not valid yet"));
      }
      if (exp.doubleValue() > clock.instant().plus(maxLifetime).getEpochSecond() + VerifiedTokens.LEEWAY_SECONDS) {
        return Future.failedFuture(new HttpException(401, "token lives longer than " + maxLifetime));
      }
      if (!(claims.getValue("sub") instanceof String sub) || sub.isBlank()) {
        return Future.failedFuture(new HttpException(401, "token has no sub claim"));
      }
      // the contract says an array of role names; a string is another token's spelling of the same
      if (claims.containsKey("roles") && !(claims.getValue("roles") instanceof JsonArray roles
          && roles.stream().allMatch(String.class::isInstance))) {
        return Future.failedFuture(new HttpException(401, "the roles claim must be an array of role names"));
      }
      return Future.succeededFuture(user);
    }

    @Override
    public String generateToken(JsonObject claims, JWTOptions options) {
      throw new IllegalStateException("the verifier holds public keys only");
    }

    @Override
    public String generateToken(JsonObject claims) {
      throw new IllegalStateException("the verifier holds public keys only");
    }
  }
}
