package org.jiesu.ticket;

/** 诉求类型. */
public enum TicketType { CONSULTATION, HELP, COMPLAINT, REPORT, SUGGESTION }
