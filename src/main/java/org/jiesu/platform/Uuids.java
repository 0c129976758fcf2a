package org.jiesu.platform;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.UUID;

/**
 * Time-ordered ids (UUID version 7, RFC 9562 §5.7): 48 bits of Unix milliseconds, then random bits. Rows
 * keyed by them are appended at the right edge of their primary-key index instead of landing on a random
 * page of it, so an insert touches the pages it touched a moment ago.
 */
public final class Uuids {

  private static final SecureRandom RANDOM = new SecureRandom();

  private Uuids() {}

  /** A new version-7 id from the system clock (the id's time orders storage, it is not a domain time). */
  public static UUID v7() {
    return v7(Clock.systemUTC().millis());
  }

  static UUID v7(long unixMillis) {
    long rand = RANDOM.nextLong();
    long high = (unixMillis << 16) | 0x7000L | ((rand >>> 52) & 0x0FFFL);
    long low = (RANDOM.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return new UUID(high, low);
  }
}
