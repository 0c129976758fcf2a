package org.jiesu.department;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import java.util.List;
import org.jiesu.platform.Problem;

/** The department register. Other features ask it whether departments exist, never its table. */
public final class Departments {

  private final Pool pool;
  private final DepartmentRepository repository = new DepartmentRepository();

  public Departments(Pool pool) {
    this.pool = pool;
  }

  public Future<Boolean> put(Department department) {
    return repository.upsert(pool, department);
  }

  public Future<List<Department>> page(String afterCode, int limit) {
    return repository.page(pool, afterCode, limit);
  }

  /**
   * Fails with 422 naming the first unknown department. {@code fields} are the JSON pointers of the codes,
   * in the same order, so the problem points at the right field.
   */
  public Future<Void> requireExisting(SqlClient db, List<String> codes, List<String> fields) {
    if (codes.isEmpty()) {
      return Future.succeededFuture();
    }
    return repository.existing(db, codes).compose(found -> {
      for (int i = 0; i < codes.size(); i++) {
        if (!found.contains(codes.get(i))) {
          return Future.failedFuture(Problem.unprocessable(fields.get(i),
              "no department with code '" + codes.get(i) + "'"));
        }
      }
      return Future.succeededFuture();
    });
  }
}
