package org.jiesu.ticket;

import java.util.List;

/**
 * Rows a listener writes for a new ticket inside the intake's own statement (one round trip for the ticket,
 * its events, its audit entry and these; issue 8): a data-modifying statement run as one more CTE of it.
 * {@code sql} reads the new ticket's id as {@code ins.id} from the CTE that inserted it ({@code FROM ins}), so
 * nothing is written when the ticket is not (a taken externalId, an unknown department); it numbers its own
 * parameters from $1 and returns rows ({@code RETURNING}, or a SELECT), which the statement counts, so a
 * plain SELECT (a {@code pg_notify}) runs too.
 */
public record IntakeRows(String sql, List<Object> params) {
  public IntakeRows {
    params = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(params)); // values may be null
  }
}
