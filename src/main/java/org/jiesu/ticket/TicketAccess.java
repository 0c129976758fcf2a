package org.jiesu.ticket;

import org.jiesu.auth.Actor;
import org.jiesu.auth.Role;

/**
 * Who may see a ticket and how much of its caller (DESIGN §7). Hotline and supervisors see every ticket
 * in full; staff see tickets of their department only — the lead department in full unless the caller is
 * confidential or it is a REPORT, assisting departments always masked.
 */
public final class TicketAccess {

  /** What of a ticket an actor sees. */
  public enum View { NONE, MASKED, FULL }

  private TicketAccess() {}

  public static View view(Actor actor, Ticket ticket) {
    if (actor.has(Role.HOTLINE) || actor.has(Role.SUPERVISOR)) {
      return View.FULL;
    }
    if (actor.has(Role.STAFF) && actor.dept().isPresent()) {
      String dept = actor.dept().get();
      if (ticket.isLead(dept)) {
        return ticket.confidential() ? View.MASKED : View.FULL;
      }
      if (ticket.isAssisting(dept)) {
        return View.MASKED;
      }
    }
    return View.NONE;
  }

  public static boolean canSee(Actor actor, Ticket ticket) {
    return view(actor, ticket) != View.NONE;
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
