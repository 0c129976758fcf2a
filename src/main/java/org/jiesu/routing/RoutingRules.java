package org.jiesu.routing;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jiesu.audit.AuditLog;
import org.jiesu.auth.Actor;
import org.jiesu.department.Departments;
import org.jiesu.platform.Problem;

/** The routing rules: maintained by administrators, applied to every intake that names no department. */
public final class RoutingRules {

  private final Pool pool;
  private final Departments departments;
  private final AuditLog audit;
  private final Clock clock;
  private final RoutingRuleRepository repository = new RoutingRuleRepository();

  public RoutingRules(Pool pool, Departments departments, AuditLog audit, Clock clock) {
    this.pool = pool;
    this.departments = departments;
    this.audit = audit;
    this.clock = clock;
  }

  // rules decide where complaints go: every change is audited in its transaction, with before and after

  public Future<RoutingRule> create(Actor actor, RoutingRule rule) {
    return pool.withTransaction(tx -> requireDepartments(tx, rule)
        .compose(v -> repository.insert(tx, rule, clock.instant()))
        .compose(after -> audit(tx, actor, "ROUTING_RULE_CREATE", null, after).map(after)));
  }

  public Future<RoutingRule> update(Actor actor, RoutingRule rule) {
    UUID id = UUID.fromString(rule.id());
    return pool.withTransaction(tx -> repository.lock(tx, id)
        .map(found -> found.orElseThrow(() -> Problem.notFound("no routing rule " + rule.id())))
        .compose(before -> requireDepartments(tx, rule)
            .compose(v -> repository.update(tx, rule, clock.instant()))
            .map(found -> found.orElseThrow(() -> Problem.notFound("no routing rule " + rule.id())))
            .compose(after -> audit(tx, actor, "ROUTING_RULE_UPDATE", before, after).map(after))));
  }

  public Future<Void> delete(Actor actor, String id) {
    return pool.withTransaction(tx -> repository.delete(tx, parse(id))
        .map(found -> found.orElseThrow(() -> Problem.notFound("no routing rule " + id)))
        .compose(before -> audit(tx, actor, "ROUTING_RULE_DELETE", before, null)));
  }

  private Future<Void> audit(SqlClient tx, Actor actor, String action, RoutingRule before, RoutingRule after) {
    JsonObject detail = new JsonObject().put("rule", (after != null ? after : before).id());
    if (before != null) {
      detail.put("before", RoutingRoutes.json(before));
    }
    if (after != null) {
      detail.put("after", RoutingRoutes.json(after));
    }
    return audit.append(tx, actor, action, null, detail);
  }

  public Future<List<RoutingRule>> page(Optional<Integer> afterPriority, Optional<UUID> afterId, int limit) {
    return repository.page(pool, afterPriority, afterId, limit);
  }

  /** Where routing sends a new ticket, inside the intake's transaction. */
  public Future<Optional<Assignment>> route(SqlClient tx, RoutingFacts facts) {
    return repository.all(tx).map(rules -> Routing.route(rules, facts));
  }

  public static UUID parse(String id) {
    try {
      return UUID.fromString(id);
    } catch (IllegalArgumentException e) {
      throw Problem.notFound("no routing rule " + id);
    }
  }

  private Future<Void> requireDepartments(SqlClient tx, RoutingRule rule) {
    List<String> codes = new ArrayList<>(List.of(rule.leadDepartment()));
    List<String> fields = new ArrayList<>(List.of("/leadDepartment"));
    for (int i = 0; i < rule.assistingDepartments().size(); i++) {
      codes.add(rule.assistingDepartments().get(i));
      fields.add("/assistingDepartments/" + i);
    }
    return departments.requireExisting(tx, codes, fields);
  }
}
