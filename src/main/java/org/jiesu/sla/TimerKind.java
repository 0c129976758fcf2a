package org.jiesu.sla;

/** The three timers of a handling round (DESIGN §3), met by signing, first contact and reply. */
public enum TimerKind {
  SIGN,
  CONTACT,
  RESOLVE
}
