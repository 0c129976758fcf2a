package org.jiesu.auth;

import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What the JWT library leaves open, checked on the compact token before its signature is verified: one
 * token has one spelling (ES256 only as the 64-byte R‖S of RFC 7518 §3.4, RS256 exactly as long as the
 * key's modulus, canonical unpadded base64url) and no header extension is taken on trust (RFC 7515
 * §4.1.11: a {@code crit} header names extensions that must be understood, and this server understands
 * none).
 */
final class TokenForm {

  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

  /** Signature lengths of the configured RSA keys, by kid (and under "" for every RSA key). */
  private final Map<String, Set<Integer>> rsaLengths = new HashMap<>();

  TokenForm(List<JsonObject> jwks) {
    for (JsonObject key : jwks) {
      if ("RSA".equals(key.getString("kty")) && key.getValue("n") instanceof String n) {
        int length;
        try {
          length = (new BigInteger(1, Base64.getUrlDecoder().decode(n)).bitLength() + 7) / 8;
        } catch (IllegalArgumentException e) {
          continue; // the library refuses the key itself
        }
        rsaLengths.computeIfAbsent("", k -> new java.util.HashSet<>()).add(length);
        if (key.getValue("kid") instanceof String kid) {
          rsaLengths.computeIfAbsent(kid, k -> new java.util.HashSet<>()).add(length);
        }
      }
    }
  }

  /** The {@code kid} the token's header names, if it names one (nothing for a token that does not parse). */
  static Optional<String> kidOf(String token) {
    int dot = token.indexOf('.');
    if (dot <= 0) {
      return Optional.empty();
    }
    try {
      JsonObject header = new JsonObject(new String(Base64.getUrlDecoder().decode(token.substring(0, dot)),
          StandardCharsets.UTF_8));
      return header.getValue("kid") instanceof String kid ? Optional.of(kid) : Optional.empty();
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  /** Why this token is refused before verification, if it is. */
  Optional<String> refusal(String token) {
    String[] parts = token.split("\\.", -1);
    if (parts.length != 3) {
      return Optional.of("a token is three base64url parts");
    }
    JsonObject header;
    byte[] signature;
    try {
      header = new JsonObject(new String(Base64.getUrlDecoder().decode(parts[0]), StandardCharsets.UTF_8));
      signature = Base64.getUrlDecoder().decode(parts[2]);
    } catch (RuntimeException e) {
      return Optional.of("the token is not base64url JSON");
    }
    if (!B64.encodeToString(signature).equals(parts[2])) {
      return Optional.of("the signature is not in canonical unpadded base64url");
    }
    if (header.containsKey("crit")) {
      return Optional.of("the token names critical header extensions this server does not understand");
    }
    Object alg = header.getValue("alg");
    if ("ES256".equals(alg) && signature.length != 64) {
      return Optional.of("an ES256 signature is the 64 bytes of R and S");
    }
    if ("RS256".equals(alg)) {
      Object kid = header.getValue("kid");
      Set<Integer> lengths = rsaLengths.getOrDefault(kid instanceof String k && rsaLengths.containsKey(k) ? k : "", Set.of());
      if (!lengths.contains(signature.length)) {
        return Optional.of("an RS256 signature is exactly as long as the key's modulus");
      }
    }
    return Optional.empty();
  }
}
