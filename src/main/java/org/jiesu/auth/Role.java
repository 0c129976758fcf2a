package org.jiesu.auth;

import java.util.Optional;

/** Roles carried in the token's {@code roles} claim (DESIGN §7). */
public enum Role {
  HOTLINE, STAFF, SUPERVISOR, INSPECTOR, ADMIN, AUDITOR;

  public static Optional<Role> parse(String s) {
    try {
      return Optional.of(Role.valueOf(s));
    } catch (IllegalArgumentException | NullPointerException e) {
      return Optional.empty();
    }
  }
}
