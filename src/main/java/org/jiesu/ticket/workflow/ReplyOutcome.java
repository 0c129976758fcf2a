package org.jiesu.ticket.workflow;

/**
 * The outcome a department reports in its reply (答复/办结). {@code EXPLAINED}: the request was unreasonable
 * or cannot be met, and that was explained to the caller.
 */
public enum ReplyOutcome { RESOLVED, PARTIALLY_RESOLVED, UNRESOLVED, EXPLAINED }
