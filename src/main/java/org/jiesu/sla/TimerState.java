package org.jiesu.sla;

public enum TimerState {
  RUNNING,
  PAUSED,
  MET,
  BREACHED,
  CANCELLED;

  /** Whether the timer still counts towards a deadline (and so may warn or breach). */
  public boolean open() {
    return this == RUNNING || this == PAUSED;
  }
}
