package org.jiesu.department;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import java.util.List;
import java.util.Optional;
import org.jiesu.audit.AuditLog;
import org.jiesu.auth.Actor;
import org.jiesu.platform.Problem;

/** The department register. Other features ask it whether departments exist, never its table. */
public final class Departments {

  private final Pool pool;
  private final AuditLog audit;
  private final DepartmentRepository repository = new DepartmentRepository();

  public Departments(Pool pool, AuditLog audit) {
    this.pool = pool;
    this.audit = audit;
  }

  /**
   * Creates or replaces a department; true when it is new. Audited in the same transaction with the
   * department before and after.
   */
  public Future<Boolean> put(Actor actor, Department department) {
    return pool.withTransaction(tx -> repository.lock(tx, department.code())
        .compose(before -> before.isPresent()
            ? Future.succeededFuture(before)
            // absent: insert, unless a concurrent PUT created it first; then it is there to lock
            : repository.insert(tx, department).compose(inserted -> inserted
                ? Future.succeededFuture(Optional.<Department>empty())
                : repository.lock(tx, department.code())))
        .compose(before -> (before.isPresent() ? repository.update(tx, department) : Future.<Void>succeededFuture())
            .compose(v -> audit.append(tx, actor, before.isPresent() ? "DEPARTMENT_UPDATE" : "DEPARTMENT_CREATE", null,
                change(before.orElse(null), department)))
            .map(before.isEmpty())));
  }

  private static JsonObject change(Department before, Department after) {
    JsonObject detail = new JsonObject().put("department", after.code());
    if (before != null) {
      detail.put("before", DepartmentRoutes.json(before));
    }
    return detail.put("after", DepartmentRoutes.json(after));
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
