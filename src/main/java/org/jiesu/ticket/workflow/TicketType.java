package org.jiesu.ticket.workflow;

/** 诉求类型. */
public enum TicketType { CONSULTATION, HELP, COMPLAINT, REPORT, SUGGESTION }
