package org.jiesu.routing;

import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Routing-rule SQL. */
final class RoutingRuleRepository {

  private static final String COLUMNS = """
      id, priority, category, districts, streets, types, keywords, lead_department, assisting_departments, version""";
  private static final String INSERT = "INSERT INTO routing_rule (" + COLUMNS + ", created_at, updated_at)"
      + " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 1, $10, $10) RETURNING " + COLUMNS;
  private static final String UPDATE = """
      UPDATE routing_rule SET priority = $2, category = $3, districts = $4, streets = $5, types = $6, keywords = $7,
        lead_department = $8, assisting_departments = $9, version = version + 1, updated_at = $10
      WHERE id = $1 RETURNING """ + " " + COLUMNS;
  private static final String DELETE = "DELETE FROM routing_rule WHERE id = $1 RETURNING " + COLUMNS;
  private static final String LOCK = "SELECT " + COLUMNS + " FROM routing_rule WHERE id = $1 FOR UPDATE";
  private static final String ALL = "SELECT " + COLUMNS + " FROM routing_rule";
  /** Highest priority first; the id breaks ties so the cursor (priority, id) is a total order. */
  private static final String PAGE = "SELECT " + COLUMNS + " FROM routing_rule"
      + " WHERE $1::int IS NULL OR (priority < $1 OR (priority = $1 AND id > $2))"
      + " ORDER BY priority DESC, id LIMIT $3";

  Future<RoutingRule> insert(SqlClient db, RoutingRule r, Instant now) {
    return db.preparedQuery(INSERT).execute(values(r, now)).map(rows -> rule(rows.iterator().next()));
  }

  Future<Optional<RoutingRule>> update(SqlClient db, RoutingRule r, Instant now) {
    return db.preparedQuery(UPDATE).execute(values(r, now)).map(RoutingRuleRepository::first);
  }

  /** The rule deleted, if there was one. */
  Future<Optional<RoutingRule>> delete(SqlClient db, UUID id) {
    return db.preparedQuery(DELETE).execute(Tuple.of(id)).map(RoutingRuleRepository::first);
  }

  /** The rule as it is, locked until the transaction ends. */
  Future<Optional<RoutingRule>> lock(SqlClient db, UUID id) {
    return db.preparedQuery(LOCK).execute(Tuple.of(id)).map(RoutingRuleRepository::first);
  }

  Future<List<RoutingRule>> all(SqlClient db) {
    return db.query(ALL).execute().map(RoutingRuleRepository::rules);
  }

  Future<List<RoutingRule>> page(SqlClient db, Optional<Integer> afterPriority, Optional<UUID> afterId, int limit) {
    return db.preparedQuery(PAGE).execute(Tuple.of(afterPriority.orElse(null), afterId.orElse(null), limit))
        .map(RoutingRuleRepository::rules);
  }

  private static Tuple values(RoutingRule r, Instant now) {
    RoutingRule.Match m = r.match();
    return Tuple.from(new Object[] {UUID.fromString(r.id()), r.priority(), m.category().orElse(null),
        m.districts().toArray(new String[0]), m.streets().toArray(new String[0]),
        m.types().toArray(new String[0]), m.keywords().toArray(new String[0]),
        r.leadDepartment(), r.assistingDepartments().toArray(new String[0]), now.atOffset(ZoneOffset.UTC)});
  }

  private static Optional<RoutingRule> first(RowSet<Row> rows) {
    return rows.size() == 0 ? Optional.empty() : Optional.of(rule(rows.iterator().next()));
  }

  private static List<RoutingRule> rules(RowSet<Row> rows) {
    List<RoutingRule> out = new ArrayList<>();
    rows.forEach(r -> out.add(rule(r)));
    return out;
  }

  private static RoutingRule rule(Row r) {
    List<String> types = list(r.getArrayOfStrings("types"));
    return new RoutingRule(r.getUUID("id").toString(), r.getInteger("priority"),
        new RoutingRule.Match(Optional.ofNullable(r.getString("category")), list(r.getArrayOfStrings("districts")),
            list(r.getArrayOfStrings("streets")), types, list(r.getArrayOfStrings("keywords"))),
        r.getString("lead_department"), list(r.getArrayOfStrings("assisting_departments")));
  }

  private static List<String> list(String[] values) {
    return values == null ? List.of() : Arrays.asList(values);
  }
}
