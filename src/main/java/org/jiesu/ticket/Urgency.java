package org.jiesu.ticket;

/** 紧急程度. */
public enum Urgency { NORMAL, URGENT, CRITICAL }
