package org.jiesu.ticket;

import java.util.List;

/**
 * Rows a listener writes for a change inside the change's own statement, so the change is one round trip
 * (issue 8): a data-modifying statement run as one more CTE of the intake's statement (with the ticket, its
 * events and its audit entry), or of an action's events statement. {@code sql} reads the ticket's id as
 * {@code ins.id} ({@code FROM ins}: at intake the CTE that inserted it, so nothing is written when the ticket
 * is not: a taken externalId, an unknown department; in an action the acting ticket). It numbers its own
 * parameters $1…$n, n the number of {@code params} (a higher one is refused). A data-modifying statement runs
 * to completion as it is; a plain SELECT (a {@code pg_notify}) is counted by the statement's answer, so that it
 * runs too. {@code after}, when not null, is a SELECT run after it that reads what it returned as {@code {rows}}
 * (a data-modifying statement cannot be nested in another's WITH; this is its second CTE).
 */
public record ChangeRows(String sql, List<Object> params, String after) {
  public ChangeRows {
    params = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(params)); // values may be null
  }

  public ChangeRows(String sql, List<Object> params) {
    this(sql, params, null);
  }
}
