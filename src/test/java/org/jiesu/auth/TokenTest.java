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
import org.jiesu.support.WithServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The token matrix: only a signed, current token for this issuer and audience gets in. */
@WithServer
class TokenTest {

  static TestServer server;
  static Vertx vertx;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() {
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

  /** A valid token with its signature part replaced by these bytes. */
  private static String withSignature(String token, byte[] signature) {
    return token.substring(0, token.lastIndexOf('.') + 1) + Base64.getUrlEncoder().withoutPadding().encodeToString(signature);
  }

  private static byte[] signatureOf(String token) {
    return Base64.getUrlDecoder().decode(token.substring(token.lastIndexOf('.') + 1));
  }

  /** R‖S as ASN.1 DER (SEQUENCE of two INTEGERs), the form Java's plain SHA256withECDSA produces. */
  private static byte[] der(byte[] rs) {
    byte[] r = derInteger(java.util.Arrays.copyOfRange(rs, 0, 32));
    byte[] s = derInteger(java.util.Arrays.copyOfRange(rs, 32, 64));
    byte[] out = new byte[2 + r.length + s.length];
    out[0] = 0x30;
    out[1] = (byte) (r.length + s.length);
    System.arraycopy(r, 0, out, 2, r.length);
    System.arraycopy(s, 0, out, 2 + r.length, s.length);
    return out;
  }

  private static byte[] derInteger(byte[] unsigned) {
    byte[] value = new java.math.BigInteger(1, unsigned).toByteArray();
    byte[] out = new byte[2 + value.length];
    out[0] = 0x02;
    out[1] = (byte) value.length;
    System.arraycopy(value, 0, out, 2, value.length);
    return out;
  }

  @Test
  void anEs256SignatureIsAcceptedOnlyAsSixtyFourBytesOfRAndS() {
    String token = server.tokens().mintRaw(claims());
    byte[] rs = signatureOf(token);
    assertThat(rs).hasSize(64);
    assertThat(list(withSignature(token, rs)).status()).isEqualTo(200);
    assertUnauthorized(list(withSignature(token, der(rs))));
    byte[] longer = java.util.Arrays.copyOf(rs, 65);
    assertUnauthorized(list(withSignature(token, longer)));
    byte[] padded = new byte[65];
    System.arraycopy(rs, 0, padded, 1, 64);
    assertUnauthorized(list(withSignature(token, padded)));
  }

  @Test
  void aSignatureSpelledAnotherWayIs401() {
    String token = server.tokens().mintRaw(claims());
    // 64 bytes take 86 base64url characters whose last one carries 2 unused bits: flip them
    String last = token.substring(token.length() - 1);
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    String twin = token.substring(0, token.length() - 1) + alphabet.charAt(alphabet.indexOf(last) ^ 1);
    assertThat(Base64.getUrlDecoder().decode(twin.substring(twin.lastIndexOf('.') + 1))).isEqualTo(signatureOf(token));
    assertUnauthorized(list(twin));
    assertUnauthorized(list(token + "=="));
  }

  @Test
  void anUnknownCriticalHeaderIs401() {
    JsonObject header = new JsonObject().put("alg", "ES256").put("typ", "JWT").put("kid", Keys.DEV_KID);
    assertThat(list(server.tokens().signRaw(header, claims())).status()).isEqualTo(200);
    assertUnauthorized(list(server.tokens().signRaw(header.copy().put("crit", new JsonArray().add("exp-v2"))
        .put("exp-v2", 1), claims())));
    assertUnauthorized(list(server.tokens().signRaw(header.copy().put("crit", new JsonArray()), claims())));
  }

  @Test
  void rolesGivenAsAStringAre401() {
    assertUnauthorized(list(server.tokens().mintRaw(claims().put("roles", "HOTLINE"))));
    assertUnauthorized(list(server.tokens().mintRaw(claims().put("roles", new JsonArray().add(1)))));
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
