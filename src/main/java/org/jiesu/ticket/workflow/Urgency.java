package org.jiesu.ticket.workflow;

/** 紧急程度. */
public enum Urgency { NORMAL, URGENT, CRITICAL }
