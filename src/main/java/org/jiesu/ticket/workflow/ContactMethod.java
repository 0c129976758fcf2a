package org.jiesu.ticket.workflow;

/** How the lead department reached the caller (联系诉求人). */
public enum ContactMethod { PHONE, SMS, VISIT, OTHER }
