package org.jiesu.auth;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/** Mints ES256 tokens with a PKCS#8 private key: the {@code token} command and the tests use it. */
public final class Tokens {

  private final JWTAuth signer;
  private final String issuer;
  private final String audience;
  private final String kid;
  private final String privateKeyPem;

  public Tokens(Vertx vertx, String privateKeyPem, String kid, String issuer, String audience) {
    this.privateKeyPem = privateKeyPem;
    this.signer = JWTAuth.create(vertx, new JWTAuthOptions()
        .addPubSecKey(new PubSecKeyOptions().setAlgorithm("ES256").setId(kid).setBuffer(Buffer.buffer(privateKeyPem))));
    this.issuer = issuer;
    this.audience = audience;
    this.kid = kid;
  }

  /** A token with {@code sub, iss, aud, iat, exp, roles[], dept}. */
  public String mint(String sub, List<Role> roles, Optional<String> dept, Duration ttl) {
    JsonObject claims = new JsonObject().put("sub", sub);
    JsonArray roleArray = new JsonArray();
    roles.forEach(r -> roleArray.add(r.name()));
    claims.put("roles", roleArray);
    dept.ifPresent(d -> claims.put("dept", d));
    return signer.generateToken(claims, new JWTOptions()
        .setAlgorithm("ES256")
        .setIssuer(issuer)
        .setAudience(List.of(audience))
        .setExpiresInSeconds((int) Math.max(1, ttl.toSeconds()))
        .setHeader(new JsonObject().put("kid", kid)));
  }

  /** Claims exactly as given (no exp, other issuer…), for proving the server refuses them. */
  public String mintRaw(JsonObject claims) {
    return signer.generateToken(claims, new JWTOptions().setAlgorithm("ES256").setNoTimestamp(true)
        .setHeader(new JsonObject().put("kid", kid)));
  }

  /**
   * A compact JWS of exactly this header and these claims, signed ES256 (R‖S, 64 bytes), for proving what
   * the server refuses in a header the library would not write ({@code crit}, say).
   */
  public String signRaw(JsonObject header, JsonObject claims) {
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    String input = b64.encodeToString(header.encode().getBytes(StandardCharsets.UTF_8)) + "."
        + b64.encodeToString(claims.encode().getBytes(StandardCharsets.UTF_8));
    try {
      String base64 = privateKeyPem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
      PrivateKey key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
      Signature signature = Signature.getInstance("SHA256withECDSAinP1363Format");
      signature.initSign(key);
      signature.update(input.getBytes(StandardCharsets.US_ASCII));
      return input + "." + b64.encodeToString(signature.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot sign with the development key", e);
    }
  }
}
