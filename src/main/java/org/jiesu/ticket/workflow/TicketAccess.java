package org.jiesu.ticket.workflow;

import java.util.List;
import java.util.Optional;
import org.jiesu.auth.Actor;
import org.jiesu.auth.Role;

/**
 * Who may see a ticket and how much of its caller (DESIGN §7). Hotline and supervisors see every ticket
 * in full. Staff see tickets of their department only: the lead department in full, assisting departments
 * masked. For confidential callers and every REPORT the caller's identity goes to hotline and supervisors
 * only: staff see none of it, and the lead department gets a contact channel through the hotline instead.
 */
public final class TicketAccess {

  /** What of a ticket an actor sees. */
  public enum View {
    /** Not the ticket at all. */
    NONE,
    /** The ticket, with the confidential caller withheld. */
    WITHHELD,
    /** As WITHHELD, plus the hotline relay the lead department contacts the caller through. */
    RELAY,
    /** The ticket, with the caller masked ({@code 138****5678}). */
    MASKED,
    /** Everything. */
    FULL
  }

  private TicketAccess() {}

  public static View view(Actor actor, Ticket ticket) {
    return view(actor, ticket.leadDepartment(), ticket.assistingDepartments(), ticket.confidential());
  }

  /** The rule itself, on what it depends on: the departments taking part, and whether the caller is confidential. */
  public static View view(Actor actor, Optional<String> lead, List<String> assisting, boolean confidential) {
    if (actor.has(Role.HOTLINE) || actor.has(Role.SUPERVISOR)) {
      return View.FULL;
    }
    if (actor.has(Role.STAFF) && actor.dept().isPresent()) {
      String dept = actor.dept().get();
      if (lead.map(dept::equals).orElse(false)) {
        return confidential ? View.RELAY : View.FULL;
      }
      if (assisting.contains(dept)) {
        return confidential ? View.WITHHELD : View.MASKED;
      }
    }
    return View.NONE;
  }

  /** Whether the actor sees the ticket at all: reads, the service's checks and the workflow rules ask this. */
  public static boolean canSee(Actor actor, Ticket ticket) {
    return view(actor, ticket) != View.NONE;
  }

  /** Whether the actor sees a ticket with these departments at all. */
  public static boolean canSee(Actor actor, Optional<String> lead, List<String> assisting) {
    return view(actor, lead, assisting, false) != View.NONE;
  }

  /**
   * {@link #view} is {@link View#FULL}, as an SQL condition on a {@code ticket} row named {@code t}: for a
   * read that records its own audit entry in the statement that reads the ticket. Its parameters are
   * {@link #fullViewParameters}; the service still decides with {@link #view} and writes the entry itself
   * should the two ever disagree, so the condition can only save a round trip, never skip an entry.
   */
  public static String fullViewSql(int seesAll, int dept) {
    return "($" + seesAll + "::boolean OR (t.lead_department = $" + dept + "::text"
        + " AND NOT t.caller_confidential AND t.type <> 'REPORT'))";
  }

  /** The parameters of {@link #fullViewSql}: whether the actor sees every ticket in full, and its department. */
  public static Object[] fullViewParameters(Actor actor) {
    boolean all = actor.has(Role.HOTLINE) || actor.has(Role.SUPERVISOR);
    String dept = actor.has(Role.STAFF) ? actor.dept().orElse(null) : null;
    return new Object[] {all, dept};
  }

  /** Which tickets a list may show: all of them, or those where one department takes part. */
  public record ListScope(boolean all, String department) {}

  /** Staff lists are limited to their department (a staff token without one sees nothing). */
  public static ListScope listScope(Actor actor) {
    if (actor.has(Role.HOTLINE) || actor.has(Role.SUPERVISOR)) {
      return new ListScope(true, null);
    }
    return new ListScope(false, actor.dept().orElse(""));
  }
}
