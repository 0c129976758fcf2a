package org.jiesu.sla;

import java.util.Optional;

/**
 * Deadlines for the tickets it matches: {@code type}, {@code urgency} and {@code category} are each null for
 * "any"; a category matches itself and its dotted descendants ({@code market} matches {@code market.agency}).
 * A null timer spec means the round has no such timer.
 */
public record SlaPolicy(String key, String type, String urgency, String category, TimerSpec sign,
    TimerSpec contact, TimerSpec resolve, double warningShare) {

  public static final double DEFAULT_WARNING_SHARE = 0.75;

  public SlaPolicy {
    if (key == null || key.isBlank()) {
      throw new IllegalArgumentException("a policy needs a key");
    }
    if (!(warningShare > 0 && warningShare < 1)) {
      throw new IllegalArgumentException("warningShare must lie strictly between 0 and 1");
    }
  }

  public Optional<TimerSpec> spec(TimerKind kind) {
    return Optional.ofNullable(switch (kind) {
      case SIGN -> sign;
      case CONTACT -> contact;
      case RESOLVE -> resolve;
    });
  }

  boolean matches(String ticketType, String ticketUrgency, String ticketCategory) {
    return (type == null || type.equals(ticketType))
        && (urgency == null || urgency.equals(ticketUrgency))
        && (category == null || (ticketCategory != null
            && (ticketCategory.equals(category) || ticketCategory.startsWith(category + "."))));
  }

  /**
   * How specific the policy is, compared lexicographically: category first (a deeper category is more
   * specific), then type, then urgency — the order the SLA issue fixes.
   */
  int[] specificity() {
    int depth = category == null ? 0 : category.split("\\.").length;
    return new int[] {depth, type == null ? 0 : 1, urgency == null ? 0 : 1};
  }
}
