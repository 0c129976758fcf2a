package org.jiesu.sla;

import java.util.List;

/**
 * Everything deadlines are computed from, as of one version of the settings: the policies and the
 * business calendar. Immutable; replicas hold the newest they have read.
 */
public record SlaSettings(long version, List<SlaPolicy> policies, BusinessCalendar calendar) {

  public SlaSettings {
    policies = List.copyOf(policies);
  }

  public TimerRules rules() {
    return new TimerRules(new Deadlines(calendar));
  }
}
