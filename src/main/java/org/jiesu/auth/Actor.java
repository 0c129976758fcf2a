package org.jiesu.auth;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * Who is calling: the token's subject, roles and (for staff) department. A plain value: {@link
 * Authentication} builds it once per request from the verified token; rules take an Actor, never a token.
 */
public record Actor(String sub, Set<Role> roles, Optional<String> dept) {

  public Actor {
    // EnumSet keeps the declared order, so mainRole() is stable
    roles = Collections.unmodifiableSet(roles.isEmpty() ? EnumSet.noneOf(Role.class) : EnumSet.copyOf(roles));
  }

  public static Actor of(String sub, Role role) {
    return new Actor(sub, Set.of(role), Optional.empty());
  }

  public static Actor staff(String sub, String dept) {
    return new Actor(sub, Set.of(Role.STAFF), Optional.of(dept));
  }

  public boolean has(Role role) {
    return roles.contains(role);
  }

  public boolean hasAny(Set<Role> wanted) {
    return wanted.stream().anyMatch(roles::contains);
  }

  /** The role recorded in timelines and the audit log: the first in the order of {@link Role}. */
  public Role mainRole() {
    return roles.stream().findFirst().orElse(null);
  }

  /** Staff of a department, and nothing broader: their view of tickets is limited to their department. */
  public boolean isDepartmentStaffOnly() {
    return has(Role.STAFF) && !has(Role.HOTLINE) && !has(Role.SUPERVISOR);
  }
}
