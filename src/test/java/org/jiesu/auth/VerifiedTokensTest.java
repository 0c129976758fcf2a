package org.jiesu.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.User;
import io.vertx.ext.auth.authentication.TokenCredentials;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.jiesu.support.MutableClock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A verified token is remembered, but never past its exp, and another spelling is verified afresh. */
class VerifiedTokensTest {

  static Vertx vertx;
  static Tokens tokens;
  static List<JsonObject> jwks;

  @BeforeAll
  static void keys() throws Exception {
    vertx = Vertx.vertx();
    Path folder = Files.createTempDirectory("jiesu-cache-keys");
    jwks = Keys.readJwks(Keys.ensureDevKeys(folder));
    tokens = new Tokens(vertx, Keys.readPem(folder.resolve(Keys.DEV_PRIVATE_KEY)), Keys.DEV_KID, "jiesu", "jiesu-api");
  }

  @AfterAll
  static void close() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private static Optional<User> authenticate(Authentication auth, String token) throws Exception {
    try {
      return Optional.of(auth.provider().authenticate(new TokenCredentials(token)).await(10, TimeUnit.SECONDS));
    } catch (Exception refused) {
      return Optional.empty();
    }
  }

  @Test
  void aRepeatIsAnsweredFromTheCacheUntilTheTokenExpires() throws Exception {
    MutableClock clock = new MutableClock(Instant.now());
    Authentication auth = new Authentication(vertx, jwks, "jiesu", "jiesu-api", Duration.ofDays(1), clock);
    String token = tokens.mint("hotline-1", List.of(Role.HOTLINE), Optional.empty(), Duration.ofMinutes(10));
    User first = authenticate(auth, token).orElseThrow();
    User again = authenticate(auth, token).orElseThrow();
    assertThat(auth.cacheHits()).isEqualTo(1);
    assertThat(Authentication.fromClaims(Authentication.claimsOf(again)))
        .isEqualTo(Authentication.fromClaims(Authentication.claimsOf(first)));
    assertThat(again.subject()).isEqualTo("hotline-1");

    clock.advance(Duration.ofMinutes(11)); // past exp and its leeway: refused though it was cached
    assertThat(authenticate(auth, token)).isEmpty();
  }

  @Test
  void aTamperedSpellingIsNeverTakenFromTheCache() throws Exception {
    Authentication auth = new Authentication(vertx, jwks, "jiesu", "jiesu-api", Duration.ofDays(1),
        new MutableClock(Instant.now()));
    String token = tokens.mint("hotline-2", List.of(Role.HOTLINE), Optional.empty(), Duration.ofMinutes(10));
    assertThat(authenticate(auth, token)).isPresent();
    String[] parts = token.split("\\.");
    String otherPayload = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
        new JsonObject(new String(java.util.Base64.getUrlDecoder().decode(parts[1]))).put("roles",
            new io.vertx.core.json.JsonArray().add("ADMIN")).encode().getBytes());
    assertThat(authenticate(auth, parts[0] + "." + otherPayload + "." + parts[2])).isEmpty();
    assertThat(auth.cacheHits()).isZero();
  }
}
