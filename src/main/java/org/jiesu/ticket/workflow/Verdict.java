package org.jiesu.ticket.workflow;

/** A decision on a department's request (return, extension, suspension). */
public enum Verdict { APPROVE, REJECT }
