package org.jiesu.ticket.workflow;

/** The ticket lifecycle of DESIGN §2. */
public enum TicketState { RECEIVED, DISPATCHED, SIGNED, SUSPENDED, REPLIED, CLOSED, MERGED }
