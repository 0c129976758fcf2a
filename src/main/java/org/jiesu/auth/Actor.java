package org.jiesu.auth;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.User;
import io.vertx.ext.web.RoutingContext;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * Who is calling: the token's subject, roles and (for staff) department. Built once per request from
 * the verified token; rules take an Actor, never a token.
 */
public record Actor(String sub, Set<Role> roles, Optional<String> dept) {

  static final String KEY = "jiesu.actor";

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

  /** The actor put on the context by {@link Authentication}; every secured route has one. */
  public static Actor of(RoutingContext ctx) {
    Actor actor = ctx.get(KEY);
    if (actor == null) {
      throw new IllegalStateException("no authenticated actor on a secured route");
    }
    return actor;
  }

  static Actor fromClaims(JsonObject claims) {
    Set<Role> roles = EnumSet.noneOf(Role.class);
    Object raw = claims.getValue("roles");
    // Authentication refuses any other form than an array of strings
    if (raw instanceof JsonArray array) {
      array.forEach(r -> Role.parse(String.valueOf(r)).ifPresent(roles::add));
    }
    String dept = claims.getValue("dept") instanceof String d && !d.isBlank() ? d : null;
    return new Actor(claims.getString("sub", "unknown"), roles, Optional.ofNullable(dept));
  }

  static JsonObject claimsOf(User user) {
    JsonObject attributes = user.attributes();
    if (attributes != null && attributes.getValue("accessToken") instanceof JsonObject claims) {
      return claims;
    }
    return user.principal();
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

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("sub", sub).put("role", mainRole() == null ? null : mainRole().name());
    dept.ifPresent(d -> json.put("dept", d));
    return json;
  }
}
