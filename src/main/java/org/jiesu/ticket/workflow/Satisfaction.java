package org.jiesu.ticket.workflow;

/** The caller's answer in the callback (回访); weighted 100 / 80 / 0 in the satisfaction rate. */
public enum Satisfaction { SATISFIED, BASICALLY_SATISFIED, UNSATISFIED }
