package org.jiesu.department;

import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Department SQL. */
public final class DepartmentRepository {

  private static final String UPSERT = """
      INSERT INTO department (code, name, dept_group) VALUES ($1, $2, $3)
      ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, dept_group = EXCLUDED.dept_group, updated_at = now()
      RETURNING (xmax = 0) AS created""";
  private static final String PAGE = """
      SELECT code, name, dept_group FROM department WHERE code > $1 ORDER BY code LIMIT $2""";
  private static final String EXISTING = "SELECT code FROM department WHERE code = ANY($1)";

  /** True when the department is new. */
  public Future<Boolean> upsert(SqlClient db, Department d) {
    return db.preparedQuery(UPSERT).execute(Tuple.of(d.code(), d.name(), d.group()))
        .map(rows -> rows.iterator().next().getBoolean("created"));
  }

  public Future<List<Department>> page(SqlClient db, String afterCode, int limit) {
    return db.preparedQuery(PAGE).execute(Tuple.of(afterCode, limit)).map(rows -> {
      List<Department> out = new ArrayList<>();
      for (Row r : rows) {
        out.add(new Department(r.getString("code"), r.getString("name"), r.getString("dept_group")));
      }
      return out;
    });
  }

  public Future<Set<String>> existing(SqlClient db, List<String> codes) {
    return db.preparedQuery(EXISTING).execute(Tuple.of(codes.toArray(new String[0]))).map(rows -> {
      Set<String> out = new HashSet<>();
      rows.forEach(r -> out.add(r.getString("code")));
      return out;
    });
  }
}
