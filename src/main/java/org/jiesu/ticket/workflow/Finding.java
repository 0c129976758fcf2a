package org.jiesu.ticket.workflow;

/**
 * What the department found about the business a complaint or report names. Only {@code SUBSTANTIATED}
 * becomes a credit event; the others may raise a targeted-check flag (DESIGN §6).
 */
public enum Finding { SUBSTANTIATED, UNSUBSTANTIATED, NOT_DETERMINED }
