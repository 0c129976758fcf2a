package org.jiesu.credit;

import java.time.Instant;
import java.util.Optional;

/**
 * One fact about an entity's credit, effective from {@code effectiveAt}. {@code points} is given only for
 * commendations (1–10); {@code repairs} only for a repair, naming the repaired event; {@code source} says
 * where it came from (an inspector, a ticket id, a draw's inspection).
 */
public record CreditEvent(String id, Kind kind, Instant effectiveAt, Optional<Integer> points,
    Optional<String> repairs, String source) {

  public enum Kind {
    ABNORMAL_LIST, ABNORMAL_LIST_REMOVED, MINOR_PENALTY, GENERAL_PENALTY, SERIOUS_PENALTY, SERIOUS_VIOLATION_LIST,
    SERIOUS_VIOLATION_LIST_REMOVED, SUBSTANTIATED_COMPLAINT, COMMENDATION, REPAIR;

    /** The kinds that take points off (or veto the grade): the only ones a repair can stop. */
    public boolean isDeduction() {
      return switch (this) {
        case ABNORMAL_LIST, MINOR_PENALTY, GENERAL_PENALTY, SERIOUS_PENALTY, SERIOUS_VIOLATION_LIST,
            SUBSTANTIATED_COMPLAINT -> true;
        default -> false;
      };
    }
  }
}
