package org.jiesu.auth;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Mints ES256 tokens with a PKCS#8 private key: the {@code token} command and the tests use it. */
public final class Tokens {

  private final JWTAuth signer;
  private final String issuer;
  private final String audience;
  private final String kid;

  public Tokens(Vertx vertx, String privateKeyPem, String kid, String issuer, String audience) {
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
}
