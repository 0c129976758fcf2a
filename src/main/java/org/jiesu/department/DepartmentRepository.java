package org.jiesu.department;

import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Department SQL. */
public final class DepartmentRepository {

  private static final String LOCK = "SELECT code, name, dept_group FROM department WHERE code = $1 FOR UPDATE";
  private static final String INSERT = """
      INSERT INTO department (code, name, dept_group) VALUES ($1, $2, $3) ON CONFLICT (code) DO NOTHING""";
  private static final String UPDATE = """
      UPDATE department SET name = $2, dept_group = $3, updated_at = now() WHERE code = $1""";
  private static final String PAGE = """
      SELECT code, name, dept_group FROM department WHERE code > $1 ORDER BY code LIMIT $2""";
  private static final String EXISTING = "SELECT code FROM department WHERE code = ANY($1)";

  /** The department as it is, locked until the transaction ends. */
  public Future<Optional<Department>> lock(SqlClient db, String code) {
    return db.preparedQuery(LOCK).execute(Tuple.of(code)).map(rows -> rows.size() == 0 ? Optional.<Department>empty()
        : Optional.of(department(rows.iterator().next())));
  }

  /** True when inserted; false when a concurrent request created it first. */
  public Future<Boolean> insert(SqlClient db, Department d) {
    return db.preparedQuery(INSERT).execute(Tuple.of(d.code(), d.name(), d.group())).map(rows -> rows.rowCount() == 1);
  }

  public Future<Void> update(SqlClient db, Department d) {
    return db.preparedQuery(UPDATE).execute(Tuple.of(d.code(), d.name(), d.group())).mapEmpty();
  }

  private static Department department(Row r) {
    return new Department(r.getString("code"), r.getString("name"), r.getString("dept_group"));
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
