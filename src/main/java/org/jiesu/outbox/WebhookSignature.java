package org.jiesu.outbox;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Standard Webhooks 1.0 signatures: {@code webhook-signature} is {@code v1,} + base64 HMAC-SHA256 over
 * {@code id.timestamp.body}, keyed by the base64 part of a {@code whsec_} secret. Several signatures are
 * separated by spaces, so a rotated secret can sign beside the old one during its grace period.
 */
public final class WebhookSignature {

  public static final String PREFIX = "whsec_";
  private static final SecureRandom RANDOM = new SecureRandom();

  private WebhookSignature() {}

  /** A new secret: 32 random bytes, as {@code whsec_} + base64. */
  public static String newSecret() {
    byte[] key = new byte[32];
    RANDOM.nextBytes(key);
    return PREFIX + Base64.getEncoder().encodeToString(key);
  }

  public static String sign(String secret, String id, long timestamp, String body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key(secret), "HmacSHA256"));
      byte[] signed = mac.doFinal((id + "." + timestamp + "." + body).getBytes(StandardCharsets.UTF_8));
      return "v1," + Base64.getEncoder().encodeToString(signed);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The header value for every secret that is currently valid (newest first). */
  public static String header(List<String> secrets, String id, long timestamp, String body) {
    return String.join(" ", secrets.stream().map(s -> sign(s, id, timestamp, body)).toList());
  }

  /**
   * Checks a received signature header (the optional inbound check on intake): any listed {@code v1}
   * signature matching, and the timestamp within {@code toleranceSeconds} of {@code now} (replay window).
   */
  public static boolean verify(String secret, String id, long timestamp, String body, String header, long now,
      long toleranceSeconds) {
    if (header == null || Math.abs(now - timestamp) > toleranceSeconds) {
      return false;
    }
    byte[] expected = sign(secret, id, timestamp, body).getBytes(StandardCharsets.UTF_8);
    for (String candidate : header.trim().split(" +")) {
      if (MessageDigest.isEqual(expected, candidate.getBytes(StandardCharsets.UTF_8))) {
        return true;
      }
    }
    return false;
  }

  private static byte[] key(String secret) {
    String b64 = secret.startsWith(PREFIX) ? secret.substring(PREFIX.length()) : secret;
    return Base64.getDecoder().decode(b64);
  }
}
