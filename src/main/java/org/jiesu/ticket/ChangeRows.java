package org.jiesu.ticket;

import java.util.List;

/**
 * Rows a listener writes for a change inside the change's own statement, so the change is one round trip
 * (issue 8): a data-modifying statement run as one more CTE of the intake's statement (with the ticket, its
 * events and its audit entry), or of an action's statement. {@code sql} reads the ticket's id from {@code
 * ins} (in an action the acting ticket; at intake the CTE that inserted the tickets, so nothing is written for
 * one that is not: a taken externalId, an unknown department). It numbers its own parameters $1…$n, n the
 * number of {@code params} (a higher one is refused). An action's rows that read a table by the ticket name it
 * by a parameter as well ({@code ins.id = $1 AND t.ticket_id = $1}): the statement keeps a generic plan, and
 * one made while the table was small may hash a scan of all of it for a join on {@code ins.id}.
 *
 * <p>At intake {@code ins} holds every ticket the statement made: intakes that wait for the database go
 * together ({@link IntakeBatches}). So an intake's rows take either nothing, and then run once for the whole
 * statement (a {@code pg_notify ... FROM ins}), or one parameter, a JSON array of records each naming its
 * ticket, joined to {@code ins} on it; a batch concatenates its tickets' records. A data-modifying statement runs
 * to completion as it is; a plain SELECT (a {@code pg_notify}) is counted by the statement's answer, so that it
 * runs too. {@code after}, when not null, is a statement run after it that reads what it returned as {@code
 * {rows}} (a data-modifying statement cannot be nested in another's WITH; this is its second CTE), numbering
 * the same parameters: a SELECT (a pg_notify), or a data-modifying statement that must not start before the
 * first has finished (it reads all of {@code {rows}} first).
 */
public record ChangeRows(String sql, List<Object> params, String after) {
  public ChangeRows {
    params = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(params)); // values may be null
  }

  public ChangeRows(String sql, List<Object> params) {
    this(sql, params, null);
  }
}
