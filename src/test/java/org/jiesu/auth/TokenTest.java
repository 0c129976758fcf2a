package org.jiesu.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.jiesu.support.TestServer;
import org.jiesu.support.TestServer.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The token matrix: only a signed, current token for this issuer and audience gets in. */
class TokenTest {

  static TestServer server;
  static Vertx vertx;

  @BeforeAll
  static void start() {
    server = TestServer.start();
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() {
    server.close();
    vertx.close();
  }

  private static long now() {
    return System.currentTimeMillis() / 1000;
  }

  private static JsonObject claims() {
    return new JsonObject().put("sub", "hotline-1").put("roles", new JsonArray().add("HOTLINE"))
        .put("iss", TestServer.ISSUER).put("aud", TestServer.AUDIENCE).put("iat", now()).put("exp", now() + 600);
  }

  private static Response list(String token) {
    return server.get("/api/v1/tickets", token);
  }

  private static void assertUnauthorized(Response r) {
    assertThat(r.status()).as(r.body()).isEqualTo(401);
    assertThat(r.header("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/problem+json"));
  }

  @Test
  void aValidTokenIsAccepted() {
    assertThat(list(server.tokens().mintRaw(claims())).status()).isEqualTo(200);
  }

  @Test
  void noTokenOrGarbageIs401() {
    assertUnauthorized(list(null));
    assertUnauthorized(list("not-a-jwt"));
  }

  @Test
  void unsignedAlgNoneTokenIs401() {
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    String header = b64.encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
    String payload = b64.encodeToString(claims().encode().getBytes(StandardCharsets.UTF_8));
    assertUnauthorized(list(header + "." + payload + "."));
  }

  @Test
  void aTokenSignedWithAnotherKeyIs401() throws Exception {
    Path other = Files.createTempDirectory("other-key");
    Keys.ensureDevKeys(other);
    Tokens forger = new Tokens(vertx, Keys.readPem(other.resolve(Keys.DEV_PRIVATE_KEY)), Keys.DEV_KID,
        TestServer.ISSUER, TestServer.AUDIENCE);
    assertUnauthorized(list(forger.mint("mallory", List.of(Role.HOTLINE), Optional.empty(), Duration.ofMinutes(5))));
  }

  @Test
  void aTamperedPayloadIs401() {
    String token = server.token(Role.STAFF);
    String[] parts = token.split("\\.");
    String forged = Base64.getUrlEncoder().withoutPadding().encodeToString(
        claims().put("roles", new JsonArray().add("SUPERVISOR")).encode().getBytes(StandardCharsets.UTF_8));
    assertUnauthorized(list(parts[0] + "." + forged + "." + parts[2]));
  }

  @Test
  void anExpiredTokenIs401() {
    assertUnauthorized(list(server.tokens().mintRaw(claims().put("iat", now() - 7200).put("exp", now() - 3600))));
  }

  @Test
  void aTokenWithoutExpIs401() {
    JsonObject claims = claims();
    claims.remove("exp");
    assertUnauthorized(list(server.tokens().mintRaw(claims)));
  }

  @Test
  void claimsOfTheWrongTypeOrWithoutSubjectAre401() {
    assertUnauthorized(list(server.tokens().mintRaw(claims().put("exp", String.valueOf(now() + 600)))));
    JsonObject noSub = claims();
    noSub.remove("sub");
    assertUnauthorized(list(server.tokens().mintRaw(noSub)));
  }

  @Test
  void aTokenLivingLongerThanAllowedIs401() {
    assertUnauthorized(list(server.tokens().mintRaw(claims().put("exp", now() + 365L * 24 * 3600))));
    assertThat(list(server.tokens().mintRaw(claims().put("exp", now() + 23L * 3600))).status()).isEqualTo(200);
  }

  @Test
  void anEmptyBearerIs401WithAChallenge() {
    Response r = server.send(server.request("/api/v1/tickets", null).header("Authorization", "Bearer "));
    assertUnauthorized(r);
    assertThat(r.header("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
  }

  @Test
  void wrongAudienceOrIssuerIs401() {
    assertUnauthorized(list(server.tokens().mintRaw(claims().put("aud", "someone-else"))));
    assertUnauthorized(list(server.tokens().mintRaw(claims().put("iss", "evil"))));
    JsonObject noAudience = claims();
    noAudience.remove("aud");
    assertUnauthorized(list(server.tokens().mintRaw(noAudience)));
  }

  @Test
  void theRightTokenWithTheWrongRoleIs403() {
    Response r = list(server.token(Role.INSPECTOR));
    assertThat(r.status()).isEqualTo(403);
    assertThat(r.json().getString("detail")).contains("INSPECTOR");
  }

  @Test
  void healthMetricsAndTheContractNeedNoToken() {
    assertThat(server.get("/health/live", null).status()).isEqualTo(200);
    Response ready = server.get("/health/ready", null);
    assertThat(ready.status()).isEqualTo(200);
    assertThat(ready.json().getJsonObject("migrations").getBoolean("current")).isTrue();
    Response metrics = server.get("/metrics", null);
    assertThat(metrics.status()).isEqualTo(200);
    assertThat(metrics.body()).contains("vertx_http_server");
    Response contract = server.get("/openapi.yaml", null);
    assertThat(contract.status()).isEqualTo(200);
    assertThat(contract.body()).startsWith("openapi: 3.1.0").contains("application/problem+json");
  }
}
