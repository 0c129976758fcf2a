package org.jiesu.credit;

import java.time.Instant;
import java.util.Optional;

/**
 * A regulated entity (DESIGN §6). {@code status} is {@code UNVERIFIED} when a ticket named it first and no
 * inspector or administrator has confirmed it yet.
 */
public record Entity(String creditCode, String name, String kind, Optional<String> district, String status,
    Instant createdAt, Instant updatedAt) {

  public static final String VERIFIED = "VERIFIED";
  public static final String UNVERIFIED = "UNVERIFIED";
  /** The kind of an entity only a ticket has named. */
  public static final String UNKNOWN_KIND = "OTHER";
}
