package org.jiesu.sla;

/** How a timer measures time: wall time, or only the office time of the business calendar. */
public enum TimerClock {
  NATURAL,
  WORKING
}
