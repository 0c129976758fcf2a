package org.jiesu.auth;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECPoint;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Verification keys come only from configuration (a JWKS file). The development mode makes its own ES256
 * pair in the data folder: the private key as PKCS#8 PEM ({@code dev-jwt.pem}) for the token command, the
 * public key as a JWKS beside it ({@code dev-jwks.json}) for the server.
 */
public final class Keys {

  public static final String DEV_PRIVATE_KEY = "dev-jwt.pem";
  public static final String DEV_JWKS = "dev-jwks.json";
  public static final String DEV_KID = "jiesu-dev";

  private Keys() {}

  /** The public keys of a JWKS file; refuses an empty or unreadable one. */
  public static List<JsonObject> readJwks(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read the JWKS file " + file + ": " + e.getMessage(), e);
    }
    JsonArray keys;
    try {
      keys = new JsonObject(text).getJsonArray("keys");
    } catch (RuntimeException e) {
      throw new IllegalStateException("the JWKS file " + file + " is not a JSON object with a keys array", e);
    }
    List<JsonObject> out = new ArrayList<>();
    if (keys != null) {
      for (Object k : keys) {
        if (k instanceof JsonObject key && key.containsKey("kty")) {
          if (key.containsKey("d")) {
            throw new IllegalStateException("the JWKS file " + file + " contains a private key; give the server public keys only");
          }
          out.add(key);
        }
      }
    }
    if (out.isEmpty()) {
      throw new IllegalStateException("the JWKS file " + file + " holds no keys");
    }
    return out;
  }

  /** Creates the development key pair in {@code folder} unless it is already there. Blocking. */
  public static Path ensureDevKeys(Path folder) {
    Path pem = folder.resolve(DEV_PRIVATE_KEY);
    Path jwks = folder.resolve(DEV_JWKS);
    try {
      Files.createDirectories(folder);
      if (Files.exists(pem) && Files.exists(jwks)) {
        return jwks;
      }
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      KeyPair pair = generator.generateKeyPair();
      writePrivate(pem, (ECPrivateKey) pair.getPrivate());
      Files.writeString(jwks, jwksOf((ECPublicKey) pair.getPublic(), DEV_KID).encodePrettily(), StandardCharsets.UTF_8);
      return jwks;
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot create the development key pair in " + folder, e);
    }
  }

  public static String readPem(Path pem) {
    try {
      return Files.readString(pem, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("no development key at " + pem
          + " (start the server once in development mode, or set JIESU_DATA_DIR)", e);
    }
  }

  public static JsonObject jwksOf(ECPublicKey key, String kid) {
    ECPoint w = key.getW();
    JsonObject jwk = new JsonObject()
        .put("kty", "EC").put("crv", "P-256").put("alg", "ES256").put("use", "sig").put("kid", kid)
        .put("x", b64(unsigned(w.getAffineX(), 32)))
        .put("y", b64(unsigned(w.getAffineY(), 32)));
    return new JsonObject().put("keys", new JsonArray().add(jwk));
  }

  private static void writePrivate(Path pem, ECPrivateKey key) throws IOException {
    String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(key.getEncoded());
    String text = "-----BEGIN PRIVATE KEY-----\n" + body + "\n-----END PRIVATE KEY-----\n";
    Files.writeString(pem, text, StandardCharsets.US_ASCII);
    try {
      Files.setPosixFilePermissions(pem, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException ignored) {
      // not a POSIX file system; the folder's own permissions apply
    }
  }

  private static byte[] unsigned(BigInteger value, int length) {
    byte[] raw = value.toByteArray();
    byte[] out = new byte[length];
    int copy = Math.min(raw.length, length);
    System.arraycopy(raw, raw.length - copy, out, length - copy, copy);
    return out;
  }

  private static String b64(byte[] bytes) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
