package org.jiesu.ticket.workflow;

/**
 * How a ticket reached jiesu. Every channel goes through the same intake path (idempotent, routed, timed);
 * the channel is recorded so reports can tell a citizen's call from a civic client's report and from work
 * the centre started itself.
 */
public enum Channel {
  /** Sent by the 12345 hotline platform through {@code POST /api/v1/tickets}. */
  HOTLINE,
  /** Submitted by an Open311 GeoReport v2 client. */
  OPEN311,
  /** A proactive task (主动治理) a supervisor created from a hotspot or a monthly topic: no caller, no callback. */
  PROACTIVE
}
