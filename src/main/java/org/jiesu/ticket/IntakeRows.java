package org.jiesu.ticket;

import java.util.List;

/**
 * Rows a listener writes for a new ticket inside the intake's own statement (one round trip for the ticket,
 * its events, its audit entry and these; issue 8): a data-modifying statement run as one more CTE of it.
 * {@code sql} reads the new ticket's id as {@code ins.id} from the CTE that inserted it ({@code FROM ins}), so
 * nothing is written when the ticket is not (a taken externalId, an unknown department); it numbers its own
 * parameters $1…$n, n the number of {@code params} (a higher one is refused), and returns rows
 * ({@code RETURNING}, or a SELECT), which the statement counts, so a plain SELECT (a {@code pg_notify}) runs
 * too. {@code after}, when
 * not null, is a SELECT run after it that reads what it returned as {@code {rows}} (a data-modifying statement
 * cannot be nested in another's WITH; this is its second CTE).
 */
public record IntakeRows(String sql, List<Object> params, String after) {
  public IntakeRows {
    params = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(params)); // values may be null
  }

  public IntakeRows(String sql, List<Object> params) {
    this(sql, params, null);
  }
}
