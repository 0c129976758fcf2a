package org.jiesu.routing;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jiesu.department.Departments;
import org.jiesu.platform.Problem;

/** The routing rules: maintained by administrators, applied to every intake that names no department. */
public final class RoutingRules {

  private final Pool pool;
  private final Departments departments;
  private final Clock clock;
  private final RoutingRuleRepository repository = new RoutingRuleRepository();

  public RoutingRules(Pool pool, Departments departments, Clock clock) {
    this.pool = pool;
    this.departments = departments;
    this.clock = clock;
  }

  public Future<RoutingRule> create(RoutingRule rule) {
    return pool.withTransaction(tx -> requireDepartments(tx, rule).compose(v -> repository.insert(tx, rule, clock.instant())));
  }

  public Future<RoutingRule> update(RoutingRule rule) {
    return pool.withTransaction(tx -> requireDepartments(tx, rule)
        .compose(v -> repository.update(tx, rule, clock.instant()))
        .map(found -> found.orElseThrow(() -> Problem.notFound("no routing rule " + rule.id()))));
  }

  public Future<Void> delete(String id) {
    return repository.delete(pool, parse(id)).compose(done -> done
        ? Future.<Void>succeededFuture()
        : Future.failedFuture(Problem.notFound("no routing rule " + id)));
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
